#include "core/tunnel/EiceEndpointFinder.h"

#include "core/aws/api/Ec2Client.h"
#include "core/aws/credentials/PostResult.h"

namespace bl {

namespace {

QString alternatives()
{
    return QStringLiteral("connect through SSM, or directly when this computer reaches the instance's address");
}

} // namespace

EiceEndpointFinder::EiceEndpointFinder(Ec2Client& ec2)
    : m_ec2(ec2)
{ }

QStringList EiceEndpointFinder::usableStates()
{
    return {QStringLiteral("create-complete"), QStringLiteral("update-in-progress"), QStringLiteral("update-failed"),
            QStringLiteral("update-complete")};
}

Result<QString> EiceEndpointFinder::targetAddress(const Instance& instance)
{
    if (!instance.privateIp.isEmpty())
        return instance.privateIp;
    if (!instance.ipv6.isEmpty())
        return instance.ipv6;
    return Error::make(ErrorKind::NotFound,
                       QStringLiteral("Unable to find any IP address on instance %1 to connect to").arg(instance.id),
                       instance.state == InstanceState::Running
                           ? QStringLiteral("The instance has neither a private IPv4 nor an IPv6 address.")
                           : QStringLiteral("The instance is %1; start it first.").arg(instance.stateName));
}

Result<InstanceConnectEndpoint> EiceEndpointFinder::choose(const Instance& instance,
                                                           const QList<InstanceConnectEndpoint>& endpoints)
{
    const InstanceConnectEndpoint* inVpc = nullptr;
    for (const InstanceConnectEndpoint& e : endpoints) {
        if (!e.isUsable() || e.vpcId != instance.vpcId)
            continue;
        if (e.subnetId == instance.subnetId)
            return e;
        if (!inVpc)
            inVpc = &e;
    }
    if (inVpc)
        return *inVpc;
    return Error::make(
        ErrorKind::NotFound,
        QStringLiteral("There are no available EC2 Instance Connect Endpoints in %1 (instance %2)")
            .arg(instance.vpcId.isEmpty() ? QStringLiteral("the instance's VPC") : instance.vpcId, instance.id),
        QStringLiteral("Create one (aws ec2 create-instance-connect-endpoint --subnet-id %1), or %2.")
            .arg(instance.subnetId.isEmpty() ? QStringLiteral("<subnet>") : instance.subnetId, alternatives()));
}

Result<QString> EiceEndpointFinder::dnsNameFor(const InstanceConnectEndpoint& endpoint, bool fips)
{
    const QString name = fips ? endpoint.fipsDnsName : endpoint.dnsName;
    if (!name.isEmpty())
        return name;
    if (fips) {
        return Error::make(ErrorKind::Config,
                           QStringLiteral("FIPS endpoints are configured, but EC2 Instance Connect Endpoint %1 has no "
                                          "FIPS DNS name")
                               .arg(endpoint.id),
                           QStringLiteral("Unset AWS_USE_FIPS_ENDPOINT / use_fips_endpoint for this connection, or %1.")
                               .arg(alternatives()));
    }
    return Error::make(ErrorKind::Parse,
                       QStringLiteral("EC2 Instance Connect Endpoint %1 has no DNS name").arg(endpoint.id));
}

void EiceEndpointFinder::find(const Instance& instance, const EiceFindOptions& options, QObject* context,
                              Callback<EiceTarget> done)
{
    EiceTarget target;
    target.instanceId = instance.id;
    target.region = !options.region.isEmpty() ? options.region
        : !instance.region.isEmpty()          ? instance.region
                                              : m_ec2.session().defaultRegion();
    const auto address = targetAddress(instance);
    if (!address) {
        postResult<EiceTarget>(context, std::move(done), address.error());
        return;
    }
    target.address = address.value();
    if (!options.endpointId.isEmpty() && !options.dnsName.isEmpty()) {
        target.endpointId = options.endpointId;
        target.dnsName = options.dnsName;
        postResult<EiceTarget>(context, std::move(done), target);
        return;
    }
    if (options.endpointId.isEmpty() && instance.vpcId.isEmpty()) {
        postResult<EiceTarget>(context, std::move(done),
                               Error::make(ErrorKind::NotFound,
                                           QStringLiteral("Instance %1 is not in a VPC, so no EC2 Instance Connect "
                                                          "Endpoint can reach it")
                                               .arg(instance.id),
                                           QStringLiteral("Use SSM or a direct connection.")));
        return;
    }
    const bool fips = options.fips.value_or(m_ec2.session().fips());
    QList<Ec2Filter> filters {{QStringLiteral("state"), usableStates()}};
    QStringList ids;
    if (options.endpointId.isEmpty())
        filters.append({QStringLiteral("vpc-id"), {instance.vpcId}});
    else
        ids.append(options.endpointId);

    m_ec2.describeInstanceConnectEndpoints(
        target.region, filters, ids, context,
        [instance, options, fips, target, done](Result<QList<InstanceConnectEndpoint>> listed) mutable {
            if (!listed) {
                done(listed.error());
                return;
            }
            Result<InstanceConnectEndpoint> chosen = Error();
            if (options.endpointId.isEmpty()) {
                chosen = choose(instance, listed.value());
            } else {
                chosen = Error::make(
                    ErrorKind::NotFound,
                    QStringLiteral("EC2 Instance Connect Endpoint %1 is not available").arg(options.endpointId),
                    QStringLiteral("Check the id and that the endpoint is in state create-complete "
                                   "in region %1.")
                        .arg(target.region));
                for (const InstanceConnectEndpoint& e : listed.value()) {
                    if (e.id == options.endpointId && e.isUsable())
                        chosen = e;
                }
            }
            if (!chosen) {
                done(chosen.error());
                return;
            }
            const auto dns =
                options.dnsName.isEmpty() ? dnsNameFor(chosen.value(), fips) : Result<QString>(options.dnsName);
            if (!dns) {
                done(dns.error());
                return;
            }
            target.endpointId = chosen->id;
            target.dnsName = dns.value();
            done(target);
        });
}

} // namespace bl
