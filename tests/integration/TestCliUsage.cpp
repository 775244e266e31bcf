// bastionless-cli's command-line contract without AWS: --version, --help, per-command help, and usage errors
// (exit code 2 with one error line and a hint), none of which may touch the network.

#include "CliRunner.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

class TestCliUsage : public QObject
{
    Q_OBJECT

private:
    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        for (const QString& key : e.keys()) {
            if (key.startsWith(QLatin1String("AWS_")))
                e.remove(key);
        }
        e.insert(QStringLiteral("HOME"), m_home.path());
        // Any attempt to reach AWS would fail fast here instead of going out to the internet.
        e.insert(QStringLiteral("AWS_ENDPOINT_URL"), QStringLiteral("https://127.0.0.1:9"));
        return e;
    }
    CliResult run(const QStringList& args) const { return CliRunner::run(args, env(), 20000); }

    QTemporaryDir m_home;

private Q_SLOTS:
    void version_data()
    {
        QTest::addColumn<QString>("arg");
        QTest::newRow("--version") << QStringLiteral("--version");
        QTest::newRow("-V") << QStringLiteral("-V");
        QTest::newRow("version") << QStringLiteral("version");
    }
    void version()
    {
        QFETCH(QString, arg);
        const CliResult r = run({arg});
        CLI_EXPECT_OK(r);
        CLI_VERIFY(r.err.isEmpty(), r);
        CLI_VERIFY(
            QRegularExpression(QStringLiteral("^bastionless-cli \\d+\\.\\d+\\.\\d+\\S*\\n$")).match(r.out).hasMatch(),
            r);
    }

    void help_data()
    {
        QTest::addColumn<QString>("arg");
        QTest::newRow("--help") << QStringLiteral("--help");
        QTest::newRow("-h") << QStringLiteral("-h");
        QTest::newRow("help") << QStringLiteral("help");
    }
    void help()
    {
        QFETCH(QString, arg);
        const CliResult r = run({arg});
        CLI_EXPECT_OK(r);
        CLI_VERIFY(r.err.isEmpty(), r);
        CLI_VERIFY(r.out.startsWith(QLatin1String("Usage: bastionless-cli <command>")), r);
        for (const char* command : {"list", "push-key", "login", "whoami"})
            CLI_VERIFY(r.out.contains(QStringLiteral("\n  %1 ").arg(QLatin1String(command))), r);
        CLI_VERIFY(r.out.contains(QLatin1String("Exit codes")), r);
    }

    void commandHelp_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QStringList>("options");
        QTest::newRow("list") << QStringLiteral("list")
                              << QStringList {QStringLiteral("--all-regions"), QStringLiteral("--filter"),
                                              QStringLiteral("--output"), QStringLiteral("--region")};
        QTest::newRow("push-key") << QStringLiteral("push-key")
                                  << QStringList {QStringLiteral("--os-user"), QStringLiteral("--public-key"),
                                                  QStringLiteral("--no-wait"), QStringLiteral("instance")};
        QTest::newRow("login") << QStringLiteral("login") << QStringList {QStringLiteral("--no-browser")};
        QTest::newRow("whoami") << QStringLiteral("whoami") << QStringList {QStringLiteral("--output")};
    }
    void commandHelp()
    {
        QFETCH(QString, command);
        QFETCH(QStringList, options);
        for (const QString& flag : {QStringLiteral("--help"), QStringLiteral("-h")}) {
            const CliResult r = run({command, flag});
            CLI_EXPECT_OK(r);
            CLI_VERIFY(r.err.isEmpty(), r);
            CLI_VERIFY(r.out.startsWith(QStringLiteral("Usage: bastionless-cli %1 [options]").arg(command)), r);
            // The binary's path is not what a person types.
            CLI_VERIFY(!r.out.contains(CliRunner::program()), r);
            options << QStringLiteral("--profile") << QStringLiteral("--verbose");
            for (const QString& option : std::as_const(options))
                CLI_VERIFY(r.out.contains(option), r);
        }
    }

    void noArguments()
    {
        const CliResult r = run({});
        CLI_VERIFY(!r.crashed && !r.timedOut, r);
        QCOMPARE(r.exitCode, 2);
        CLI_VERIFY(r.out.isEmpty(), r);
        CLI_VERIFY(r.err.contains(QLatin1String("Usage: bastionless-cli <command>")), r);
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown command") << QStringList {QStringLiteral("frobnicate")} << QStringLiteral("frobnicate");
        QTest::newRow("unknown option") << QStringList {QStringLiteral("list"), QStringLiteral("--frob")}
                                        << QStringLiteral("frob");
        QTest::newRow("unknown option whoami")
            << QStringList {QStringLiteral("whoami"), QStringLiteral("--all-regions")} << QStringLiteral("all-regions");
        QTest::newRow("missing value") << QStringList {QStringLiteral("list"), QStringLiteral("--region")}
                                       << QStringLiteral("region");
        QTest::newRow("bad output") << QStringList {QStringLiteral("list"), QStringLiteral("--output"),
                                                    QStringLiteral("yaml")}
                                    << QStringLiteral("yaml");
        QTest::newRow("bad whoami output")
            << QStringList {QStringLiteral("whoami"), QStringLiteral("--output=xml")} << QStringLiteral("xml");
        QTest::newRow("bad concurrency") << QStringList {QStringLiteral("list"), QStringLiteral("--max-concurrency"),
                                                         QStringLiteral("0")}
                                         << QStringLiteral("max-concurrency");
        QTest::newRow("list positional") << QStringList {QStringLiteral("list"), QStringLiteral("web-1")}
                                         << QStringLiteral("web-1");
        QTest::newRow("push-key without instance")
            << QStringList {QStringLiteral("push-key")} << QStringLiteral("instance");
        QTest::newRow("push-key two instances")
            << QStringList {QStringLiteral("push-key"), QStringLiteral("a"), QStringLiteral("b")}
            << QStringLiteral("2");
        QTest::newRow("push-key missing key file")
            << QStringList {QStringLiteral("push-key"), QStringLiteral("i-0123456789abcdef0"),
                            QStringLiteral("--public-key"), QStringLiteral("/nonexistent/id.pub")}
            << QStringLiteral("/nonexistent/id.pub");
        QTest::newRow("login argument") << QStringList {QStringLiteral("login"), QStringLiteral("now")}
                                        << QStringLiteral("login");
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const CliResult r = run(args);
        CLI_EXPECT_FAILURE(r, 2);
        CLI_VERIFY(r.out.isEmpty(), r);
        CLI_VERIFY(r.errorText().contains(mentions), r);
        // A usage error that is not self-explanatory says what to type instead.
        const QByteArray tag = QTest::currentDataTag();
        const bool selfExplanatory = tag == "bad concurrency" || tag == "push-key missing key file";
        if (!selfExplanatory)
            CLI_VERIFY(!r.hintText().isEmpty(), r);
    }
};

QTEST_GUILESS_MAIN(TestCliUsage)
#include "TestCliUsage.moc"
