// StsProtocol: GetCallerIdentity request and answer.

#include "Fixtures.h"

#include "core/aws/api/StsProtocol.h"

#include <QTest>

using namespace bl;
using apitest::fixture;

class TestStsProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void request();
    void parse();
    void broken_data();
    void broken();
};

void TestStsProtocol::request()
{
    const AwsRequest r = StsProtocol::getCallerIdentity();
    QCOMPARE(r.body, QByteArray("Action=GetCallerIdentity&Version=2011-06-15"));
    QCOMPARE(r.signingName, QStringLiteral("sts"));
    QCOMPARE(r.protocol, AwsProtocol::Query);
    QCOMPARE(r.iamAction, QStringLiteral("sts:GetCallerIdentity"));
    QCOMPARE(r.headers.value(0).second, QByteArray("application/x-www-form-urlencoded; charset=utf-8"));
}

void TestStsProtocol::parse()
{
    auto id = StsProtocol::parseGetCallerIdentity(fixture("get_caller_identity.xml"));
    QVERIFY(id.ok());
    QCOMPARE(id->account, QStringLiteral("123456789012"));
    QCOMPARE(id->arn, QStringLiteral("arn:aws:sts::123456789012:assumed-role/Admin/alice"));
    QCOMPARE(id->userId, QStringLiteral("AROAEXAMPLEEXAMPLE123:alice"));
}

void TestStsProtocol::broken_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("truncated") << fixture("get_caller_identity.xml").left(120);
    QTest::newRow("no account") << QByteArray("<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>a</Arn>"
                                              "</GetCallerIdentityResult></GetCallerIdentityResponse>");
    QTest::newRow("error body") << QByteArray(
        "<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>");
    QTest::newRow("json") << QByteArray("{\"Account\": \"1\"}");
}

void TestStsProtocol::broken()
{
    QFETCH(QByteArray, body);
    auto id = StsProtocol::parseGetCallerIdentity(body);
    QVERIFY(!id.ok());
    QCOMPARE(id.error().kind, ErrorKind::Parse);
    QVERIFY(id.error().message.contains(QLatin1String("GetCallerIdentity")));
}

QTEST_GUILESS_MAIN(TestStsProtocol)
#include "TestStsProtocol.moc"
