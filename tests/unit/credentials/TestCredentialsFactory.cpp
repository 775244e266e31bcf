// The provider chain: botocore's order over environment and profiles, errors for missing or broken
// profiles, source_profile loops, and the CLI caches consulted before any network call.
#include "core/aws/credentials/CredentialsFactory.h"

#include "core/aws/credentials/AssumeRoleProvider.h"
#include "core/aws/credentials/CacheKeys.h"
#include "core/aws/credentials/SsoLogin.h"
#include "core/aws/http/AwsHttpClient.h"

#include "CredsTestUtil.h"

#include <QTemporaryDir>
#include <QTimeZone>

using namespace bl;

namespace {

const QByteArray CredentialsFile = R"(
[default]
aws_access_key_id = AKIDCREDDEFAULT
aws_secret_access_key = s

[dev]
aws_access_key_id = AKIDCREDDEV
aws_secret_access_key = s
aws_session_token = devtoken

[both]
aws_access_key_id = AKIDCREDBOTH
aws_secret_access_key = s

[selfie]
aws_access_key_id = AKIDSELF
aws_secret_access_key = s
)";

// @PROC@ is replaced by the path of a script that prints credentials with key id AKIDPROC.
const QByteArray ConfigFile = R"(
[profile dev]
region = eu-west-1

[profile both]
credential_process = '@PROC@'

[profile procfirst]
credential_process = '@PROC@'
aws_access_key_id = AKIDCONFIGPROC
aws_secret_access_key = s

[profile cfgkeys]
aws_access_key_id = AKIDCONFIG
aws_secret_access_key = s

[profile legacytoken]
aws_access_key_id = AKIDTOK
aws_secret_access_key = s
aws_security_token = legacytok

[profile empty]
region = us-west-2

[profile ssoprof]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly
aws_access_key_id = AKIDIGNORED
aws_secret_access_key = s

[profile ssologinonly]
sso_session = corp

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile loop-a]
role_arn = arn:aws:iam::123456789012:role/A
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::123456789012:role/B
source_profile = loop-a

[profile selfloop]
role_arn = arn:aws:iam::123456789012:role/Self
source_profile = selfloop

[profile selfie]
role_arn = arn:aws:iam::123456789012:role/Self
source_profile = selfie

[profile chain-top]
role_arn = arn:aws:iam::123456789012:role/Top
source_profile = chain-mid

[profile chain-mid]
role_arn = arn:aws:iam::123456789012:role/Mid
source_profile = dev

[profile nosource]
role_arn = arn:aws:iam::123456789012:role/X

[profile twosources]
role_arn = arn:aws:iam::123456789012:role/X
source_profile = dev
credential_source = Environment

[profile imds]
role_arn = arn:aws:iam::123456789012:role/X
credential_source = Ec2InstanceMetadata

[profile ghostsource]
role_arn = arn:aws:iam::123456789012:role/X
source_profile = ghost

[profile mfa]
role_arn = arn:aws:iam::123456789012:role/Mfa
source_profile = dev
mfa_serial = arn:aws:iam::123456789012:mfa/alice

[profile cachedrole]
role_arn = arn:aws:iam::123456789012:role/Cached
source_profile = dev
duration_seconds = 3600

[profile badduration]
role_arn = arn:aws:iam::123456789012:role/X
source_profile = dev
duration_seconds = an hour

[profile webid]
role_arn = arn:aws:iam::123456789012:role/X
web_identity_token_file = /tmp/token
)";

} // namespace

class TestCredentialsFactory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void chainOrder_data();
    void chainOrder();
    void missingProfileNamesFilesAndAlternatives();
    void noCredentialsAnywhere();
    void brokenProfiles_data();
    void brokenProfiles();
    void selfSourceWithStaticKeys();
    void roleChainDescription();
    void cachedRoleCredentialsAvoidTheNetwork();
    void mfaWithoutPromptExplains();
    void ssoCachedRoleCredentials();
    void ssoExpiredTokenWithoutRefresh();
    void ssoLoginNeedsSsoProfile();

private:
    QProcessEnvironment baseEnv() const;
    Result<std::unique_ptr<CredentialsProvider>> create(const QProcessEnvironment& env, const QString& profile = {});

    std::unique_ptr<QTemporaryDir> m_home;
    FixedClock m_clock {QDateTime(QDate(2030, 1, 1), QTime(0, 0), QTimeZone::utc())};
    ClockSkew m_skew;
    std::unique_ptr<AwsHttpClient> m_http;
    std::optional<AwsConfig> m_config;
};

void TestCredentialsFactory::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    const QString proc = m_home->filePath(QStringLiteral("bin/proc.sh"));
    QVERIFY(credstest::writeFile(proc,
                                 "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
                                 "\"SecretAccessKey\": \"s\"}'\n",
                                 true));
    QByteArray config = ConfigFile;
    config.replace("@PROC@", proc.toUtf8());
    QVERIFY(credstest::writeFile(m_home->filePath(QStringLiteral(".aws/config")), config));
    QVERIFY(credstest::writeFile(m_home->filePath(QStringLiteral(".aws/credentials")), CredentialsFile));
    // Nothing here may reach a real endpoint.
    HttpSettings settings;
    settings.maxAttempts = 1;
    settings.requestTimeoutMs = 2000;
    m_http = std::make_unique<AwsHttpClient>(settings, m_clock, m_skew);
}

QProcessEnvironment TestCredentialsFactory::baseEnv() const
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("HOME"), m_home->path());
    env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    env.insert(QStringLiteral("AWS_ENDPOINT_URL"), QStringLiteral("http://127.0.0.1:9"));
    return env;
}

Result<std::unique_ptr<CredentialsProvider>> TestCredentialsFactory::create(const QProcessEnvironment& env,
                                                                            const QString& profile)
{
    Result<AwsConfig> config = AwsConfig::load(env);
    if (!config.ok())
        return config.error();
    m_config = config.value();
    CredentialsOptions o(*m_config, *m_http, m_clock);
    o.env = env;
    o.explicitProfile = profile;
    return createCredentialsProvider(o);
}

void TestCredentialsFactory::chainOrder_data()
{
    QTest::addColumn<QStringList>("vars");
    QTest::addColumn<QString>("explicitProfile");
    QTest::addColumn<QString>("expectedKey"); // empty: an error is expected
    QTest::addColumn<QString>("expectedToken");
    QTest::addColumn<QString>("describeOrError");

    const QStringList envKeys {QStringLiteral("AWS_ACCESS_KEY_ID=AKIDENV"), QStringLiteral("AWS_SECRET_ACCESS_KEY=s")};
    QTest::newRow("environment keys") << envKeys << QString() << QStringLiteral("AKIDENV") << QString()
                                      << QStringLiteral("environment");
    QTest::newRow("AWS_PROFILE does not override environment keys")
        << envKeys + QStringList {QStringLiteral("AWS_PROFILE=dev")} << QString() << QStringLiteral("AKIDENV")
        << QString() << QStringLiteral("environment");
    QTest::newRow("--profile disables environment keys")
        << envKeys << QStringLiteral("dev") << QStringLiteral("AKIDCREDDEV") << QStringLiteral("devtoken")
        << QStringLiteral("profile dev");
    QTest::newRow("AWS_PROFILE selects the profile")
        << QStringList {QStringLiteral("AWS_PROFILE=dev")} << QString() << QStringLiteral("AKIDCREDDEV")
        << QStringLiteral("devtoken") << QStringLiteral("profile dev");
    QTest::newRow("AWS_DEFAULT_PROFILE") << QStringList {QStringLiteral("AWS_DEFAULT_PROFILE=dev")} << QString()
                                         << QStringLiteral("AKIDCREDDEV") << QStringLiteral("devtoken")
                                         << QStringLiteral("profile dev");
    QTest::newRow("--profile beats AWS_PROFILE")
        << QStringList {QStringLiteral("AWS_PROFILE=dev")} << QStringLiteral("cfgkeys") << QStringLiteral("AKIDCONFIG")
        << QString() << QStringLiteral("profile cfgkeys");
    QTest::newRow("default profile") << QStringList() << QString() << QStringLiteral("AKIDCREDDEFAULT") << QString()
                                     << QStringLiteral("profile default");
    QTest::newRow("empty AWS_ACCESS_KEY_ID is ignored")
        << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID="), QStringLiteral("AWS_SECRET_ACCESS_KEY=s")} << QString()
        << QStringLiteral("AKIDCREDDEFAULT") << QString() << QStringLiteral("profile default");
    QTest::newRow("credentials-file keys before credential_process")
        << QStringList() << QStringLiteral("both") << QStringLiteral("AKIDCREDBOTH") << QString()
        << QStringLiteral("static keys");
    QTest::newRow("credential_process before config-file keys")
        << QStringList() << QStringLiteral("procfirst") << QStringLiteral("AKIDPROC") << QString()
        << QStringLiteral("credential_process");
    QTest::newRow("config-file keys") << QStringList() << QStringLiteral("cfgkeys") << QStringLiteral("AKIDCONFIG")
                                      << QString() << QStringLiteral("config");
    QTest::newRow("aws_security_token") << QStringList() << QStringLiteral("legacytoken") << QStringLiteral("AKIDTOK")
                                        << QStringLiteral("legacytok") << QStringLiteral("static keys");
    QTest::newRow("SSO comes before static keys")
        << QStringList() << QStringLiteral("ssoprof") << QString() << QString()
        << QStringLiteral("run `bastionless-cli login --profile ssoprof`");
    QTest::newRow("profile without credentials") << QStringList() << QStringLiteral("empty") << QString() << QString()
                                                 << QStringLiteral("profile empty has no keys");
    QTest::newRow("missing AWS_PROFILE profile, environment keys win")
        << envKeys + QStringList {QStringLiteral("AWS_PROFILE=ghost")} << QString() << QStringLiteral("AKIDENV")
        << QString() << QStringLiteral("environment");
    QTest::newRow("missing AWS_PROFILE profile")
        << QStringList {QStringLiteral("AWS_PROFILE=ghost")} << QString() << QString() << QString()
        << QStringLiteral("Profile ghost (from AWS_PROFILE) exists in neither");
}

void TestCredentialsFactory::chainOrder()
{
    QFETCH(QStringList, vars);
    QFETCH(QString, explicitProfile);
    QFETCH(QString, expectedKey);
    QFETCH(QString, expectedToken);
    QFETCH(QString, describeOrError);
    QProcessEnvironment env = baseEnv();
    for (const QString& v : vars)
        env.insert(v.section(QLatin1Char('='), 0, 0), v.section(QLatin1Char('='), 1));

    auto provider = create(env, explicitProfile);
    if (!provider.ok()) {
        QVERIFY2(expectedKey.isEmpty(), qPrintable(provider.error().toString()));
        QVERIFY2(provider.error().message.contains(describeOrError), qPrintable(provider.error().message));
        return;
    }
    const auto r = credstest::fetchAndWait(**provider);
    QVERIFY(r);
    if (expectedKey.isEmpty()) {
        QVERIFY(!r->ok());
        QVERIFY2(r->error().message.contains(describeOrError), qPrintable(r->error().message));
        return;
    }
    QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : r->error().toString()));
    QCOMPARE((*r)->accessKeyId, expectedKey);
    QCOMPARE((*r)->sessionToken, expectedToken);
    QVERIFY2((*provider)->describe().contains(describeOrError), qPrintable((*provider)->describe()));
}

void TestCredentialsFactory::missingProfileNamesFilesAndAlternatives()
{
    const auto r = create(baseEnv(), QStringLiteral("ghost"));
    QVERIFY(!r.ok());
    const Error& e = r.error();
    QCOMPARE(e.kind, ErrorKind::Config);
    QVERIFY(e.message.contains(QStringLiteral("Profile ghost")));
    QVERIFY2(e.message.contains(m_home->filePath(QStringLiteral(".aws/config"))), qPrintable(e.message));
    QVERIFY(e.message.contains(m_home->filePath(QStringLiteral(".aws/credentials"))));
    QVERIFY2(e.hint.contains(QStringLiteral("Available profiles: default, badduration, both, cachedrole")),
             qPrintable(e.hint));
    QVERIFY(e.hint.contains(QStringLiteral("dev")));
}

void TestCredentialsFactory::noCredentialsAnywhere()
{
    QProcessEnvironment env = baseEnv();
    env.insert(QStringLiteral("AWS_CONFIG_FILE"), m_home->filePath(QStringLiteral("absent-config")));
    env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), m_home->filePath(QStringLiteral("absent-credentials")));
    const auto r = create(env);
    QVERIFY(!r.ok());
    const Error& e = r.error();
    QCOMPARE(e.kind, ErrorKind::Credentials);
    QVERIFY(e.message.contains(QStringLiteral("No AWS credentials found")));
    QVERIFY(e.message.contains(QStringLiteral("absent-config")));
    QVERIFY(e.hint.contains(QStringLiteral("AWS_PROFILE")));
    QVERIFY(e.hint.contains(QStringLiteral("bastionless-cli login")));
    QVERIFY(e.hint.contains(QStringLiteral("instance metadata")));
}

void TestCredentialsFactory::brokenProfiles_data()
{
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("loop") << QStringLiteral("loop-a") << QStringLiteral("loop: loop-a -> loop-b -> loop-a");
    QTest::newRow("self without keys") << QStringLiteral("selfloop") << QStringLiteral("loop: selfloop -> selfloop");
    QTest::newRow("no source") << QStringLiteral("nosource")
                               << QStringLiteral("neither source_profile nor "
                                                 "credential_source");
    QTest::newRow("two sources") << QStringLiteral("twosources")
                                 << QStringLiteral("both source_profile and credential_source");
    QTest::newRow("instance metadata") << QStringLiteral("imds") << QStringLiteral("Ec2InstanceMetadata");
    QTest::newRow("missing source") << QStringLiteral("ghostsource") << QStringLiteral("source_profile ghost");
    QTest::newRow("bad duration") << QStringLiteral("badduration") << QStringLiteral("duration_seconds");
    QTest::newRow("web identity") << QStringLiteral("webid") << QStringLiteral("web_identity_token_file");
    QTest::newRow("SSO without role") << QStringLiteral("ssologinonly") << QStringLiteral("sso_account_id");
}

void TestCredentialsFactory::brokenProfiles()
{
    QFETCH(QString, profile);
    QFETCH(QString, errorContains);
    const auto r = create(baseEnv(), profile);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::Config);
    QVERIFY2(r.error().message.contains(errorContains), qPrintable(r.error().message));
    QVERIFY(!r.error().hint.isEmpty());
}

void TestCredentialsFactory::selfSourceWithStaticKeys()
{
    const auto r = create(baseEnv(), QStringLiteral("selfie"));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    QVERIFY2((*r)->describe().contains(QStringLiteral("role arn:aws:iam::123456789012:role/Self, source: profile "
                                                      "selfie: static keys")),
             qPrintable((*r)->describe()));
}

void TestCredentialsFactory::roleChainDescription()
{
    const auto r = create(baseEnv(), QStringLiteral("chain-top"));
    QVERIFY(r.ok());
    const QString d = (*r)->describe();
    QVERIFY2(d.contains(QStringLiteral("role/Top")) && d.contains(QStringLiteral("role/Mid"))
                 && d.contains(QStringLiteral("profile dev: static keys")),
             qPrintable(d));
}

void TestCredentialsFactory::cachedRoleCredentialsAvoidTheNetwork()
{
    AssumeRoleParams p;
    p.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/Cached");
    p.durationSeconds = 3600;
    const QString key = CacheKeys::assumeRole(AssumeRoleProvider::cacheKeyArgs(p));
    const QString file = m_home->filePath(QStringLiteral(".aws/cli/cache/%1.json").arg(key));
    QVERIFY(credstest::writeFile(file, R"({"Credentials": {"AccessKeyId": "ASIACACHED", "SecretAccessKey": "s",
        "SessionToken": "t", "Expiration": "2030-01-01T00:30:00Z"}})"));
    auto r = create(baseEnv(), QStringLiteral("cachedrole"));
    QVERIFY(r.ok());
    auto c = credstest::fetchAndWait(**r);
    QVERIFY2(c && c->ok(), c ? qPrintable(c->ok() ? QString() : c->error().message) : "no answer");
    QCOMPARE((*c)->accessKeyId, QStringLiteral("ASIACACHED"));
    QCOMPARE(m_http->requestCount(), 0);

    // With less than 15 minutes left the cache entry is not used: STS is called (and unreachable here).
    m_clock.advance(16 * 60);
    r = create(baseEnv(), QStringLiteral("cachedrole"));
    c = credstest::fetchAndWait(**r);
    QVERIFY(c && !c->ok());
    QVERIFY2(c->error().message.contains(QStringLiteral("role/Cached")), qPrintable(c->error().message));
    QCOMPARE(m_http->requestCount(), 1);
    m_clock.advance(-16 * 60);
}

void TestCredentialsFactory::mfaWithoutPromptExplains()
{
    const auto r = create(baseEnv(), QStringLiteral("mfa"));
    QVERIFY(r.ok());
    QVERIFY((*r)->describe().contains(QStringLiteral("with MFA arn:aws:iam::123456789012:mfa/alice")));
    const auto c = credstest::fetchAndWait(**r);
    QVERIFY(c && !c->ok());
    QCOMPARE(c->error().kind, ErrorKind::Credentials);
    QVERIFY2(c->error().message.contains(QStringLiteral("needs an MFA code")), qPrintable(c->error().message));
    QCOMPARE(m_http->requestCount(), 0);
}

void TestCredentialsFactory::ssoCachedRoleCredentials()
{
    const QString key = CacheKeys::ssoRoleCredentials(QStringLiteral("123456789012"), QStringLiteral("ReadOnly"),
                                                      QStringLiteral("corp"), QString());
    QVERIFY(credstest::writeFile(m_home->filePath(QStringLiteral(".aws/cli/cache/%1.json").arg(key)),
                                 R"({"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIASSOCACHE",
                                 "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2030-01-01T01:00:00Z",
                                 "AccountId": "123456789012"}})"));
    const auto r = create(baseEnv(), QStringLiteral("ssoprof"));
    QVERIFY(r.ok());
    QVERIFY((*r)->describe().contains(QStringLiteral("IAM Identity Center")));
    const auto c = credstest::fetchAndWait(**r);
    QVERIFY(c && c->ok());
    QCOMPARE((*c)->accessKeyId, QStringLiteral("ASIASSOCACHE"));
    QCOMPARE((*c)->accountId, QStringLiteral("123456789012"));
    QCOMPARE(m_http->requestCount(), 0);
}

void TestCredentialsFactory::ssoExpiredTokenWithoutRefresh()
{
    QVERIFY(credstest::writeFile(
        m_home->filePath(QStringLiteral(".aws/sso/cache/%1.json").arg(CacheKeys::ssoToken(QStringLiteral("corp")))),
        R"({"accessToken": "old", "expiresAt": "2029-12-31T23:00:00Z"})"));
    const auto r = create(baseEnv(), QStringLiteral("ssoprof"));
    QVERIFY(r.ok());
    const auto c = credstest::fetchAndWait(**r);
    QVERIFY(c && !c->ok());
    QCOMPARE(c->error().kind, ErrorKind::Credentials);
    QVERIFY2(c->error().message.contains(QStringLiteral("SSO session expired")), qPrintable(c->error().message));
    QVERIFY(c->error().message.contains(QStringLiteral("bastionless-cli login --profile ssoprof")));
    QCOMPARE(m_http->requestCount(), 0);
}

void TestCredentialsFactory::ssoLoginNeedsSsoProfile()
{
    Result<AwsConfig> config = AwsConfig::load(baseEnv());
    QVERIFY(config.ok());
    CredentialsOptions o(*config, *m_http, m_clock);
    o.env = baseEnv();
    o.explicitProfile = QStringLiteral("dev");
    auto login = createSsoLogin(o);
    QVERIFY(!login.ok());
    QCOMPARE(login.error().kind, ErrorKind::Config);
    QVERIFY(login.error().message.contains(QStringLiteral("no IAM Identity Center")));
    o.explicitProfile = QStringLiteral("ssologinonly");
    login = createSsoLogin(o);
    QVERIFY2(login.ok(), qPrintable(login.ok() ? QString() : login.error().message));
}

QTEST_GUILESS_MAIN(TestCredentialsFactory)
#include "TestCredentialsFactory.moc"
