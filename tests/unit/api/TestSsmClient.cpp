// SsmClient against fakeaws: DescribeInstanceInformation through every page, and more instance ids than one
// filter may carry.

#include "FakeAwsHarness.h"

#include "core/aws/api/SsmClient.h"

#include <QSet>
#include <QTest>

using namespace bl;
using apitest::await;
using apitest::FakeAwsHarness;

class TestSsmClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void allManagedInstances();
    void manyInstanceIds();
    void pingStatusFilter();
};

static QSet<QString> managedIn(const fakeaws::Fleet& fleet, const QString& region)
{
    QSet<QString> ids;
    for (const fakeaws::Instance& i : fleet.instances()) {
        // A terminated instance's agent is gone for good; SSM stops listing it.
        if (i.region == region && i.ssm.isRegistered() && i.state != fakeaws::InstanceState::Terminated)
            ids.insert(i.id);
    }
    return ids;
}

void TestSsmClient::allManagedInstances()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(160, 1, 11));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    h.fleet().setPaging({0, 2}); // every second page empty, still with a token
    QObject context;
    SsmClient ssm(h.session());
    auto r = await<QList<InstanceInformation>>(
        [&](auto done) { ssm.describeInstanceInformation(QString(), {}, {}, &context, done); });
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : r->error().toString()));
    const QSet<QString> expected = managedIn(h.fleet(), QStringLiteral("us-east-1"));
    QVERIFY(expected.size() > 50); // more than one page of 50
    QSet<QString> got;
    for (const InstanceInformation& i : r->value()) {
        got.insert(i.instanceId);
        const fakeaws::Instance* f = h.fleet().instance(i.instanceId);
        QVERIFY(f);
        QCOMPARE(i.agentVersion, f->ssm.agentVersion);
        QCOMPARE(i.platformType, f->ssm.platformType);
    }
    QCOMPARE(got.size(), r->value().size());
    QCOMPARE(got, expected);
    QVERIFY(h.requests("DescribeInstanceInformation") >= 3);
}

void TestSsmClient::manyInstanceIds()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(160, 1, 11));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    QStringList ids;
    for (const fakeaws::Instance& i : h.fleet().instances())
        ids.append(i.id);
    QVERIFY(ids.size() > 100);
    QObject context;
    SsmClient ssm(h.session());
    auto r = await<QList<InstanceInformation>>(
        [&](auto done) { ssm.describeInstanceInformation(QString(), ids, {}, &context, done); });
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : r->error().toString()));
    QSet<QString> got;
    for (const InstanceInformation& i : r->value())
        got.insert(i.instanceId);
    QCOMPARE(got, managedIn(h.fleet(), QStringLiteral("us-east-1")));
}

void TestSsmClient::pingStatusFilter()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(80, 1, 5));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    QObject context;
    SsmClient ssm(h.session());
    auto r = await<QList<InstanceInformation>>([&](auto done) {
        ssm.describeInstanceInformation(QString(), {}, {{QStringLiteral("PingStatus"), {QStringLiteral("Online")}}},
                                        &context, done);
    });
    QVERIFY(r && r->ok());
    QVERIFY(!r->value().isEmpty());
    for (const InstanceInformation& i : r->value())
        QVERIFY(i.isOnline());
}

QTEST_GUILESS_MAIN(TestSsmClient)
#include "TestSsmClient.moc"
