#include "core/aws/credentials/Timestamps.h"

#include <QRegularExpression>
#include <QTimeZone>

namespace bl {

QDateTime Timestamps::parseIso8601(const QString& text)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?\s*(Z|z|UTC|GMT|[+-]\d{2}:?\d{2})?$)"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch())
        return {};
    QString iso = m.captured(1) + QLatin1Char('T') + m.captured(2);
    if (m.captured(2).size() == 5)
        iso += QStringLiteral(":00");
    // Qt accepts milliseconds only; Python writes microseconds.
    if (m.capturedLength(3) > 0)
        iso += QLatin1Char('.') + m.captured(3).left(3).leftJustified(3, QLatin1Char('0'));
    QString zone = m.captured(4);
    if (zone.isEmpty() || zone == QLatin1String("z") || zone == QLatin1String("UTC") || zone == QLatin1String("GMT"))
        zone = QStringLiteral("Z");
    else if (zone.size() == 5)
        zone.insert(3, QLatin1Char(':'));
    const QDateTime t = QDateTime::fromString(iso + zone, Qt::ISODateWithMs);
    if (!t.isValid())
        return {};
    return t.toUTC();
}

QString Timestamps::formatUtc(const QDateTime& t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QLatin1Char('Z');
}

} // namespace bl
