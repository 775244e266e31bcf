// EiceEndpointFinder against the fakeaws emulator's DescribeInstanceConnectEndpoints, with awkward paging (one
// endpoint per page, empty pages in between): the subnet's endpoint first, then the VPC's, FIPS names, a VPC
// without an endpoint, a named endpoint, and no call at all when the endpoint id and DNS name are both given.

#include "tests/fakeaws/FakeAws.h"
#include "tests/fakeaws/FleetBuilder.h"

#include "core/aws/api/Ec2Client.h"
#include "core/aws/credentials/StaticProvider.h"
#include "core/tunnel/EiceEndpointFinder.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace bl;

namespace {

struct World
{
    fakeaws::Fleet fleet;
    QString privateEndpoint, publicEndpoint;
    QString inPrivate, inPublic, inBareVpc;
};

World makeWorld()
{
    World w;
    fakeaws::FleetBuilder b(w.fleet, QStringLiteral("tunnel"));
    const QString r = QStringLiteral("us-east-1");
    b.region(r);
    const auto net =
        b.standardVpc(r, QStringLiteral("app"), 1, QStringLiteral("us-east-1a"), QStringLiteral("us-east-1b"));
    // Listed first, so "the first one in the VPC" would pick it: the subnet match must win.
    w.publicEndpoint = b.endpoint(net.publicSubnet, {net.eiceGroup});
    w.privateEndpoint = b.endpoint(net.privateSubnet, {net.eiceGroup}, false, true);
    const auto bare =
        b.standardVpc(r, QStringLiteral("bare"), 2, QStringLiteral("us-east-1a"), QStringLiteral("us-east-1a"));
    b.endpoint(bare.privateSubnet, {bare.eiceGroup}, false, false, QStringLiteral("create-in-progress"));
    const auto os = fakeaws::FleetBuilder::Os::AmazonLinux2023;
    fakeaws::Instance a = b.instance(QStringLiteral("private"), net.privateSubnet, os, QStringLiteral("t3.micro"));
    fakeaws::Instance p = b.instance(QStringLiteral("public"), net.publicSubnet, os, QStringLiteral("t3.micro"));
    fakeaws::Instance c = b.instance(QStringLiteral("bare"), bare.privateSubnet, os, QStringLiteral("t3.micro"));
    // A private instance in another subnet of the VPC than either endpoint.
    w.inPrivate = a.id;
    w.inPublic = p.id;
    w.inBareVpc = c.id;
    b.add(a);
    b.add(p);
    b.add(c);
    w.fleet.setPaging({1, 2});
    QString error;
    if (!w.fleet.finish(&error))
        qWarning("fleet: %s", qPrintable(error));
    return w;
}

} // namespace

class TestEiceEndpointFinderFakeAws : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_world = makeWorld();
        fakeaws::FakeAwsOptions options;
        options.fleet = m_world.fleet;
        m_fake = std::make_unique<fakeaws::FakeAws>(options);
        const auto started = m_fake->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().toString()));
        const QProcessEnvironment env = m_fake->clientEnvironment();
        auto config = AwsConfig::load(env);
        QVERIFY(config.ok());
        m_http = std::make_unique<AwsHttpClient>(HttpSettings::fromEnvironment(env), m_clock, m_skew);
        m_session = std::make_unique<AwsSession>(
            config.value(), QStringLiteral("default"), QStringLiteral("us-east-1"), env, *m_http,
            std::make_unique<StaticProvider>(m_fake->defaultCredentials(), QStringLiteral("fakeaws")));
        m_ec2 = std::make_unique<Ec2Client>(*m_session);
    }

    void subnetFirst()
    {
        const auto t = find(m_world.inPrivate);
        QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().toString()));
        QCOMPARE(t->endpointId, m_world.privateEndpoint);
        QCOMPARE(t->dnsName, described(m_world.privateEndpoint).dnsName); // whatever the emulator advertises
        QVERIFY(!t->dnsName.isEmpty());
        QCOMPARE(t->address, m_world.fleet.instance(m_world.inPrivate)->privateIp);
        QCOMPARE(t->region, QStringLiteral("us-east-1"));
        QCOMPARE(t->instanceId, m_world.inPrivate);
        // One endpoint per page and empty pages: several calls.
        QVERIFY(m_fake->faults().requestCount(QStringLiteral("DescribeInstanceConnectEndpoints")) >= 2);

        const auto other = find(m_world.inPublic);
        QVERIFY(other.ok());
        QCOMPARE(other->endpointId, m_world.publicEndpoint);
    }

    void fipsNames()
    {
        EiceFindOptions fips;
        fips.fips = true;
        const auto t = find(m_world.inPrivate, fips);
        QVERIFY(t.ok());
        QCOMPARE(t->dnsName, described(m_world.privateEndpoint).fipsDnsName);
        QVERIFY(t->dnsName != described(m_world.privateEndpoint).dnsName);
        const auto none = find(m_world.inPublic, fips);
        QVERIFY(!none.ok());
        QVERIFY(none.error().message.contains(QLatin1String("no FIPS DNS name")));
    }

    void vpcWithoutAUsableEndpoint()
    {
        const auto t = find(m_world.inBareVpc);
        QVERIFY(!t.ok());
        QCOMPARE(t.error().kind, ErrorKind::NotFound);
        QVERIFY(t.error().message.contains(m_world.fleet.instance(m_world.inBareVpc)->vpcId));
    }

    void namedEndpoint()
    {
        EiceFindOptions named;
        named.endpointId = m_world.privateEndpoint;
        const auto t = find(m_world.inPublic, named);
        QVERIFY(t.ok());
        QCOMPARE(t->endpointId, m_world.privateEndpoint);

        named.endpointId = QStringLiteral("eice-0000000000000dead");
        const auto missing = find(m_world.inPublic, named);
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.contains(QLatin1String("eice-0000000000000dead"))
                     || !missing.error().awsCode.isEmpty(),
                 qPrintable(missing.error().toString()));
    }

    void noCallsWhenEverythingIsGiven()
    {
        const qint64 before = m_fake->faults().requestCount(QStringLiteral("DescribeInstanceConnectEndpoints"));
        EiceFindOptions given;
        given.endpointId = QStringLiteral("eice-0123");
        given.dnsName = QStringLiteral("eice-0123.example:4443");
        const auto t = find(m_world.inPrivate, given);
        QVERIFY(t.ok());
        QCOMPARE(t->dnsName, given.dnsName);
        QCOMPARE(m_fake->faults().requestCount(QStringLiteral("DescribeInstanceConnectEndpoints")), before);
    }

private:
    // The endpoint as DescribeInstanceConnectEndpoints shows it.
    InstanceConnectEndpoint described(const QString& id)
    {
        auto out = std::make_shared<std::optional<Result<QList<InstanceConnectEndpoint>>>>();
        m_ec2->describeInstanceConnectEndpoints({}, {}, {id}, this,
                                                [out](Result<QList<InstanceConnectEndpoint>> r) { out->emplace(r); });
        if (!QTest::qWaitFor([&] { return out->has_value(); }, 20000) || !out->value().ok()
            || out->value().value().isEmpty())
            return {};
        return out->value().value().first();
    }

    Result<EiceTarget> find(const QString& instanceId, const EiceFindOptions& options = {})
    {
        auto instances = std::make_shared<std::optional<Result<QList<Instance>>>>();
        m_ec2->describeInstances({}, {}, {instanceId}, this,
                                 [instances](Result<QList<Instance>> r) { instances->emplace(std::move(r)); });
        if (!QTest::qWaitFor([&] { return instances->has_value(); }, 20000) || !instances->value().ok()
            || instances->value().value().size() != 1)
            return Error::make(ErrorKind::Internal, QStringLiteral("DescribeInstances did not work"));
        auto out = std::make_shared<std::optional<Result<EiceTarget>>>();
        EiceEndpointFinder finder(*m_ec2);
        finder.find(instances->value().value().first(), options, this,
                    [out](Result<EiceTarget> r) { out->emplace(std::move(r)); });
        if (out->has_value())
            return Error::make(ErrorKind::Internal, QStringLiteral("the callback ran synchronously"));
        if (!QTest::qWaitFor([&] { return out->has_value(); }, 20000))
            return Error::make(ErrorKind::Timeout, QStringLiteral("no answer"));
        return out->value();
    }

    World m_world;
    SystemClock m_clock;
    ClockSkew m_skew;
    std::unique_ptr<fakeaws::FakeAws> m_fake;
    std::unique_ptr<AwsHttpClient> m_http;
    std::unique_ptr<AwsSession> m_session;
    std::unique_ptr<Ec2Client> m_ec2;
};

QTEST_GUILESS_MAIN(TestEiceEndpointFinderFakeAws)
#include "TestEiceEndpointFinderFakeAws.moc"
