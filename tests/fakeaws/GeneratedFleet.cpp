// Fleet::generated(): large, deterministic fleets for benchmarks and paging tests. QRandomGenerator with a
// fixed seed yields the same sequence on every platform, so a seed names a fleet.

#include "Fleet.h"
#include "FleetBuilder.h"

#include <QRandomGenerator>

namespace fakeaws {

namespace {

using Os = FleetBuilder::Os;

// Enabled by default first (17), then opt-in regions.
const char* const kRegions[] = {
    "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "eu-west-1",      "eu-west-2",
    "eu-west-3",      "eu-central-1",   "eu-north-1",     "ap-south-1",     "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ca-central-1",   "sa-east-1",      "ap-east-1",
    "af-south-1",     "me-south-1",     "eu-south-1",     "ap-southeast-3", "me-central-1",   "eu-central-2",
};
constexpr int kDefaultRegions = 17;
constexpr int kRegionCount = static_cast<int>(sizeof(kRegions) / sizeof(kRegions[0]));

const char* const kRoles[] = {"web", "api", "worker", "db", "cache", "build", "jenkins", "grafana", "kafka", "etl"};
const char* const kTeams[] = {"web", "api", "data", "platform", "observability", "research"};
const char* const kEnvs[] = {"prod", "staging", "dev", "ci"};
const char* const kOwners[] = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
const char* const kTypes[] = {"t3.micro", "t3.small", "t3.large", "m6i.large", "c6i.xlarge", "r6i.large", "t4g.medium"};

template<typename T, size_t N>
const T& pick(QRandomGenerator& rng, const T (&items)[N])
{
    return items[rng.bounded(static_cast<quint32>(N))];
}

InstanceState randomState(QRandomGenerator& rng)
{
    const quint32 roll = rng.bounded(100u);
    if (roll < 72)
        return InstanceState::Running;
    if (roll < 87)
        return InstanceState::Stopped;
    if (roll < 91)
        return InstanceState::Pending;
    if (roll < 94)
        return InstanceState::Stopping;
    return InstanceState::Terminated;
}

} // namespace

Fleet Fleet::generated(int instanceCount, int regionCount, quint32 seed)
{
    Fleet fleet;
    fleet.addKeyPair(QStringLiteral("demo-windows"), demoWindowsPublicKey());
    FleetBuilder b(fleet, QStringLiteral("generated-%1").arg(seed));
    QRandomGenerator rng(seed);
    // Keep one region back as not-opted-in so AllRegions=true has something to add.
    regionCount = qBound(1, regionCount, kRegionCount - 1);
    QList<FleetBuilder::Network> networks;
    QStringList regionNames;
    for (int r = 0; r < regionCount; ++r) {
        const QString name = QString::fromLatin1(kRegions[r]);
        b.region(name, r < kDefaultRegions ? QStringLiteral("opt-in-not-required") : QStringLiteral("opted-in"));
        regionNames.append(name);
        const FleetBuilder::Network n =
            b.standardVpc(name, QStringLiteral("main"), r, name + QStringLiteral("a"), name + QStringLiteral("b"));
        // Every other region has an endpoint, so both transports get exercised at scale.
        if (r % 2 == 0)
            b.endpoint(n.privateSubnet, {n.eiceGroup});
        networks.append(n);
    }
    b.region(QString::fromLatin1(kRegions[regionCount]), QStringLiteral("not-opted-in"));

    for (int n = 0; n < qMax(0, instanceCount); ++n) {
        const int r = static_cast<int>(rng.bounded(static_cast<quint32>(regionCount)));
        const FleetBuilder::Network& net = networks.at(r);
        const bool isPublic = rng.bounded(100u) < 25;
        const bool windows = rng.bounded(100u) < 12;
        const QString role = windows ? QStringLiteral("win-app") : QString::fromLatin1(pick(rng, kRoles));
        const QString name = QStringLiteral("%1-%2-%3").arg(role, regionNames.at(r)).arg(n + 1);
        const Os os = windows ? Os::Windows2022 : (rng.bounded(2u) ? Os::AmazonLinux2023 : Os::Ubuntu2204);
        Instance i = b.instance(name, isPublic ? net.publicSubnet : net.privateSubnet, os,
                                QString::fromLatin1(pick(rng, kTypes)));
        i.securityGroupIds.append(net.sshFromEice);
        i.tags.append({QStringLiteral("Env"), QString::fromLatin1(pick(rng, kEnvs))});
        i.tags.append({QStringLiteral("Team"), QString::fromLatin1(pick(rng, kTeams))});
        i.tags.append({QStringLiteral("Owner"), QString::fromLatin1(pick(rng, kOwners))});
        i.state = randomState(rng);
        if (isPublic)
            b.givePublicIp(i);
        const quint32 ssmRoll = rng.bounded(100u);
        if (ssmRoll < 60)
            b.giveSsm(i,
                      i.state == InstanceState::Running ? QStringLiteral("Online") : QStringLiteral("ConnectionLost"));
        else if (ssmRoll < 70)
            b.giveSsm(i, QStringLiteral("ConnectionLost"));
        if (windows)
            b.giveWindowsPassword(i, QStringLiteral("demo-windows"), QStringLiteral("Gen-%1-Pw!").arg(n + 1));
        if (i.state == InstanceState::Terminated) {
            i.vpcId.clear();
            i.subnetId.clear();
            i.privateIp.clear();
            i.privateDnsName.clear();
            i.securityGroupIds.clear();
        }
        b.add(i);
    }
    QString error;
    const bool ok = fleet.finish(&error);
    Q_ASSERT_X(ok, "Fleet::generated", qPrintable(error));
    Q_UNUSED(ok);
    return fleet;
}

} // namespace fakeaws
