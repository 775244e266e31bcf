// TunnelManager: a direct tunnel to a local echo server carries and counts bytes; a local port in use fails
// with the port named; stop and restart; an instance that cannot be found fails with the reason.

#include "TunnelTestKit.h"

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

QTEST_GUILESS_MAIN(TestTunnelManager)
#include "TestTunnelManager.moc"
