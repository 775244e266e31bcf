// `bastionless-cli push-key`: the key reaches EC2 Instance Connect (fakeaws records every accepted key) for an
// instance named by id or by Name tag; ambiguous, unknown and stopped instances and private keys are refused
// clearly; a fresh key's private half goes to a real ssh-agent when there is one, else to a 0600 file in a
// 0700 directory that is removed when the command ends.

#include "CliRunner.h"
#include "CliSandbox.h"
#include "tests/fakeaws/FakeAws.h"
#include "tests/fakeaws/FleetBuilder.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTest>

#include <csignal>

using fakeaws::FakeAws;

class TestCliPushKey : public QObject
{
    Q_OBJECT

private:
    static fakeaws::Fleet fleet()
    {
        using fakeaws::FleetBuilder;
        fakeaws::Fleet f;
        FleetBuilder b(f, QStringLiteral("clitest-push-key"));
        b.region(QStringLiteral("us-east-1"));
        b.region(QStringLiteral("eu-west-1"));
        const FleetBuilder::Network east = b.standardVpc(QStringLiteral("us-east-1"), QStringLiteral("main"), 0,
                                                         QStringLiteral("us-east-1a"), QStringLiteral("us-east-1b"));
        const FleetBuilder::Network west = b.standardVpc(QStringLiteral("eu-west-1"), QStringLiteral("main"), 1,
                                                         QStringLiteral("eu-west-1a"), QStringLiteral("eu-west-1b"));
        b.add(b.instance(QStringLiteral("solo"), east.privateSubnet, FleetBuilder::Os::AmazonLinux2023,
                         QStringLiteral("t3.micro")));
        // Two live instances share a name; a terminated namesake of "solo" does not count.
        b.add(b.instance(QStringLiteral("twin"), east.privateSubnet, FleetBuilder::Os::Ubuntu2204,
                         QStringLiteral("t3.micro")));
        b.add(b.instance(QStringLiteral("twin"), east.publicSubnet, FleetBuilder::Os::Ubuntu2204,
                         QStringLiteral("t3.micro")));
        b.add(b.instance(QStringLiteral("far-away"), west.privateSubnet, FleetBuilder::Os::Debian12,
                         QStringLiteral("t3.micro")));
        fakeaws::Instance gone = b.instance(QStringLiteral("solo"), east.privateSubnet,
                                            FleetBuilder::Os::AmazonLinux2023, QStringLiteral("t3.micro"));
        gone.state = fakeaws::InstanceState::Terminated;
        b.add(gone);
        fakeaws::Instance sleeper = b.instance(QStringLiteral("sleeper"), east.privateSubnet,
                                               FleetBuilder::Os::AmazonLinux2023, QStringLiteral("t3.micro"));
        sleeper.state = fakeaws::InstanceState::Stopped;
        b.add(sleeper);
        QString error;
        if (!f.finish(&error))
            qFatal("test fleet: %s", qPrintable(error));
        return f;
    }

    // The live instance with this Name tag in this region.
    QStringList idsOf(const QString& name) const
    {
        QStringList ids;
        for (const fakeaws::Instance& i : m_aws->fleet().instances()) {
            if (i.name() == name && i.state != fakeaws::InstanceState::Terminated)
                ids << i.id;
        }
        return ids;
    }
    QString idOf(const QString& name) const { return idsOf(name).value(0); }

    QStringList pushedKeys(const QString& instanceId, const QString& osUser) const
    {
        return fakeaws::InstanceConnectService::recentKeys(m_aws->pushedKeysDir(), instanceId, osUser,
                                                           QDateTime::currentDateTimeUtc());
    }

    // "ssh-ed25519 AAAA..." without the comment.
    static QString keyBody(const QString& line) { return line.section(QLatin1Char(' '), 0, 1); }

    // Runs a local tool (ssh-keygen, ssh-add) to completion.
    static QString tool(const QString& program, const QStringList& args, const QProcessEnvironment& env = {})
    {
        QProcess p;
        if (!env.isEmpty())
            p.setProcessEnvironment(env);
        p.start(program, args);
        p.closeWriteChannel();
        if (!p.waitForFinished(15000) || p.exitCode() != 0)
            return {};
        return QString::fromUtf8(p.readAllStandardOutput());
    }

    QString makeKeyPair()
    {
        const QString path = m_box->path(QStringLiteral("id_ed25519"));
        tool(QStringLiteral("ssh-keygen"),
             {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"), QString(),
              QStringLiteral("-C"), QStringLiteral("clitest"), QStringLiteral("-f"), path});
        return path;
    }

    std::unique_ptr<FakeAws> m_aws;
    std::unique_ptr<CliSandbox> m_box;

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("ssh-keygen")).isEmpty()
            || QStandardPaths::findExecutable(QStringLiteral("ssh-agent")).isEmpty())
            QFAIL("openssh-client (ssh-keygen, ssh-agent, ssh-add) is needed by this test");
        fakeaws::FakeAwsOptions options;
        options.fleet = fleet();
        m_aws = std::make_unique<FakeAws>(std::move(options));
        const bl::Result<void> started = m_aws->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().summary()));
    }

    void init()
    {
        m_box = std::make_unique<CliSandbox>(*m_aws);
        QVERIFY(m_box->isValid());
        m_aws->faults().resetCounters();
        // Each case counts only the keys it pushed itself.
        QDir pushed(m_aws->pushedKeysDir());
        for (const QString& file : pushed.entryList(QDir::Files))
            QVERIFY(pushed.remove(file));
    }

    void publicKeyFile_data()
    {
        QTest::addColumn<bool>("byName");
        QTest::addColumn<QString>("osUser");
        QTest::newRow("by id") << false << QStringLiteral("ubuntu");
        QTest::newRow("by name") << true << QString();
    }
    void publicKeyFile()
    {
        QFETCH(bool, byName);
        QFETCH(QString, osUser);
        const QString key = makeKeyPair();
        QFile pub(key + QStringLiteral(".pub"));
        QVERIFY(pub.open(QIODevice::ReadOnly));
        const QString line = QString::fromUtf8(pub.readAll()).trimmed();
        const QString id = idOf(QStringLiteral("solo"));
        QStringList args = {QStringLiteral("push-key"), byName ? QStringLiteral("solo") : id,
                            QStringLiteral("--public-key"), pub.fileName()};
        if (!osUser.isEmpty())
            args << QStringLiteral("--os-user") << osUser;
        const CliResult r = m_box->run(args);
        CLI_EXPECT_OK(r, {m_aws->defaultIdentity().secretAccessKey});
        CLI_VERIFY(r.err.isEmpty(), r);
        const QString user = osUser.isEmpty() ? QStringLiteral("ec2-user") : osUser;
        CLI_VERIFY(r.out.contains(QStringLiteral("%1@%2 (solo)").arg(user, id)), r);
        CLI_VERIFY(r.out.contains(QLatin1String("60 seconds")), r);
        const QStringList pushed = pushedKeys(id, user);
        QCOMPARE(pushed.size(), 1);
        QCOMPARE(keyBody(pushed.first()), keyBody(line));
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("SendSSHPublicKey")), 1);
    }

    void ambiguousName()
    {
        const CliResult r = m_box->run({QStringLiteral("push-key"), QStringLiteral("twin")});
        CLI_EXPECT_FAILURE(r, 4);
        CLI_VERIFY(r.out.isEmpty(), r);
        // Both candidates, so the person can pick one by id.
        const QStringList twins = idsOf(QStringLiteral("twin"));
        QCOMPARE(twins.size(), 2);
        for (const QString& id : twins)
            CLI_VERIFY(r.err.contains(id), r);
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("SendSSHPublicKey")), 0);
    }

    void terminatedNamesakeIsIgnored()
    {
        const QString key = makeKeyPair();
        const CliResult r =
            m_box->run({QStringLiteral("push-key"), QStringLiteral("solo"), QStringLiteral("--public-key"),
                        key + QStringLiteral(".pub"), QStringLiteral("--region"), QStringLiteral("us-east-1")});
        CLI_EXPECT_OK(r);
        QCOMPARE(pushedKeys(idOf(QStringLiteral("solo")), QStringLiteral("ec2-user")).size(), 1);
    }

    void unknownInstance_data()
    {
        QTest::addColumn<QString>("target");
        QTest::newRow("name") << QStringLiteral("no-such-box");
        QTest::newRow("id") << QStringLiteral("i-0123456789abcdef0");
    }
    void unknownInstance()
    {
        QFETCH(QString, target);
        const CliResult r = m_box->run({QStringLiteral("push-key"), target});
        CLI_EXPECT_FAILURE(r, 4);
        CLI_VERIFY(r.errorText().contains(target), r);
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("SendSSHPublicKey")), 0);
    }

    void otherRegion()
    {
        // Only the profile's region is searched unless --region says otherwise.
        const QString key = makeKeyPair() + QStringLiteral(".pub");
        const CliResult missing =
            m_box->run({QStringLiteral("push-key"), QStringLiteral("far-away"), QStringLiteral("--public-key"), key});
        CLI_EXPECT_FAILURE(missing, 4);
        CLI_VERIFY(missing.errorText().contains(QLatin1String("far-away")), missing);
        CLI_VERIFY(missing.errorText().contains(QLatin1String("us-east-1")), missing); // where it looked
        const CliResult found =
            m_box->run({QStringLiteral("push-key"), QStringLiteral("far-away"), QStringLiteral("--public-key"), key,
                        QStringLiteral("--region"), QStringLiteral("eu-west-1")});
        CLI_EXPECT_OK(found);
        CLI_VERIFY(found.out.contains(QLatin1String("in eu-west-1")), found);
        QCOMPARE(pushedKeys(idOf(QStringLiteral("far-away")), QStringLiteral("ec2-user")).size(), 1);
    }

    void stoppedInstance()
    {
        const QString id = idOf(QStringLiteral("sleeper"));
        const CliResult r = m_box->run({QStringLiteral("push-key"), QStringLiteral("sleeper")});
        CLI_EXPECT_FAILURE(r, 5);
        CLI_VERIFY(r.err.contains(id) || r.err.contains(QLatin1String("sleeper")), r);
        CLI_VERIFY(r.err.contains(QLatin1String("stopped")), r);
        CLI_VERIFY(r.hintText().contains(QLatin1String("start"), Qt::CaseInsensitive), r);
        QVERIFY(pushedKeys(id, QStringLiteral("ec2-user")).isEmpty());
    }

    void privateKeyRefused()
    {
        const QString key = makeKeyPair();
        const CliResult r =
            m_box->run({QStringLiteral("push-key"), QStringLiteral("solo"), QStringLiteral("--public-key"), key});
        CLI_EXPECT_FAILURE(r, 2);
        CLI_VERIFY(r.errorText().contains(QLatin1String("private key")), r);
        CLI_VERIFY(r.hintText().contains(QLatin1String(".pub")), r);
        QCOMPARE(m_aws->faults().totalRequests(), 0);
    }

    void notAPublicKey()
    {
        const QString file = m_box->writeFile(QStringLiteral("notes.txt"), "hello\n");
        const CliResult r =
            m_box->run({QStringLiteral("push-key"), QStringLiteral("solo"), QStringLiteral("--public-key"), file});
        CLI_EXPECT_FAILURE(r, 2);
        CLI_VERIFY(r.errorText().contains(file), r);
    }

    void keyFileWithoutAgent()
    {
        const QString id = idOf(QStringLiteral("solo"));
        const CliResult r = m_box->run({QStringLiteral("push-key"), id, QStringLiteral("--no-wait")});
        CLI_EXPECT_OK(r);
        const QRegularExpression keyLine(QStringLiteral("^Private key: (\\S+)$"), QRegularExpression::MultilineOption);
        const QString path = keyLine.match(r.out).captured(1);
        CLI_VERIFY(!path.isEmpty(), r);
        CLI_VERIFY(path.startsWith(m_box->runtimeDir() + QLatin1Char('/')), r);
        QCOMPARE(CliSandbox::fileMode(path), 0600);
        QCOMPARE(CliSandbox::fileMode(QFileInfo(path).absolutePath()), 0700);
        // The file holds the private half of exactly the key that was pushed.
        const QString derived = tool(QStringLiteral("ssh-keygen"), {QStringLiteral("-y"), QStringLiteral("-f"), path});
        const QStringList pushed = pushedKeys(id, QStringLiteral("ec2-user"));
        QCOMPARE(pushed.size(), 1);
        QCOMPARE(keyBody(derived.trimmed()), keyBody(pushed.first()));
        QVERIFY(QFile::remove(path));
    }

    void keyFileRemovedOnInterrupt()
    {
        CliRunner runner(m_box->env);
        runner.start({QStringLiteral("push-key"), QStringLiteral("solo")});
        const QRegularExpression keyLine(QStringLiteral("^Private key: (\\S+)$"), QRegularExpression::MultilineOption);
        QString path;
        QTRY_VERIFY_WITH_TIMEOUT((path = keyLine.match(runner.outputSoFar()).captured(1), !path.isEmpty()), 20000);
        QVERIFY(QFile::exists(path));
        QCOMPARE(CliSandbox::fileMode(path), 0600);
        QVERIFY(runner.isRunning()); // it keeps the key for its 60 seconds
        runner.sendSignal(SIGINT);
        const CliResult r = runner.waitForFinished(15000);
        CLI_EXPECT_OK(r);
        QVERIFY2(!QFile::exists(path), qPrintable(path));
    }

    void keyInAgent()
    {
        const QString socket = m_box->path(QStringLiteral("agent.sock"));
        QProcess agent;
        agent.start(QStringLiteral("ssh-agent"), {QStringLiteral("-D"), QStringLiteral("-a"), socket});
        QVERIFY(agent.waitForStarted(10000));
        const auto stopAgent = qScopeGuard([&agent] {
            agent.kill();
            agent.waitForFinished(5000);
        });
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(socket), 10000);
        m_box->env.insert(QStringLiteral("SSH_AUTH_SOCK"), socket);

        const CliResult r = m_box->run({QStringLiteral("push-key"), QStringLiteral("solo")});
        CLI_EXPECT_OK(r);
        CLI_VERIFY(r.out.contains(QLatin1String("ssh-agent")), r);
        CLI_VERIFY(!r.out.contains(QLatin1String("Private key:")), r);
        QVERIFY(QDir(m_box->runtimeDir() + QStringLiteral("/bastionless")).entryList(QDir::Files).isEmpty());

        const QRegularExpression fingerprint(QStringLiteral("(SHA256:[A-Za-z0-9+/]+)"));
        const QString printed = fingerprint.match(r.out).captured(1);
        CLI_VERIFY(!printed.isEmpty(), r);
        const QString listed = tool(QStringLiteral("ssh-add"), {QStringLiteral("-l")}, m_box->env);
        QVERIFY2(listed.contains(printed), qPrintable(listed));
        const QString publicKeys = tool(QStringLiteral("ssh-add"), {QStringLiteral("-L")}, m_box->env);
        const QStringList pushed = pushedKeys(idOf(QStringLiteral("solo")), QStringLiteral("ec2-user"));
        QCOMPARE(pushed.size(), 1);
        QVERIFY2(publicKeys.contains(keyBody(pushed.first())), qPrintable(publicKeys));
    }
};

QTEST_GUILESS_MAIN(TestCliPushKey)
#include "TestCliPushKey.moc"
