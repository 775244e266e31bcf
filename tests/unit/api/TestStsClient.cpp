// StsClient against fakeaws: GetCallerIdentity names the account and principal of the credentials.

#include "FakeAwsHarness.h"

#include "core/aws/api/StsClient.h"

#include <QTest>

using namespace bl;
using apitest::await;
using apitest::FakeAwsHarness;

class TestStsClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void callerIdentity();
};

void TestStsClient::callerIdentity()
{
    FakeAwsHarness h;
    QVERIFY2(h.ok(), qPrintable(h.error()));
    QObject context;
    StsClient sts(h.session());
    auto r = await<CallerIdentity>([&](auto done) { sts.getCallerIdentity(QString(), &context, done); });
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : r->error().toString()));
    QCOMPARE(r->value().account, h.fake().defaultIdentity().accountId);
    QCOMPARE(r->value().arn, h.fake().defaultIdentity().arn);
    QCOMPARE(r->value().userId, h.fake().defaultIdentity().userId);
}

QTEST_GUILESS_MAIN(TestStsClient)
#include "TestStsClient.moc"
