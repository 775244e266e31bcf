// `bastionless-cli --account NAME`: an account added in the desktop app, its access key id and region in the
// app's settings file and its secret access key in a real Secret Service (gnome-keyring-daemon on a private D-Bus
// session, started by tests/unit/secrets/run-with-keyring.sh). The accounts are added the way the app adds them
// (AppAccounts over the keychain store), into the file the app uses ($XDG_CONFIG_HOME or ~/.config, then
// Bastionless/Bastionless.conf). fakeaws checks every SigV4 signature and answers with the identity that signed, so
// the printed ARN proves the keychain's secret was used; no secret may appear in the CLI's output.

#include "CliSandbox.h"
#include "core/secrets/AppAccounts.h"
#include "core/secrets/KeychainSecretStore.h"
#include "tests/fakeaws/FakeAws.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTest>

#include <optional>

using fakeaws::FakeAws;

class TestCliAppAccount : public QObject
{
    Q_OBJECT

private:
    // The app's settings file for the sandbox: where the desktop app would write it with this environment.
    QString settingsPath(const QString& configHome = {}) const
    {
        const QString base = configHome.isEmpty() ? m_box->home() + QStringLiteral("/.config") : configHome;
        return base + QStringLiteral("/Bastionless/Bastionless.conf");
    }

    // Adds an app account as the Accounts dialog does: the secret into the keychain, the rest into the settings.
    bool addAccount(const QString& name, const QString& keyId, const QString& secret, const QString& region = {},
                    const QString& configHome = {})
    {
        QSettings settings(settingsPath(configHome), QSettings::IniFormat);
        bl::AppAccounts accounts(settings, m_store);
        QObject context;
        std::optional<bl::Result<void>> added;
        accounts.add({name, keyId, region}, secret, &context, [&added](bl::Result<void> r) { added = std::move(r); });
        if (!QTest::qWaitFor([&] { return added.has_value(); }, 20000)) {
            qWarning("the keychain did not answer");
            return false;
        }
        if (!added->ok())
            qWarning("adding %s failed: %s", qPrintable(name), qPrintable(added->error().summary()));
        return added->ok();
    }

    QStringList secrets() const
    {
        return {m_aws->defaultIdentity().secretAccessKey, m_user.secretAccessKey, WrongSecret};
    }

    static QString field(const CliResult& r, const QString& label)
    {
        for (const QString& line : r.outLines()) {
            if (line.startsWith(label + QLatin1Char(':')))
                return line.mid(label.size() + 1).trimmed();
        }
        return {};
    }

    // A valid secret that is not the user's: signatures made with it do not match.
    static inline const QString WrongSecret = QStringLiteral("wrongSecretForTheAppAccountCliTes/00+002");

    std::unique_ptr<FakeAws> m_aws;
    std::unique_ptr<CliSandbox> m_box;
    bl::KeychainSecretStore m_store;
    fakeaws::Identity m_user;

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariable("BL_KEYRING_MODE") != QLatin1String("real"))
            QSKIP("run through ctest: run-with-keyring.sh starts the Secret Service this test needs");
        QCOMPARE(WrongSecret.size(), 40);
        m_aws = std::make_unique<FakeAws>();
        const bl::Result<void> started = m_aws->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().summary()));
        // The app account's own user, different from the environment's keys the sandbox also sets.
        m_user.accessKeyId = QStringLiteral("AKIAAPPACCOUNT000001");
        m_user.secretAccessKey = QStringLiteral("appAccountSecretForTheCliTest/0000000+01");
        m_user.accountId = m_aws->defaultIdentity().accountId;
        m_user.arn = QStringLiteral("arn:aws:iam::%1:user/app-account-user").arg(m_user.accountId);
        m_user.userId = QStringLiteral("AIDAAPPACCOUNT000001");
        m_aws->addAccessKey(m_user);
    }

    void init()
    {
        m_box = std::make_unique<CliSandbox>(*m_aws);
        QVERIFY(m_box->isValid());
    }

    void whoami_data()
    {
        QTest::addColumn<bool>("xdgConfigHome");
        QTest::newRow("~/.config") << false;
        QTest::newRow("XDG_CONFIG_HOME") << true;
    }
    void whoami()
    {
        QFETCH(bool, xdgConfigHome);
        QString configHome;
        if (xdgConfigHome) {
            configHome = m_box->path(QStringLiteral("xdg-config"));
            m_box->env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
        }
        QVERIFY(addAccount(QStringLiteral("work"), m_user.accessKeyId, m_user.secretAccessKey, {}, configHome));
        // The sandbox also exports the default user's keys: the explicit account wins over them, as --profile does.
        for (const bool verbose : {false, true}) {
            QStringList args {QStringLiteral("whoami"), QStringLiteral("--account"), QStringLiteral("work")};
            if (verbose)
                args << QStringLiteral("--verbose"); // requests and credential sources are logged; the secret never
            const CliResult r = m_box->run(args);
            CLI_EXPECT_OK(r, secrets(), {QStringLiteral("debug:")});
            QCOMPARE(field(r, QStringLiteral("Arn")), m_user.arn);
            QCOMPARE(field(r, QStringLiteral("UserId")), m_user.userId);
            QCOMPARE(field(r, QStringLiteral("Profile")), QStringLiteral("work"));
            CLI_VERIFY(field(r, QStringLiteral("Credentials")).contains(QLatin1String("app account work")), r);
            if (!verbose)
                CLI_VERIFY(r.err.isEmpty(), r);
        }
    }

    void brokenAwsConfigDoesNotStopAnAccount()
    {
        // As in the app: an app account needs nothing from ~/.aws, so a broken file there is only a warning.
        QVERIFY(addAccount(QStringLiteral("work"), m_user.accessKeyId, m_user.secretAccessKey));
        m_box->setConfig("[profile broken\nregion = eu-west-1\n");
        const CliResult r = m_box->run({QStringLiteral("whoami"), QStringLiteral("--account"), QStringLiteral("work")});
        CLI_EXPECT_OK(r, secrets());
        QCOMPARE(field(r, QStringLiteral("Arn")), m_user.arn);
        CLI_VERIFY(r.err.startsWith(QLatin1String("warning: ignoring the AWS configuration files")), r);
    }

    void listUsesTheAccountsRegion()
    {
        QVERIFY(
            addAccount(QStringLiteral("eu"), m_user.accessKeyId, m_user.secretAccessKey, QStringLiteral("eu-west-1")));
        m_box->env.remove(QStringLiteral("AWS_REGION"));
        m_box->env.remove(QStringLiteral("AWS_DEFAULT_REGION"));
        const CliResult r = m_box->run({QStringLiteral("list"), QStringLiteral("--account"), QStringLiteral("eu"),
                                        QStringLiteral("--output"), QStringLiteral("json")});
        CLI_EXPECT_OK(r, secrets());
        QStringList expected;
        for (const fakeaws::Instance& i : m_aws->fleet().instances()) {
            if (i.region == QLatin1String("eu-west-1"))
                expected << i.id;
        }
        QVERIFY(!expected.isEmpty());
        QStringList listed;
        for (const QJsonValue& v : QJsonDocument::fromJson(r.out.toUtf8()).array())
            listed << v.toObject().value(QStringLiteral("id")).toString();
        expected.sort();
        listed.sort();
        QCOMPARE(listed, expected);
    }

    void sshConfigKeepsTheAccount()
    {
        QVERIFY(addAccount(QStringLiteral("work"), m_user.accessKeyId, m_user.secretAccessKey));
        const CliResult r =
            m_box->run({QStringLiteral("ssh-config"), QStringLiteral("--account"), QStringLiteral("work")});
        CLI_EXPECT_OK(r, secrets());
        CLI_VERIFY(r.out.contains(QLatin1String(" proxy %h %p --account work")), r);
        CLI_VERIFY(!r.out.contains(QLatin1String("--profile")), r);
    }

    void wrongSecretIsRefusedByAws()
    {
        QVERIFY(addAccount(QStringLiteral("stale"), m_user.accessKeyId, WrongSecret));
        const CliResult r =
            m_box->run({QStringLiteral("whoami"), QStringLiteral("--account"), QStringLiteral("stale")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.out.isEmpty(), r);
    }

    void unknownAccountNamesTheOthers()
    {
        QVERIFY(addAccount(QStringLiteral("work"), m_user.accessKeyId, m_user.secretAccessKey));
        QVERIFY(addAccount(QStringLiteral("ops"), m_user.accessKeyId, m_user.secretAccessKey));
        for (const QString& command : {QStringLiteral("whoami"), QStringLiteral("list")}) {
            const CliResult r = m_box->run({command, QStringLiteral("--account"), QStringLiteral("nope")});
            CLI_EXPECT_FAILURE(r, 3, secrets());
            CLI_VERIFY(r.errorText().contains(QLatin1String("app account nope")), r);
            CLI_VERIFY(r.hintText().contains(QLatin1String("ops, work")), r);
        }
        // No accounts at all: the hint says where they are added.
        QVERIFY(QFile::remove(settingsPath()));
        const CliResult none = m_box->run({QStringLiteral("whoami"), QStringLiteral("--account"), QStringLiteral("x")});
        CLI_EXPECT_FAILURE(none, 3, secrets());
        CLI_VERIFY(none.hintText().contains(QStringLiteral("Bastionless \u2192 Accounts")), none);
    }

    void accountAndProfileAreExclusive()
    {
        QVERIFY(addAccount(QStringLiteral("work"), m_user.accessKeyId, m_user.secretAccessKey));
        const CliResult both =
            m_box->run({QStringLiteral("whoami"), QStringLiteral("--account"), QStringLiteral("work"),
                        QStringLiteral("--profile"), QStringLiteral("default")});
        CLI_EXPECT_FAILURE(both, 2, secrets());
        CLI_VERIFY(both.errorText().contains(QLatin1String("--account and --profile")), both);
        const CliResult empty = m_box->run({QStringLiteral("whoami"), QStringLiteral("--account=")});
        CLI_EXPECT_FAILURE(empty, 2, secrets());
        const CliResult login = m_box->run({QStringLiteral("login"), QStringLiteral("--account"),
                                            QStringLiteral("work"), QStringLiteral("--no-browser")});
        CLI_EXPECT_FAILURE(login, 2, secrets());
        CLI_VERIFY(login.hintText().contains(QLatin1String("--profile")), login);
    }

    void secretMissingFromTheKeychain()
    {
        // The settings still list the account, the keychain lost its secret (another machine, a reset keyring).
        {
            QSettings settings(settingsPath(), QSettings::IniFormat);
            settings.setValue(QStringLiteral("accounts/ghost/accessKeyId"), m_user.accessKeyId);
            settings.sync();
            QCOMPARE(settings.status(), QSettings::NoError);
        }
        const CliResult r =
            m_box->run({QStringLiteral("whoami"), QStringLiteral("--account"), QStringLiteral("ghost")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.errorText().contains(QLatin1String("missing")), r);
        CLI_VERIFY(r.hintText().contains(QStringLiteral("re-add the account's keys in Bastionless \u2192 Accounts")),
                   r);
    }

    void noKeychainSaysWhatToStart()
    {
        QVERIFY(addAccount(QStringLiteral("work"), m_user.accessKeyId, m_user.secretAccessKey));
        // A shell without the desktop session's bus (ssh into the machine, a cron job): no Secret Service answers.
        m_box->env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                          QStringLiteral("unix:path=/nonexistent/bastionless-test-bus"));
        const CliResult r = m_box->run({QStringLiteral("whoami"), QStringLiteral("--account"), QStringLiteral("work")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.errorText().contains(QLatin1String("app account work"), Qt::CaseInsensitive), r);
        CLI_VERIFY(r.hintText().contains(QLatin1String("gnome-keyring")), r);
    }

    // Last: the keyring stays locked for the rest of the session (unlocking needs a prompt nobody can answer).
    void lockedKeychain()
    {
        QVERIFY(addAccount(QStringLiteral("work"), m_user.accessKeyId, m_user.secretAccessKey));
        // Lock the collection the secret went to, through the Secret Service's own D-Bus API.
        QProcess lock;
        lock.start(QStringLiteral("dbus-send"),
                   {QStringLiteral("--session"), QStringLiteral("--print-reply"),
                    QStringLiteral("--dest=org.freedesktop.secrets"), QStringLiteral("/org/freedesktop/secrets"),
                    QStringLiteral("org.freedesktop.Secret.Service.Lock"),
                    QStringLiteral("array:objpath:/org/freedesktop/secrets/collection/login")});
        QVERIFY(lock.waitForFinished(10000));
        QVERIFY2(lock.exitCode() == 0, lock.readAllStandardError().constData());
        // The keyring cannot show its unlock prompt here (no display), as in a terminal over ssh.
        const CliResult r = m_box->run({QStringLiteral("whoami"), QStringLiteral("--account"), QStringLiteral("work")});
        CLI_EXPECT_FAILURE(r, 3, secrets());
        CLI_VERIFY(r.errorText().contains(QLatin1String("locked")), r);
        CLI_VERIFY(r.hintText().contains(QLatin1String("Unlock the keychain")), r);
    }
};

QTEST_GUILESS_MAIN(TestCliAppAccount)
#include "TestCliAppAccount.moc"
