// Assume-role profiles against fakeaws::FakeAws over HTTPS on 127.0.0.1: source_profile, role chains, MFA
// (answered, wrong, malformed), external ids, refusals, and the CLI cache shared with `aws`.
#include "core/aws/credentials/AssumeRoleProvider.h"
#include "core/aws/credentials/CacheKeys.h"
#include "core/aws/credentials/CredentialsFactory.h"
#include "core/aws/http/AwsHttpClient.h"
#include "tests/fakeaws/FakeAws.h"

#include "CredsTestUtil.h"

#include <QTemporaryDir>
#include <QTimer>

using namespace bl;

class TestAssumeRoleFakeAws : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void sourceProfileAndCliCache();
    void roleChain();
    void mfaPromptAnswered();
    void mfaWrongCodeRefused();
    void mfaMalformedCodeNeverSent();
    void mfaPromptCancelled();
    void externalId_data();
    void externalId();
    void deniedRoleNamesPermission();

private:
    Result<std::unique_ptr<CredentialsProvider>> create(const QString& profile, MfaPrompt prompt = {});
    // GetCallerIdentity with the given credentials: the ARN fakeaws sees.
    QString callerArn(const Credentials& c);

    fakeaws::FakeAws m_fake;
    std::unique_ptr<QTemporaryDir> m_home;
    QProcessEnvironment m_env;
    SystemClock m_clock;
    ClockSkew m_skew;
    std::unique_ptr<AwsHttpClient> m_http;
    std::optional<AwsConfig> m_config;
};

void TestAssumeRoleFakeAws::initTestCase()
{
    const auto started = m_fake.start();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
}

void TestAssumeRoleFakeAws::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    const QString acct = m_fake.defaultIdentity().accountId;
    const QString config = QStringLiteral(R"(
[profile admin]
role_arn = arn:aws:iam::%1:role/FakeAwsAdmin
source_profile = base

[profile chained]
role_arn = arn:aws:iam::%1:role/SecondHop
source_profile = admin
role_session_name = second-hop

[profile mfa]
role_arn = arn:aws:iam::%1:role/AdminMfa
source_profile = base
mfa_serial = arn:aws:iam::%1:mfa/alice

[profile ext]
role_arn = arn:aws:iam::%1:role/PartnerExternalAccess
source_profile = base
external_id = %2

[profile extwrong]
role_arn = arn:aws:iam::%1:role/PartnerExternalAccess
source_profile = base
external_id = not-the-right-one

[profile denied]
role_arn = arn:aws:iam::%1:role/DeniedRole
source_profile = base
)")
                               .arg(acct, m_fake.sts().externalId());
    const QString credentials =
        QStringLiteral("[base]\naws_access_key_id = %1\naws_secret_access_key = %2\n")
            .arg(m_fake.defaultIdentity().accessKeyId, m_fake.defaultIdentity().secretAccessKey);
    QVERIFY(credstest::writeFile(m_home->filePath(QStringLiteral(".aws/config")), config.toUtf8()));
    QVERIFY(credstest::writeFile(m_home->filePath(QStringLiteral(".aws/credentials")), credentials.toUtf8()));

    m_env = QProcessEnvironment();
    m_env.insert(QStringLiteral("HOME"), m_home->path());
    m_env.insert(QStringLiteral("AWS_ENDPOINT_URL"), m_fake.endpointUrl());
    m_env.insert(QStringLiteral("AWS_CA_BUNDLE"), m_fake.caBundlePath());
    HttpSettings settings = HttpSettings::fromEnvironment(m_env);
    settings.maxAttempts = 1;
    m_http = std::make_unique<AwsHttpClient>(settings, m_clock, m_skew);
}

Result<std::unique_ptr<CredentialsProvider>> TestAssumeRoleFakeAws::create(const QString& profile, MfaPrompt prompt)
{
    Result<AwsConfig> config = AwsConfig::load(m_env);
    if (!config.ok())
        return config.error();
    m_config = config.value();
    CredentialsOptions o(*m_config, *m_http, m_clock);
    o.env = m_env;
    o.explicitProfile = profile;
    o.mfaPrompt = std::move(prompt);
    return createCredentialsProvider(o);
}

QString TestAssumeRoleFakeAws::callerArn(const Credentials& c)
{
    AwsRequest r;
    r.signingName = QStringLiteral("sts");
    r.operation = QStringLiteral("GetCallerIdentity");
    r.protocol = AwsProtocol::Query;
    r.headers.append(qMakePair(QByteArrayLiteral("Content-Type"),
                               QByteArrayLiteral("application/x-www-form-urlencoded; charset=utf-8")));
    r.body = "Action=GetCallerIdentity&Version=2011-06-15";
    QObject context;
    std::optional<Result<AwsResponse>> out;
    m_http->send(r, QUrl(m_fake.endpointUrl()), QStringLiteral("us-east-1"), c, &context,
                 [&](Result<AwsResponse> resp) { out = std::move(resp); });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 15000) || !out->ok())
        return {};
    const QByteArray body = (*out)->body;
    const int start = body.indexOf("<Arn>");
    const int end = body.indexOf("</Arn>");
    return start < 0 || end < 0 ? QString() : QString::fromUtf8(body.mid(start + 5, end - start - 5));
}

void TestAssumeRoleFakeAws::sourceProfileAndCliCache()
{
    auto provider = create(QStringLiteral("admin"));
    QVERIFY2(provider.ok(), qPrintable(provider.ok() ? QString() : provider.error().toString()));
    const auto r = credstest::fetchAndWait(**provider);
    QVERIFY2(r && r->ok(), r ? qPrintable(r->ok() ? QString() : r->error().toString()) : "no answer");
    const Credentials c = r->value();
    QVERIFY(c.accessKeyId.startsWith(QStringLiteral("ASIA")));
    QVERIFY(!c.sessionToken.isEmpty());
    QVERIFY(c.expiration && m_clock.nowUtc().secsTo(*c.expiration) > 3000);
    QCOMPARE(c.accountId, m_fake.defaultIdentity().accountId);
    QVERIFY2(callerArn(c).contains(QStringLiteral(":assumed-role/FakeAwsAdmin/botocore-session-")),
             qPrintable(callerArn(c)));

    // The CLI's cache file, named by the CLI's key, private.
    AssumeRoleParams p;
    p.roleArn = QStringLiteral("arn:aws:iam::%1:role/FakeAwsAdmin").arg(m_fake.defaultIdentity().accountId);
    const QString file = m_home->filePath(
        QStringLiteral(".aws/cli/cache/%1.json").arg(CacheKeys::assumeRole(AssumeRoleProvider::cacheKeyArgs(p))));
    QVERIFY2(QFileInfo::exists(file), qPrintable(file));
    QCOMPARE(QFile::permissions(file) & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
    QVERIFY(credstest::readFile(file).contains(c.accessKeyId.toUtf8()));

    // A new process (new provider) reuses the cached credentials without calling STS.
    const int before = m_http->requestCount();
    auto again = create(QStringLiteral("admin"));
    const auto r2 = credstest::fetchAndWait(**again);
    QVERIFY(r2 && r2->ok());
    QCOMPARE((*r2)->accessKeyId, c.accessKeyId);
    QCOMPARE(m_http->requestCount(), before);
    // After invalidate() (e.g. ExpiredToken from a service) the cache file is bypassed.
    (*again)->invalidate();
    const auto r3 = credstest::fetchAndWait(**again);
    QVERIFY(r3 && r3->ok());
    QVERIFY((*r3)->accessKeyId != c.accessKeyId);
    QCOMPARE(m_http->requestCount(), before + 1);
}

void TestAssumeRoleFakeAws::roleChain()
{
    auto provider = create(QStringLiteral("chained"));
    QVERIFY(provider.ok());
    const auto r = credstest::fetchAndWait(**provider);
    QVERIFY2(r && r->ok(), r ? qPrintable(r->ok() ? QString() : r->error().toString()) : "no answer");
    QVERIFY2(callerArn(r->value()).endsWith(QStringLiteral(":assumed-role/SecondHop/second-hop")),
             qPrintable(callerArn(r->value())));
}

void TestAssumeRoleFakeAws::mfaPromptAnswered()
{
    QStringList asked;
    auto provider =
        create(QStringLiteral("mfa"), [&](const QString& serial, QObject* context, Callback<QString> answer) {
            asked << serial;
            // A person takes a moment to answer.
            QTimer::singleShot(10, context, [answer] { answer(QStringLiteral("123456")); });
        });
    QVERIFY(provider.ok());
    const auto r = credstest::fetchAndWait(**provider);
    QVERIFY2(r && r->ok(), r ? qPrintable(r->ok() ? QString() : r->error().toString()) : "no answer");
    QCOMPARE(asked, QStringList {QStringLiteral("arn:aws:iam::%1:mfa/alice").arg(m_fake.defaultIdentity().accountId)});
    QVERIFY(callerArn(r->value()).contains(QStringLiteral("assumed-role/AdminMfa/")));
    // Cached: no second prompt.
    QVERIFY(credstest::fetchAndWait(**provider)->ok());
    QCOMPARE(asked.size(), 1);
}

void TestAssumeRoleFakeAws::mfaWrongCodeRefused()
{
    auto provider = create(QStringLiteral("mfa"), [](const QString&, QObject* context, Callback<QString> answer) {
        QTimer::singleShot(0, context, [answer] { answer(QStringLiteral("654321")); });
    });
    QVERIFY(provider.ok());
    const auto r = credstest::fetchAndWait(**provider);
    QVERIFY(r && !r->ok());
    QCOMPARE(r->error().kind, ErrorKind::Credentials);
    QCOMPARE(r->error().awsCode, QStringLiteral("AccessDenied"));
    QVERIFY(r->error().message.contains(QStringLiteral("role/AdminMfa")));
    QVERIFY2(r->error().hint.contains(QStringLiteral("MFA code")), qPrintable(r->error().hint));
}

void TestAssumeRoleFakeAws::mfaMalformedCodeNeverSent()
{
    auto provider = create(QStringLiteral("mfa"), [](const QString&, QObject* context, Callback<QString> answer) {
        QTimer::singleShot(0, context, [answer] { answer(QStringLiteral("12 34")); });
    });
    QVERIFY(provider.ok());
    const int before = m_http->requestCount();
    const auto r = credstest::fetchAndWait(**provider);
    QVERIFY(r && !r->ok());
    QCOMPARE(r->error().kind, ErrorKind::Usage);
    QVERIFY(r->error().message.contains(QStringLiteral("6 digits")));
    QCOMPARE(m_http->requestCount(), before);
}

void TestAssumeRoleFakeAws::mfaPromptCancelled()
{
    auto provider = create(QStringLiteral("mfa"), [](const QString&, QObject* context, Callback<QString> answer) {
        QTimer::singleShot(0, context, [answer] {
            answer(Error::make(ErrorKind::Cancelled, QStringLiteral("MFA prompt cancelled")));
        });
    });
    QVERIFY(provider.ok());
    const auto r = credstest::fetchAndWait(**provider);
    QVERIFY(r && !r->ok());
    QCOMPARE(r->error().kind, ErrorKind::Cancelled);
}

void TestAssumeRoleFakeAws::externalId_data()
{
    QTest::addColumn<QString>("profile");
    QTest::addColumn<bool>("ok");
    QTest::newRow("right external id") << QStringLiteral("ext") << true;
    QTest::newRow("wrong external id") << QStringLiteral("extwrong") << false;
}

void TestAssumeRoleFakeAws::externalId()
{
    QFETCH(QString, profile);
    QFETCH(bool, ok);
    auto provider = create(profile);
    QVERIFY(provider.ok());
    const auto r = credstest::fetchAndWait(**provider);
    QVERIFY(r);
    QCOMPARE(r->ok(), ok);
    if (!ok) {
        QCOMPARE(r->error().kind, ErrorKind::Credentials);
        QVERIFY2(r->error().hint.contains(QStringLiteral("external_id")), qPrintable(r->error().hint));
    }
}

void TestAssumeRoleFakeAws::deniedRoleNamesPermission()
{
    auto provider = create(QStringLiteral("denied"));
    QVERIFY(provider.ok());
    const auto r = credstest::fetchAndWait(**provider);
    QVERIFY(r && !r->ok());
    const Error& e = r->error();
    QCOMPARE(e.kind, ErrorKind::Credentials);
    QVERIFY(!e.requestId.isEmpty());
    QVERIFY2(e.hint.contains(QStringLiteral("sts:AssumeRole")) && e.hint.contains(QStringLiteral("role/DeniedRole")),
             qPrintable(e.hint));
}

QTEST_GUILESS_MAIN(TestAssumeRoleFakeAws)
#include "TestAssumeRoleFakeAws.moc"
