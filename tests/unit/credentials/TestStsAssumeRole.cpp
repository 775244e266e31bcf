// STS AssumeRole over the query protocol: the request bytes (PROTOCOLS.md §2.7 vector), the XML answer,
// explained errors, and the CLI cache file shape.
#include "core/aws/credentials/StsAssumeRole.h"

#include "CredsTestUtil.h"

#include <QJsonDocument>
#include <QTimeZone>

using namespace bl;

class TestStsAssumeRole : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestMatchesProtocolVector();
    void optionalParameters();
    void parseResponse();
    void parseRejects_data();
    void parseRejects();
    void accessDeniedNamesRoleAndPermission();
    void cacheJsonRoundTrip();
    void readsCliWrittenCacheFile();
};

void TestStsAssumeRole::requestMatchesProtocolVector()
{
    AssumeRoleParams p;
    p.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/Admin");
    p.roleSessionName = QStringLiteral("botocore-session-1705320000");
    p.durationSeconds = 3600;
    const AwsRequest r = StsAssumeRole::buildRequest(p);
    QCOMPARE(r.body,
             QByteArray("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%"
                        "2FAdmin&RoleSessionName=botocore-session-1705320000&DurationSeconds=3600"));
    QCOMPARE(r.signingName, QStringLiteral("sts"));
    QCOMPARE(r.protocol, AwsProtocol::Query);
    QCOMPARE(r.method, QByteArray("POST"));
    QVERIFY(r.sign);
    QVERIFY(r.headers.contains(
        qMakePair(QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded; charset=utf-8"))));
    QCOMPARE(r.iamAction, QStringLiteral("sts:AssumeRole"));
}

void TestStsAssumeRole::optionalParameters()
{
    AssumeRoleParams p;
    p.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/Admin");
    p.roleSessionName = QStringLiteral("me");
    p.externalId = QStringLiteral("a b+c");
    p.serialNumber = QStringLiteral("arn:aws:iam::123456789012:mfa/alice");
    p.tokenCode = QStringLiteral("123456");
    const QByteArray body = StsAssumeRole::buildRequest(p).body;
    QVERIFY(body.contains("&ExternalId=a%20b%2Bc"));
    QVERIFY(body.contains("&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice"));
    QVERIFY(body.contains("&TokenCode=123456"));
    QVERIFY(!body.contains("DurationSeconds"));
}

void TestStsAssumeRole::parseResponse()
{
    const QByteArray xml = credstest::readFile(QStringLiteral(BL_TESTDATA_DIR "/credentials/assume-role-response.xml"));
    QVERIFY(!xml.isEmpty());
    const auto r = StsAssumeRole::parseResponse(xml);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    QCOMPARE(r->credentials.accessKeyId, QStringLiteral("ASIAIOSFODNN7EXAMPLE"));
    QCOMPARE(r->credentials.secretAccessKey, QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"));
    QCOMPARE(r->credentials.sessionToken, QStringLiteral("IQoJb3JpZ2luX2VjEXAMPLETOKEN"));
    QCOMPARE(*r->credentials.expiration, QDateTime(QDate(2024, 1, 15), QTime(13, 0), QTimeZone::utc()));
    QCOMPARE(r->credentials.accountId, QStringLiteral("123456789012"));
    QCOMPARE(r->arn, QStringLiteral("arn:aws:sts::123456789012:assumed-role/Admin/botocore-session-1705320000"));
    QCOMPARE(r->assumedRoleId, QStringLiteral("AROA3XFRBF535PLBIFPI4:botocore-session-1705320000"));
    QCOMPARE(r->requestId, QStringLiteral("c6104cbe-af31-11e0-8154-cbc7ccf896c7"));
}

void TestStsAssumeRole::parseRejects_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("not xml") << QByteArray("<<<") << QStringLiteral("invalid XML");
    QTest::newRow("html page") << QByteArray("<html><body>proxy login</body></html>")
                               << QStringLiteral("no AssumeRoleResult");
    QTest::newRow("no token") << QByteArray("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</"
                                            "AccessKeyId><SecretAccessKey>s</SecretAccessKey><Expiration>2024-01-"
                                            "15T13:00:00Z</Expiration></Credentials></AssumeRoleResult>"
                                            "</AssumeRoleResponse>")
                              << QStringLiteral("incomplete");
    QTest::newRow("bad expiration") << QByteArray("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</"
                                                  "AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</"
                                                  "SessionToken><Expiration>never</Expiration></Credentials>"
                                                  "</AssumeRoleResult></AssumeRoleResponse>")
                                    << QStringLiteral("\"never\"");
}

void TestStsAssumeRole::parseRejects()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, errorContains);
    const auto r = StsAssumeRole::parseResponse(xml);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::Parse);
    QVERIFY2(r.error().message.contains(errorContains), qPrintable(r.error().message));
}

void TestStsAssumeRole::accessDeniedNamesRoleAndPermission()
{
    AssumeRoleParams p;
    p.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/Admin");
    const QByteArray body =
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
        "<Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/bob is not "
        "authorized to perform: sts:AssumeRole</Message></Error><RequestId>rid-1</RequestId>"
        "</ErrorResponse>";
    const AwsRequest request = StsAssumeRole::buildRequest(p);
    const Error raw = parseAwsError(AwsProtocol::Query, 403, body, {}, request);
    const Error e = StsAssumeRole::explain(raw, p);
    QCOMPARE(e.kind, ErrorKind::Credentials);
    QCOMPARE(e.awsCode, QStringLiteral("AccessDenied"));
    QCOMPARE(e.requestId, QStringLiteral("rid-1"));
    QVERIFY(e.message.contains(p.roleArn));
    QVERIFY(e.hint.contains(QStringLiteral("sts:AssumeRole")));
    QVERIFY(e.hint.contains(p.roleArn));

    p.serialNumber = QStringLiteral("arn:aws:iam::123456789012:mfa/bob");
    QVERIFY(StsAssumeRole::explain(raw, p).hint.contains(QStringLiteral("MFA code")));
}

void TestStsAssumeRole::cacheJsonRoundTrip()
{
    AssumedRole role;
    role.credentials.accessKeyId = QStringLiteral("ASIA1");
    role.credentials.secretAccessKey = QStringLiteral("s");
    role.credentials.sessionToken = QStringLiteral("t");
    role.credentials.expiration = QDateTime(QDate(2030, 1, 1), QTime(1, 0), QTimeZone::utc());
    role.arn = QStringLiteral("arn:aws:sts::210987654321:assumed-role/Admin/x");
    const QJsonObject o = StsAssumeRole::toCacheJson(role);
    QCOMPARE(o.value(QStringLiteral("Credentials")).toObject().value(QStringLiteral("Expiration")).toString(),
             QStringLiteral("2030-01-01T01:00:00Z"));
    const auto back = StsAssumeRole::credentialsFromCacheJson(o);
    QVERIFY(back);
    QCOMPARE(back->accessKeyId, QStringLiteral("ASIA1"));
    QCOMPARE(back->sessionToken, QStringLiteral("t"));
    QCOMPARE(*back->expiration, *role.credentials.expiration);
    QCOMPARE(back->accountId, QStringLiteral("210987654321"));
    QVERIFY(!StsAssumeRole::credentialsFromCacheJson(QJsonObject()));
}

void TestStsAssumeRole::readsCliWrittenCacheFile()
{
    // botocore writes the expiration with a "UTC" suffix.
    const QJsonObject o =
        QJsonDocument::fromJson(
            credstest::readFile(QStringLiteral(BL_TESTDATA_DIR "/credentials/cli-cache-assume-role.json")))
            .object();
    const auto c = StsAssumeRole::credentialsFromCacheJson(o);
    QVERIFY(c);
    QCOMPARE(c->accessKeyId, QStringLiteral("ASIACLICACHE"));
    QCOMPARE(*c->expiration, QDateTime(QDate(2030, 1, 1), QTime(1, 0), QTimeZone::utc()));
}

QTEST_GUILESS_MAIN(TestStsAssumeRole)
#include "TestStsAssumeRole.moc"
