// Broken or refused credentials and configuration, the way people break them: keys AWS rejects (expired
// session token, wrong secret, unknown key), a profile that does not exist, a config line that does not
// parse, a credentials "file" that is a directory, a credential_process that fails or prints garbage.
// Each gives exit code 3 with one error line naming the cause and, where there is something to do, a hint.

#include "CliSandbox.h"
#include "tests/fakeaws/FakeAws.h"

#include <QDir>
#include <QTest>

using fakeaws::FakeAws;

class TestCliBadConfig : public QObject
{
    Q_OBJECT

private:
    QStringList secrets() const
    {
        return {m_aws->defaultIdentity().secretAccessKey, m_expired.secretAccessKey, m_expired.sessionToken};
    }

    std::unique_ptr<FakeAws> m_aws;
    std::unique_ptr<CliSandbox> m_box;
    fakeaws::Identity m_expired;

private Q_SLOTS:
    void initTestCase()
    {
        m_aws = std::make_unique<FakeAws>();
        const bl::Result<void> started = m_aws->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().summary()));
        m_expired = m_aws->addTemporaryAccessKey(m_aws->now().addSecs(-3600));
        QVERIFY(!m_expired.sessionToken.isEmpty());
    }

    void init()
    {
        m_box = std::make_unique<CliSandbox>(*m_aws);
        QVERIFY(m_box->isValid());
        m_aws->faults().resetCounters();
    }

    void expiredSessionToken_data()
    {
        QTest::addColumn<QString>("command");
        QTest::newRow("whoami") << QStringLiteral("whoami");
        QTest::newRow("list") << QStringLiteral("list");
    }
    void expiredSessionToken()
    {
        QFETCH(QString, command);
        m_box->env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_expired.accessKeyId);
        m_box->env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_expired.secretAccessKey);
        m_box->env.insert(QStringLiteral("AWS_SESSION_TOKEN"), m_expired.sessionToken);
        const CliResult r = m_box->run({command});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.errorText().contains(QLatin1String("expired"), Qt::CaseInsensitive), r);
        CLI_VERIFY(r.hintText().contains(QLatin1String("expired"), Qt::CaseInsensitive), r);
    }

    void wrongSecret()
    {
        m_box->env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"),
                          QStringLiteral("not/the/right/secret/at/all/0000000000"));
        const CliResult r = m_box->run({QStringLiteral("whoami")});
        CLI_EXPECT_FAILURE(r, 3, secrets() << QStringLiteral("not/the/right/secret"));
        CLI_VERIFY(r.err.contains(QLatin1String("secret access key does not match")), r);
        CLI_VERIFY(r.err.contains(QLatin1String("AWS_SECRET_ACCESS_KEY")), r);
        // A signature mismatch is not a clock problem: one request, no skew retry.
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("GetCallerIdentity")), 1);
    }

    void unknownAccessKey()
    {
        m_box->env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIANOSUCHKEY0000000"));
        const CliResult r = m_box->run({QStringLiteral("list")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.hintText().contains(QLatin1String("access key")), r);
    }

    void halfTheKeys()
    {
        m_box->env.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
        const CliResult r = m_box->run({QStringLiteral("whoami")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.errorText().contains(QLatin1String("AWS_SECRET_ACCESS_KEY")), r);
        QCOMPARE(m_aws->faults().totalRequests(), 0);
    }

    void missingProfile()
    {
        m_box->setConfig("[default]\nregion = us-east-1\n\n[profile alpha]\nregion = eu-west-1\n");
        m_box->setCredentials("[beta]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n");
        for (const QString& command : {QStringLiteral("whoami"), QStringLiteral("list")}) {
            const CliResult r = m_box->run({command, QStringLiteral("--profile"), QStringLiteral("nope")});
            CLI_EXPECT_FAILURE(r, 3, secrets());
            CLI_VERIFY(r.errorText().contains(QLatin1String("nope")), r);
            for (const char* name : {"default", "alpha", "beta"})
                CLI_VERIFY(r.hintText().contains(QLatin1String(name)), r);
        }
        // AWS_PROFILE naming a missing profile is the same mistake.
        m_box->env.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("nope"));
        m_box->withoutEnvironmentKeys();
        const CliResult r = m_box->run({QStringLiteral("whoami")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.errorText().contains(QLatin1String("nope")), r);
        QCOMPARE(m_aws->faults().totalRequests(), 0);
    }

    void brokenConfigLine_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<int>("line");
        QTest::newRow("no equals sign") << QByteArray("[default]\nregion = us-east-1\nthis line is wrong\n") << 3;
        QTest::newRow("unclosed section") << QByteArray("# comment\n[profile broken\nregion = us-east-1\n") << 2;
        QTest::newRow("key before any section") << QByteArray("region = us-east-1\n[default]\n") << 1;
    }
    void brokenConfigLine()
    {
        QFETCH(QByteArray, config);
        QFETCH(int, line);
        m_box->setConfig(config);
        const QString where =
            QStringLiteral("%1:%2").arg(m_box->env.value(QStringLiteral("AWS_CONFIG_FILE"))).arg(line);
        // Broken even when the environment has keys: the config also decides the region and endpoints.
        for (const QString& command : {QStringLiteral("whoami"), QStringLiteral("list"), QStringLiteral("login")}) {
            const CliResult r = m_box->run({command});
            CLI_EXPECT_FAILURE(r, 3, secrets());
            CLI_VERIFY(r.errorText().contains(where), r);
        }
        QCOMPARE(m_aws->faults().totalRequests(), 0);
    }

    void credentialsFileIsADirectory()
    {
        const QString dir = m_box->path(QStringLiteral("aws/credentials"));
        QVERIFY(QDir().mkpath(dir));
        m_box->env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), dir);
        m_box->withoutEnvironmentKeys();
        const CliResult r = m_box->run({QStringLiteral("whoami")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.errorText().contains(dir), r);
        CLI_VERIFY(r.errorText().contains(QLatin1String("directory")), r);
    }

    void credentialProcessFails()
    {
        const QString script =
            m_box->writeScript(QStringLiteral("bin/helper"),
                               "echo 'helper: the vault session has expired; run vault login' >&2\nexit 1\n");
        m_box->setConfig(
            QStringLiteral("[profile helper]\nregion = us-east-1\ncredential_process = %1\n").arg(script).toUtf8());
        m_box->withoutEnvironmentKeys();
        const CliResult r =
            m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("helper")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.errorText().contains(QLatin1String("credential_process")), r);
        // The helper's own explanation is what the person needs.
        CLI_VERIFY(r.errorText().contains(QLatin1String("the vault session has expired; run vault login")), r);
        CLI_VERIFY(r.errorText().contains(QLatin1String("1")), r);
    }

    void credentialProcessGarbage_data()
    {
        QTest::addColumn<QByteArray>("output");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("hello, I am not JSON") << QStringLiteral("JSON");
        QTest::newRow("wrong version") << QByteArray(
            "{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"B\"}")
                                       << QStringLiteral("Version");
        QTest::newRow("no secret") << QByteArray("{\"Version\": 1, \"AccessKeyId\": \"AKIAEXAMPLE\"}")
                                   << QStringLiteral("SecretAccessKey");
        QTest::newRow("truncated") << QByteArray("{\"Version\": 1, \"AccessKeyId\": \"AKIA") << QStringLiteral("JSON");
    }
    void credentialProcessGarbage()
    {
        QFETCH(QByteArray, output);
        QFETCH(QString, mentions);
        const QString data = m_box->writeFile(QStringLiteral("helper-output"), output);
        const QString script = m_box->writeScript(QStringLiteral("bin/helper"), "cat \"$1\"\n");
        m_box->setConfig(QStringLiteral("[profile helper]\nregion = us-east-1\ncredential_process = %1 %2\n")
                             .arg(script, data)
                             .toUtf8());
        m_box->withoutEnvironmentKeys();
        const CliResult r =
            m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("helper")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.errorText().contains(QLatin1String("credential_process")), r);
        CLI_VERIFY(r.err.contains(mentions), r);
        QCOMPARE(m_aws->faults().totalRequests(), 0);
    }

    void credentialProcessMissingProgram()
    {
        const QString missing = m_box->path(QStringLiteral("bin/no-such-helper"));
        m_box->setConfig(QStringLiteral("[profile helper]\ncredential_process = %1\n").arg(missing).toUtf8());
        m_box->withoutEnvironmentKeys();
        const CliResult r =
            m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("helper")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.errorText().contains(missing), r);
    }

    void noCredentialsAtAll()
    {
        m_box->withoutEnvironmentKeys();
        const CliResult r = m_box->run({QStringLiteral("list")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.errorText().contains(QLatin1String("credentials"), Qt::CaseInsensitive), r);
        CLI_VERIFY(!r.hintText().isEmpty(), r);
        QCOMPARE(m_aws->faults().totalRequests(), 0);
    }

    void profileWithoutRegion()
    {
        // Keys but no region anywhere: list says where to set one instead of guessing.
        m_box->env.remove(QStringLiteral("AWS_REGION"));
        m_box->env.remove(QStringLiteral("AWS_DEFAULT_REGION"));
        const CliResult r = m_box->run({QStringLiteral("list")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.hintText().contains(QLatin1String("--region")), r);
        QCOMPARE(m_aws->faults().totalRequests(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCliBadConfig)
#include "TestCliBadConfig.moc"
