#include "core/tunnel/EicePresigner.h"

#include "core/aws/base/SigV4.h"

#include <QRegularExpression>

namespace bl {

namespace {

Error invalid(const QString& what)
{
    return Error::make(ErrorKind::Usage, QStringLiteral("Cannot open an EC2 Instance Connect tunnel: %1").arg(what));
}

} // namespace

Result<EicePresigner::HostPort> EicePresigner::splitDnsName(const QString& dnsName)
{
    const QString name = dnsName.trimmed();
    if (name.isEmpty() || name.contains(QLatin1Char('/')) || name.contains(QLatin1Char(' ')))
        return invalid(QStringLiteral("the endpoint's DNS name \"%1\" is not a host name").arg(dnsName));
    HostPort out;
    QString portText;
    if (name.startsWith(QLatin1Char('['))) {
        const qsizetype close = name.indexOf(QLatin1Char(']'));
        if (close < 0)
            return invalid(QStringLiteral("the endpoint's DNS name \"%1\" is malformed").arg(dnsName));
        out.host = name.mid(1, close - 1);
        const QString rest = name.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':')))
                return invalid(QStringLiteral("the endpoint's DNS name \"%1\" is malformed").arg(dnsName));
            portText = rest.mid(1);
        }
    } else if (name.count(QLatin1Char(':')) == 1) {
        const qsizetype colon = name.indexOf(QLatin1Char(':'));
        out.host = name.left(colon);
        portText = name.mid(colon + 1);
    } else {
        out.host = name; // a bare IPv6 address, or a name without a port
    }
    if (!portText.isNull()) {
        bool ok = false;
        const uint port = portText.toUInt(&ok);
        if (!ok || port == 0 || port > 65535)
            return invalid(QStringLiteral("the endpoint's DNS name \"%1\" has an invalid port").arg(dnsName));
        out.port = static_cast<quint16>(port);
    }
    if (out.host.isEmpty())
        return invalid(QStringLiteral("the endpoint's DNS name \"%1\" has no host").arg(dnsName));
    return out;
}

QString EicePresigner::connectHostFor(const QString& host)
{
    const QString lower = host.toLower();
    if (lower == QLatin1String("localhost") || lower.endsWith(QLatin1String(".localhost")))
        return QStringLiteral("127.0.0.1");
    return host;
}

Result<EiceRequest> EicePresigner::build(const EiceTarget& target, const Credentials& credentials,
                                         const QDateTime& signingTimeUtc)
{
    static const QRegularExpression endpointIdPattern(QStringLiteral("^eice-[0-9a-zA-Z_]+$"));
    if (!endpointIdPattern.match(target.endpointId).hasMatch())
        return invalid(QStringLiteral("\"%1\" is not an endpoint id (eice-...)").arg(target.endpointId));
    if (target.address.isEmpty())
        return invalid(QStringLiteral("the instance has no private IP address to connect to"));
    if (target.region.isEmpty())
        return invalid(QStringLiteral("no region is known for endpoint %1").arg(target.endpointId));
    if (target.remotePort == 0)
        return invalid(QStringLiteral("no remote port given"));
    if (target.maxTunnelDurationSecs < 0 || target.maxTunnelDurationSecs > MaxTunnelDuration)
        return invalid(QStringLiteral("the maximum tunnel duration must be between 1 and %1 seconds, not %2")
                           .arg(MaxTunnelDuration)
                           .arg(target.maxTunnelDurationSecs));
    if (!credentials.isValid())
        return Error::make(ErrorKind::Credentials, QStringLiteral("No AWS credentials to sign the tunnel request"));
    const auto hostPort = splitDnsName(target.dnsName);
    if (!hostPort)
        return hostPort.error();

    sigv4::Request request;
    request.method = "GET";
    request.path = "/openTunnel";
    request.query = {{"instanceConnectEndpointId", target.endpointId.toUtf8()},
                     {"remotePort", QByteArray::number(target.remotePort)},
                     {"privateIpAddress", target.address.toUtf8()}};
    if (target.maxTunnelDurationSecs > 0)
        request.query.append({"maxTunnelDuration", QByteArray::number(target.maxTunnelDurationSecs)});
    const QByteArray host = target.dnsName.trimmed().toUtf8();
    request.headers = {{"host", host}};
    const sigv4::Scope scope {target.region.toUtf8(), "ec2-instance-connect"};
    const sigv4::Presigned presigned = sigv4::presign(request, credentials, scope, signingTimeUtc, ExpiresSeconds);

    EiceRequest out;
    out.peerName = hostPort->host;
    out.connectHost = connectHostFor(hostPort->host);
    out.port = hostPort->port;
    out.hostHeader = host;
    out.requestTarget = request.path + '?' + presigned.query;
    return out;
}

} // namespace bl
