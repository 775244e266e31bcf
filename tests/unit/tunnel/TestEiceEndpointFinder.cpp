// EiceEndpointFinder's pure steps (PROTOCOLS.md §5.1): which address, which endpoint, which DNS name.

#include "core/tunnel/EiceEndpointFinder.h"

#include <QTest>

using namespace bl;

namespace {

Instance instance()
{
    Instance i;
    i.id = QStringLiteral("i-0abc");
    i.state = InstanceState::Running;
    i.stateName = QStringLiteral("running");
    i.vpcId = QStringLiteral("vpc-1");
    i.subnetId = QStringLiteral("subnet-b");
    i.privateIp = QStringLiteral("10.0.2.15");
    return i;
}

InstanceConnectEndpoint endpoint(const char* id, const char* vpc, const char* subnet,
                                 const char* state = "create-complete")
{
    InstanceConnectEndpoint e;
    e.id = QString::fromLatin1(id);
    e.vpcId = QString::fromLatin1(vpc);
    e.subnetId = QString::fromLatin1(subnet);
    e.state = QString::fromLatin1(state);
    e.dnsName = e.id + QStringLiteral(".example");
    return e;
}

} // namespace

class TestEiceEndpointFinder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void address()
    {
        Instance i = instance();
        QCOMPARE(EiceEndpointFinder::targetAddress(i).value(), QStringLiteral("10.0.2.15"));
        i.privateIp.clear();
        i.ipv6 = QStringLiteral("2600:1f18::10");
        QCOMPARE(EiceEndpointFinder::targetAddress(i).value(), QStringLiteral("2600:1f18::10"));
        i.ipv6.clear();
        const auto none = EiceEndpointFinder::targetAddress(i);
        QVERIFY(!none.ok());
        QVERIFY(none.error().message.contains(QLatin1String("Unable to find any IP address on instance i-0abc")));
        i.state = InstanceState::Stopped;
        i.stateName = QStringLiteral("stopped");
        QVERIFY(EiceEndpointFinder::targetAddress(i).error().hint.contains(QLatin1String("stopped; start it")));
    }

    void prefersTheInstancesSubnet()
    {
        const auto chosen = EiceEndpointFinder::choose(instance(),
                                                       {endpoint("eice-other-vpc", "vpc-2", "subnet-b"),
                                                        endpoint("eice-a", "vpc-1", "subnet-a"),
                                                        endpoint("eice-b-broken", "vpc-1", "subnet-b", "create-failed"),
                                                        endpoint("eice-b", "vpc-1", "subnet-b", "update-complete")});
        QVERIFY(chosen.ok());
        QCOMPARE(chosen->id, QStringLiteral("eice-b"));
    }

    void fallsBackToTheVpc()
    {
        const auto chosen = EiceEndpointFinder::choose(
            instance(),
            {endpoint("eice-deleting", "vpc-1", "subnet-b", "delete-in-progress"),
             endpoint("eice-a", "vpc-1", "subnet-a"), endpoint("eice-c", "vpc-1", "subnet-c")});
        QVERIFY(chosen.ok());
        QCOMPARE(chosen->id, QStringLiteral("eice-a"));
    }

    void noUsableEndpoint()
    {
        const auto none = EiceEndpointFinder::choose(instance(), {endpoint("eice-x", "vpc-2", "subnet-x")});
        QVERIFY(!none.ok());
        QCOMPARE(none.error().kind, ErrorKind::NotFound);
        QVERIFY(none.error().message.contains(QLatin1String("no available EC2 Instance Connect Endpoints in vpc-1")));
        QVERIFY(none.error().hint.contains(QLatin1String("create-instance-connect-endpoint --subnet-id subnet-b")));
        QVERIFY(none.error().hint.contains(QLatin1String("SSM")));
    }

    void dnsNames()
    {
        InstanceConnectEndpoint e = endpoint("eice-1", "vpc-1", "subnet-b");
        QCOMPARE(EiceEndpointFinder::dnsNameFor(e, false).value(), QStringLiteral("eice-1.example"));
        const auto noFips = EiceEndpointFinder::dnsNameFor(e, true);
        QVERIFY(!noFips.ok());
        QCOMPARE(noFips.error().kind, ErrorKind::Config);
        QVERIFY(noFips.error().message.contains(QLatin1String("no FIPS DNS name")));
        e.fipsDnsName = QStringLiteral("eice-1.fips.example");
        QCOMPARE(EiceEndpointFinder::dnsNameFor(e, true).value(), QStringLiteral("eice-1.fips.example"));
    }

    void usableStatesAreTheClis()
    {
        QCOMPARE(EiceEndpointFinder::usableStates(),
                 QStringList({QStringLiteral("create-complete"), QStringLiteral("update-in-progress"),
                              QStringLiteral("update-failed"), QStringLiteral("update-complete")}));
    }
};

QTEST_GUILESS_MAIN(TestEiceEndpointFinder)
#include "TestEiceEndpointFinder.moc"
