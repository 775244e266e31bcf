// SsmTransport through TunnelListener against fakeaws's Session Manager emulator: echo round trips, 8 MiB each way
// in mux mode with equal SHA-256, several connections sharing one session, a slow reader (agent output refused at
// the smux limit, bounded memory, bytes intact and in order), basic mode against an old agent (one
// connection at a time), a resumed session after the WebSocket is cut mid-transfer, seeded drop/reorder faults,
// a null token on resume, TerminateSession at the end (endSession() and shutdown()), ConnectToPortError and
// TargetNotConnected.

#include "SsmTestBench.h"

#include "tests/unit/tunnel/TcpTarget.h"
#include "tests/unit/tunnel/TestSockets.h"

#include "core/ssm/SsmTransport.h"
#include "core/tunnel/TunnelListener.h"

#include <QElapsedTimer>
#include <QTcpServer>

using namespace bl;

class TestSsmTransport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void echoRoundTrip();
    void bulkMux();
    void concurrentConnections();
    void slowReaderBoundedMemory();
    void basicModeOldAgent();
    void reconnectMidTransfer();
    void faultsWithSeed();
    void nullTokenOnResume();
    void terminateAtEnd();
    void shutdownTerminates();
    void connectToPortError();
    void targetNotConnected();

private:
    std::unique_ptr<SsmTransport> transport(const QString& instance, quint16 port = 22);
    static SsmTransportOptions options(quint16 port);

    SsmTestBench m_bench;
    TcpTarget m_echo;
};

void TestSsmTransport::initTestCase()
{
    QVERIFY(m_bench.setUp());
    QVERIFY(m_echo.listen());
    for (const QString& id : {m_bench.current, m_bench.old})
        QVERIFY(m_bench.fake().setSsmTarget(id, 22, QHostAddress::LocalHost, m_echo.port()));
}

void TestSsmTransport::init()
{
    m_bench.ssm().setFaults({});
    m_bench.ssm().resetCounters();
}

SsmTransportOptions TestSsmTransport::options(quint16 port)
{
    SsmTransportOptions o;
    o.remotePort = port;
    o.session.reconnectInitialMinMs = 20;
    o.session.reconnectInitialMaxMs = 40;
    return o;
}

std::unique_ptr<SsmTransport> TestSsmTransport::transport(const QString& instance, quint16 port)
{
    return std::make_unique<SsmTransport>(m_bench.session(), instance, options(port));
}

void TestSsmTransport::echoRoundTrip()
{
    auto t = transport(m_bench.current);
    TunnelListener listener(*t);
    QVERIFY(listener.start().ok());
    auto client = TestSockets::connectTo(listener.port());
    QVERIFY(client);
    QVERIFY(TestSockets::echoes(*client, "hello over Session Manager\n"));
    QVERIFY(t->session());
    QCOMPARE(t->session()->mode(), SsmForwardMode::Mux);
    const auto record = m_bench.ssm().session(t->session()->sessionId());
    QVERIFY(record);
    QCOMPARE(record->mode, QStringLiteral("mux"));
    QCOMPARE(record->documentName, QStringLiteral("AWS-StartPortForwardingSession"));
    QCOMPARE(record->parameters.value(QStringLiteral("portNumber")), QStringList {QStringLiteral("22")});
    QVERIFY(record->lastUpgradeSigned); // SigV4 for ssmmessages, accepted by the emulator
    QVERIFY(t->describe().contains(m_bench.current));
    client->disconnectFromHost();
    QTRY_COMPARE_WITH_TIMEOUT(listener.stats().openConnections, 0, 10000);
}

void TestSsmTransport::bulkMux()
{
    auto t = transport(m_bench.current);
    TunnelListener listener(*t);
    QVERIFY(listener.start().ok());
    auto client = TestSockets::connectTo(listener.port());
    QVERIFY(client);
    const QByteArray data = SsmTestBench::randomBytes(8 * 1024 * 1024, 8);
    const QByteArray back = SsmTestBench::exchange(*client, data, data.size(), 120000);
    QCOMPARE(back.size(), data.size());
    QCOMPARE(SsmTestBench::sha256(back), SsmTestBench::sha256(data));
    QCOMPARE(t->session()->mode(), SsmForwardMode::Mux);
    // Bounded buffers: nothing held more than a few windows' worth.
    QVERIFY2(listener.stats().peakBuffered <= 4 * 1024 * 1024,
             qPrintable(QString::number(listener.stats().peakBuffered)));
}

void TestSsmTransport::concurrentConnections()
{
    auto t = transport(m_bench.current);
    TunnelListener listener(*t);
    QVERIFY(listener.start().ok());
    std::vector<std::unique_ptr<QTcpSocket>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(TestSockets::connectTo(listener.port()));
        QVERIFY(clients.back());
    }
    for (int round = 0; round < 3; ++round) {
        for (size_t i = 0; i < clients.size(); ++i) {
            const QByteArray msg = SsmTestBench::randomBytes(3000 + static_cast<qint64>(i) * 100, round * 10 + i);
            QVERIFY(TestSockets::echoes(*clients[i], msg));
        }
    }
    QCOMPARE(t->sessionsStarted(), 1); // one session for every connection
    QCOMPARE(m_bench.ssm().sessionIds().count(t->session()->sessionId()), 1);
}

void TestSsmTransport::slowReaderBoundedMemory()
{
    // The agent sends 12 MiB as fast as it can; the local client reads slowly. Agent output is refused (left
    // unacknowledged) once the smux receive limit is reached, so memory stays bounded and nothing is lost.
    const qint64 total = 12 * 1024 * 1024;
    TcpTarget source(TcpTarget::Mode::Source);
    source.setSourceBytes(total);
    QVERIFY(source.listen());
    QVERIFY(m_bench.fake().setSsmTarget(m_bench.current, 2222, QHostAddress::LocalHost, source.port()));
    auto t = transport(m_bench.current, 2222);
    TunnelListener listener(*t);
    QVERIFY(listener.start().ok());
    auto client = TestSockets::connectTo(listener.port());
    QVERIFY(client);
    client->setReadBufferSize(64 * 1024);
    qint64 received = 0;
    bool intact = true;
    QElapsedTimer timer;
    timer.start();
    while (received < total && intact && timer.elapsed() < 120000) {
        const QByteArray got = client->read(256 * 1024);
        if (!got.isEmpty()) {
            intact = got == TcpTarget::pattern(received, got.size());
            received += got.size();
        }
        QSignalSpy spy(client.get(), &QTcpSocket::readyRead);
        spy.wait(20); // reads 64 KiB at a time (its read buffer), slower than the agent sends
    }
    QVERIFY(intact);
    QCOMPARE(received, total);
    QVERIFY(t->refusedPayloads() > 0); // the limit was reached and enforced
    QVERIFY2(listener.stats().peakBuffered <= 1024 * 1024, qPrintable(QString::number(listener.stats().peakBuffered)));
}

void TestSsmTransport::basicModeOldAgent()
{
    auto t = transport(m_bench.old);
    TunnelListener listener(*t);
    QVERIFY(listener.start().ok());
    auto first = TestSockets::connectTo(listener.port());
    QVERIFY(first);
    QVERIFY(TestSockets::echoes(*first, "first connection\n"));
    QCOMPARE(t->session()->mode(), SsmForwardMode::Basic);
    QCOMPARE(m_bench.ssm().session(t->session()->sessionId())->mode, QStringLiteral("basic"));

    // The second one waits while the first is open ...
    auto second = TestSockets::connectTo(listener.port());
    QVERIFY(second);
    second->write("second connection\n");
    QTest::qWait(300);
    QCOMPARE(second->bytesAvailable(), 0);
    // ... and gets its turn when the first ends (DisconnectToPort, then the agent dials again).
    first->disconnectFromHost();
    QByteArray got;
    QVERIFY(TestSockets::waitUntil(
        second.get(), SIGNAL(readyRead()),
        [&] {
            got += second->readAll();
            return got.size() >= 18;
        },
        15000));
    QCOMPARE(got, QByteArray("second connection\n"));
    const QByteArray data = SsmTestBench::randomBytes(1024 * 1024, 3);
    const QByteArray back = SsmTestBench::exchange(*second, data, data.size(), 60000);
    QCOMPARE(SsmTestBench::sha256(back), SsmTestBench::sha256(data));
    QCOMPARE(t->sessionsStarted(), 1);
}

void TestSsmTransport::reconnectMidTransfer()
{
    fakeaws::SsmFaults faults;
    faults.killAfterBytes = 1024 * 1024;
    m_bench.ssm().setFaults(faults);
    auto t = transport(m_bench.current);
    TunnelListener listener(*t);
    QVERIFY(listener.start().ok());
    auto client = TestSockets::connectTo(listener.port());
    QVERIFY(client);
    const QByteArray data = SsmTestBench::randomBytes(8 * 1024 * 1024, 21);
    const QByteArray back = SsmTestBench::lockstep(*client, data, 64 * 1024, 120000);
    QCOMPARE(back.size(), data.size());
    QCOMPARE(SsmTestBench::sha256(back), SsmTestBench::sha256(data));
    QVERIFY(m_bench.ssm().counters().channelsKilled >= 1);
    QVERIFY(t->session()->reconnects() >= 1);
    const auto record = m_bench.ssm().session(t->session()->sessionId());
    QVERIFY(record->resumeCount >= 1);
    QCOMPARE(t->sessionsStarted(), 1); // the same session went on
}

void TestSsmTransport::faultsWithSeed()
{
    QString error;
    const auto faults = fakeaws::SsmFaults::parse(
        QStringLiteral("drop=0.02,reorder=0.02,duplicate=0.01,drop-in=0.02,withhold-acks=0.05,split=1,seed=7"), &error);
    QVERIFY2(faults, qPrintable(error));
    m_bench.ssm().setFaults(*faults);
    auto t = transport(m_bench.current);
    TunnelListener listener(*t);
    QVERIFY(listener.start().ok());
    auto client = TestSockets::connectTo(listener.port());
    QVERIFY(client);
    const QByteArray data = SsmTestBench::randomBytes(2 * 1024 * 1024, 7);
    const QByteArray back = SsmTestBench::exchange(*client, data, data.size(), 120000);
    QCOMPARE(back.size(), data.size());
    QCOMPARE(SsmTestBench::sha256(back), SsmTestBench::sha256(data));
    QVERIFY(m_bench.ssm().counters().droppedToClient > 0);
    QVERIFY(m_bench.ssm().counters().reorderedToClient > 0);
}

void TestSsmTransport::nullTokenOnResume()
{
    fakeaws::SsmFaults faults;
    faults.killAfterBytes = 64 * 1024;
    faults.nullTokenResumes = 1;
    m_bench.ssm().setFaults(faults);
    auto t = transport(m_bench.current);
    TunnelListener listener(*t);
    QVERIFY(listener.start().ok());
    QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
    auto client = TestSockets::connectTo(listener.port());
    QVERIFY(client);
    SsmTestBench::exchange(*client, SsmTestBench::randomBytes(512 * 1024, 5), 512 * 1024, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(failed.size() == 1, 20000);
    const Error e = failed.at(0).at(1).value<Error>();
    QVERIFY2(e.message.contains(QLatin1String("cannot resume")), qPrintable(e.toString()));
    QVERIFY(!e.hint.isEmpty());
    QCOMPARE(t->session()->state(), SsmSession::State::Failed);
    QVERIFY(TestSockets::waitDisconnected(*client));
    // The listener stays usable: the next connection starts a new session.
    auto again = TestSockets::connectTo(listener.port());
    QVERIFY(again);
    m_bench.ssm().setFaults({});
    QVERIFY(TestSockets::echoes(*again, "new session\n"));
    QCOMPARE(t->sessionsStarted(), 2);
}

void TestSsmTransport::terminateAtEnd()
{
    auto t = transport(m_bench.current);
    TunnelListener listener(*t);
    QVERIFY(listener.start().ok());
    auto client = TestSockets::connectTo(listener.port());
    QVERIFY(client);
    QVERIFY(TestSockets::echoes(*client, "bye\n"));
    const QString id = t->session()->sessionId();
    QSignalSpy finished(t.get(), &SsmTransport::sessionFinished);
    t->endSession();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.at(0).at(1).toBool(), false);
    QVERIFY(t->session()->terminateApiCalled());
    QTRY_VERIFY_WITH_TIMEOUT(m_bench.ssm().session(id)->terminated, 10000);
    QVERIFY(TestSockets::waitDisconnected(*client));
}

void TestSsmTransport::shutdownTerminates()
{
    auto t = transport(m_bench.current);
    QObject context;
    int calls = 0;
    // No session yet: nothing to end, done on the next turn of the event loop.
    t->shutdown(&context, [&calls] { ++calls; });
    QCOMPARE(calls, 0);
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 1000);
    QCOMPARE(t->sessionsStarted(), 0);

    TunnelListener listener(*t);
    QVERIFY(listener.start().ok());
    auto client = TestSockets::connectTo(listener.port());
    QVERIFY(client);
    QVERIFY(TestSockets::echoes(*client, "shutting down\n"));
    const QString id = t->session()->sessionId();
    QElapsedTimer elapsed;
    elapsed.start();
    t->shutdown(&context, [&calls] { ++calls; });
    QCOMPARE(calls, 1);
    QTRY_COMPARE_WITH_TIMEOUT(calls, 2, TunnelTransport::ShutdownTimeoutMs + 2000);
    // The session's end called done, not the timeout, and the session was terminated before it.
    QVERIFY(elapsed.elapsed() < TunnelTransport::ShutdownTimeoutMs);
    QVERIFY(t->session()->terminateApiCalled());
    QTRY_VERIFY_WITH_TIMEOUT(m_bench.ssm().session(id)->terminated, 10000);
    QVERIFY(TestSockets::waitDisconnected(*client));
    // The timeout, when it fires later, finds done spent.
    QTest::qWait(static_cast<int>(TunnelTransport::ShutdownTimeoutMs - elapsed.elapsed()) + 200);
    QCOMPARE(calls, 2);
}

void TestSsmTransport::connectToPortError()
{
    // A port nobody listens on.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 closed = probe.serverPort();
    probe.close();
    QVERIFY(m_bench.fake().setSsmTarget(m_bench.current, 5999, QHostAddress::LocalHost, closed));
    auto t = transport(m_bench.current, 5999);
    TunnelListener listener(*t);
    QVERIFY(listener.start().ok());
    QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
    auto client = TestSockets::connectTo(listener.port());
    QVERIFY(client);
    client->write("anyone?");
    QVERIFY(failed.wait(15000));
    const Error e = failed.at(0).at(1).value<Error>();
    QVERIFY2(e.message.contains(QLatin1String("Connection to destination port failed")), qPrintable(e.toString()));
    QVERIFY(e.hint.contains(QLatin1String("listens")));
    // The session itself is fine: another connection to a working port of the same transport would go on.
    QVERIFY(!t->session()->isFinished());
}

void TestSsmTransport::targetNotConnected()
{
    auto t = transport(m_bench.offline);
    TunnelListener listener(*t);
    QVERIFY(listener.start().ok());
    QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
    auto client = TestSockets::connectTo(listener.port());
    QVERIFY(client);
    QVERIFY(failed.wait(15000));
    const Error e = failed.at(0).at(1).value<Error>();
    QCOMPARE(e.awsCode, QStringLiteral("TargetNotConnected"));
    QVERIFY(e.message.contains(m_bench.offline));
    QVERIFY(e.hint.contains(QLatin1String("Online")));
}

QTEST_GUILESS_MAIN(TestSsmTransport)
#include "TestSsmTransport.moc"
