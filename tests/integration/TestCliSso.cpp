// IAM Identity Center from the command line: `bastionless-cli login` with the device flow (a $BROWSER script
// that really opens the verification page, or the test approving the code the CLI printed), the token cache
// the AWS CLI shares (~/.aws/sso/cache/<sha1 of the session name>.json, 0600), `whoami` from that cache, and
// what happens when the session ends on the server or on the client (refresh token, or "log in again").

#include "CliRunner.h"
#include "CliSandbox.h"
#include "tests/fakeaws/FakeAws.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTest>

using fakeaws::FakeAws;

namespace {

const QString kAccount = QStringLiteral("111122223333");

} // namespace

class TestCliSso : public QObject
{
    Q_OBJECT

private:
    QString cacheFile() const
    {
        const QByteArray key = QCryptographicHash::hash("corp", QCryptographicHash::Sha1).toHex();
        return m_box->home() + QStringLiteral("/.aws/sso/cache/") + QString::fromLatin1(key) + QStringLiteral(".json");
    }

    QJsonObject readCache() const
    {
        QFile f(cacheFile());
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(f.readAll()).object();
    }

    void writeCache(const QJsonObject& cache) const
    {
        QFile f(cacheFile());
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QVERIFY(f.write(QJsonDocument(cache).toJson()) > 0);
    }

    // The device flow, approved by the test through the code the CLI printed (what a person compares).
    void loginApprovingPrintedCode(CliResult* result)
    {
        CliRunner login(m_box->env);
        login.start({QStringLiteral("login"), QStringLiteral("--profile"), QStringLiteral("sso"),
                     QStringLiteral("--no-browser")});
        const QRegularExpression codeLine(QStringLiteral("\\n\\s+([A-Z0-9]{4}-[A-Z0-9]{4})\\s*\\n"));
        QString code;
        QTRY_VERIFY_WITH_TIMEOUT((code = codeLine.match(login.outputSoFar()).captured(1), !code.isEmpty()), 20000);
        QVERIFY2(m_aws->sso().oidc().pendingUserCodes().contains(code), qPrintable(code));
        QVERIFY(m_aws->approveDeviceCode(code));
        *result = login.waitForFinished(30000);
        CLI_EXPECT_OK(*result);
    }

    QStringList secrets() const
    {
        QStringList s = {m_aws->defaultIdentity().secretAccessKey};
        const QJsonObject cache = readCache();
        for (const char* key : {"accessToken", "refreshToken", "clientSecret"})
            s << cache.value(QLatin1String(key)).toString();
        return s;
    }

    std::unique_ptr<FakeAws> m_aws;
    std::unique_ptr<CliSandbox> m_box;

private Q_SLOTS:
    void initTestCase()
    {
        m_aws = std::make_unique<FakeAws>();
        const bl::Result<void> started = m_aws->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().summary()));
        m_aws->setSsoAccounts({{kAccount,
                                QStringLiteral("sandbox"),
                                QStringLiteral("sandbox@example.com"),
                                {QStringLiteral("ReadOnly"), QStringLiteral("Admin")}}});
    }

    void init()
    {
        m_box = std::make_unique<CliSandbox>(*m_aws);
        QVERIFY(m_box->isValid());
        m_box->withoutEnvironmentKeys();
        m_box->setConfig(QStringLiteral("[profile sso]\nsso_session = corp\nsso_account_id = %1\n"
                                        "sso_role_name = ReadOnly\nregion = us-east-1\n\n"
                                        "[profile sso-admin]\nsso_session = corp\nsso_account_id = %1\n"
                                        "sso_role_name = Admin\nregion = us-east-1\n\n"
                                        "[profile plain]\nregion = us-east-1\n\n"
                                        "[sso-session corp]\nsso_start_url = %2/start\nsso_region = us-east-1\n"
                                        "sso_registration_scopes = sso:account:access\n")
                             .arg(kAccount, m_aws->endpointUrl())
                             .toUtf8());
        m_aws->faults().resetCounters();
    }

    void whoamiBeforeLogin()
    {
        const CliResult r = m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("sso")});
        CLI_EXPECT_FAILURE(r, 3);
        CLI_VERIFY(r.err.contains(QLatin1String("login --profile sso")), r);
        QCOMPARE(m_aws->faults().totalRequests(), 0);
    }

    void loginThroughBrowser()
    {
        // The "browser" fetches the verification page like a person's browser; fakeaws approves on that GET.
        const QString page = m_box->path(QStringLiteral("browser-page.html"));
        m_box->env.insert(
            QStringLiteral("BROWSER"),
            m_box->writeScript(QStringLiteral("bin/browser"),
                               QStringLiteral("exec curl -sS --fail --max-time 10 --cacert \"$AWS_CA_BUNDLE\" -o '%1' "
                                              "\"$1\"\n")
                                   .arg(page)
                                   .toUtf8()));
        const CliResult r = m_box->run({QStringLiteral("login"), QStringLiteral("--profile"), QStringLiteral("sso")});
        CLI_EXPECT_OK(r, secrets());
        CLI_VERIFY(r.out.contains(m_aws->endpointUrl() + QStringLiteral("/device?user_code=")), r);
        CLI_VERIFY(r.out.contains(QLatin1String("Logged in")), r);
        QFile html(page);
        QVERIFY(html.open(QIODevice::ReadOnly));
        QVERIFY(html.readAll().contains("approved"));

        // The cache file the AWS CLI would write: named by the session, private, with a usable token.
        QVERIFY2(QFile::exists(cacheFile()), qPrintable(cacheFile()));
        QCOMPARE(CliSandbox::fileMode(cacheFile()), 0600);
        const QJsonObject cache = readCache();
        QVERIFY(!cache.value(QStringLiteral("accessToken")).toString().isEmpty());
        QCOMPARE(cache.value(QStringLiteral("startUrl")).toString(), m_aws->endpointUrl() + QStringLiteral("/start"));
        QCOMPARE(cache.value(QStringLiteral("region")).toString(), QStringLiteral("us-east-1"));
        const QDateTime expires =
            QDateTime::fromString(cache.value(QStringLiteral("expiresAt")).toString(), Qt::ISODate);
        QVERIFY(expires > QDateTime::currentDateTimeUtc().addSecs(3600));

        const CliResult who =
            m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("sso")});
        CLI_EXPECT_OK(who, secrets());
        CLI_VERIFY(
            who.out.contains(QStringLiteral("arn:aws:sts::%1:assumed-role/AWSReservedSSO_ReadOnly_").arg(kAccount)),
            who);
        CLI_VERIFY(who.out.contains(QStringLiteral("Account:     %1").arg(kAccount)), who);
    }

    void loginApprovedFromTest()
    {
        CliResult r;
        loginApprovingPrintedCode(&r);
        if (QTest::currentTestFailed())
            return;
        CLI_EXPECT_OK(r, secrets());
        QVERIFY(QFile::exists(cacheFile()));
        // Both profiles of the session share the one login.
        for (const QString& profile : {QStringLiteral("sso"), QStringLiteral("sso-admin")}) {
            const CliResult who = m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), profile});
            CLI_EXPECT_OK(who, secrets());
            CLI_VERIFY(who.out.contains(QLatin1String("AWSReservedSSO_")), who);
        }
    }

    void serverEndsTheSession()
    {
        CliResult login;
        loginApprovingPrintedCode(&login);
        if (QTest::currentTestFailed())
            return;
        const CliResult first =
            m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("sso")});
        CLI_EXPECT_OK(first, secrets());

        m_aws->expireSsoTokens();
        // Role credentials already fetched stay valid for their hour (shared through ~/.aws/cli/cache, as
        // with the AWS CLI) ...
        const CliResult cached =
            m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("sso")});
        CLI_EXPECT_OK(cached, secrets());
        // ... but anything that needs the portal now says to log in again. The token has not expired by the
        // client's clock, so there is nothing to refresh: the portal's 401 is the news.
        const CliResult r =
            m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("sso-admin")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.errorText().contains(QLatin1String("expired")), r);
        CLI_VERIFY(r.err.contains(QLatin1String("bastionless-cli login --profile sso-admin")), r);
    }

    void expiredTokenIsRefreshed()
    {
        CliResult login;
        loginApprovingPrintedCode(&login);
        if (QTest::currentTestFailed())
            return;
        // Make the cached token expired by the client's clock; the refresh token is still good.
        QJsonObject cache = readCache();
        const QString oldToken = cache.value(QStringLiteral("accessToken")).toString();
        QVERIFY(!cache.value(QStringLiteral("refreshToken")).toString().isEmpty());
        cache.insert(QStringLiteral("expiresAt"), QStringLiteral("2020-01-01T00:00:00Z"));
        writeCache(cache);
        const int issued = m_aws->sso().oidc().issuedAccessTokenCount();

        const CliResult r = m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("sso")});
        CLI_EXPECT_OK(r, secrets() << oldToken);
        QCOMPARE(m_aws->sso().oidc().issuedAccessTokenCount(), issued + 1);
        const QJsonObject refreshed = readCache();
        QVERIFY(refreshed.value(QStringLiteral("accessToken")).toString() != oldToken);
        QVERIFY(QDateTime::fromString(refreshed.value(QStringLiteral("expiresAt")).toString(), Qt::ISODate)
                > QDateTime::currentDateTimeUtc());
    }

    void expiredTokenWithoutRefresh()
    {
        CliResult login;
        loginApprovingPrintedCode(&login);
        if (QTest::currentTestFailed())
            return;
        QJsonObject cache = readCache();
        cache.insert(QStringLiteral("expiresAt"), QStringLiteral("2020-01-01T00:00:00Z"));
        writeCache(cache);
        m_aws->sso().oidc().revokeRefreshTokens();

        const CliResult r = m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("sso")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.errorText().contains(QLatin1String("expired")), r);
        CLI_VERIFY(r.err.contains(QLatin1String("login --profile sso")), r);
    }

    void garbledPortalAnswer()
    {
        CliResult login;
        loginApprovingPrintedCode(&login);
        if (QTest::currentTestFailed())
            return;
        for (const auto fault :
             {fakeaws::FaultInjector::Fault::GarbageBody, fakeaws::FaultInjector::Fault::TruncatedBody}) {
            m_aws->faults().failNext(1, fault, QStringLiteral("GetRoleCredentials"));
            const CliResult r =
                m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("sso")});
            CLI_EXPECT_FAILURE(r, 5, secrets());
            CLI_VERIFY(r.errorText().contains(QLatin1String("GetRoleCredentials")), r);
        }
        // Nothing bad was cached: the next call works.
        const CliResult r = m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("sso")});
        CLI_EXPECT_OK(r, secrets());
    }

    void loginNotApprovedInTime()
    {
        m_aws->sso().oidc().setDeviceCodeLifetimeSecs(2);
        const auto restore = qScopeGuard([this] { m_aws->sso().oidc().setDeviceCodeLifetimeSecs(600); });
        const CliResult r = m_box->run({QStringLiteral("login"), QStringLiteral("--profile"), QStringLiteral("sso"),
                                        QStringLiteral("--no-browser")});
        CLI_EXPECT_FAILURE(r, 3);
        CLI_VERIFY(r.errorText().contains(QLatin1String("expired"), Qt::CaseInsensitive), r);
        QVERIFY(!QFile::exists(cacheFile()));
    }

    void loginForProfileWithoutSso()
    {
        const CliResult r = m_box->run({QStringLiteral("login"), QStringLiteral("--profile"), QStringLiteral("plain")});
        CLI_EXPECT_FAILURE(r, 3);
        CLI_VERIFY(r.errorText().contains(QLatin1String("plain")), r);
        CLI_VERIFY(r.hintText().contains(QLatin1String("sso_session")), r);
        QCOMPARE(m_aws->faults().totalRequests(), 0);
    }

    void loginForUnknownProfile()
    {
        const CliResult r = m_box->run({QStringLiteral("login"), QStringLiteral("--profile"), QStringLiteral("nope")});
        CLI_EXPECT_FAILURE(r, 3);
        CLI_VERIFY(r.errorText().contains(QLatin1String("nope")), r);
        CLI_VERIFY(r.hintText().contains(QLatin1String("sso-admin")), r);
    }
};

QTEST_GUILESS_MAIN(TestCliSso)
#include "TestCliSso.moc"
