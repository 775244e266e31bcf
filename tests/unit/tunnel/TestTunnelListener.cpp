// TunnelListener over the direct transport and a test transport: forwarding, the counters and rates for the tunnels
// panel, 127.0.0.1 only, a port in use, one failing connection among good ones, and stop().

#include "TcpTarget.h"
#include "TestSockets.h"

#include "core/tunnel/DirectStream.h"
#include "core/tunnel/DirectTransport.h"
#include "core/tunnel/TunnelListener.h"

#include <QTest>

#include <vector>

using namespace bl;

namespace {

// Every second connection goes to a port where nothing listens.
class AlternatingTransport : public TunnelTransport
{
public:
    AlternatingTransport(quint16 good, quint16 bad)
        : m_good(good)
        , m_bad(bad)
    { }
    ByteStream* openStream(QObject* parent) override
    {
        const quint16 port = (m_count++ % 2 == 0) ? m_good : m_bad;
        return new DirectStream(QStringLiteral("127.0.0.1"), port, QStringLiteral("port %1").arg(port), 5000,
                                ByteStream::DefaultHighWater, parent);
    }
    QString describe() const override { return QStringLiteral("alternating"); }

private:
    quint16 m_good;
    quint16 m_bad;
    int m_count = 0;
};

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

} // namespace

class TestTunnelListener : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void forwardsAndCounts()
    {
        TcpTarget echo;
        QVERIFY(echo.listen());
        DirectTransport transport({QStringLiteral("i-1"), QStringLiteral("127.0.0.1"), echo.port(), 5000});
        TunnelListener listener(transport);
        QSignalSpy states(&listener, &TunnelListener::stateChanged);
        QSignalSpy opened(&listener, &TunnelListener::connectionOpened);
        QSignalSpy closed(&listener, &TunnelListener::connectionClosed);
        QSignalSpy stats(&listener, &TunnelListener::statsChanged);
        QVERIFY(listener.start(0).ok());
        QCOMPARE(listener.state(), TunnelListener::State::Listening);
        QCOMPARE(states.size(), 2); // Starting, Listening
        QVERIFY(listener.port() != 0);
        QCOMPARE(listener.address(), QStringLiteral("127.0.0.1:%1").arg(listener.port()));

        auto a = TestSockets::connectTo(listener.port());
        auto b = TestSockets::connectTo(listener.port());
        QVERIFY(a && b);
        const QByteArray block = TcpTarget::pattern(0, 300 * 1000);
        QVERIFY(TestSockets::echoes(*a, block));
        QVERIFY(TestSockets::echoes(*b, "short"));
        QCOMPARE(opened.size(), 2);
        TunnelStats s = listener.stats();
        QCOMPARE(s.openConnections, 2);
        QCOMPARE(s.totalConnections, qint64(2));
        QCOMPARE(s.bytesUp, block.size() + 5);
        QCOMPARE(s.bytesDown, block.size() + 5);
        QVERIFY(s.rateUp > 0 && s.rateDown > 0);
        QVERIFY(!stats.isEmpty());

        a->disconnectFromHost();
        QVERIFY(
            TestSockets::waitUntil(&listener, SIGNAL(connectionClosed(quint64)), [&] { return closed.size() == 1; }));
        QCOMPARE(listener.stats().openConnections, 1);
        // The rate falls back to zero once the traffic stopped.
        QTRY_COMPARE_WITH_TIMEOUT(listener.stats().rateUp, 0.0, 5000);
    }

    void listensOnLoopbackOnly()
    {
        DirectTransport transport({{}, QStringLiteral("127.0.0.1"), 9, 1000});
        TunnelListener listener(transport);
        QVERIFY(listener.start(0).ok());
        QCOMPARE(listener.boundAddress(), QHostAddress(QHostAddress::LocalHost));
        QTcpSocket viaIpv6Loopback;
        viaIpv6Loopback.connectToHost(QHostAddress::LocalHostIPv6, listener.port());
        QVERIFY(!viaIpv6Loopback.waitForConnected(1000));
    }

    void portInUse()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        DirectTransport transport({{}, QStringLiteral("127.0.0.1"), 9, 1000});
        TunnelListener listener(transport);
        QSignalSpy states(&listener, &TunnelListener::stateChanged);
        const auto r = listener.start(squatter.serverPort());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Io);
        QCOMPARE(
            r.error().message,
            QStringLiteral("Cannot listen on 127.0.0.1:%1: the port is already in use").arg(squatter.serverPort()));
        QVERIFY(r.error().hint.contains(QLatin1String("another local port, or 0")));
        QCOMPARE(listener.state(), TunnelListener::State::Failed);
        QCOMPARE(listener.error().message, r.error().message);
        QCOMPARE(states.last().at(0).value<TunnelListener::State>(), TunnelListener::State::Failed);
    }

    void aFailingConnectionLeavesTheOthersAlone()
    {
        TcpTarget echo;
        QVERIFY(echo.listen());
        AlternatingTransport transport(echo.port(), freePort());
        TunnelListener listener(transport);
        QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
        QVERIFY(listener.start(0).ok());
        auto good = TestSockets::connectTo(listener.port());
        QVERIFY(good && TestSockets::echoes(*good, "first"));
        auto bad = TestSockets::connectTo(listener.port());
        QVERIFY(bad);
        QVERIFY(TestSockets::waitDisconnected(*bad));
        QVERIFY(TestSockets::waitUntil(&listener, SIGNAL(connectionFailed(quint64, bl::Error)),
                                       [&] { return failed.size() == 1; }));
        QVERIFY(failed.first().at(1).value<Error>().message.contains(QLatin1String("refused")));
        QVERIFY(TestSockets::echoes(*good, "still fine"));
        QCOMPARE(listener.state(), TunnelListener::State::Listening);
        QCOMPARE(listener.stats().failedConnections, qint64(1));
        QCOMPARE(listener.stats().openConnections, 1);
    }

    void stopEndsEverything()
    {
        TcpTarget echo;
        QVERIFY(echo.listen());
        DirectTransport transport({{}, QStringLiteral("127.0.0.1"), echo.port(), 5000});
        TunnelListener listener(transport);
        QVERIFY(listener.start(0).ok());
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(TestSockets::connectTo(listener.port()));
            QVERIFY(clients.back() && TestSockets::echoes(*clients.back(), "x"));
        }
        listener.stop();
        QVERIFY(TestSockets::waitUntil(&listener, SIGNAL(stateChanged(bl::TunnelListener::State)),
                                       [&] { return listener.state() == TunnelListener::State::Stopped; }));
        for (auto& c : clients)
            QVERIFY(TestSockets::waitDisconnected(*c));
        QTRY_COMPARE_WITH_TIMEOUT(echo.openNow(), 0, 5000);
        QCOMPARE(listener.stats().openConnections, 0);
        // Stopping without connections is immediate.
        TunnelListener idle(transport);
        QVERIFY(idle.start(0).ok());
        idle.stop();
        QCOMPARE(idle.state(), TunnelListener::State::Stopped);
    }
};

QTEST_GUILESS_MAIN(TestTunnelListener)
#include "TestTunnelListener.moc"
