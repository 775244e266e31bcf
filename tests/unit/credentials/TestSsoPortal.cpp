// GetRoleCredentials: the request shape (unsigned, bearer header with an underscore) and the answer with
// its expiration in milliseconds.
#include "core/aws/credentials/SsoPortal.h"

#include <QTest>
#include <QTimeZone>

using namespace bl;

class TestSsoPortal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void request();
    void parse();
    void parseIncomplete();
};

void TestSsoPortal::request()
{
    const AwsRequest r = SsoPortal::roleCredentialsRequest(QStringLiteral("tok"), QStringLiteral("123456789012"),
                                                           QStringLiteral("ReadOnly"));
    QVERIFY(!r.sign);
    QCOMPARE(r.method, QByteArray("GET"));
    QCOMPARE(r.path, QByteArray("/federation/credentials"));
    QVERIFY(r.query.contains(qMakePair(QByteArray("role_name"), QByteArray("ReadOnly"))));
    QVERIFY(r.query.contains(qMakePair(QByteArray("account_id"), QByteArray("123456789012"))));
    QVERIFY(r.headers.contains(qMakePair(QByteArray("x-amz-sso_bearer_token"), QByteArray("tok"))));
}

void TestSsoPortal::parse()
{
    const auto c = SsoPortal::parseRoleCredentials(
        R"({"roleCredentials": {"accessKeyId": "ASIASSO", "secretAccessKey": "s", "sessionToken": "t", "expiration": 1705323600000}})",
        QStringLiteral("123456789012"));
    QVERIFY(c.ok());
    QCOMPARE(c->accessKeyId, QStringLiteral("ASIASSO"));
    QCOMPARE(*c->expiration, QDateTime(QDate(2024, 1, 15), QTime(13, 0), QTimeZone::utc()));
    QCOMPARE(c->accountId, QStringLiteral("123456789012"));
}

void TestSsoPortal::parseIncomplete()
{
    const auto c = SsoPortal::parseRoleCredentials(R"({"roleCredentials": {"accessKeyId": "A"}})", QString());
    QVERIFY(!c.ok());
    QCOMPARE(c.error().kind, ErrorKind::Parse);
}

QTEST_GUILESS_MAIN(TestSsoPortal)
#include "TestSsoPortal.moc"
