#pragma once
// Whether an instance can be reached right now, and if not, why — computed from data only: the instance's
// state and addresses, the EC2 Instance Connect Endpoints of its region and the SSM agents that report in.
// No probing: the answer is what a person could work out from the console, spelled out for them.

#include "core/aws/api/Types.h"

#include <QHash>

#include <optional>

namespace bl {

// What one region says about the ways into its instances. An absent list is not known: either not asked
// yet (error empty) or the call failed (error says why).
struct RegionFacts
{
    std::optional<QList<InstanceConnectEndpoint>> endpoints;
    QString endpointsError;
    std::optional<QHash<QString, InstanceInformation>> ssmAgents; // by instance id
    QString ssmError;
};

enum class PathState { Unknown, Available, Unavailable };

struct Reachability
{
    bool running = false;
    PathState eice = PathState::Unknown;
    PathState ssm = PathState::Unknown;
    bool publicIp = false;
    QString eiceEndpointId; // the usable endpoint in the instance's VPC
    QString ssmPingStatus; // Online | ConnectionLost | Inactive; empty: no agent registered (or not known)
    bool checking = false; // a path is unknown because its check has not answered yet
    QString reason; // why it cannot be reached now, and what to do; empty when it can (or while checking)

    bool hasPath() const { return eice == PathState::Available || ssm == PathState::Available || publicIp; }
    bool reachable() const { return running && hasPath(); }
    // "EICE", "SSM", "public IP" — the paths that are available, in that order.
    QStringList paths() const;
    bool operator==(const Reachability&) const = default;
};

Reachability assessReachability(const Instance& instance, const RegionFacts& facts);

} // namespace bl
