#include "core/aws/http/ProxyFactory.h"

#include <QHostAddress>
#include <QUrl>

namespace bl {

ProxyFactory::ProxyFactory(const QString& proxyUrl, const QString& noProxy)
    : m_proxy(QNetworkProxy::NoProxy)
{
    if (!proxyUrl.isEmpty()) {
        QUrl url = QUrl::fromUserInput(proxyUrl);
        if (url.isValid() && !url.host().isEmpty()) {
            // No port: the scheme's default, as the AWS CLI (urllib3) does.
            const int defaultPort = url.scheme() == QLatin1String("https") ? 443 : 80;
            m_proxy = QNetworkProxy(QNetworkProxy::HttpProxy, url.host(), quint16(url.port(defaultPort)),
                                    url.userName(QUrl::FullyDecoded), url.password(QUrl::FullyDecoded));
        }
    }
    const auto entries = noProxy.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString& entry : entries) {
        QString e = entry.trimmed().toLower();
        if (!e.isEmpty())
            m_noProxy << e;
    }
}

bool ProxyFactory::bypasses(const QString& hostIn) const
{
    const QString host = hostIn.toLower();
    QHostAddress addr;
    if (host == QLatin1String("localhost") || (addr.setAddress(host) && addr.isLoopback()))
        return true;
    for (const QString& entry : m_noProxy) {
        if (entry == QLatin1String("*"))
            return true;
        QString e = entry;
        if (e.startsWith(QLatin1Char('.')))
            e.remove(0, 1);
        // Strip a port from the entry ("host:8443").
        const int colon = e.lastIndexOf(QLatin1Char(':'));
        if (colon > 0 && !e.contains(QLatin1String("::")))
            e.truncate(colon);
        if (host == e || host.endsWith(QLatin1Char('.') + e))
            return true;
    }
    return false;
}

QList<QNetworkProxy> ProxyFactory::queryProxy(const QNetworkProxyQuery& query)
{
    if (!hasProxy() || bypasses(query.peerHostName()))
        return {QNetworkProxy(QNetworkProxy::NoProxy)};
    return {m_proxy};
}

} // namespace bl
