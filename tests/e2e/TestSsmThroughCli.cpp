// End-to-end over SSM Session Manager, with real programs and no AWS CLI or session-manager-plugin: the real ssh
// client logs in to a real sshd through `ProxyCommand bastionless-cli proxy %h %p --via ssm`; bulk data crosses a
// `--via ssm` tunnel intact while the emulated agent drops and reorders messages, and when the data-channel
// WebSocket is cut mid-transfer; 20 connections share one multiplexed session; an old agent gets basic mode.

#include "BulkTransfer.h"
#include "E2eCli.h"
#include "Program.h"
#include "SshServer.h"
#include "tests/fakeaws/FakeAws.h"
#include "tests/fakeaws/FleetBuilder.h"
#include "tests/integration/CliRunner.h"
#include "tests/integration/CliSandbox.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QTest>

#include <csignal>
#include <memory>
#include <vector>

using fakeaws::FakeAws;

class TestSsmThroughCli : public QObject
{
    Q_OBJECT

private:
    static fakeaws::Fleet fleet(QString* instanceId)
    {
        using fakeaws::FleetBuilder;
        fakeaws::Fleet f;
        FleetBuilder b(f, QStringLiteral("e2e-ssm"));
        b.region(QStringLiteral("us-east-1"));
        // A private subnet without an EC2 Instance Connect Endpoint: Session Manager is the only way in.
        const FleetBuilder::Network net = b.standardVpc(QStringLiteral("us-east-1"), QStringLiteral("main"), 0,
                                                        QStringLiteral("us-east-1a"), QStringLiteral("us-east-1a"));
        fakeaws::Instance i = b.instance(QStringLiteral("app-1"), net.privateSubnet, FleetBuilder::Os::AmazonLinux2023,
                                         QStringLiteral("t3.micro"));
        b.giveSsm(i, QStringLiteral("Online"));
        *instanceId = i.id;
        b.add(i);
        QString error;
        if (!f.finish(&error))
            qFatal("test fleet: %s", qPrintable(error));
        return f;
    }

    QStringList sshOptions() const
    {
        return e2eSshOptions(m_key, m_sandbox->path(QStringLiteral("known_hosts")), m_instanceId);
    }

    // Starts `bastionless-cli tunnel --via ssm` and returns its port, 0 on failure (with the reason in *why).
    quint16 startTunnel(CliRunner& runner, quint16 remotePort, QString* why)
    {
        return startCliTunnel(runner,
                              {QStringLiteral("tunnel"), m_instanceId, QStringLiteral("--remote-port"),
                               QString::number(remotePort), QStringLiteral("--via"), QStringLiteral("ssm"),
                               QStringLiteral("-v")},
                              why);
    }

    // Interrupts the tunnel: it ends the Session Manager session (TerminateSession) and exits 0.
    void stopTunnel(CliRunner& runner)
    {
        runner.sendSignal(SIGINT);
        const CliResult r = runner.waitForFinished(15000);
        CLI_VERIFY(!r.timedOut && !r.crashed && r.exitCode == 0, r);
        CLI_VERIFY(r.err.contains(QStringLiteral("Transport: ")) && r.err.contains(QStringLiteral("Session Manager")),
                   r);
        const auto session = m_aws->ssmSessions().session(m_aws->ssmSessions().lastSessionId());
        QVERIFY(session);
        QVERIFY2(session->terminated, qPrintable(session->terminatedBy));
    }

    // Bytes for the bulk tests; BL_E2E_SSM_MIB overrides it (to try other sizes by hand).
    static qint64 bulkBytes(int defaultMiB)
    {
        const int mib = qEnvironmentVariableIntValue("BL_E2E_SSM_MIB");
        if (mib > 0)
            return qint64(mib) * 1024 * 1024;
#ifdef BL_E2E_SANITIZED
        // Under ASan + UBSan the CLI and the emulator run several times slower and 256 MiB each way outlasts
        // QtTest's 5-minute watchdog; that run looks for memory errors, the release run moves the full sizes.
        defaultMiB = qMax(8, defaultMiB / 8);
#endif
        return qint64(defaultMiB) * 1024 * 1024;
    }

    // Waits for the transfers with the event loop running (the emulator lives on it). False after limitSecs: the
    // caller prints what the agent and the CLI saw while QtTest's 5-minute watchdog (which counts the test's set-up
    // too) has not fired yet. (QTRY_* would not do: it waits up to twice its timeout before it fails.)
    static bool waitFor(const std::vector<std::future<BulkResult>*>& transfers, int limitSecs)
    {
        QDeadlineTimer deadline {std::chrono::seconds(limitSecs)};
        for (;;) {
            bool done = true;
            for (std::future<BulkResult>* f : transfers)
                done = done && f->wait_for(std::chrono::seconds(0)) == std::future_status::ready;
            if (done)
                return true;
            if (deadline.hasExpired())
                return false;
            QTest::qWait(50);
        }
    }

    // Prints what the agent and the tunnel saw; with stop, also ends the tunnel, so that transfers still running
    // fail at once (their connections close) instead of holding the test up.
    void explain(CliRunner& tunnel, bool stop = false) const
    {
        const fakeaws::SsmCounters& c = m_aws->ssmSessions().counters();
        qWarning("agent: %lld retransmissions, %lld channels killed, peak %lld unacked messages", c.retransmissions,
                 c.channelsKilled, c.peakUnackedMessages);
        qWarning("tunnel log (end): %s", qPrintable(tunnel.errorsSoFar().right(6000)));
        if (stop) {
            tunnel.sendSignal(SIGKILL);
            tunnel.waitForFinished(5000);
        }
    }

    // Runs an upload and a download at the same time through port and checks both arrived intact. A transfer that
    // stalls for a minute, or crawls for over 200 s, fails with what the agent and the CLI saw.
    void bulkBothWays(CliRunner& tunnel, quint16 port, qint64 bytes)
    {
        const QByteArray only = qgetenv("BL_E2E_SSM_ONLY");
        constexpr int stallSecs = 60;
        auto up = bulkUpload(port, only == "down" ? 0 : bytes, 11, stallSecs);
        auto down = bulkDownload(port, only == "up" ? 0 : bytes, 22, stallSecs);
        if (!waitFor({&up, &down}, 200)) {
            explain(tunnel, true);
            QFAIL("the transfers were still running after 200 s");
        }
        const BulkResult u = up.get();
        const BulkResult d = down.get();
        if (!u.ok || !d.ok)
            explain(tunnel);
        QVERIFY2(u.ok, qPrintable(u.error));
        QVERIFY2(d.ok, qPrintable(d.error));
        qInfo("%lld MiB up in %.1f s (%.2f MB/s), down in %.1f s (%.2f MB/s)", bytes >> 20, u.seconds,
              double(bytes) / u.seconds / 1e6, d.seconds, double(bytes) / d.seconds / 1e6);
    }

    std::unique_ptr<FakeAws> m_aws;
    std::unique_ptr<CliSandbox> m_sandbox;
    std::unique_ptr<SshServer> m_sshd;
    std::unique_ptr<BulkServer> m_bulk;
    QString m_instanceId;
    QString m_key;

private Q_SLOTS:
    void init()
    {
        fakeaws::FakeAwsOptions options;
        options.fleet = fleet(&m_instanceId);
        m_aws = std::make_unique<FakeAws>(options);
        QVERIFY(m_aws->start());
        m_sandbox = std::make_unique<CliSandbox>(*m_aws);
        QVERIFY(m_sandbox->isValid());
        m_sshd = std::make_unique<SshServer>(m_aws->pushedKeysDir(), m_instanceId);
        const QString why = m_sshd->start();
        if (!why.isEmpty())
            QFAIL(qPrintable(why));
        QVERIFY(m_aws->setSsmTarget(m_instanceId, 22, QHostAddress(QHostAddress::LocalHost), m_sshd->port()));
        m_bulk = std::make_unique<BulkServer>();
        QVERIFY(m_bulk->isListening());
        QVERIFY(
            m_aws->setSsmTarget(m_instanceId, m_bulk->port(), QHostAddress(QHostAddress::LocalHost), m_bulk->port()));
        // The agent as AWS runs it, minus its 1 ms pause per message (the benchmark measures that one).
        m_aws->ssmSessions().settings().pacing = false;

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
        m_bulk.reset();
        m_sshd.reset();
        m_sandbox.reset();
        m_aws.reset();
    }

    // The ProxyCommand line that replaces `aws ssm start-session --document-name AWS-StartSSHSession`: the command
    // runs, its exit status comes back, and the session is terminated when ssh is done.
    void proxyCommandLogin()
    {
        QStringList args = sshOptions();
        args << QStringLiteral("-o")
             << QStringLiteral("ProxyCommand=%1 proxy %h %p --via ssm").arg(CliRunner::program())
             << QStringLiteral("root@") + m_instanceId << QStringLiteral("echo hello over ssm; exit 3");
        Program ssh(QStringLiteral("ssh"), args, m_sandbox->env);
        const ProgramResult r = ssh.wait(60000);
        QVERIFY2(r.ok && r.exitCode == 3, qPrintable(r.describe() + m_sshd->log()));
        QCOMPARE(r.out, QStringLiteral("hello over ssm\n"));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.describe()));
        const auto session = m_aws->ssmSessions().session(m_aws->ssmSessions().lastSessionId());
        QVERIFY(session);
        QCOMPARE(session->target, m_instanceId);
        QCOMPARE(session->mode, QStringLiteral("mux"));
        QTRY_VERIFY_WITH_TIMEOUT(m_aws->ssmSessions().session(session->sessionId)->terminated, 10000);
    }

    // 256 MiB up and 256 MiB down at once through one session, no faults: the agent at full speed in 1 KiB
    // messages, smux's 4 MiB receive limit reached again and again while the client is busy uploading, and
    // nothing stalls (a refused message is kept, not left to the agent's slow retransmission, and acknowledged
    // at once while the receive buffer is under half full).
    void bulkBothWaysAtOnce()
    {
        CliRunner tunnel(m_sandbox->env);
        QString why;
        const quint16 port = startTunnel(tunnel, m_bulk->port(), &why);
        QVERIFY2(port != 0, qPrintable(why));
        bulkBothWays(tunnel, port, bulkBytes(256));
        const fakeaws::SsmCounters& c = m_aws->ssmSessions().counters();
        qInfo("agent: %lld retransmissions, peak %lld unacked messages", c.retransmissions, c.peakUnackedMessages);
        stopTunnel(tunnel);
    }

    // A local client that reads far slower than the agent sends (a slow disk, a throttled copy): past half of the
    // receive buffer the client acknowledges only what the reader has taken, so the agent backs off instead of
    // overrunning the buffer, and the download arrives whole at the reader's pace. (Acknowledging everything kept
    // let the agent run 32 MiB ahead; every message after that waited for its one-per-100-ms repair: a crawl of
    // about 10 KB/s.)
    void slowReaderDownload()
    {
        CliRunner tunnel(m_sandbox->env);
        QString why;
        const quint16 port = startTunnel(tunnel, m_bulk->port(), &why);
        QVERIFY2(port != 0, qPrintable(why));
        const qint64 bytes = bulkBytes(64);
        constexpr qint64 readRate = 4 * 1000 * 1000;
        auto down = bulkDownload(port, bytes, 33, 60, readRate);
        const int paceSecs = int(bytes / readRate);
        const int limitSecs = 3 * paceSecs + 60;
        if (!waitFor({&down}, limitSecs)) {
            explain(tunnel, true);
            QFAIL(qPrintable(QStringLiteral("a download paced at 4 MB/s (%1 s) was still running after %2 s")
                                 .arg(paceSecs)
                                 .arg(limitSecs)));
        }
        const BulkResult d = down.get();
        if (!d.ok)
            explain(tunnel);
        QVERIFY2(d.ok, qPrintable(d.error));
        const fakeaws::SsmCounters& c = m_aws->ssmSessions().counters();
        qInfo("%lld MiB read at 4 MB/s in %.1f s; agent: %lld retransmissions, peak %lld unacked messages", bytes >> 20,
              d.seconds, c.retransmissions, c.peakUnackedMessages);
        stopTunnel(tunnel);
    }

    // 256 MiB up and 256 MiB down at once while 5% of the data-channel messages are lost or reordered, in both
    // directions: the same bytes arrive.
    void bulkWithLossAndReordering()
    {
        fakeaws::SsmFaults faults;
        faults.drop = 0.03; // agent -> client
        faults.reorder = 0.02;
        faults.dropInbound = 0.05; // client -> agent
        faults.seed = 7;
        m_aws->ssmSessions().setFaults(faults);
        // The agent repairs one lost message per 100 ms, whatever the client does (PROTOCOLS.md §6.5): with its
        // 1 KiB messages, 3% of 256 Ki messages would take over ten minutes to repair. 16 KiB messages keep the
        // same loss rate and the test about a minute; Bastionless's own sends stay at 1 KiB.
        m_aws->ssmSessions().settings().chunkBytes = 16 * 1024;
        CliRunner tunnel(m_sandbox->env);
        QString why;
        const quint16 port = startTunnel(tunnel, m_bulk->port(), &why);
        QVERIFY2(port != 0, qPrintable(why));
        bulkBothWays(tunnel, port, bulkBytes(256));
        const fakeaws::SsmCounters& c = m_aws->ssmSessions().counters();
        qInfo("agent: %lld dropped, %lld reordered, %lld client messages lost, %lld retransmissions", c.droppedToClient,
              c.reorderedToClient, c.droppedFromClient, c.retransmissions);
        QVERIFY(c.droppedToClient > 0 && c.reorderedToClient > 0 && c.droppedFromClient > 0);
        stopTunnel(tunnel);
    }

    // The data-channel WebSocket dies without a close frame in the middle of a transfer: Bastionless resumes the
    // session (ResumeSession, new token) and the transfer completes with the same bytes.
    void webSocketKilledMidTransfer()
    {
        fakeaws::SsmFaults faults;
        faults.killAfterBytes = 16 * 1024 * 1024;
        m_aws->ssmSessions().setFaults(faults);
        CliRunner tunnel(m_sandbox->env);
        QString why;
        const quint16 port = startTunnel(tunnel, m_bulk->port(), &why);
        QVERIFY2(port != 0, qPrintable(why));
        bulkBothWays(tunnel, port, bulkBytes(64));
        QCOMPARE(m_aws->ssmSessions().counters().channelsKilled, 1);
        const auto session = m_aws->ssmSessions().session(m_aws->ssmSessions().lastSessionId());
        QVERIFY(session);
        QVERIFY2(session->resumeCount >= 1, "the client did not call ResumeSession");
        QCOMPARE(m_aws->ssmSessions().counters().sessionsStarted, 1);
        stopTunnel(tunnel);
    }

    // 20 ssh logins at once through one listener share one multiplexed Session Manager session.
    void twentyConcurrentConnections()
    {
        CliRunner tunnel(m_sandbox->env);
        QString why;
        const quint16 port = startTunnel(tunnel, 22, &why);
        QVERIFY2(port != 0, qPrintable(why));
        std::vector<std::unique_ptr<Program>> logins;
        for (int i = 0; i < 20; ++i) {
            QStringList args = sshOptions();
            args << QStringLiteral("-p") << QString::number(port) << QStringLiteral("root@127.0.0.1")
                 << QStringLiteral("sleep 1; echo login-%1").arg(i);
            logins.push_back(std::make_unique<Program>(QStringLiteral("ssh"), args, m_sandbox->env));
        }
        for (int i = 0; i < 20; ++i) {
            const ProgramResult r = logins[static_cast<size_t>(i)]->wait(120000);
            QVERIFY2(r.ok && r.exitCode == 0, qPrintable(QStringLiteral("login %1: %2").arg(i).arg(r.describe())));
            QCOMPARE(r.out, QStringLiteral("login-%1\n").arg(i));
        }
        QCOMPARE(m_aws->ssmSessions().counters().sessionsStarted, 1);
        QCOMPARE(m_aws->ssmSessions().session(m_aws->ssmSessions().lastSessionId())->mode, QStringLiteral("mux"));
        stopTunnel(tunnel);
    }

    // An agent too old for multiplexing gets basic mode (one connection at a time), and logins still work one
    // after the other through the same listener.
    void basicModeWithAnOldAgent()
    {
        m_aws->ssmSessions().settings().agentVersion = QStringLiteral("3.0.161.0");
        CliRunner tunnel(m_sandbox->env);
        QString why;
        const quint16 port = startTunnel(tunnel, 22, &why);
        QVERIFY2(port != 0, qPrintable(why));
        for (int i = 0; i < 2; ++i) {
            QStringList args = sshOptions();
            args << QStringLiteral("-p") << QString::number(port) << QStringLiteral("root@127.0.0.1")
                 << QStringLiteral("echo basic-%1").arg(i);
            Program ssh(QStringLiteral("ssh"), args, m_sandbox->env);
            const ProgramResult r = ssh.wait(60000);
            QVERIFY2(r.ok && r.exitCode == 0, qPrintable(r.describe()));
            QCOMPARE(r.out, QStringLiteral("basic-%1\n").arg(i));
        }
        QCOMPARE(m_aws->ssmSessions().session(m_aws->ssmSessions().lastSessionId())->mode, QStringLiteral("basic"));
        stopTunnel(tunnel);
    }
};

QTEST_GUILESS_MAIN(TestSsmThroughCli)
#include "TestSsmThroughCli.moc"
