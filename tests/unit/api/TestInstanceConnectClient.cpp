// InstanceConnectClient against fakeaws: a key is pushed for the right instance and user; bad arguments
// and service refusals come back as errors a person can act on.

#include "FakeAwsHarness.h"

#include "core/aws/api/InstanceConnectClient.h"
#include "core/keys/Ed25519KeyPair.h"

#include <QTest>

using namespace bl;
using apitest::await;
using apitest::FakeAwsHarness;

class TestInstanceConnectClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pushesKey();
    void badUserFailsBeforeCalling();
    void stoppedInstanceIsRefused();
};

static QString instanceIn(const fakeaws::Fleet& fleet, fakeaws::InstanceState state)
{
    for (const fakeaws::Instance& i : fleet.instances()) {
        if (i.region == QLatin1String("us-east-1") && i.state == state && !i.isWindows())
            return i.id;
    }
    return {};
}

void TestInstanceConnectClient::pushesKey()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(30, 1, 3));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    const QString id = instanceIn(h.fleet(), fakeaws::InstanceState::Running);
    QVERIFY(!id.isEmpty());
    auto key = Ed25519KeyPair::generate(QStringLiteral("bastionless"));
    QVERIFY(key.ok());
    QObject context;
    InstanceConnectClient eic(h.session());
    auto r = await<void>([&](auto done) {
        eic.sendSshPublicKey(QString(), id, QStringLiteral("ec2-user"), key->publicKeyLine(), QString(), &context,
                             done);
    });
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : r->error().toString()));
    const QStringList pushed = fakeaws::InstanceConnectService::recentKeys(h.fake().pushedKeysDir(), id,
                                                                           QStringLiteral("ec2-user"), h.fake().now());
    QCOMPARE(pushed.size(), 1);
    QCOMPARE(pushed.first(), key->publicKeyLine());
}

void TestInstanceConnectClient::badUserFailsBeforeCalling()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(30, 1, 3));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    auto key = Ed25519KeyPair::generate();
    QVERIFY(key.ok());
    QObject context;
    InstanceConnectClient eic(h.session());
    auto r = await<void>([&](auto done) {
        eic.sendSshPublicKey(QString(), QStringLiteral("i-0123456789abcdef0"), QStringLiteral("root user"),
                             key->publicKeyLine(), QString(), &context, done);
    });
    QVERIFY(r);
    QVERIFY(!r->ok());
    QCOMPARE(r->error().kind, ErrorKind::Usage);
    QCOMPARE(h.fake().faults().totalRequests(), 0);
}

void TestInstanceConnectClient::stoppedInstanceIsRefused()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(40, 1, 3));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    const QString id = instanceIn(h.fleet(), fakeaws::InstanceState::Running);
    QVERIFY(!id.isEmpty());
    QVERIFY(h.fleet().setState(id, fakeaws::InstanceState::Stopped, h.fake().now()));
    auto key = Ed25519KeyPair::generate();
    QVERIFY(key.ok());
    QObject context;
    InstanceConnectClient eic(h.session());
    auto r = await<void>([&](auto done) {
        eic.sendSshPublicKey(QString(), id, QStringLiteral("ec2-user"), key->publicKeyLine(), QString(), &context,
                             done);
    });
    QVERIFY(r);
    QVERIFY(!r->ok());
    QCOMPARE(r->error().awsCode, QStringLiteral("EC2InstanceStateInvalidException"));
}

QTEST_GUILESS_MAIN(TestInstanceConnectClient)
#include "TestInstanceConnectClient.moc"
