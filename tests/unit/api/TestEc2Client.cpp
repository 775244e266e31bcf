// Ec2Client against fakeaws: every page is followed (also through empty pages and pages capped below
// MaxResults), instances come back with their region and profile, and errors keep their AWS code.

#include "FakeAwsHarness.h"

#include "core/aws/api/Ec2Client.h"

#include <QSet>
#include <QTest>

using namespace bl;
using apitest::await;
using apitest::FakeAwsHarness;

namespace {

QSet<QString> fleetIds(const fakeaws::Fleet& fleet, const QString& region)
{
    QSet<QString> ids;
    for (const fakeaws::Instance& i : fleet.instances()) {
        if (i.region == region)
            ids.insert(i.id);
    }
    return ids;
}

QSet<QString> idsOf(const QList<Instance>& instances)
{
    QSet<QString> ids;
    for (const Instance& i : instances)
        ids.insert(i.id);
    return ids;
}

} // namespace

class TestEc2Client : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void describeInstancesFollowsEveryPage_data();
    void describeInstancesFollowsEveryPage();
    void describeInstancesMapsFields();
    void describeInstancesInOtherRegion();
    void describeInstancesByIdAndFilter();
    void unknownInstanceIdKeepsAwsCode();
    void garbageAnswerIsParseError();
    void throttledPagesAreRetried();
    void truncatedPageFailsTheListing();
    void describeRegions();
    void describeInstanceConnectEndpointsPaged();
    void describeSecurityGroups();
    void getPasswordData();
    void startAndStop();
    void emptyIdListFailsWithoutCalling();

private:
    std::unique_ptr<FakeAwsHarness> m_h;
    std::unique_ptr<QObject> m_context;
};

void TestEc2Client::init()
{
    m_h = std::make_unique<FakeAwsHarness>(fakeaws::Fleet::generated(90, 3, 7));
    QVERIFY2(m_h->ok(), qPrintable(m_h->error()));
    m_context = std::make_unique<QObject>();
}

void TestEc2Client::cleanup()
{
    m_context.reset();
    m_h.reset();
}

void TestEc2Client::describeInstancesFollowsEveryPage_data()
{
    QTest::addColumn<int>("maxPageSize");
    QTest::addColumn<int>("emptyPageEvery");
    QTest::newRow("one page") << 0 << 0;
    QTest::newRow("pages of 7") << 7 << 0;
    QTest::newRow("pages of 7, every 2nd empty") << 7 << 2;
    QTest::newRow("pages of 1, every 3rd empty") << 1 << 3;
    QTest::newRow("pages of 4, every 2nd empty") << 4 << 2;
}

void TestEc2Client::describeInstancesFollowsEveryPage()
{
    QFETCH(int, maxPageSize);
    QFETCH(int, emptyPageEvery);
    m_h->fleet().setPaging({maxPageSize, emptyPageEvery});
    const QSet<QString> expected = fleetIds(m_h->fleet(), QStringLiteral("us-east-1"));
    QVERIFY(expected.size() > 10);

    Ec2Client ec2(m_h->session());
    auto r =
        await<QList<Instance>>([&](auto done) { ec2.describeInstances(QString(), {}, {}, m_context.get(), done); });
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : r->error().toString()));
    QCOMPARE(r->value().size(), expected.size()); // no duplicates, nothing missing
    QCOMPARE(idsOf(r->value()), expected);
    if (maxPageSize > 0)
        QVERIFY(m_h->requests("DescribeInstances") >= expected.size() / maxPageSize);
    else
        QCOMPARE(m_h->requests("DescribeInstances"), 1);
}

void TestEc2Client::describeInstancesMapsFields()
{
    Ec2Client ec2(m_h->session());
    auto r =
        await<QList<Instance>>([&](auto done) { ec2.describeInstances(QString(), {}, {}, m_context.get(), done); });
    QVERIFY(r && r->ok());
    int windows = 0;
    for (const Instance& i : r->value()) {
        const fakeaws::Instance* f = m_h->fleet().instance(i.id);
        QVERIFY(f);
        QCOMPARE(i.region, QStringLiteral("us-east-1"));
        QCOMPARE(i.profile, QStringLiteral("default"));
        QCOMPARE(i.name, f->name());
        QCOMPARE(i.stateName, fakeaws::instanceStateName(f->state));
        QCOMPARE(i.stateCode, fakeaws::instanceStateCode(f->state)); // high byte masked off
        QCOMPARE(i.type, f->instanceType);
        QCOMPARE(i.privateIp, f->privateIp);
        QCOMPARE(i.vpcId, f->vpcId);
        QCOMPARE(i.subnetId, f->subnetId);
        QCOMPARE(i.availabilityZone, f->availabilityZone);
        QCOMPARE(i.isWindows(), f->isWindows());
        QCOMPARE(i.tags.size(), f->tags.size());
        QCOMPARE(i.securityGroups.size(), f->securityGroupIds.size());
        windows += i.isWindows() ? 1 : 0;
    }
    QVERIFY(windows > 0);
}

void TestEc2Client::describeInstancesInOtherRegion()
{
    Ec2Client ec2(m_h->session());
    auto r = await<QList<Instance>>(
        [&](auto done) { ec2.describeInstances(QStringLiteral("us-west-1"), {}, {}, m_context.get(), done); });
    QVERIFY(r && r->ok());
    QCOMPARE(idsOf(r->value()), fleetIds(m_h->fleet(), QStringLiteral("us-west-1")));
    for (const Instance& i : r->value())
        QCOMPARE(i.region, QStringLiteral("us-west-1"));
}

void TestEc2Client::describeInstancesByIdAndFilter()
{
    QString target;
    for (const fakeaws::Instance& i : m_h->fleet().instances()) {
        if (i.region == QLatin1String("us-east-1") && i.state == fakeaws::InstanceState::Running)
            target = i.id;
    }
    QVERIFY(!target.isEmpty());
    Ec2Client ec2(m_h->session());
    auto byId = await<QList<Instance>>(
        [&](auto done) { ec2.describeInstances(QString(), {}, {target}, m_context.get(), done); });
    QVERIFY(byId && byId->ok());
    QCOMPARE(byId->value().size(), 1);
    QCOMPARE(byId->value().first().id, target);

    m_h->fleet().setPaging({3, 2});
    auto running = await<QList<Instance>>([&](auto done) {
        ec2.describeInstances(QString(), {{QStringLiteral("instance-state-name"), {QStringLiteral("running")}}}, {},
                              m_context.get(), done);
    });
    QVERIFY(running && running->ok());
    QVERIFY(!running->value().isEmpty());
    for (const Instance& i : running->value())
        QCOMPARE(i.state, InstanceState::Running);
}

void TestEc2Client::unknownInstanceIdKeepsAwsCode()
{
    Ec2Client ec2(m_h->session());
    auto r = await<QList<Instance>>([&](auto done) {
        ec2.describeInstances(QString(), {}, {QStringLiteral("i-0000000000000dead")}, m_context.get(), done);
    });
    QVERIFY(r);
    QVERIFY(!r->ok());
    QCOMPARE(r->error().awsCode, QStringLiteral("InvalidInstanceID.NotFound"));
    QVERIFY(!r->error().requestId.isEmpty());
}

void TestEc2Client::garbageAnswerIsParseError()
{
    m_h->fake().faults().failNext(1, fakeaws::FaultInjector::Fault::TruncatedBody, QStringLiteral("DescribeRegions"));
    Ec2Client ec2(m_h->session());
    auto r = await<QList<Region>>([&](auto done) { ec2.describeRegions(QString(), false, m_context.get(), done); });
    QVERIFY(r);
    QVERIFY(!r->ok());
    QCOMPARE(r->error().kind, ErrorKind::Parse);
    QVERIFY(r->error().message.contains(QLatin1String("DescribeRegions")));
    QVERIFY(!r->error().requestId.isEmpty());
}

void TestEc2Client::throttledPagesAreRetried()
{
    m_h->fleet().setPaging({10, 0});
    m_h->fake().faults().throttleNext(2, QStringLiteral("DescribeInstances"));
    Ec2Client ec2(m_h->session());
    auto r =
        await<QList<Instance>>([&](auto done) { ec2.describeInstances(QString(), {}, {}, m_context.get(), done); });
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : r->error().toString()));
    QCOMPARE(idsOf(r->value()), fleetIds(m_h->fleet(), QStringLiteral("us-east-1")));
}

void TestEc2Client::truncatedPageFailsTheListing()
{
    m_h->fleet().setPaging({10, 0});
    m_h->fake().faults().failNext(1, fakeaws::FaultInjector::Fault::TruncatedBody, QStringLiteral("DescribeInstances"));
    Ec2Client ec2(m_h->session());
    auto r =
        await<QList<Instance>>([&](auto done) { ec2.describeInstances(QString(), {}, {}, m_context.get(), done); });
    QVERIFY(r);
    QVERIFY(!r->ok()); // never a silently short list
    QCOMPARE(r->error().kind, ErrorKind::Parse);
    QVERIFY(r->error().message.contains(QLatin1String("DescribeInstances")));
}

void TestEc2Client::describeRegions()
{
    Ec2Client ec2(m_h->session());
    auto enabled =
        await<QList<Region>>([&](auto done) { ec2.describeRegions(QString(), false, m_context.get(), done); });
    QVERIFY(enabled && enabled->ok());
    QStringList names;
    for (const Region& r : enabled->value())
        names.append(r.name);
    QStringList expected;
    for (const fakeaws::Region& r : m_h->fleet().regions()) {
        if (r.isEnabled())
            expected.append(r.name);
    }
    names.sort();
    expected.sort();
    QCOMPARE(names, expected);

    auto all = await<QList<Region>>([&](auto done) { ec2.describeRegions(QString(), true, m_context.get(), done); });
    QVERIFY(all && all->ok());
    QCOMPARE(all->value().size(), m_h->fleet().regions().size());
    QVERIFY(std::any_of(all->value().cbegin(), all->value().cend(), [](const Region& r) { return !r.isEnabled(); }));
}

void TestEc2Client::describeInstanceConnectEndpointsPaged()
{
    m_h->fleet().setPaging({1, 2});
    Ec2Client ec2(m_h->session());
    auto r = await<QList<InstanceConnectEndpoint>>(
        [&](auto done) { ec2.describeInstanceConnectEndpoints(QString(), {}, {}, m_context.get(), done); });
    QVERIFY(r && r->ok());
    int expected = 0;
    for (const fakeaws::InstanceConnectEndpoint& e : m_h->fleet().endpoints()) {
        if (m_h->fleet().regionOfSubnet(e.subnetId) == QLatin1String("us-east-1"))
            ++expected;
    }
    QVERIFY(expected > 0);
    QCOMPARE(r->value().size(), expected);
    for (const InstanceConnectEndpoint& e : r->value()) {
        const fakeaws::InstanceConnectEndpoint* f = m_h->fleet().endpoint(e.id);
        QVERIFY(f);
        QCOMPARE(e.dnsName, f->dnsName);
        QCOMPARE(e.subnetId, f->subnetId);
        QCOMPARE(e.vpcId, f->vpcId);
    }
}

void TestEc2Client::describeSecurityGroups()
{
    Ec2Client ec2(m_h->session());
    auto all = await<QList<SecurityGroup>>(
        [&](auto done) { ec2.describeSecurityGroups(QString(), {}, {}, m_context.get(), done); });
    QVERIFY(all && all->ok());
    QVERIFY(!all->value().isEmpty());
    const SecurityGroup& first = all->value().first();
    const fakeaws::SecurityGroup* f = m_h->fleet().securityGroup(first.id);
    QVERIFY(f);
    QCOMPARE(first.name, f->name);
    QCOMPARE(first.ingress.size(), f->ingress.size());
    QCOMPARE(first.egress.size(), f->egress.size());

    auto one = await<QList<SecurityGroup>>(
        [&](auto done) { ec2.describeSecurityGroups(QString(), {first.id}, {}, m_context.get(), done); });
    QVERIFY(one && one->ok());
    QCOMPARE(one->value().size(), 1);
    QCOMPARE(one->value().first().id, first.id);
}

void TestEc2Client::getPasswordData()
{
    QString windows;
    for (const fakeaws::Instance& i : m_h->fleet().instances()) {
        if (i.isWindows() && i.region == QLatin1String("us-east-1") && !i.passwordData.isEmpty()
            && !i.passwordReadyAt.isValid())
            windows = i.id;
    }
    if (windows.isEmpty())
        QSKIP("the generated fleet has no ready Windows instance in us-east-1");
    Ec2Client ec2(m_h->session());
    auto r = await<PasswordData>([&](auto done) { ec2.getPasswordData(QString(), windows, m_context.get(), done); });
    QVERIFY(r && r->ok());
    QCOMPARE(r->value().instanceId, windows);
    QVERIFY(r->value().isReady());
    const auto blob =
        QByteArray::fromBase64Encoding(r->value().encryptedBase64, QByteArray::AbortOnBase64DecodingErrors);
    QVERIFY(blob);
    QCOMPARE(blob.decoded.size(), 256); // RSA-2048 ciphertext
}

void TestEc2Client::startAndStop()
{
    QString running;
    for (const fakeaws::Instance& i : m_h->fleet().instances()) {
        if (i.region == QLatin1String("us-east-1") && i.state == fakeaws::InstanceState::Running)
            running = i.id;
    }
    QVERIFY(!running.isEmpty());
    Ec2Client ec2(m_h->session());
    auto stop = await<QList<InstanceStateChange>>(
        [&](auto done) { ec2.stopInstances(QString(), {running}, false, m_context.get(), done); });
    QVERIFY(stop && stop->ok());
    QCOMPARE(stop->value().size(), 1);
    QCOMPARE(stop->value().first().instanceId, running);
    QCOMPARE(stop->value().first().previous, InstanceState::Running);
    QCOMPARE(stop->value().first().current, InstanceState::Stopping);

    m_h->fleet().setState(running, fakeaws::InstanceState::Stopped, m_h->fake().now());
    auto start = await<QList<InstanceStateChange>>(
        [&](auto done) { ec2.startInstances(QString(), {running}, m_context.get(), done); });
    QVERIFY(start && start->ok());
    QCOMPARE(start->value().first().previous, InstanceState::Stopped);
    QCOMPARE(start->value().first().current, InstanceState::Pending);
}

void TestEc2Client::emptyIdListFailsWithoutCalling()
{
    Ec2Client ec2(m_h->session());
    auto r =
        await<QList<InstanceStateChange>>([&](auto done) { ec2.startInstances(QString(), {}, m_context.get(), done); });
    QVERIFY(r);
    QVERIFY(!r->ok());
    QCOMPARE(r->error().kind, ErrorKind::Usage);
    QCOMPARE(m_h->fake().faults().totalRequests(), 0);
}

QTEST_GUILESS_MAIN(TestEc2Client)
#include "TestEc2Client.moc"
