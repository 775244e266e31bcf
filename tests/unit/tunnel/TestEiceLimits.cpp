// The 20-connection quota of an EC2 Instance Connect Endpoint: 20 tunnels at once through one listener, the 21st
// waiting until one ends (or giving up with a clear error), and two listeners to the same endpoint sharing it.

#include "EiceTestBench.h"

#include "core/tunnel/TunnelListener.h"

#include <QSignalSpy>

#include <vector>

using namespace bl;

class TestEiceLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_bench = std::make_unique<EiceTestBench>();
        QVERIFY(m_bench->ok());
    }
    void cleanup() { m_bench.reset(); }

    void twentyAtOnceThe21stWaits()
    {
        auto transport = m_bench->transport(m_bench->target());
        TunnelListener listener(*transport);
        QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
        QVERIFY(listener.start(0).ok());
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        for (int i = 0; i < 20; ++i) {
            clients.push_back(EiceTestBench::connectTo(listener.port()));
            QVERIFY(clients.back());
        }
        // All twenty talk at the same time.
        for (int i = 0; i < 20; ++i)
            clients[i]->write("ping " + QByteArray::number(i));
        QTRY_COMPARE_WITH_TIMEOUT(m_bench->server.openNow(), 20, 20000);
        for (int i = 0; i < 20; ++i) {
            const QByteArray expected = "ping " + QByteArray::number(i);
            QTRY_COMPARE_WITH_TIMEOUT(clients[i]->bytesAvailable(), qint64(expected.size()), 5000);
            QCOMPARE(clients[i]->readAll(), expected);
        }
        QCOMPARE(listener.stats().openConnections, 20);

        auto waiting = EiceTestBench::connectTo(listener.port());
        QVERIFY(waiting);
        waiting->write("21st");
        QTest::qWait(500);
        QCOMPARE(m_bench->server.heads().size(), 20); // not even tried yet
        QCOMPARE(transport->connectionSlots()->waiting(), 1);
        QCOMPARE(waiting->bytesAvailable(), qint64(0));
        QCOMPARE(waiting->state(), QAbstractSocket::ConnectedState);

        clients.front()->disconnectFromHost();
        QTRY_COMPARE_WITH_TIMEOUT(waiting->bytesAvailable(), qint64(4), 10000);
        QCOMPARE(waiting->readAll(), QByteArray("21st"));
        QCOMPARE(m_bench->server.maxConcurrent(), 20);
        QCOMPARE(failed.size(), 0);
        QCOMPARE(listener.stats().totalConnections, qint64(21));
    }

    void the21stGivesUpWithAClearError()
    {
        auto transport = m_bench->transport(m_bench->target());
        transport->connectionSlots()->setMaxWaitMs(300);
        TunnelListener listener(*transport);
        QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
        QVERIFY(listener.start(0).ok());
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        for (int i = 0; i < 20; ++i) {
            clients.push_back(EiceTestBench::connectTo(listener.port()));
            QVERIFY(clients.back() && EiceTestBench::echoes(*clients.back(), "x"));
        }
        auto refused = EiceTestBench::connectTo(listener.port());
        QVERIFY(refused);
        QVERIFY(EiceTestBench::waitDisconnected(*refused, 5000));
        QCOMPARE(failed.size(), 1);
        const Error e = failed.first().at(1).value<Error>();
        QCOMPARE(e.kind, ErrorKind::Timeout);
        QVERIFY2(e.message.contains(QLatin1String("eice-0test already has 20 connections open")),
                 qPrintable(e.message));
        // The others are unaffected.
        QVERIFY(EiceTestBench::echoes(*clients.back(), "still here"));
    }

    void twoListenersShareTheEndpoint()
    {
        ConnectionSlotRegistry registry(2, 10000);
        const EiceTarget t = m_bench->target();
        EiceTransport first(t, *m_bench->http, *m_bench->credentials, registry.slotsFor(t.endpointId));
        EiceTransport second(t, *m_bench->http, *m_bench->credentials, registry.slotsFor(t.endpointId));
        TunnelListener a(first);
        TunnelListener b(second);
        QVERIFY(a.start(0).ok());
        QVERIFY(b.start(0).ok());
        auto a1 = EiceTestBench::connectTo(a.port());
        auto a2 = EiceTestBench::connectTo(a.port());
        QVERIFY(a1 && EiceTestBench::echoes(*a1, "a1"));
        QVERIFY(a2 && EiceTestBench::echoes(*a2, "a2"));
        auto b1 = EiceTestBench::connectTo(b.port());
        QVERIFY(b1);
        b1->write("b1");
        QTest::qWait(400);
        QCOMPARE(b1->bytesAvailable(), qint64(0));
        QCOMPARE(second.connectionSlots()->waiting(), 1);
        a2->disconnectFromHost();
        QTRY_COMPARE_WITH_TIMEOUT(b1->bytesAvailable(), qint64(2), 10000);
        QCOMPARE(m_bench->server.maxConcurrent(), 2);
    }

private:
    std::unique_ptr<EiceTestBench> m_bench;
};

QTEST_GUILESS_MAIN(TestEiceLimits)
#include "TestEiceLimits.moc"
