// TunnelManager: a direct tunnel to a local echo server carries and counts bytes; a local port in use fails
// with the port named; stop and restart; an instance that cannot be found fails with the reason; shutting down
// before the program exits terminates a Session Manager session first.

#include "TunnelTestKit.h"

#include "tests/fakeaws/FleetBuilder.h"

#include <QSignalSpy>
#include <QTest>

using namespace bl;
using namespace tunneltest;

class TestTunnelManager : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void directTunnelCountsBytes();
    void localPortInUseFails();
    void stopAndRestart();
    void unknownSourceFails();
    void shutdownAllTerminatesSsmSessions();
};

namespace {

constexpr int waitMs = 10000;

// Sends payload through 127.0.0.1:port and waits for the echo.
bool roundTrip(quint16 port, const QByteArray& payload)
{
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, port);
    QSignalSpy connected(&client, &QTcpSocket::connected);
    if (!connected.wait(waitMs))
        return false;
    client.write(payload);
    QByteArray echoed;
    QElapsedTimer timer;
    timer.start();
    while (echoed.size() < payload.size() && timer.elapsed() < waitMs) {
        QSignalSpy ready(&client, &QTcpSocket::readyRead);
        if (client.bytesAvailable() == 0 && !ready.wait(waitMs))
            break;
        echoed += client.readAll();
    }
    return echoed == payload;
}

} // namespace

void TestTunnelManager::directTunnelCountsBytes()
{
    ManagerKit kit;
    QVERIFY2(kit.aws.ok(), qPrintable(kit.aws.error()));
    QSignalSpy added(&kit.manager, &TunnelManager::added);
    QSignalSpy up(&kit.manager, &TunnelManager::tunnelUp);
    const quint64 id = kit.manager.open(directTarget(5432));
    QCOMPARE(added.size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(up.size(), 1, waitMs);
    const ManagedTunnel* t = kit.manager.tunnel(id);
    QVERIFY(t);
    QCOMPARE(t->state, TunnelState::Up);
    QVERIFY(t->localPort != 0);
    QVERIFY2(t->transportLabel.startsWith(QStringLiteral("direct TCP")), qPrintable(t->transportLabel));
    QVERIFY2(t->transportReason.contains(QStringLiteral("--via direct")), qPrintable(t->transportReason));
    QVERIFY(t->upSince.isValid());
    QCOMPARE(t->displayName(), QStringLiteral("web-1 (i-0123456789abcdef0)"));

    const QByteArray payload(10000, 'x');
    QVERIFY(roundTrip(t->localPort, payload));
    QTRY_VERIFY_WITH_TIMEOUT(kit.manager.tunnel(id)->stats.bytesUp >= payload.size(), waitMs);
    QTRY_VERIFY_WITH_TIMEOUT(kit.manager.tunnel(id)->stats.bytesDown >= payload.size(), waitMs);
    QVERIFY(kit.manager.tunnel(id)->stats.totalConnections >= 1);
    QCOMPARE(kit.manager.findActive(QStringLiteral("demo"), QStringLiteral("i-0123456789abcdef0"), 5432), id);
}

void TestTunnelManager::localPortInUseFails()
{
    ManagerKit kit;
    QVERIFY2(kit.aws.ok(), qPrintable(kit.aws.error()));
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    QSignalSpy failed(&kit.manager, &TunnelManager::tunnelFailed);
    const quint64 id = kit.manager.open(directTarget(5432, squatter.serverPort()));
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, waitMs);
    const ManagedTunnel* t = kit.manager.tunnel(id);
    QCOMPARE(t->state, TunnelState::Failed);
    QCOMPARE(failed.first().at(0).value<quint64>(), id);
    const QString port = QString::number(squatter.serverPort());
    QVERIFY2(t->error.message.contains(port), qPrintable(t->error.toString()));
    QCOMPARE(kit.manager.findActive(QStringLiteral("demo"), QStringLiteral("i-0123456789abcdef0"), 5432), 0u);
}

void TestTunnelManager::stopAndRestart()
{
    ManagerKit kit;
    QVERIFY2(kit.aws.ok(), qPrintable(kit.aws.error()));
    const quint64 id = kit.manager.open(directTarget(5432));
    QTRY_COMPARE_WITH_TIMEOUT(kit.manager.tunnel(id)->state, TunnelState::Up, waitMs);
    const quint16 port = kit.manager.tunnel(id)->localPort;

    kit.manager.stop(id);
    QCOMPARE(kit.manager.tunnel(id)->state, TunnelState::Stopped);
    QTcpSocket refused;
    refused.connectToHost(QHostAddress::LocalHost, port);
    QSignalSpy error(&refused, &QTcpSocket::errorOccurred);
    QVERIFY(error.wait(waitMs)); // nothing listens any more

    QSignalSpy up(&kit.manager, &TunnelManager::tunnelUp);
    kit.manager.restart(id);
    QTRY_COMPARE_WITH_TIMEOUT(up.size(), 1, waitMs);
    QCOMPARE(kit.manager.tunnel(id)->localPort, port); // the same port again: viewers find it
    QVERIFY(roundTrip(port, QByteArrayLiteral("again")));

    QSignalSpy removed(&kit.manager, &TunnelManager::removed);
    kit.manager.remove(id);
    QCOMPARE(removed.size(), 1);
    QVERIFY(!kit.manager.tunnel(id));
    QVERIFY(kit.manager.ids().isEmpty());
}

void TestTunnelManager::unknownSourceFails()
{
    ManagerKit kit;
    QVERIFY2(kit.aws.ok(), qPrintable(kit.aws.error()));
    TunnelTarget t = directTarget(5432);
    t.source = QStringLiteral("gone");
    QSignalSpy failed(&kit.manager, &TunnelManager::tunnelFailed);
    const quint64 id = kit.manager.open(t);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, waitMs);
    QVERIFY2(kit.manager.tunnel(id)->error.message.contains(QStringLiteral("gone")),
             qPrintable(kit.manager.tunnel(id)->error.message));
}

void TestTunnelManager::shutdownAllTerminatesSsmSessions()
{
    // What Quit in the tray does: a tunnel over Session Manager ends its session (else it would stay open on AWS's
    // side until its idle timeout) before done lets the program exit.
    fakeaws::Fleet fleet;
    fakeaws::FleetBuilder b(fleet, QStringLiteral("tm-ssm"));
    b.region(QStringLiteral("us-east-1"));
    const fakeaws::FleetBuilder::Network net =
        b.standardVpc(QStringLiteral("us-east-1"), QStringLiteral("main"), 0, QStringLiteral("us-east-1a"),
                      QStringLiteral("us-east-1a"));
    fakeaws::Instance instance = b.instance(QStringLiteral("web-1"), net.privateSubnet,
                                            fakeaws::FleetBuilder::Os::AmazonLinux2023, QStringLiteral("t3.micro"));
    b.giveSsm(instance, QStringLiteral("Online"));
    b.add(instance);
    QString error;
    QVERIFY2(fleet.finish(&error), qPrintable(error));
    inventorytest::FakeAwsSessions aws(fleet);
    QVERIFY2(aws.ok(), qPrintable(aws.error()));
    AwsSession* session = &aws.addSession(QStringLiteral("demo"));
    EchoServer echo;
    QVERIFY(aws.fake().setSsmTarget(instance.id, 5432, QHostAddress(QHostAddress::LocalHost), echo.serverPort()));
    TunnelManager manager([&](const QString& source) { return source == QLatin1String("demo") ? session : nullptr; });

    TunnelTarget target;
    target.instance = fakeInstance(instance.id);
    target.source = QStringLiteral("demo");
    target.remotePort = 5432;
    target.via = TransportChooser::Via::Ssm;
    const quint64 id = manager.open(target);
    QTRY_COMPARE_WITH_TIMEOUT(manager.tunnel(id)->state, TunnelState::Up, waitMs);
    QVERIFY(roundTrip(manager.tunnel(id)->localPort, QByteArray(5000, 's')));
    const QString sessionId = aws.fake().ssmSessions().lastSessionId();
    QVERIFY(!sessionId.isEmpty());
    QVERIFY(!aws.fake().ssmSessions().session(sessionId)->terminated);

    QObject context;
    bool done = false;
    manager.shutdownAll(&context, [&] {
        done = true;
        // Ended before the program may go, not by a destructor on the way out.
        QVERIFY(aws.fake().ssmSessions().session(sessionId)->terminated);
        QCOMPARE(manager.tunnel(id)->state, TunnelState::Stopped);
    });
    QVERIFY(!done); // never from inside the call
    QTRY_VERIFY_WITH_TIMEOUT(done, waitMs);
    QCOMPARE(aws.fake().ssmSessions().counters().sessionsStarted, 1);
}

QTEST_GUILESS_MAIN(TestTunnelManager)
#include "TestTunnelManager.moc"
