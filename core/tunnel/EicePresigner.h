#pragma once
// EicePresigner: builds the request for one EICE WebSocket (PROTOCOLS.md §1.6, §5.2) as pure functions: a
// freshly presigned /openTunnel URL (SigV4 query signing, X-Amz-Expires=60, signed header host only, the
// empty-body hash, the session token in the signed query), the exact request-target bytes, the Host header and
// where to connect. The DnsName is used verbatim as host[:port]; without a port it means 443.

#include "core/aws/base/Credentials.h"
#include "core/tunnel/EiceTarget.h"
#include "core/util/Result.h"

#include <QByteArray>
#include <QDateTime>

namespace bl {

struct EiceRequest
{
    QString connectHost; // where the TCP connection goes (a *.localhost name goes to 127.0.0.1)
    quint16 port = 443;
    QString peerName; // TLS SNI and certificate name: the DnsName's host part
    QByteArray hostHeader; // the DnsName, verbatim
    QByteArray requestTarget; // "/openTunnel?<signed query>", to be sent byte for byte
};

class EicePresigner
{
public:
    static constexpr int ExpiresSeconds = 60;
    static constexpr int MaxTunnelDuration = 3600;

    // signingTimeUtc: the skew-corrected time (AwsHttpClient::signingTime()).
    static Result<EiceRequest> build(const EiceTarget& target, const Credentials& credentials,
                                     const QDateTime& signingTimeUtc);

    struct HostPort
    {
        QString host;
        quint16 port = 443;
    };
    // "name" -> (name, 443); "name:8443" -> (name, 8443); "[::1]:8443" -> (::1, 8443).
    static Result<HostPort> splitDnsName(const QString& dnsName);
    // RFC 6761: "localhost" and "*.localhost" are the loopback address, whatever the resolver says.
    static QString connectHostFor(const QString& host);
};

} // namespace bl
