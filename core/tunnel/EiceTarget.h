#pragma once
// EiceTarget: everything needed to open tunnels to one (instance, port) through one EC2 Instance Connect
// Endpoint. EiceEndpointFinder fills in the endpoint and address; the caller sets the port and duration.

#include <QString>

namespace bl {

struct EiceTarget
{
    QString instanceId; // for messages
    QString endpointId; // eice-...
    QString dnsName; // the endpoint's DnsName (or FipsDnsName), used verbatim as host[:port]
    QString region; // the endpoint's region, for signing
    QString address; // privateIpAddress: the instance's private IPv4, or its IPv6 address
    quint16 remotePort = 22;
    int maxTunnelDurationSecs = 0; // 1..3600; 0: leave it to the service (1 hour)
    QString endpointArn; // for hints; empty: built from region, account and id

    // "eice-... (10.0.1.23:22)"
    QString describe() const
    {
        return QStringLiteral("EC2 Instance Connect Endpoint %1 to %2 port %3")
            .arg(endpointId, address)
            .arg(remotePort);
    }
};

} // namespace bl
