// `bastionless-cli whoami` through each way of getting credentials that a person configures: environment
// keys, a static profile, an assumed role (source_profile, with the AWS CLI's role cache), a
// credential_process helper, and an MFA role when there is no terminal to ask on. fakeaws answers
// GetCallerIdentity with the identity the signature belongs to, so the printed ARN proves which keys signed.

#include "CliSandbox.h"
#include "tests/fakeaws/FakeAws.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using fakeaws::FakeAws;

class TestCliCredentials : public QObject
{
    Q_OBJECT

private:
    QString account() const { return m_aws->defaultIdentity().accountId; }
    QStringList secrets() const { return {m_aws->defaultIdentity().secretAccessKey, m_other.secretAccessKey}; }

    // The table's "Label:  value" line.
    static QString field(const CliResult& r, const QString& label)
    {
        for (const QString& line : r.outLines()) {
            if (line.startsWith(label + QLatin1Char(':')))
                return line.mid(label.size() + 1).trimmed();
        }
        return {};
    }

    // Config and credentials files with a static profile, written the way `aws configure` does.
    void writeStaticProfile(CliSandbox& box, const QByteArray& moreConfig = {}) const
    {
        const fakeaws::Identity& user = m_aws->defaultIdentity();
        box.setCredentials(QStringLiteral("[static]\naws_access_key_id = %1\naws_secret_access_key = %2\n")
                               .arg(user.accessKeyId, user.secretAccessKey)
                               .toUtf8());
        box.setConfig(QByteArrayLiteral("[profile static]\nregion = us-east-1\n") + moreConfig);
    }

    std::unique_ptr<FakeAws> m_aws;
    std::unique_ptr<CliSandbox> m_box;
    fakeaws::Identity m_other;

private Q_SLOTS:
    void initTestCase()
    {
        m_aws = std::make_unique<FakeAws>();
        const bl::Result<void> started = m_aws->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().summary()));
        // A second user, to tell whose keys signed a request.
        m_other.accessKeyId = QStringLiteral("AKIACLITESTOTHER0001");
        m_other.secretAccessKey = QStringLiteral("other/SecretKeyForTheSecondTestUser+0001");
        m_other.arn = QStringLiteral("arn:aws:iam::%1:user/cli-test-other").arg(account());
        m_other.userId = QStringLiteral("AIDACLITESTOTHER0001");
        m_aws->addAccessKey(m_other);
    }

    void init()
    {
        m_box = std::make_unique<CliSandbox>(*m_aws);
        QVERIFY(m_box->isValid());
        m_aws->faults().resetCounters();
    }

    void environmentKeys()
    {
        const CliResult r = m_box->run({QStringLiteral("whoami")});
        CLI_EXPECT_OK(r, secrets());
        CLI_VERIFY(r.err.isEmpty(), r);
        QCOMPARE(field(r, QStringLiteral("Account")), account());
        QCOMPARE(field(r, QStringLiteral("Arn")), m_aws->defaultIdentity().arn);
        QCOMPARE(field(r, QStringLiteral("UserId")), m_aws->defaultIdentity().userId);
        CLI_VERIFY(field(r, QStringLiteral("Credentials")).contains(QLatin1String("AWS_ACCESS_KEY_ID")), r);
    }

    void environmentKeysJson()
    {
        m_box->env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_other.accessKeyId);
        m_box->env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_other.secretAccessKey);
        const CliResult r = m_box->run({QStringLiteral("whoami"), QStringLiteral("--output"), QStringLiteral("json")});
        CLI_EXPECT_OK(r, secrets());
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o.value(QStringLiteral("Arn")).toString(), m_other.arn);
        QCOMPARE(o.value(QStringLiteral("Account")).toString(), account());
        QCOMPARE(o.value(QStringLiteral("UserId")).toString(), m_other.userId);
        QCOMPARE(o.value(QStringLiteral("Profile")).toString(), QStringLiteral("default"));
    }

    void staticProfile_data()
    {
        QTest::addColumn<bool>("viaOption");
        QTest::newRow("--profile") << true;
        QTest::newRow("AWS_PROFILE") << false;
    }
    void staticProfile()
    {
        QFETCH(bool, viaOption);
        writeStaticProfile(*m_box);
        m_box->withoutEnvironmentKeys();
        QStringList args = {QStringLiteral("whoami")};
        if (viaOption)
            args << QStringLiteral("--profile") << QStringLiteral("static");
        else
            m_box->env.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("static"));
        const CliResult r = m_box->run(args);
        CLI_EXPECT_OK(r, secrets());
        QCOMPARE(field(r, QStringLiteral("Arn")), m_aws->defaultIdentity().arn);
        QCOMPARE(field(r, QStringLiteral("Profile")), QStringLiteral("static"));
    }

    void explicitProfileBeatsEnvironmentKeys()
    {
        // The AWS CLI's order: --profile wins over AWS_ACCESS_KEY_ID; without it the environment wins.
        writeStaticProfile(*m_box);
        m_box->env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_other.accessKeyId);
        m_box->env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_other.secretAccessKey);
        m_box->env.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("static"));
        const CliResult byOption =
            m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("static")});
        CLI_EXPECT_OK(byOption, secrets());
        QCOMPARE(field(byOption, QStringLiteral("Arn")), m_aws->defaultIdentity().arn);
        const CliResult byEnv = m_box->run({QStringLiteral("whoami")});
        CLI_EXPECT_OK(byEnv, secrets());
        QCOMPARE(field(byEnv, QStringLiteral("Arn")), m_other.arn);
    }

    void assumeRole()
    {
        writeStaticProfile(*m_box,
                           QByteArrayLiteral("\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/"
                                             "CliTestAdmin\nsource_profile = static\n"
                                             "role_session_name = cli-test-session\n"));
        m_box->withoutEnvironmentKeys();
        const QStringList args = {QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("admin")};
        const CliResult r = m_box->run(args);
        CLI_EXPECT_OK(r, secrets());
        QCOMPARE(field(r, QStringLiteral("Arn")),
                 QStringLiteral("arn:aws:sts::%1:assumed-role/CliTestAdmin/cli-test-session").arg(account()));
        QCOMPARE(field(r, QStringLiteral("Account")), account());
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("AssumeRole")), 1);

        // The role's credentials are cached where the AWS CLI keeps them, so the next run assumes nothing.
        const QDir cache(m_box->home() + QStringLiteral("/.aws/cli/cache"));
        QCOMPARE(cache.entryList(QDir::Files).size(), 1);
        const CliResult again = m_box->run(args);
        CLI_EXPECT_OK(again, secrets());
        QCOMPARE(field(again, QStringLiteral("Arn")), field(r, QStringLiteral("Arn")));
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("AssumeRole")), 1);
    }

    void assumeRoleWithExternalId()
    {
        writeStaticProfile(*m_box,
                           QStringLiteral("\n[profile partner]\nrole_arn = arn:aws:iam::%1:role/"
                                          "PartnerExternalAccess\nsource_profile = static\nexternal_id = %2\n")
                               .arg(account(), m_aws->sts().externalId())
                               .toUtf8());
        m_box->withoutEnvironmentKeys();
        const CliResult r =
            m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("partner")});
        CLI_EXPECT_OK(r, secrets());
        CLI_VERIFY(field(r, QStringLiteral("Arn")).contains(QLatin1String(":assumed-role/PartnerExternalAccess/")), r);
    }

    void credentialProcess()
    {
        const fakeaws::Identity& user = m_aws->defaultIdentity();
        const QString script = m_box->writeScript(
            QStringLiteral("bin/creds helper"), // a space in the path: the command line must be quoted
            QStringLiteral("test \"$1\" = --account || exit 7\n"
                           "printf '{\"Version\": 1, \"AccessKeyId\": \"%1\", \"SecretAccessKey\": \"%2\"}\\n'\n")
                .arg(user.accessKeyId, user.secretAccessKey)
                .toUtf8());
        m_box->setConfig(QStringLiteral("[profile helper]\nregion = us-east-1\ncredential_process = \"%1\" --account\n")
                             .arg(script)
                             .toUtf8());
        m_box->withoutEnvironmentKeys();
        const CliResult r =
            m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("helper")});
        CLI_EXPECT_OK(r, secrets());
        QCOMPARE(field(r, QStringLiteral("Arn")), user.arn);
        CLI_VERIFY(field(r, QStringLiteral("Credentials")).contains(QLatin1String("process"), Qt::CaseInsensitive), r);
    }

    void mfaRoleWithoutTerminal()
    {
        writeStaticProfile(*m_box,
                           QStringLiteral("\n[profile mfa]\nrole_arn = arn:aws:iam::%1:role/CliTestMfa\n"
                                          "source_profile = static\nmfa_serial = arn:aws:iam::%1:mfa/cli-test\n")
                               .arg(account())
                               .toUtf8());
        m_box->withoutEnvironmentKeys();
        const CliResult r = m_box->run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("mfa")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.out.isEmpty(), r);
        CLI_VERIFY(r.errorText().contains(QLatin1String("MFA")), r);
        CLI_VERIFY(r.errorText().contains(QLatin1String("terminal")), r);
        CLI_VERIFY(r.errorText().contains(QStringLiteral("arn:aws:iam::%1:mfa/cli-test").arg(account())), r);
        CLI_VERIFY(!r.hintText().isEmpty(), r);
        // Nothing was asked of STS without the code.
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("AssumeRole")), 0);
    }
};

QTEST_GUILESS_MAIN(TestCliCredentials)
#include "TestCliCredentials.moc"
