// IAM Identity Center against fakeaws::FakeAws: the device login end to end (approved in the emulator's
// "browser" page over HTTPS), the token cache shared with `aws`, GetRoleCredentials, refresh with the
// refresh token, and the answers a person must understand (expired, denied, cancelled).
#include "core/aws/credentials/CacheKeys.h"
#include "core/aws/credentials/CredentialsFactory.h"
#include "core/aws/credentials/SsoLogin.h"
#include "core/aws/credentials/SsoTokenCache.h"
#include "core/aws/http/AwsHttpClient.h"
#include "tests/fakeaws/FakeAws.h"

#include "CredsTestUtil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace bl;

class TestSsoFakeAws : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void deviceLoginEndToEnd();
    void legacyLoginHasNoRefreshToken();
    void tokenNearExpiryIsRefreshedAndCacheRewritten();
    void expiredTokenIsRefreshed();
    void revokedSessionAsksForLogin();
    void slowDownAddsFiveSeconds();
    void deniedLogin();
    void expiredDeviceCode();
    void cancelledLogin();

private:
    CredentialsOptions options(const QString& profile);
    std::unique_ptr<SsoLogin> makeLogin(const QString& profile);
    // Runs a login; approve: 0 = through the emulator's web page, 1 = API, 2 = deny, 3 = do nothing,
    // 4 = cancel.
    std::optional<Result<SsoToken>> login(const QString& profile, int approve, int timeoutMs = 30000);
    QJsonObject tokenFile(const QString& key) const;

    fakeaws::FakeAws m_fake;
    std::unique_ptr<QTemporaryDir> m_home;
    QProcessEnvironment m_env;
    SystemClock m_clock;
    ClockSkew m_skew;
    std::unique_ptr<AwsHttpClient> m_http;
    std::optional<AwsConfig> m_config;
    QString m_startUrl;
};

void TestSsoFakeAws::initTestCase()
{
    const auto started = m_fake.start();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
    m_startUrl = m_fake.endpointUrl() + QStringLiteral("/start");
}

void TestSsoFakeAws::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    const QString config = QStringLiteral(R"(
[profile sso]
sso_session = fake
sso_account_id = %1
sso_role_name = ReadOnly

[profile legacy]
sso_start_url = %2
sso_region = us-east-1
sso_account_id = %1
sso_role_name = ReadOnly

[sso-session fake]
sso_start_url = %2
sso_region = us-east-1
sso_registration_scopes = sso:account:access
)")
                               .arg(m_fake.defaultIdentity().accountId, m_startUrl);
    QVERIFY(credstest::writeFile(m_home->filePath(QStringLiteral(".aws/config")), config.toUtf8()));
    m_env = QProcessEnvironment();
    m_env.insert(QStringLiteral("HOME"), m_home->path());
    m_env.insert(QStringLiteral("AWS_ENDPOINT_URL"), m_fake.endpointUrl());
    m_env.insert(QStringLiteral("AWS_CA_BUNDLE"), m_fake.caBundlePath());
    HttpSettings settings = HttpSettings::fromEnvironment(m_env);
    settings.maxAttempts = 1;
    m_http = std::make_unique<AwsHttpClient>(settings, m_clock, m_skew);
    Result<AwsConfig> loaded = AwsConfig::load(m_env);
    QVERIFY(loaded.ok());
    m_config = loaded.value();
    m_fake.sso().oidc().setPollIntervalSecs(1);
    m_fake.sso().oidc().setDeviceCodeLifetimeSecs(600);
}

CredentialsOptions TestSsoFakeAws::options(const QString& profile)
{
    CredentialsOptions o(*m_config, *m_http, m_clock);
    o.env = m_env;
    o.explicitProfile = profile;
    return o;
}

std::unique_ptr<SsoLogin> TestSsoFakeAws::makeLogin(const QString& profile)
{
    auto login = createSsoLogin(options(profile));
    if (!login.ok()) {
        qWarning("%s", qPrintable(login.error().toString()));
        return nullptr;
    }
    return std::move(login.value());
}

std::optional<Result<SsoToken>> TestSsoFakeAws::login(const QString& profile, int approve, int timeoutMs)
{
    std::unique_ptr<SsoLogin> flow = makeLogin(profile);
    if (!flow)
        return std::nullopt;
    QNetworkAccessManager browser;
    QObject::connect(flow.get(), &SsoLogin::verificationReady, flow.get(),
                     [&, approve](const QString& uri, const QString& complete, const QString& userCode) {
                         if (uri.isEmpty() || userCode.isEmpty())
                             qWarning("verificationReady without URI or code");
                         if (approve == 0) {
                             // A person opens the link in a browser.
                             QNetworkRequest request {QUrl(complete)};
                             request.setSslConfiguration(makeSslConfiguration(m_fake.caBundlePath()).value());
                             QNetworkReply* reply = browser.get(request);
                             QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
                         } else if (approve == 1) {
                             m_fake.approveDeviceCode(userCode);
                         } else if (approve == 2) {
                             m_fake.sso().oidc().deny(userCode);
                         } else if (approve == 4) {
                             flow->cancel();
                         }
                     });
    std::optional<Result<SsoToken>> out;
    flow->start([&](Result<SsoToken> r) { out = std::move(r); });
    (void)QTest::qWaitFor([&] { return out.has_value(); }, timeoutMs);
    return out;
}

QJsonObject TestSsoFakeAws::tokenFile(const QString& key) const
{
    return QJsonDocument::fromJson(
               credstest::readFile(SsoTokenCache(m_home->filePath(QStringLiteral(".aws/sso/cache"))).tokenPath(key)))
        .object();
}

void TestSsoFakeAws::deviceLoginEndToEnd()
{
    const auto token = login(QStringLiteral("sso"), 0);
    QVERIFY(token);
    QVERIFY2(token->ok(), qPrintable(token->ok() ? QString() : token->error().toString()));

    // The file `aws` reads: named by the session, CLI field names and timestamp form, private.
    const QString path =
        m_home->filePath(QStringLiteral(".aws/sso/cache/%1.json").arg(CacheKeys::ssoToken(QStringLiteral("fake"))));
    QVERIFY(QFileInfo::exists(path));
    QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
    const QJsonObject o = tokenFile(QStringLiteral("fake"));
    QCOMPARE(o.value(QStringLiteral("accessToken")).toString(), (*token)->accessToken);
    QCOMPARE(o.value(QStringLiteral("startUrl")).toString(), m_startUrl);
    QCOMPARE(o.value(QStringLiteral("region")).toString(), QStringLiteral("us-east-1"));
    QVERIFY(!o.value(QStringLiteral("refreshToken")).toString().isEmpty());
    QVERIFY(!o.value(QStringLiteral("clientSecret")).toString().isEmpty());
    QVERIFY(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"))
                .match(o.value(QStringLiteral("expiresAt")).toString())
                .hasMatch());
    // The client registration is cached under the CLI's key and reused by the next login.
    const QString regKey =
        CacheKeys::ssoRegistration(m_startUrl, QStringLiteral("us-east-1"),
                                   QStringList {QStringLiteral("sso:account:access")}, QStringLiteral("fake"));
    QVERIFY(QFileInfo::exists(m_home->filePath(QStringLiteral(".aws/sso/cache/%1.json").arg(regKey))));
    const auto second = login(QStringLiteral("sso"), 1);
    QVERIFY(second && second->ok());
    QCOMPARE((*second)->clientId, (*token)->clientId);
    QVERIFY((*second)->accessToken != (*token)->accessToken);

    // Now the profile gives role credentials, and caches them for the CLI.
    auto provider = createCredentialsProvider(options(QStringLiteral("sso")));
    QVERIFY(provider.ok());
    const auto c = credstest::fetchAndWait(**provider);
    QVERIFY2(c && c->ok(), c ? qPrintable(c->ok() ? QString() : c->error().toString()) : "no answer");
    QVERIFY((*c)->accessKeyId.startsWith(QStringLiteral("ASIA")));
    QCOMPARE((*c)->accountId, m_fake.defaultIdentity().accountId);
    QVERIFY((*c)->expiration && m_clock.nowUtc().secsTo(*(*c)->expiration) > 3000);
    const QString roleKey = CacheKeys::ssoRoleCredentials(
        m_fake.defaultIdentity().accountId, QStringLiteral("ReadOnly"), QStringLiteral("fake"), QString());
    const QJsonObject role =
        QJsonDocument::fromJson(
            credstest::readFile(m_home->filePath(QStringLiteral(".aws/cli/cache/%1.json").arg(roleKey))))
            .object();
    QCOMPARE(role.value(QStringLiteral("ProviderType")).toString(), QStringLiteral("sso"));
    QCOMPARE(role.value(QStringLiteral("Credentials")).toObject().value(QStringLiteral("AccessKeyId")).toString(),
             (*c)->accessKeyId);
}

void TestSsoFakeAws::legacyLoginHasNoRefreshToken()
{
    const auto token = login(QStringLiteral("legacy"), 1);
    QVERIFY(token && token->ok());
    QVERIFY((*token)->refreshToken.isEmpty());
    const QJsonObject o = tokenFile(m_startUrl);
    QCOMPARE(o.value(QStringLiteral("accessToken")).toString(), (*token)->accessToken);
    auto provider = createCredentialsProvider(options(QStringLiteral("legacy")));
    QVERIFY(provider.ok());
    const auto c = credstest::fetchAndWait(**provider);
    QVERIFY(c && c->ok());
}

void TestSsoFakeAws::tokenNearExpiryIsRefreshedAndCacheRewritten()
{
    const auto token = login(QStringLiteral("sso"), 1);
    QVERIFY(token && token->ok());
    // Ten minutes left: inside the 15-minute refresh window, still valid.
    SsoTokenCache cache(m_home->filePath(QStringLiteral(".aws/sso/cache")));
    SsoToken t = token->value();
    t.expiresAt = m_clock.nowUtc().addSecs(600);
    QVERIFY(cache.writeToken(QStringLiteral("fake"), t).ok());

    auto provider = createCredentialsProvider(options(QStringLiteral("sso")));
    QVERIFY(provider.ok());
    const auto c = credstest::fetchAndWait(**provider);
    QVERIFY2(c && c->ok(), c ? qPrintable(c->ok() ? QString() : c->error().toString()) : "no answer");
    const QJsonObject o = tokenFile(QStringLiteral("fake"));
    QVERIFY(o.value(QStringLiteral("accessToken")).toString() != t.accessToken);
    QVERIFY(o.value(QStringLiteral("refreshToken")).toString() != t.refreshToken); // rotated
    QVERIFY(m_clock.nowUtc().secsTo(QDateTime::fromString(o.value(QStringLiteral("expiresAt")).toString(), Qt::ISODate))
            > 3600);
}

void TestSsoFakeAws::expiredTokenIsRefreshed()
{
    const auto token = login(QStringLiteral("sso"), 1);
    QVERIFY(token && token->ok());
    m_fake.expireSsoTokens();
    SsoTokenCache cache(m_home->filePath(QStringLiteral(".aws/sso/cache")));
    SsoToken t = token->value();
    t.expiresAt = m_clock.nowUtc().addSecs(-60);
    QVERIFY(cache.writeToken(QStringLiteral("fake"), t).ok());

    auto provider = createCredentialsProvider(options(QStringLiteral("sso")));
    const auto c = credstest::fetchAndWait(**provider);
    QVERIFY2(c && c->ok(), c ? qPrintable(c->ok() ? QString() : c->error().toString()) : "no answer");
    QVERIFY(tokenFile(QStringLiteral("fake")).value(QStringLiteral("accessToken")).toString() != t.accessToken);
}

void TestSsoFakeAws::revokedSessionAsksForLogin()
{
    const auto token = login(QStringLiteral("sso"), 1);
    QVERIFY(token && token->ok());
    // The file still looks valid, but the service no longer accepts the token: 401.
    m_fake.expireSsoTokens();
    auto provider = createCredentialsProvider(options(QStringLiteral("sso")));
    const auto c = credstest::fetchAndWait(**provider);
    QVERIFY(c && !c->ok());
    QCOMPARE(c->error().kind, ErrorKind::Credentials);
    QCOMPARE(c->error().httpStatus, 401);
    QVERIFY2(c->error().message.contains(QStringLiteral("SSO session expired"))
                 && c->error().message.contains(QStringLiteral("`bastionless-cli login --profile sso`")),
             qPrintable(c->error().message));
}

void TestSsoFakeAws::slowDownAddsFiveSeconds()
{
    m_fake.sso().oidc().injectSlowDown(1);
    std::unique_ptr<SsoLogin> flow = makeLogin(QStringLiteral("sso"));
    QVERIFY(flow);
    QObject::connect(flow.get(), &SsoLogin::verificationReady, flow.get(),
                     [&](const QString&, const QString&, const QString& code) { m_fake.approveDeviceCode(code); });
    std::optional<Result<SsoToken>> out;
    QElapsedTimer timer;
    timer.start();
    flow->start([&](Result<SsoToken> r) { out = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 30000);
    QVERIFY(out->ok());
    QCOMPARE(flow->pollIntervalSecs(), 6);
    QVERIFY2(timer.elapsed() >= 5500, qPrintable(QString::number(timer.elapsed())));
}

void TestSsoFakeAws::deniedLogin()
{
    const auto r = login(QStringLiteral("sso"), 2);
    QVERIFY(r && !r->ok());
    QCOMPARE(r->error().kind, ErrorKind::Credentials);
    QVERIFY(r->error().message.contains(QStringLiteral("denied")));
}

void TestSsoFakeAws::expiredDeviceCode()
{
    m_fake.sso().oidc().setDeviceCodeLifetimeSecs(2);
    const auto r = login(QStringLiteral("sso"), 3);
    QVERIFY(r && !r->ok());
    QCOMPARE(r->error().kind, ErrorKind::Credentials);
    QVERIFY2(r->error().message.contains(QStringLiteral("expired before it was approved")),
             qPrintable(r->error().message));
}

void TestSsoFakeAws::cancelledLogin()
{
    const auto r = login(QStringLiteral("sso"), 4);
    QVERIFY(r && !r->ok());
    QCOMPARE(r->error().kind, ErrorKind::Cancelled);
    QVERIFY(!QFileInfo::exists(
        SsoTokenCache(m_home->filePath(QStringLiteral(".aws/sso/cache"))).tokenPath(QStringLiteral("fake"))));
}

QTEST_GUILESS_MAIN(TestSsoFakeAws)
#include "TestSsoFakeAws.moc"
