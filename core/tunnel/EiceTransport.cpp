#include "core/tunnel/EiceTransport.h"

#include "core/aws/http/AwsHttpClient.h"
#include "core/aws/http/ProxyFactory.h"
#include "core/tunnel/ConnectionSlots.h"
#include "core/tunnel/EicePresigner.h"

#include <QNetworkProxyQuery>

namespace bl {

EiceTransport::EiceTransport(EiceTarget target, AwsHttpClient& http, CredentialsProvider& credentials,
                             std::shared_ptr<ConnectionSlots> slots, QObject* parent)
    : TunnelTransport(parent)
{
    m_setup.target = std::move(target);
    m_setup.http = &http;
    m_setup.credentials = &credentials;
    m_setup.slots = slots ? std::move(slots)
                          : std::make_shared<ConnectionSlots>(
                              QStringLiteral("EC2 Instance Connect Endpoint %1").arg(m_setup.target.endpointId));
    m_setup.ssl = makeSslConfiguration(http.settings().caBundlePath);
    m_setup.options.userAgent = http.settings().userAgent;

    const auto hostPort = EicePresigner::splitDnsName(m_setup.target.dnsName);
    if (hostPort) {
        ProxyFactory proxies(http.settings().httpsProxy, http.settings().noProxy);
        const QString host = EicePresigner::connectHostFor(hostPort->host);
        const QList<QNetworkProxy> chosen =
            proxies.queryProxy(QNetworkProxyQuery(host, hostPort->port, QStringLiteral("https")));
        if (!chosen.isEmpty())
            m_setup.proxy = chosen.first();
    }
}

EiceTransport::~EiceTransport() = default;

ByteStream* EiceTransport::openStream(QObject* parent)
{
    return new EiceStream(m_setup, parent);
}

QString EiceTransport::describe() const
{
    return m_setup.target.describe();
}

} // namespace bl
