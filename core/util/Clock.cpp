#include "core/util/Clock.h"

#include <QLocale>
#include <QTimeZone>

namespace bl {

QDateTime ClockSkew::parseHttpDate(const QByteArray& httpDate)
{
    // RFC 1123: "Sun, 06 Nov 1994 08:49:37 GMT". QDateTime's RFC 2822 parser accepts it.
    QDateTime t = QDateTime::fromString(QString::fromLatin1(httpDate).trimmed(), Qt::RFC2822Date);
    if (!t.isValid()) {
        t = QLocale::c().toDateTime(QString::fromLatin1(httpDate).trimmed(),
                                    QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
        if (t.isValid())
            t.setTimeZone(QTimeZone::utc());
    }
    return t.toUTC();
}

bool ClockSkew::observeServerDate(const QByteArray& httpDate, const QDateTime& localUtc, int thresholdSecs)
{
    const QDateTime server = parseHttpDate(httpDate);
    if (!server.isValid())
        return false;
    const qint64 diff = corrected(localUtc).msecsTo(server);
    if (std::abs(diff) < qint64(thresholdSecs) * 1000)
        return false;
    setOffsetMs(localUtc.msecsTo(server));
    return true;
}

} // namespace bl
