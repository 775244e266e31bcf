#pragma once
// Chooses the proxy per request from HTTPS_PROXY / NO_PROXY, the way the AWS CLI reads them: NO_PROXY
// entries match a host exactly or as a domain suffix ("example.com", ".example.com"), "*" disables the
// proxy, and loopback addresses never go through a proxy.

#include <QNetworkProxyFactory>
#include <QStringList>

namespace bl {

class ProxyFactory final : public QNetworkProxyFactory
{
public:
    ProxyFactory(const QString& proxyUrl, const QString& noProxy);
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery& query) override;

    // Exposed for tests.
    bool bypasses(const QString& host) const;
    bool hasProxy() const { return m_proxy.type() != QNetworkProxy::NoProxy; }
    QNetworkProxy proxy() const { return m_proxy; }

private:
    QNetworkProxy m_proxy;
    QStringList m_noProxy;
};

} // namespace bl
