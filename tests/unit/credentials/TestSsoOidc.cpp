// The OIDC requests and answers of the device login and the token refresh (PROTOCOLS.md §2.6).
#include "core/aws/credentials/SsoOidc.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace bl;

namespace {

QJsonObject bodyOf(const AwsRequest& r)
{
    return QJsonDocument::fromJson(r.body).object();
}

} // namespace

class TestSsoOidc : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestsAreUnsignedJson();
    void registerClient();
    void tokenGrants();
    void parseRegistrationSecondsNotMillis();
    void parseDeviceAuthorizationDefaultsInterval();
    void parseFailures_data();
    void parseFailures();
    void oauthError_data();
    void oauthError();
};

void TestSsoOidc::requestsAreUnsignedJson()
{
    const QList<AwsRequest> all = {
        SsoOidc::registerClientRequest(QStringLiteral("n"), std::nullopt),
        SsoOidc::deviceAuthorizationRequest(QStringLiteral("c"), QStringLiteral("s"), QStringLiteral("u")),
        SsoOidc::deviceTokenRequest(QStringLiteral("c"), QStringLiteral("s"), QStringLiteral("d")),
        SsoOidc::refreshTokenRequest(QStringLiteral("c"), QStringLiteral("s"), QStringLiteral("r")),
    };
    for (const AwsRequest& r : all) {
        QVERIFY(!r.sign);
        QCOMPARE(r.protocol, AwsProtocol::RestJson);
        QCOMPARE(r.method, QByteArray("POST"));
        QVERIFY(r.headers.contains(qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))));
    }
    QCOMPARE(all[0].path, QByteArray("/client/register"));
    QCOMPARE(all[1].path, QByteArray("/device_authorization"));
    QCOMPARE(all[2].path, QByteArray("/token"));
    QCOMPARE(bodyOf(all[1]).value(QStringLiteral("startUrl")).toString(), QStringLiteral("u"));
}

void TestSsoOidc::registerClient()
{
    QJsonObject o = bodyOf(SsoOidc::registerClientRequest(QStringLiteral("botocore-client-my-sso"),
                                                          QStringList {QStringLiteral("sso:account:access")}));
    QCOMPARE(o.value(QStringLiteral("clientName")).toString(), QStringLiteral("botocore-client-my-sso"));
    QCOMPARE(o.value(QStringLiteral("clientType")).toString(), QStringLiteral("public"));
    QCOMPARE(o.value(QStringLiteral("scopes")).toArray(), QJsonArray {QStringLiteral("sso:account:access")});
    QVERIFY(!o.contains(QStringLiteral("grantTypes")));
    o = bodyOf(SsoOidc::registerClientRequest(
        QStringLiteral("x"), std::nullopt, {QLatin1String(SsoOidc::DeviceCodeGrant), QStringLiteral("refresh_token")}));
    QVERIFY(!o.contains(QStringLiteral("scopes")));
    QCOMPARE(
        o.value(QStringLiteral("grantTypes")).toArray(),
        (QJsonArray {QStringLiteral("urn:ietf:params:oauth:grant-type:device_code"), QStringLiteral("refresh_token")}));
}

void TestSsoOidc::tokenGrants()
{
    QJsonObject o = bodyOf(SsoOidc::deviceTokenRequest(QStringLiteral("c"), QStringLiteral("s"), QStringLiteral("d")));
    QCOMPARE(o.value(QStringLiteral("grantType")).toString(),
             QStringLiteral("urn:ietf:params:oauth:grant-type:device_code"));
    QCOMPARE(o.value(QStringLiteral("deviceCode")).toString(), QStringLiteral("d"));
    QCOMPARE(o.value(QStringLiteral("clientId")).toString(), QStringLiteral("c"));
    QCOMPARE(o.value(QStringLiteral("clientSecret")).toString(), QStringLiteral("s"));
    o = bodyOf(SsoOidc::refreshTokenRequest(QStringLiteral("c"), QStringLiteral("s"), QStringLiteral("r")));
    QCOMPARE(o.value(QStringLiteral("grantType")).toString(), QStringLiteral("refresh_token"));
    QCOMPARE(o.value(QStringLiteral("refreshToken")).toString(), QStringLiteral("r"));
}

void TestSsoOidc::parseRegistrationSecondsNotMillis()
{
    const auto r = SsoOidc::parseRegistration(
        R"({"clientId": "cid", "clientSecret": "cs", "clientIdIssuedAt": 1705320000, "clientSecretExpiresAt": 1713096000})");
    QVERIFY(r.ok());
    QCOMPARE(r->clientSecretExpiresAt, QDateTime::fromSecsSinceEpoch(1713096000, Qt::UTC));
    QCOMPARE(r->clientSecretExpiresAt.date(), QDate(2024, 4, 14));
}

void TestSsoOidc::parseDeviceAuthorizationDefaultsInterval()
{
    const auto d = SsoOidc::parseDeviceAuthorization(
        R"({"deviceCode": "dc", "userCode": "ABCD-EFGH", "verificationUri": "https://device.sso.us-east-1.amazonaws.com/",
            "verificationUriComplete": "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH", "expiresIn": 600})");
    QVERIFY(d.ok());
    QCOMPARE(d->intervalSecs, 5);
    QCOMPARE(d->userCode, QStringLiteral("ABCD-EFGH"));
    QCOMPARE(d->expiresInSecs, 600);
    const auto t =
        SsoOidc::parseToken(R"({"accessToken": "a", "tokenType": "Bearer", "expiresIn": 28800, "refreshToken": "r"})");
    QVERIFY(t.ok());
    QCOMPARE(t->expiresInSecs, 28800);
    QCOMPARE(t->refreshToken, QStringLiteral("r"));
}

void TestSsoOidc::parseFailures_data()
{
    QTest::addColumn<int>("which"); // 0 registration, 1 device, 2 token
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("registration not json") << 0 << QByteArray("<html/>") << QStringLiteral("not a JSON object");
    QTest::newRow("registration no secret")
        << 0 << QByteArray(R"({"clientId": "c", "clientSecretExpiresAt": 1})") << QStringLiteral("clientSecret");
    QTest::newRow("device no user code") << 1
                                         << QByteArray(R"({"deviceCode": "d", "expiresIn": 5, "verificationUri": "u"})")
                                         << QStringLiteral("userCode");
    QTest::newRow("token no access token") << 2 << QByteArray(R"({"expiresIn": 5})") << QStringLiteral("accessToken");
}

void TestSsoOidc::parseFailures()
{
    QFETCH(int, which);
    QFETCH(QByteArray, body);
    QFETCH(QString, errorContains);
    Error e;
    if (which == 0)
        e = SsoOidc::parseRegistration(body).error();
    else if (which == 1)
        e = SsoOidc::parseDeviceAuthorization(body).error();
    else
        e = SsoOidc::parseToken(body).error();
    QCOMPARE(e.kind, ErrorKind::Parse);
    QVERIFY2(e.message.contains(errorContains), qPrintable(e.message));
}

void TestSsoOidc::oauthError_data()
{
    QTest::addColumn<QByteArray>("errorTypeHeader");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("header form") << QByteArray("AuthorizationPendingException:http://internal.amazon.com/")
                                 << QByteArray(R"({"error": "authorization_pending"})")
                                 << QStringLiteral("authorization_pending");
    QTest::newRow("body only") << QByteArray() << QByteArray(R"({"error": "slow_down", "error_description": "x"})")
                               << QStringLiteral("slow_down");
    QTest::newRow("expired") << QByteArray("ExpiredTokenException") << QByteArray("{}")
                             << QStringLiteral("expired_token");
    QTest::newRow("denied") << QByteArray() << QByteArray(R"({"error": "access_denied"})")
                            << QStringLiteral("access_denied");
    QTest::newRow("invalid grant") << QByteArray("InvalidGrantException") << QByteArray("{}")
                                   << QStringLiteral("invalid_grant");
}

void TestSsoOidc::oauthError()
{
    QFETCH(QByteArray, errorTypeHeader);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!errorTypeHeader.isEmpty())
        headers.append({QByteArray("x-amzn-ErrorType"), errorTypeHeader});
    const AwsRequest request =
        SsoOidc::deviceTokenRequest(QStringLiteral("c"), QStringLiteral("s"), QStringLiteral("d"));
    const Error e = parseAwsError(AwsProtocol::RestJson, 400, body, headers, request);
    QCOMPARE(SsoOidc::oauthError(e), expected);
}

QTEST_GUILESS_MAIN(TestSsoOidc)
#include "TestSsoOidc.moc"
