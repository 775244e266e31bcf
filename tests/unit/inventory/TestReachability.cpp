// assessReachability: which ways into an instance are open, and the reason a person reads when none is.

#include "core/inventory/Reachability.h"

#include <QTest>

using namespace bl;

Q_DECLARE_METATYPE(bl::RegionFacts)

class TestReachability : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void assess_data();
    void assess();
    void prefersEndpointInSameSubnet();
};

namespace {

Instance running()
{
    Instance i;
    i.id = QStringLiteral("i-0123456789abcdef0");
    i.state = InstanceState::Running;
    i.stateName = QStringLiteral("running");
    i.vpcId = QStringLiteral("vpc-1");
    i.subnetId = QStringLiteral("subnet-1");
    i.privateIp = QStringLiteral("10.0.0.5");
    return i;
}

InstanceConnectEndpoint endpoint(const QString& vpc, const QString& state, const QString& subnet = {})
{
    InstanceConnectEndpoint e;
    e.id = QStringLiteral("eice-%1").arg(vpc);
    e.vpcId = vpc;
    e.subnetId = subnet.isEmpty() ? QStringLiteral("subnet-x") : subnet;
    e.state = state;
    return e;
}

QHash<QString, InstanceInformation> agent(const QString& id, const QString& ping)
{
    InstanceInformation info;
    info.instanceId = id;
    info.pingStatus = ping;
    return {{id, info}};
}

RegionFacts known(QList<InstanceConnectEndpoint> endpoints, QHash<QString, InstanceInformation> agents = {})
{
    RegionFacts f;
    f.endpoints = std::move(endpoints);
    f.ssmAgents = std::move(agents);
    return f;
}

} // namespace

void TestReachability::assess_data()
{
    QTest::addColumn<Instance>("instance");
    QTest::addColumn<RegionFacts>("facts");
    QTest::addColumn<bool>("reachable");
    QTest::addColumn<QStringList>("paths");
    QTest::addColumn<bool>("checking");
    QTest::addColumn<QStringList>("reasonMentions"); // empty: no reason expected

    const Instance i = running();
    const QString id = i.id;
    QTest::newRow("eice in the vpc") << i
                                     << known({endpoint(QStringLiteral("vpc-1"), QStringLiteral("create-complete"))})
                                     << true << QStringList {QStringLiteral("EICE")} << false << QStringList {};
    QTest::newRow("ssm online") << i << known({}, agent(id, QStringLiteral("Online"))) << true
                                << QStringList {QStringLiteral("SSM")} << false << QStringList {};
    Instance pub = i;
    pub.publicIp = QStringLiteral("203.0.113.9");
    QTest::newRow("public ip only") << pub << known({}) << true << QStringList {QStringLiteral("public IP")} << false
                                    << QStringList {};
    QTest::newRow("all three") << pub
                               << known({endpoint(QStringLiteral("vpc-1"), QStringLiteral("update-complete"))},
                                        agent(id, QStringLiteral("Online")))
                               << true
                               << QStringList {QStringLiteral("EICE"), QStringLiteral("SSM"),
                                               QStringLiteral("public IP")}
                               << false << QStringList {};
    QTest::newRow("endpoint in another vpc, no agent")
        << i << known({endpoint(QStringLiteral("vpc-2"), QStringLiteral("create-complete"))}) << false << QStringList {}
        << false
        << QStringList {QStringLiteral("no EC2 Instance Connect Endpoint in vpc-1"),
                        QStringLiteral("no SSM agent registered"), QStringLiteral("no public IP"),
                        QStringLiteral("create an EC2 Instance Connect Endpoint in vpc-1")};
    QTest::newRow("endpoint still being created")
        << i << known({endpoint(QStringLiteral("vpc-1"), QStringLiteral("create-in-progress"))}) << false
        << QStringList {} << false << QStringList {QStringLiteral("create-in-progress")};
    QTest::newRow("agent lost its connection")
        << i << known({}, agent(id, QStringLiteral("ConnectionLost"))) << false << QStringList {} << false
        << QStringList {QStringLiteral("ConnectionLost"), QStringLiteral("Check that the SSM agent runs")};
    Instance stopped = i;
    stopped.state = InstanceState::Stopped;
    stopped.stateName = QStringLiteral("stopped");
    QTest::newRow("stopped with an endpoint")
        << stopped << known({endpoint(QStringLiteral("vpc-1"), QStringLiteral("create-complete"))}) << false
        << QStringList {QStringLiteral("EICE")} << false << QStringList {QStringLiteral("start the instance")};
    Instance terminated = i;
    terminated.state = InstanceState::Terminated;
    terminated.vpcId.clear();
    terminated.privateIp.clear();
    QTest::newRow("terminated") << terminated << known({}) << false << QStringList {} << false
                                << QStringList {QStringLiteral("Terminated")};
    Instance noIp = i;
    noIp.privateIp.clear();
    QTest::newRow("no address") << noIp << known({endpoint(QStringLiteral("vpc-1"), QStringLiteral("create-complete"))})
                                << false << QStringList {} << false << QStringList {QStringLiteral("no IP address")};
    QTest::newRow("not checked yet") << i << RegionFacts {} << false << QStringList {} << true << QStringList {};
    Instance pubChecking = pub;
    QTest::newRow("public ip while checking") << pubChecking << RegionFacts {} << true
                                              << QStringList {QStringLiteral("public IP")} << false << QStringList {};
    RegionFacts failed;
    failed.endpointsError = QStringLiteral("You are not authorized to perform this operation.");
    failed.ssmAgents = QHash<QString, InstanceInformation> {};
    QTest::newRow("endpoints could not be listed")
        << i << failed << false << QStringList {} << false
        << QStringList {QStringLiteral("could not be listed"), QStringLiteral("not authorized")};
}

void TestReachability::assess()
{
    QFETCH(Instance, instance);
    QFETCH(RegionFacts, facts);
    QFETCH(bool, reachable);
    QFETCH(QStringList, paths);
    QFETCH(bool, checking);
    QFETCH(QStringList, reasonMentions);

    const Reachability r = assessReachability(instance, facts);
    QCOMPARE(r.reachable(), reachable);
    QCOMPARE(r.paths(), paths);
    QCOMPARE(r.checking, checking);
    if (reasonMentions.isEmpty())
        QVERIFY2(r.reason.isEmpty(), qPrintable(r.reason));
    for (const QString& text : reasonMentions)
        QVERIFY2(r.reason.contains(text, Qt::CaseInsensitive), qPrintable(r.reason + QStringLiteral(" / ") + text));
}

void TestReachability::prefersEndpointInSameSubnet()
{
    const Instance i = running();
    const RegionFacts f =
        known({endpoint(QStringLiteral("vpc-1"), QStringLiteral("create-complete"), QStringLiteral("subnet-9")), [] {
                   InstanceConnectEndpoint e =
                       endpoint(QStringLiteral("vpc-1"), QStringLiteral("create-complete"), QStringLiteral("subnet-1"));
                   e.id = QStringLiteral("eice-same-subnet");
                   return e;
               }()});
    QCOMPARE(assessReachability(i, f).eiceEndpointId, QStringLiteral("eice-same-subnet"));
}

QTEST_GUILESS_MAIN(TestReachability)
#include "TestReachability.moc"
