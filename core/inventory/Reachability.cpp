#include "core/inventory/Reachability.h"

namespace bl {

namespace {

QString notRunningReason(const Instance& instance)
{
    switch (instance.state) {
    case InstanceState::Pending:
        return QStringLiteral("Starting: connect once it is running.");
    case InstanceState::Stopping:
        return QStringLiteral("Stopping: start it again once it has stopped.");
    case InstanceState::Stopped:
        return QStringLiteral("Stopped: start the instance to connect.");
    case InstanceState::ShuttingDown:
        return QStringLiteral("Shutting down: the instance is being terminated.");
    case InstanceState::Terminated:
        return QStringLiteral("Terminated: there is nothing to connect to.");
    case InstanceState::Running:
    case InstanceState::Unknown:
        break;
    }
    return QStringLiteral("State '%1' is unknown: refresh, or check the instance in the EC2 console.")
        .arg(instance.stateName.isEmpty() ? QStringLiteral("?") : instance.stateName);
}

// The endpoint the tunnel would use: in the instance's subnet first, else anywhere in its VPC (PROTOCOLS §5.1).
const InstanceConnectEndpoint* usableEndpoint(const Instance& instance, const QList<InstanceConnectEndpoint>& all)
{
    const InstanceConnectEndpoint* inVpc = nullptr;
    for (const InstanceConnectEndpoint& e : all) {
        if (e.vpcId != instance.vpcId || !e.isUsable())
            continue;
        if (e.subnetId == instance.subnetId)
            return &e;
        if (!inVpc)
            inVpc = &e;
    }
    return inVpc;
}

const InstanceConnectEndpoint* unusableEndpoint(const Instance& instance, const QList<InstanceConnectEndpoint>& all)
{
    for (const InstanceConnectEndpoint& e : all) {
        if (e.vpcId == instance.vpcId)
            return &e;
    }
    return nullptr;
}

} // namespace

QStringList Reachability::paths() const
{
    QStringList out;
    if (eice == PathState::Available)
        out << QStringLiteral("EICE");
    if (ssm == PathState::Available)
        out << QStringLiteral("SSM");
    if (publicIp)
        out << QStringLiteral("public IP");
    return out;
}

Reachability assessReachability(const Instance& instance, const RegionFacts& facts)
{
    Reachability r;
    r.running = instance.state == InstanceState::Running;
    r.publicIp = !instance.publicIp.isEmpty();
    const bool hasAddress = !instance.privateIp.isEmpty() || !instance.ipv6.isEmpty() || r.publicIp;

    QString eiceWhy;
    if (instance.vpcId.isEmpty()) {
        r.eice = PathState::Unavailable;
        eiceWhy = QStringLiteral("not in a VPC, so no EC2 Instance Connect Endpoint");
    } else if (facts.endpoints) {
        if (const InstanceConnectEndpoint* e = usableEndpoint(instance, *facts.endpoints)) {
            r.eice = hasAddress ? PathState::Available : PathState::Unavailable;
            r.eiceEndpointId = e->id;
            eiceWhy = QStringLiteral("the endpoint %1 has no address to reach").arg(e->id);
        } else if (const InstanceConnectEndpoint* other = unusableEndpoint(instance, *facts.endpoints)) {
            r.eice = PathState::Unavailable;
            eiceWhy = QStringLiteral("the EC2 Instance Connect Endpoint %1 of %2 is %3")
                          .arg(other->id, instance.vpcId, other->state);
        } else {
            r.eice = PathState::Unavailable;
            eiceWhy = QStringLiteral("no EC2 Instance Connect Endpoint in %1").arg(instance.vpcId);
        }
    } else if (!facts.endpointsError.isEmpty()) {
        eiceWhy = QStringLiteral("EC2 Instance Connect Endpoints could not be listed (%1)").arg(facts.endpointsError);
    } else {
        r.checking = true;
    }

    QString ssmWhy;
    if (facts.ssmAgents) {
        const auto agent = facts.ssmAgents->constFind(instance.id);
        if (agent != facts.ssmAgents->cend()) {
            r.ssmPingStatus = agent->pingStatus;
            r.ssm = agent->isOnline() ? PathState::Available : PathState::Unavailable;
            ssmWhy = QStringLiteral("the SSM agent is %1").arg(agent->pingStatus);
        } else {
            r.ssm = PathState::Unavailable;
            ssmWhy = QStringLiteral("no SSM agent registered");
        }
    } else if (!facts.ssmError.isEmpty()) {
        ssmWhy = QStringLiteral("SSM agents could not be listed (%1)").arg(facts.ssmError);
    } else {
        r.checking = true;
    }
    if (r.hasPath())
        r.checking = false;

    if (!r.running) {
        r.reason = notRunningReason(instance);
        return r;
    }
    if (r.hasPath() || r.checking)
        return r;
    if (!hasAddress) {
        r.reason = QStringLiteral("Not reachable: the instance has no IP address (no private, public or IPv6 "
                                  "address). Check its network interface in the EC2 console.");
        return r;
    }
    QStringList why {eiceWhy, ssmWhy, QStringLiteral("no public IP")};
    QString advice;
    if (r.ssm == PathState::Unavailable && !r.ssmPingStatus.isEmpty())
        advice = QStringLiteral("Check that the SSM agent runs and can reach Systems Manager");
    else
        advice = QStringLiteral("Install the SSM agent with an instance profile that allows Systems Manager");
    if (!instance.vpcId.isEmpty() && r.eice == PathState::Unavailable)
        advice += QStringLiteral(", or create an EC2 Instance Connect Endpoint in %1").arg(instance.vpcId);
    r.reason = QStringLiteral("Not reachable: %1. %2.").arg(why.join(QStringLiteral("; ")), advice);
    return r;
}

} // namespace bl
