// End-to-end logins with real programs: the real ssh and scp clients reach a real sshd through bastionless-cli
// (`proxy` as a ProxyCommand, `tunnel` as a local listener, and the block `ssh-config` prints) over the fakeaws
// EC2 Instance Connect Endpoint, with a key pushed by `bastionless-cli push-key`. Commands run, their exit
// status comes back, bulk data arrives intact, and 20 logins at once through one listener all complete.

#include "E2eCli.h"
#include "Program.h"
#include "SshServer.h"
#include "tests/fakeaws/FakeAws.h"
#include "tests/fakeaws/FleetBuilder.h"
#include "tests/integration/CliRunner.h"
#include "tests/integration/CliSandbox.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <csignal>
#include <memory>
#include <vector>

using fakeaws::FakeAws;

class TestSshThroughCli : public QObject
{
    Q_OBJECT

private:
    static fakeaws::Fleet fleet(QString* instanceId, QString* instanceIp, QString* otherId)
    {
        using fakeaws::FleetBuilder;
        fakeaws::Fleet f;
        FleetBuilder b(f, QStringLiteral("e2e-ssh"));
        b.region(QStringLiteral("us-east-1"));
        const FleetBuilder::Network net = b.standardVpc(QStringLiteral("us-east-1"), QStringLiteral("main"), 0,
                                                        QStringLiteral("us-east-1a"), QStringLiteral("us-east-1a"));
        b.endpoint(net.privateSubnet, {net.eiceGroup});
        fakeaws::Instance i = b.instance(QStringLiteral("web-1"), net.privateSubnet, FleetBuilder::Os::AmazonLinux2023,
                                         QStringLiteral("t3.micro"));
        *instanceId = i.id;
        *instanceIp = i.privateIp;
        b.add(i);
        // A VPC without an endpoint: only a direct route can reach db-1.
        const FleetBuilder::Network other = b.standardVpc(QStringLiteral("us-east-1"), QStringLiteral("other"), 1,
                                                          QStringLiteral("us-east-1b"), QStringLiteral("us-east-1b"));
        fakeaws::Instance db = b.instance(QStringLiteral("db-1"), other.privateSubnet, FleetBuilder::Os::Debian12,
                                          QStringLiteral("t3.micro"));
        *otherId = db.id;
        b.add(db);
        QString error;
        if (!f.finish(&error))
            qFatal("test fleet: %s", qPrintable(error));
        return f;
    }

    // Options every ssh/scp run gets: no user configuration, only the test key, a private known_hosts.
    QStringList sshOptions(const QString& configFile = QStringLiteral("/dev/null"), bool hostKeyAlias = true) const
    {
        return e2eSshOptions(m_key, m_sandbox->path(QStringLiteral("known_hosts")),
                             hostKeyAlias ? m_instanceId : QString(), configFile);
    }

    // Starts `bastionless-cli tunnel` and returns its port, 0 on failure (with the reason in *why).
    quint16 startTunnel(CliRunner& runner, QString* why, const QStringList& extra = {}, quint16 remotePort = 22)
    {
        return startCliTunnel(runner,
                              QStringList {QStringLiteral("tunnel"), m_instanceId, QStringLiteral("--remote-port"),
                                           QString::number(remotePort), QStringLiteral("-v")}
                                  + extra,
                              why);
    }

    // Interrupts the tunnel and checks that it stops cleanly with exit 0, having said which transport it used.
    void stopTunnel(CliRunner& runner, int signo = SIGINT,
                    const QString& transport = QStringLiteral("Transport: EC2 Instance Connect Endpoint"))
    {
        runner.sendSignal(signo);
        const CliResult r = runner.waitForFinished(15000);
        CLI_VERIFY(!r.timedOut && !r.crashed && r.exitCode == 0, r);
        CLI_VERIFY(r.outLines().size() == 1, r);
        CLI_VERIFY(r.err.contains(transport), r);
    }

    QStringList tunnelSsh(quint16 port, const QString& command) const
    {
        QStringList args = sshOptions();
        args << QStringLiteral("-p") << QString::number(port) << QStringLiteral("root@127.0.0.1") << command;
        return args;
    }

    std::unique_ptr<FakeAws> m_aws;
    std::unique_ptr<CliSandbox> m_sandbox;
    std::unique_ptr<SshServer> m_sshd;
    QString m_instanceId;
    QString m_instanceIp;
    QString m_otherId;
    QString m_key;

private Q_SLOTS:
    void init()
    {
        fakeaws::FakeAwsOptions options;
        options.fleet = fleet(&m_instanceId, &m_instanceIp, &m_otherId);
        m_aws = std::make_unique<FakeAws>(options);
        QVERIFY(m_aws->start());
        m_sandbox = std::make_unique<CliSandbox>(*m_aws);
        QVERIFY(m_sandbox->isValid());
        m_sshd = std::make_unique<SshServer>(m_aws->pushedKeysDir(), m_instanceId);
        const QString why = m_sshd->start();
        if (!why.isEmpty())
            QFAIL(qPrintable(why));
        QVERIFY(m_aws->setTunnelTarget(m_instanceId, 22, QHostAddress(QHostAddress::LocalHost), m_sshd->port()));

        m_key = m_sandbox->path(QStringLiteral("id_ed25519"));
        const QString keyError = SshServer::makeKey(m_key);
        QVERIFY2(keyError.isEmpty(), qPrintable(keyError));
        const CliResult pushed =
            m_sandbox->run({QStringLiteral("push-key"), m_instanceId, QStringLiteral("--os-user"),
                            QStringLiteral("root"), QStringLiteral("--public-key"), m_key + QStringLiteral(".pub")});
        CLI_EXPECT_OK(pushed);
    }

    void cleanup()
    {
        m_sshd.reset();
        m_sandbox.reset();
        m_aws.reset();
    }

    // (a) The ProxyCommand line the AWS guides replace: the command runs and its exit status comes back.
    void proxyCommandLogin()
    {
        QStringList args = sshOptions();
        args << QStringLiteral("-o") << QStringLiteral("ProxyCommand=%1 proxy %h %p").arg(CliRunner::program())
             << QStringLiteral("root@") + m_instanceId << QStringLiteral("echo hello; exit 3");
        Program ssh(QStringLiteral("ssh"), args, m_sandbox->env);
        const ProgramResult r = ssh.wait(60000);
        QVERIFY2(r.ok && r.exitCode == 3, qPrintable(r.describe() + m_sshd->log()));
        QCOMPARE(r.out, QStringLiteral("hello\n"));
        // The proxy's stderr reaches ssh's: it stays silent when all is well (and no sanitizer spoke).
        QVERIFY2(r.err.isEmpty(), qPrintable(r.describe()));
        // The host key was recorded under the instance id, not under a tunnel address.
        QFile known(m_sandbox->path(QStringLiteral("known_hosts")));
        QVERIFY(known.open(QIODevice::ReadOnly));
        const QString line = QString::fromUtf8(known.readAll());
        QVERIFY2(line.startsWith(m_instanceId + QLatin1Char(' ')), qPrintable(line));
        QVERIFY(line.contains(m_sshd->hostPublicKey()));
    }

    // (b) The same login through `bastionless-cli tunnel` and a plain `ssh -p`.
    void tunnelLogin()
    {
        CliRunner tunnel(m_sandbox->env);
        QString why;
        const quint16 port = startTunnel(tunnel, &why);
        QVERIFY2(port != 0, qPrintable(why));
        Program ssh(QStringLiteral("ssh"), tunnelSsh(port, QStringLiteral("echo hello; exit 3")), m_sandbox->env);
        const ProgramResult r = ssh.wait(60000);
        QVERIFY2(r.ok && r.exitCode == 3, qPrintable(r.describe() + m_sshd->log()));
        QCOMPARE(r.out, QStringLiteral("hello\n"));
        stopTunnel(tunnel);
    }

    // (c) 64 MiB up and back down through the tunnel with scp: the same bytes arrive.
    void scpRoundTrip()
    {
        const QString source = m_sandbox->path(QStringLiteral("payload.bin"));
        {
            QFile f(source);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QByteArray block(1024 * 1024, Qt::Uninitialized);
            quint32 x = 0x2545F491;
            for (int mb = 0; mb < 64; ++mb) {
                for (qsizetype i = 0; i < block.size(); ++i) {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    block[i] = static_cast<char>(x);
                }
                QCOMPARE(f.write(block), block.size());
            }
        }
        CliRunner tunnel(m_sandbox->env);
        QString why;
        const quint16 port = startTunnel(tunnel, &why);
        QVERIFY2(port != 0, qPrintable(why));

        QDir().mkpath(m_sandbox->path(QStringLiteral("remote")));
        const QString remote = m_sandbox->path(QStringLiteral("remote/payload.bin"));
        const QString back = m_sandbox->path(QStringLiteral("back.bin"));
        QStringList scpArgs = sshOptions();
        scpArgs.prepend(QStringLiteral("-q"));
        scpArgs << QStringLiteral("-P") << QString::number(port);
        {
            Program up(QStringLiteral("scp"),
                       scpArgs + QStringList {source, QStringLiteral("root@127.0.0.1:") + remote}, m_sandbox->env);
            const ProgramResult r = up.wait(120000);
            QVERIFY2(r.ok && r.exitCode == 0, qPrintable(r.describe()));
        }
        {
            Program down(QStringLiteral("scp"),
                         scpArgs + QStringList {QStringLiteral("root@127.0.0.1:") + remote, back}, m_sandbox->env);
            const ProgramResult r = down.wait(120000);
            QVERIFY2(r.ok && r.exitCode == 0, qPrintable(r.describe()));
        }
        const QByteArray expected = sha256File(source);
        QVERIFY(!expected.isEmpty());
        QCOMPARE(QFileInfo(back).size(), qint64(64) * 1024 * 1024);
        QCOMPARE(sha256File(back), expected);
        stopTunnel(tunnel, SIGTERM);
    }

    // A port EICE refuses (VNC's 5900 and the like) is carried by ssh -L through port 22, with a key pushed for the
    // purpose: bytes make the round trip to a service on the "instance", and no private key stays on disk.
    void otherPortThroughSshForward()
    {
        QTcpServer service; // stands in for a VNC server on the instance
        QVERIFY(service.listen(QHostAddress::LocalHost, 0));
        QList<QTcpSocket*> accepted;
        connect(&service, &QTcpServer::newConnection, &service, [&service, &accepted] {
            while (QTcpSocket* peer = service.nextPendingConnection()) {
                accepted << peer;
                // A server-first protocol, like VNC's "RFB 003.008\n", then an echo.
                peer->write("RFB 003.008\n");
                connect(peer, &QTcpSocket::readyRead, peer, [peer] { peer->write(peer->readAll().toUpper()); });
            }
        });
        CliRunner tunnel(m_sandbox->env);
        QString why;
        const quint16 port =
            startTunnel(tunnel, &why, {QStringLiteral("--os-user"), QStringLiteral("root")}, service.serverPort());
        QVERIFY2(port != 0, qPrintable(why));

        for (int round = 0; round < 2; ++round) {
            QTcpSocket client;
            client.connectToHost(QHostAddress::LocalHost, port);
            (void)QTest::qWaitFor([&client] { return client.bytesAvailable() >= 12; }, 30000);
            if (client.bytesAvailable() < 12) {
                tunnel.sendSignal(SIGINT);
                QFAIL(qPrintable(QStringLiteral("no greeting through the forward (round %1)\n").arg(round)
                                 + tunnel.waitForFinished(15000).describe()));
            }
            QCOMPARE(client.read(12), QByteArray("RFB 003.008\n"));
            client.write("hello vnc");
            QTRY_VERIFY_WITH_TIMEOUT(client.bytesAvailable() >= 9, 10000);
            QCOMPARE(client.readAll(), QByteArray("HELLO VNC"));
        }
        QCOMPARE(accepted.size(), 2);
        // ssh logged in with the pushed key and no longer needs it: the runtime directory holds no key.
        const QStringList keys = QDir(m_sandbox->runtimeDir()).entryList(QDir::Files);
        QVERIFY2(keys.isEmpty(), qPrintable(keys.join(QLatin1Char(' '))));
        tunnel.sendSignal(SIGINT);
        const CliResult r = tunnel.waitForFinished(15000);
        CLI_VERIFY(!r.timedOut && !r.crashed && r.exitCode == 0, r);
        CLI_VERIFY(
            r.err.contains(QStringLiteral("Transport: SSH forward to localhost port %1").arg(service.serverPort())), r);
        CLI_VERIFY(r.err.contains(QStringLiteral("carried by ssh -L")), r);
    }

    // EICE closes a connection when its maxTunnelDuration is up; the listener stays usable for the next one.
    void tunnelDurationExpires()
    {
        CliRunner tunnel(m_sandbox->env);
        QString why;
        const quint16 port = startTunnel(tunnel, &why, {QStringLiteral("--max-duration"), QStringLiteral("3")});
        QVERIFY2(port != 0, qPrintable(why));
        {
            Program longLogin(QStringLiteral("ssh"),
                              tunnelSsh(port, QStringLiteral("echo started; sleep 20; echo done")), m_sandbox->env);
            const ProgramResult r = longLogin.wait(60000);
            // Cut after 3 s: ssh saw its connection end before the command finished.
            QVERIFY2(r.ok && r.exitCode == 255, qPrintable(r.describe()));
            QCOMPARE(r.out, QStringLiteral("started\n"));
        }
        // Counted once the emulator's side of the close is done, which can be just after ssh has gone.
        QTRY_COMPARE_WITH_TIMEOUT(m_aws->eice().counters().closeCodesSent.value(1001), 1, 10000);
        Program next(QStringLiteral("ssh"), tunnelSsh(port, QStringLiteral("echo again")), m_sandbox->env);
        const ProgramResult r = next.wait(60000);
        QVERIFY2(r.ok && r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.out, QStringLiteral("again\n"));
        stopTunnel(tunnel);
    }

    // (d) 20 logins at once through one listener (EICE's per-endpoint limit) all complete.
    void twentyConcurrentLogins()
    {
        CliRunner tunnel(m_sandbox->env);
        QString why;
        const quint16 port = startTunnel(tunnel, &why);
        QVERIFY2(port != 0, qPrintable(why));
        std::vector<std::unique_ptr<Program>> logins;
        for (int i = 0; i < 20; ++i) {
            logins.push_back(std::make_unique<Program>(QStringLiteral("ssh"),
                                                       tunnelSsh(port, QStringLiteral("sleep 1; echo login-%1").arg(i)),
                                                       m_sandbox->env));
        }
        for (int i = 0; i < 20; ++i) {
            const ProgramResult r = logins[static_cast<size_t>(i)]->wait(90000);
            QVERIFY2(r.ok && r.exitCode == 0, qPrintable(QStringLiteral("login %1: %2").arg(i).arg(r.describe())));
            QCOMPARE(r.out, QStringLiteral("login-%1\n").arg(i));
        }
        stopTunnel(tunnel);
    }

    // (e) The block `ssh-config` prints works unchanged with the real ssh client, by id and by Name alias.
    void sshConfigBlockWorks()
    {
        const CliResult printed = m_sandbox->run({QStringLiteral("ssh-config")});
        CLI_EXPECT_OK(printed);
        CLI_VERIFY(printed.out.contains(QStringLiteral("ProxyCommand %1 proxy %h %p\n").arg(CliRunner::program())),
                   printed);
        CLI_VERIFY(printed.out.contains(QStringLiteral("Host web-1\n")), printed);
        const QString config = m_sandbox->writeFile(QStringLiteral("ssh_config"), printed.out.toUtf8());
        for (const QString& host : {m_instanceId, QStringLiteral("web-1")}) {
            QStringList args = sshOptions(config, false);
            args << QStringLiteral("-o") << QStringLiteral("User=root") << host << QStringLiteral("echo hello; exit 7");
            Program ssh(QStringLiteral("ssh"), args, m_sandbox->env);
            const ProgramResult r = ssh.wait(60000);
            QVERIFY2(r.ok && r.exitCode == 7, qPrintable(host + QLatin1Char(' ') + r.describe()));
            QCOMPARE(r.out, QStringLiteral("hello\n"));
        }
        // Both names share one known_hosts entry: the host key is kept by instance id.
        QFile known(m_sandbox->path(QStringLiteral("known_hosts")));
        QVERIFY(known.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(known.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.size() == 1, qPrintable(lines.join(QLatin1Char('\n'))));
        QVERIFY(lines.first().startsWith(m_instanceId + QLatin1Char(' ')));
        CLI_VERIFY(
            printed.out.contains(QStringLiteral("Host web-1\n    ProxyCommand %1 proxy %2 %p\n    HostKeyAlias %2\n")
                                     .arg(CliRunner::program(), m_instanceId)),
            printed);
    }

    // --via direct goes to the instance's own address (sent to the sshd by the test address map).
    void directLogin()
    {
        m_sandbox->env.insert(QStringLiteral("BASTIONLESS_DIRECT_MAP"),
                              QStringLiteral("%1:22=127.0.0.1:%2").arg(m_instanceIp).arg(m_sshd->port()));
        CliRunner tunnel(m_sandbox->env);
        QString why;
        const quint16 port = startTunnel(tunnel, &why, {QStringLiteral("--via"), QStringLiteral("direct")});
        QVERIFY2(port != 0, qPrintable(why));
        Program ssh(QStringLiteral("ssh"), tunnelSsh(port, QStringLiteral("echo direct; exit 5")), m_sandbox->env);
        const ProgramResult r = ssh.wait(60000);
        QVERIFY2(r.ok && r.exitCode == 5, qPrintable(r.describe()));
        QCOMPARE(r.out, QStringLiteral("direct\n"));
        stopTunnel(tunnel, SIGINT, QStringLiteral("private address ") + m_instanceIp);
    }

    // auto: without an endpoint in the VPC, the instance's private address is used, and -v says why.
    void autoFallsBackToDirect()
    {
        CliRunner tunnel(m_sandbox->env);
        tunnel.start({QStringLiteral("tunnel"), m_otherId, QStringLiteral("--remote-port"), QStringLiteral("22"),
                      QStringLiteral("-v")});
        QTRY_VERIFY_WITH_TIMEOUT(
            tunnel.outputSoFar().startsWith(QLatin1String("Listening on 127.0.0.1:")) || !tunnel.isRunning(), 30000);
        tunnel.sendSignal(SIGTERM);
        const CliResult r = tunnel.waitForFinished(15000);
        CLI_VERIFY(r.exitCode == 0 && !r.crashed, r);
        CLI_VERIFY(r.err.contains(QLatin1String("no usable EC2 Instance Connect Endpoint")), r);
        CLI_VERIFY(r.err.contains(QLatin1String("Transport: direct TCP to 10.")), r);
    }

    // `bastionless-cli ssh`: fresh key, tunnel and the system ssh in one command; the exit status comes back and
    // the host key is recorded under the instance id in Bastionless's own known_hosts; a changed key is refused.
    void sshCommand()
    {
        const QStringList args {QStringLiteral("ssh"),
                                m_instanceId,
                                QStringLiteral("--os-user"),
                                QStringLiteral("root"),
                                QStringLiteral("--"),
                                QStringLiteral("-o"),
                                QStringLiteral("BatchMode=yes"),
                                QStringLiteral("echo hello; exit 3")};
        CliResult r = m_sandbox->run(args, 60000);
        CLI_VERIFY(!r.crashed && !r.timedOut && r.exitCode == 3, r);
        CLI_VERIFY(r.out == QLatin1String("hello\n"), r);
        QFile known(m_sandbox->home() + QStringLiteral("/.local/share/bastionless/known_hosts"));
        QVERIFY(known.open(QIODevice::ReadOnly));
        const QString recorded = QString::fromUtf8(known.readAll());
        QVERIFY2(recorded.startsWith(m_instanceId + QLatin1Char(' ') + m_sshd->hostPublicKey()), qPrintable(recorded));

        // The instance now answers with another host key (rebuilt, or someone in the middle): ssh refuses.
        m_sshd = std::make_unique<SshServer>(m_aws->pushedKeysDir(), m_instanceId);
        const QString why = m_sshd->start();
        QVERIFY2(why.isEmpty(), qPrintable(why));
        QVERIFY(m_aws->setTunnelTarget(m_instanceId, 22, QHostAddress(QHostAddress::LocalHost), m_sshd->port()));
        r = m_sandbox->run(args, 60000);
        CLI_VERIFY(r.exitCode == 255 && r.out.isEmpty(), r);
        CLI_VERIFY(r.err.contains(QLatin1String("REMOTE HOST IDENTIFICATION HAS CHANGED")), r);
    }

    // Mistakes get one clear error and the documented exit code; a proxy that fails prints nothing on stdout.
    void mistakes()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        CliResult r =
            m_sandbox->run({QStringLiteral("tunnel"), m_instanceId, QStringLiteral("--remote-port"),
                            QStringLiteral("22"), QStringLiteral("--local-port"), QString::number(taken.serverPort())});
        CLI_EXPECT_FAILURE(r, 2);
        CLI_VERIFY(r.out.isEmpty() && r.errorText().contains(QString::number(taken.serverPort())), r);

        r = m_sandbox->run({QStringLiteral("tunnel"), m_instanceId, QStringLiteral("--remote-port"),
                            QStringLiteral("22"), QStringLiteral("--max-duration"), QStringLiteral("7200")});
        CLI_VERIFY(r.exitCode == 2 && r.errorText().contains(QLatin1String("3600")), r);

        r = m_sandbox->run({QStringLiteral("tunnel"), m_instanceId});
        CLI_VERIFY(r.exitCode == 2 && r.errorText().contains(QLatin1String("--remote-port")), r);

        r = m_sandbox->run({QStringLiteral("proxy"), QStringLiteral("no-such-name"), QStringLiteral("22")});
        CLI_VERIFY(r.exitCode == 4 && r.out.isEmpty(), r);

        r = m_sandbox->run({QStringLiteral("proxy"), m_instanceId, QStringLiteral("22"), QStringLiteral("--via"),
                            QStringLiteral("carrier-pigeon")});
        CLI_VERIFY(r.exitCode == 2 && r.out.isEmpty(), r);
    }
};

QTEST_GUILESS_MAIN(TestSshThroughCli)
#include "TestSshThroughCli.moc"
