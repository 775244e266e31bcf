#pragma once
// EiceEndpointFinder: which EC2 Instance Connect Endpoint reaches an instance, the way the AWS CLI decides
// (PROTOCOLS.md §5.1): the target address is the private IPv4, else the IPv6 address; endpoints in a usable
// state in the instance's VPC are listed (every page), one in the instance's subnet is preferred, then any in
// the VPC; with FIPS configured the FIPS DNS name is used (an error when the endpoint has none). A named
// endpoint is looked up by id, and a named endpoint with its DNS name needs no call at all.

#include "core/aws/api/Types.h"
#include "core/tunnel/EiceTarget.h"
#include "core/util/Result.h"

#include <QObject>

#include <optional>

namespace bl {

class Ec2Client;

struct EiceFindOptions
{
    QString region; // empty: the instance's region, else the session's default
    std::optional<bool> fips; // empty: as the session is configured (AWS_USE_FIPS_ENDPOINT / use_fips_endpoint)
    QString endpointId; // use this endpoint instead of searching
    QString dnsName; // with endpointId: skip every lookup
};

class EiceEndpointFinder
{
public:
    explicit EiceEndpointFinder(Ec2Client& ec2);

    // Delivers a target with instanceId, endpointId, dnsName, region and address filled in (the caller sets
    // remotePort and maxTunnelDurationSecs). The callback runs once, from the event loop, unless context died.
    void find(const Instance& instance, const EiceFindOptions& options, QObject* context, Callback<EiceTarget> done);

    // The pure steps, exposed for tests.
    static Result<QString> targetAddress(const Instance& instance);
    static Result<InstanceConnectEndpoint> choose(const Instance& instance,
                                                  const QList<InstanceConnectEndpoint>& endpoints);
    static Result<QString> dnsNameFor(const InstanceConnectEndpoint& endpoint, bool fips);
    static QStringList usableStates();

private:
    Ec2Client& m_ec2;
};

} // namespace bl
