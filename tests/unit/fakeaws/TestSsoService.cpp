// IAM Identity Center in fakeaws over HTTPS: the OIDC device flow from registration to role credentials
// (approved through the verification page or the API), its polling errors, refresh tokens, the PKCE flow,
// and the portal's answers for missing, expired and unauthorised tokens.

#include "FakeAwsTestClient.h"

#include "tests/fakeaws/FakeAws.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>
#include <QUrlQuery>

using fakeaws::FakeAws;

namespace {

const QString kDeviceGrant = QStringLiteral("urn:ietf:params:oauth:grant-type:device_code");

QJsonObject obj(const QByteArray& body)
{
    return QJsonDocument::fromJson(body).object();
}

QString str(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key)).toString();
}

} // namespace

class TestSsoService : public QObject
{
    Q_OBJECT

private:
    FakeAwsTestClient::Reply post(const QByteArray& path, const QJsonObject& body)
    {
        return m_client->send("POST", path, {{"Content-Type", "application/json"}},
                              QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    QJsonObject registerClient(const QJsonArray& grantTypes = {}, const QJsonArray& redirectUris = {})
    {
        QJsonObject body {{QStringLiteral("clientName"), QStringLiteral("botocore-client-fakeaws")},
                          {QStringLiteral("clientType"), QStringLiteral("public")},
                          {QStringLiteral("scopes"), QJsonArray {QStringLiteral("sso:account:access")}}};
        if (!grantTypes.isEmpty())
            body.insert(QStringLiteral("grantTypes"), grantTypes);
        if (!redirectUris.isEmpty())
            body.insert(QStringLiteral("redirectUris"), redirectUris);
        const auto reply = post("/client/register", body);
        if (reply.status != 200)
            return {};
        return obj(reply.body);
    }

    QJsonObject startDevice(const QJsonObject& client)
    {
        const auto reply = post("/device_authorization",
                                {{QStringLiteral("clientId"), str(client, "clientId")},
                                 {QStringLiteral("clientSecret"), str(client, "clientSecret")},
                                 {QStringLiteral("startUrl"), m_aws->endpointUrl() + QStringLiteral("/start")}});
        return reply.status == 200 ? obj(reply.body) : QJsonObject();
    }

    FakeAwsTestClient::Reply pollToken(const QJsonObject& client, const QJsonObject& device)
    {
        return post("/token",
                    {{QStringLiteral("clientId"), str(client, "clientId")},
                     {QStringLiteral("clientSecret"), str(client, "clientSecret")},
                     {QStringLiteral("grantType"), kDeviceGrant},
                     {QStringLiteral("deviceCode"), str(device, "deviceCode")}});
    }

    FakeAwsTestClient::Reply roleCredentials(const QString& token, const QByteArray& role = "ReadOnly",
                                             const QByteArray& account = "123456789012")
    {
        fakeaws::Headers headers;
        if (!token.isNull())
            headers.append({"x-amz-sso_bearer_token", token.toUtf8()});
        return m_client->send("GET", "/federation/credentials?role_name=" + role + "&account_id=" + account, headers);
    }

    // The OIDC error as botocore reads it: exception name from x-amzn-ErrorType, the OAuth code in `error`.
    static void verifyOidcError(const FakeAwsTestClient::Reply& reply, int status, const QByteArray& type,
                                const QString& error)
    {
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.header("x-amzn-ErrorType"), type);
        const QJsonObject body = obj(reply.body);
        QCOMPARE(str(body, "error"), error);
        QVERIFY(!str(body, "error_description").isEmpty());
    }

    std::unique_ptr<FakeAws> m_aws;
    std::unique_ptr<FakeAwsTestClient> m_client;

private Q_SLOTS:
    void initTestCase()
    {
        m_aws = std::make_unique<FakeAws>();
        const auto started = m_aws->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().toString()));
        m_client = std::make_unique<FakeAwsTestClient>(m_aws->port(), m_aws->caCertificate());
    }

    void deviceFlowThroughTheVerificationPage()
    {
        const QJsonObject client = registerClient();
        QVERIFY(!str(client, "clientId").isEmpty());
        QVERIFY(!str(client, "clientSecret").isEmpty());
        const qint64 expires = client.value(QStringLiteral("clientSecretExpiresAt")).toInteger();
        QVERIFY(expires > QDateTime::currentSecsSinceEpoch() + 30 * 86400); // epoch seconds, far ahead

        const QJsonObject device = startDevice(client);
        const QString userCode = str(device, "userCode");
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Z]{4}-[A-Z]{4}$")).match(userCode).hasMatch());
        QCOMPARE(str(device, "verificationUri"), m_aws->endpointUrl() + QStringLiteral("/device"));
        QCOMPARE(str(device, "verificationUriComplete"),
                 m_aws->endpointUrl() + QStringLiteral("/device?user_code=") + userCode);
        QVERIFY(device.value(QStringLiteral("expiresIn")).toInt() > 0);
        QVERIFY(device.value(QStringLiteral("interval")).toInt() > 0);
        QCOMPARE(m_aws->sso().oidc().pendingUserCodes(), QStringList {userCode});

        verifyOidcError(pollToken(client, device), 400, "AuthorizationPendingException",
                        QStringLiteral("authorization_pending"));

        // What a browser does with verificationUriComplete.
        const QUrl page(str(device, "verificationUriComplete"));
        const auto approved = m_client->send(
            "GET", page.path(QUrl::FullyEncoded).toLatin1() + '?' + page.query(QUrl::FullyEncoded).toLatin1());
        QCOMPARE(approved.status, 200);
        QVERIFY(approved.header("Content-Type").startsWith("text/html"));
        QVERIFY(approved.body.contains(userCode.toLatin1()));

        const auto token = pollToken(client, device);
        QCOMPARE(token.status, 200);
        const QJsonObject tokens = obj(token.body);
        QCOMPARE(str(tokens, "tokenType"), QStringLiteral("Bearer"));
        QVERIFY(tokens.value(QStringLiteral("expiresIn")).toInt() > 0);
        QVERIFY(!tokens.contains(QStringLiteral("refreshToken"))); // not registered for refresh_token
        // A device code is good for one token only.
        verifyOidcError(pollToken(client, device), 400, "InvalidGrantException", QStringLiteral("invalid_grant"));

        const qint64 before = m_aws->now().toMSecsSinceEpoch();
        const auto creds = roleCredentials(str(tokens, "accessToken"));
        QCOMPARE(creds.status, 200);
        const QJsonObject role = obj(creds.body).value(QStringLiteral("roleCredentials")).toObject();
        QVERIFY(str(role, "accessKeyId").startsWith(QLatin1String("ASIA")));
        QVERIFY(!str(role, "secretAccessKey").isEmpty());
        QVERIFY(!str(role, "sessionToken").isEmpty());
        const qint64 expirationMs = role.value(QStringLiteral("expiration")).toInteger();
        QVERIFY(qAbs(expirationMs - before - 3600 * 1000) < 10'000); // epoch MILLISECONDS

        bl::Credentials c;
        c.accessKeyId = str(role, "accessKeyId");
        c.secretAccessKey = str(role, "secretAccessKey");
        c.sessionToken = str(role, "sessionToken");
        const auto who = m_client->query("sts", "Action=GetCallerIdentity&Version=2011-06-15", c);
        QCOMPARE(who.status, 200);
        QVERIFY(who.body.contains(":assumed-role/AWSReservedSSO_ReadOnly_"));
    }

    void approvalThroughTheApi()
    {
        const QJsonObject client = registerClient();
        const QJsonObject device = startDevice(client);
        QVERIFY(m_aws->approveDeviceCode(str(device, "userCode")));
        QVERIFY(!m_aws->approveDeviceCode(QStringLiteral("NOPE-NOPE")));
        QCOMPARE(pollToken(client, device).status, 200);
    }

    void pollingErrors()
    {
        const QJsonObject client = registerClient();
        const QJsonObject device = startDevice(client);
        m_aws->sso().oidc().injectSlowDown(1);
        verifyOidcError(pollToken(client, device), 400, "SlowDownException", QStringLiteral("slow_down"));
        verifyOidcError(pollToken(client, device), 400, "AuthorizationPendingException",
                        QStringLiteral("authorization_pending"));

        QJsonObject wrongSecret = client;
        wrongSecret.insert(QStringLiteral("clientSecret"), QStringLiteral("guess"));
        verifyOidcError(pollToken(wrongSecret, device), 401, "InvalidClientException",
                        QStringLiteral("invalid_client"));

        const QJsonObject denied = startDevice(client);
        QVERIFY(m_aws->sso().oidc().deny(str(denied, "userCode")));
        verifyOidcError(pollToken(client, denied), 400, "AccessDeniedException", QStringLiteral("access_denied"));

        // The device code outlives its expiresIn: moving the server clock past it expires it.
        m_aws->faults().setClockOffsetSecs(device.value(QStringLiteral("expiresIn")).toInt() + 1);
        m_aws->approveAllDeviceCodes();
        const auto late = pollToken(client, device);
        m_aws->faults().setClockOffsetSecs(0);
        verifyOidcError(late, 400, "ExpiredTokenException", QStringLiteral("expired_token"));

        const auto badGrant = post("/token",
                                   {{QStringLiteral("clientId"), str(client, "clientId")},
                                    {QStringLiteral("clientSecret"), str(client, "clientSecret")},
                                    {QStringLiteral("grantType"), QStringLiteral("password")}});
        verifyOidcError(badGrant, 400, "UnsupportedGrantTypeException", QStringLiteral("unsupported_grant_type"));
        const auto notJson = m_client->send("POST", "/token", {{"Content-Type", "application/json"}}, "{not json");
        verifyOidcError(notJson, 400, "InvalidRequestException", QStringLiteral("invalid_request"));
        verifyOidcError(post("/client/register",
                             {{QStringLiteral("clientName"), QStringLiteral("x")},
                              {QStringLiteral("clientType"), QStringLiteral("confidential")}}),
                        400, "InvalidClientMetadataException", QStringLiteral("invalid_client_metadata"));
    }

    void refreshTokensRotate()
    {
        const QJsonObject client = registerClient({kDeviceGrant, QStringLiteral("refresh_token")});
        const QJsonObject device = startDevice(client);
        m_aws->approveAllDeviceCodes();
        const QJsonObject first = obj(pollToken(client, device).body);
        const QString refresh = str(first, "refreshToken");
        QVERIFY(!refresh.isEmpty());

        const QJsonObject grant {{QStringLiteral("clientId"), str(client, "clientId")},
                                 {QStringLiteral("clientSecret"), str(client, "clientSecret")},
                                 {QStringLiteral("grantType"), QStringLiteral("refresh_token")},
                                 {QStringLiteral("refreshToken"), refresh}};
        const auto renewed = post("/token", grant);
        QCOMPARE(renewed.status, 200);
        const QJsonObject second = obj(renewed.body);
        QVERIFY(str(second, "accessToken") != str(first, "accessToken"));
        QVERIFY(!str(second, "refreshToken").isEmpty());
        QCOMPARE(roleCredentials(str(second, "accessToken")).status, 200);
        // The old refresh token was used up.
        verifyOidcError(post("/token", grant), 400, "InvalidGrantException", QStringLiteral("invalid_grant"));
    }

    void portalRefusesBadTokens()
    {
        const QJsonObject client = registerClient();
        const QJsonObject device = startDevice(client);
        m_aws->approveAllDeviceCodes();
        const QString token = str(obj(pollToken(client, device).body), "accessToken");

        const auto missing = roleCredentials(QString());
        QCOMPARE(missing.status, 401);
        QCOMPARE(missing.header("x-amzn-ErrorType"), QByteArray("UnauthorizedException"));
        QCOMPARE(roleCredentials(QStringLiteral("made-up")).status, 401);

        const auto forbidden = roleCredentials(token, "AdministratorAccess", "210987654321");
        QCOMPARE(forbidden.status, 403);
        QCOMPARE(forbidden.header("x-amzn-ErrorType"), QByteArray("ForbiddenException"));
        QCOMPARE(roleCredentials(token, "AdministratorAccess", "123456789012").status, 200);

        m_aws->expireSsoTokens();
        const auto expired = roleCredentials(token);
        QCOMPARE(expired.status, 401);
        QCOMPARE(str(obj(expired.body), "message"), QStringLiteral("Session token not found or invalid"));
    }

    void portalListsAccountsAndRoles()
    {
        m_aws->setSsoAccounts(
            {{QStringLiteral("111111111111"), QStringLiteral("one"), QStringLiteral("a@x"), {QStringLiteral("Dev")}},
             {QStringLiteral("222222222222"),
              QStringLiteral("two"),
              QStringLiteral("b@x"),
              {QStringLiteral("Dev"), QStringLiteral("Ops")}}});
        const QJsonObject client = registerClient();
        const QJsonObject device = startDevice(client);
        m_aws->approveAllDeviceCodes();
        const QByteArray token = str(obj(pollToken(client, device).body), "accessToken").toUtf8();

        const auto page1 =
            m_client->send("GET", "/assignment/accounts?max_result=1", {{"x-amz-sso_bearer_token", token}});
        QCOMPARE(page1.status, 200);
        const QJsonObject p1 = obj(page1.body);
        QCOMPARE(p1.value(QStringLiteral("accountList")).toArray().size(), 1);
        const QString next = str(p1, "nextToken");
        QVERIFY(!next.isEmpty());
        const auto page2 = m_client->send("GET", "/assignment/accounts?max_result=1&next_token=" + next.toUtf8(),
                                          {{"x-amz-sso_bearer_token", token}});
        const QJsonObject p2 = obj(page2.body);
        QCOMPARE(str(p2.value(QStringLiteral("accountList")).toArray().first().toObject(), "accountName"),
                 QStringLiteral("two"));
        QVERIFY(p2.value(QStringLiteral("nextToken")).isNull());

        const auto roles =
            m_client->send("GET", "/assignment/roles?account_id=222222222222", {{"x-amz-sso_bearer_token", token}});
        QCOMPARE(obj(roles.body).value(QStringLiteral("roleList")).toArray().size(), 2);
        QCOMPARE(roleCredentials(QString::fromUtf8(token), "Ops", "222222222222").status, 200);
    }

    void pkceFlowRedirectsBackToTheLoopback()
    {
        const QJsonObject client =
            registerClient({QStringLiteral("authorization_code"), QStringLiteral("refresh_token")},
                           {QStringLiteral("http://127.0.0.1/oauth/callback")});
        const QByteArray verifier = QByteArray(64, 'v');
        const QByteArray challenge = QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
                                         .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        const QByteArray redirect = "http://127.0.0.1:54321/oauth/callback";
        const QByteArray query = "response_type=code&client_id=" + str(client, "clientId").toUtf8()
            + "&redirect_uri=" + QUrl::toPercentEncoding(QString::fromLatin1(redirect))
            + "&state=st-1&code_challenge_method=S256" + "&scopes=sso%3Aaccount%3Aaccess&code_challenge=" + challenge;
        const auto authorize = m_client->send("GET", "/authorize?" + query);
        QCOMPARE(authorize.status, 302);
        const QUrl location(QString::fromUtf8(authorize.header("Location")));
        QCOMPARE(location.port(), 54321);
        const QUrlQuery params(location);
        QCOMPARE(params.queryItemValue(QStringLiteral("state")), QStringLiteral("st-1"));
        const QString code = params.queryItemValue(QStringLiteral("code"));
        QVERIFY(!code.isEmpty());

        QJsonObject grant {{QStringLiteral("clientId"), str(client, "clientId")},
                           {QStringLiteral("clientSecret"), str(client, "clientSecret")},
                           {QStringLiteral("grantType"), QStringLiteral("authorization_code")},
                           {QStringLiteral("code"), code},
                           {QStringLiteral("redirectUri"), QString::fromLatin1(redirect)},
                           {QStringLiteral("codeVerifier"), QStringLiteral("wrong-verifier")}};
        verifyOidcError(post("/token", grant), 400, "InvalidGrantException", QStringLiteral("invalid_grant"));

        // A fresh code with the right verifier.
        const auto again = m_client->send("GET", "/authorize?" + query);
        grant.insert(
            QStringLiteral("code"),
            QUrlQuery(QUrl(QString::fromUtf8(again.header("Location")))).queryItemValue(QStringLiteral("code")));
        grant.insert(QStringLiteral("codeVerifier"), QString::fromLatin1(verifier));
        const auto token = post("/token", grant);
        QCOMPARE(token.status, 200);
        QVERIFY(!str(obj(token.body), "refreshToken").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSsoService)
#include "TestSsoService.moc"
