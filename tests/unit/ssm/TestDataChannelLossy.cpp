// DataChannel over a faulty link, against FakeSsmAgent: with a fixed seed, messages in both directions are
// dropped, duplicated and reordered, the sink sometimes refuses data, the receive buffer is small enough to
// overflow and the socket drops once; 2 MiB each way must still arrive intact and in order.

#include "DataChannelRig.h"

#include <QRandomGenerator>
#include <QtTest>

#include <map>

using namespace bl;

namespace {

// One direction of the WebSocket: frames arrive after a random delay (so they reorder), or twice, or never.
class FaultyLink
{
public:
    FaultyLink(QRandomGenerator& rng, double drop, double duplicate)
        : m_rng(rng)
        , m_drop(drop)
        , m_duplicate(duplicate)
    { }

    void push(qint64 now, const QByteArray& frame)
    {
        ++sent;
        if (m_rng.generateDouble() < m_drop)
            return;
        m_queue.emplace(now + 5 + m_rng.bounded(30), frame);
        if (m_rng.generateDouble() < m_duplicate)
            m_queue.emplace(now + 5 + m_rng.bounded(80), frame);
    }
    QList<QByteArray> due(qint64 now)
    {
        QList<QByteArray> out;
        while (!m_queue.empty() && m_queue.begin()->first <= now) {
            out.append(m_queue.begin()->second);
            m_queue.erase(m_queue.begin());
        }
        return out;
    }
    void clear() { m_queue.clear(); }
    qint64 sent = 0;

private:
    QRandomGenerator& m_rng;
    double m_drop;
    double m_duplicate;
    std::multimap<qint64, QByteArray> m_queue;
};

QByteArray randomBytes(QRandomGenerator& rng, int size)
{
    QByteArray data(size, '\0');
    for (int i = 0; i < size; ++i)
        data[i] = static_cast<char>(rng.bounded(256));
    return data;
}

} // namespace

class TestDataChannelLossy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void twoMegabytesEachWay_data();
    void twoMegabytesEachWay();
};

void TestDataChannelLossy::twoMegabytesEachWay_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<double>("drop");
    QTest::addColumn<double>("duplicate");
    QTest::newRow("reorder only") << 1u << 0.0 << 0.0;
    QTest::newRow("2% loss, 2% duplicates") << 20260122u << 0.02 << 0.02;
    QTest::newRow("5% loss, 5% duplicates") << 77u << 0.05 << 0.05;
}

void TestDataChannelLossy::twoMegabytesEachWay()
{
    QFETCH(quint32, seed);
    QFETCH(double, drop);
    QFETCH(double, duplicate);
    QRandomGenerator rng(seed);
    const int size = 2 * 1024 * 1024;
    const QByteArray upload = randomBytes(rng, size);
    const QByteArray download = randomBytes(rng, size);

    DataChannelOptions options;
    options.receiveBufferBytes = 64 * 1024; // small, so the buffer bound is hit while gaps are repaired
    options.sendWindowBytes = 256 * 1024;
    DataChannelRig rig(options);
    FakeSsmAgent agent;
    FaultyLink up(rng, drop, duplicate);
    FaultyLink down(rng, drop, duplicate);
    auto now = [&] { return rig.clock.nowUtc().toMSecsSinceEpoch(); };
    QObject::connect(&rig.channel, &DataChannel::sendBinary, &rig.channel,
                     [&](const QByteArray& f) { up.push(now(), f); });
    rig.channel.setSink([&](const QByteArray& p) {
        if (rng.generateDouble() < 0.02)
            return false; // the consumer is briefly full
        rig.delivered += p;
        return true;
    });
    qint64 peakBuffered = 0;

    rig.channel.connectionOpened();
    down.push(now(),
              agent.send(SsmPayloadType::HandshakeRequest,
                         FakeSsmAgent::handshakeRequestPayload(QStringLiteral("3.3.40.0"), QStringLiteral("Port"),
                                                               DataChannelRig::portProperties())));
    agent.markSent(0, now());
    bool handshakeCompleteSent = false;
    int uploadPos = 0;
    int downloadPos = 0;
    bool connected = true;
    const qint64 start = now();
    const qint64 dropAt = start + 3000;
    const qint64 reconnectAt = dropAt + 400;
    int step = 0;
    while (now() - start < 900 * 1000 && (agent.received.size() < size || rig.delivered.size() < size)) {
        // The client reads its local socket only while the window allows (data before the handshake is held).
        while (uploadPos < size && rig.channel.canWrite()) {
            rig.channel.sendData(upload.mid(uploadPos, 4000));
            uploadPos += 4000;
        }
        // The agent completes the handshake once the response arrived, then streams its output.
        if (!handshakeCompleteSent && !agent.inputs.isEmpty()
            && agent.inputs.first().type() == SsmPayloadType::HandshakeResponse) {
            handshakeCompleteSent = true;
            down.push(now(), agent.send(SsmPayloadType::HandshakeComplete, FakeSsmAgent::handshakeCompletePayload()));
        }
        while (handshakeCompleteSent && downloadPos < size && agent.unacked() < 256) {
            down.push(now(), agent.send(SsmPayloadType::Output, download.mid(downloadPos, 1024)));
            downloadPos += 1024;
        }
        for (const QByteArray& f : up.due(now())) {
            for (const QByteArray& reply : agent.receive(f, now()))
                down.push(now(), reply);
        }
        for (const QByteArray& f : down.due(now())) {
            if (connected && !rig.channel.receiveFrame(f).ok())
                QFAIL("a well-formed frame was rejected");
        }
        peakBuffered = std::max(peakBuffered, rig.channel.bufferedReceiveBytes());
        rig.channel.resumeDelivery();

        // The socket drops once: everything in flight is lost, both ends keep their state.
        if (connected && now() >= dropAt && now() < reconnectAt) {
            connected = false;
            rig.channel.connectionLost();
            up.clear();
            down.clear();
        } else if (!connected && now() >= reconnectAt) {
            connected = true;
            rig.channel.connectionOpened();
        }

        rig.advance(5);
        if (++step % 20 == 0) {
            rig.channel.tick();
            for (const QByteArray& f : agent.tick(now()))
                down.push(now(), f);
        }
        QVERIFY(rig.failures.isEmpty());
    }

    QCOMPARE(agent.received.size(), size);
    QVERIFY(agent.received == upload);
    QCOMPARE(rig.delivered.size(), size);
    QVERIFY(rig.delivered == download);
    QVERIFY(peakBuffered <= options.receiveBufferBytes);
    QCOMPARE(rig.readyCount, 1);
    if (drop > 0)
        QVERIFY(rig.channel.retransmissions() > 0);
    qInfo("simulated %lld s, client retransmissions %lld, frames up %lld down %lld, peak buffer %lld",
          (now() - start) / 1000, rig.channel.retransmissions(), up.sent, down.sent, peakBuffered);
}

QTEST_GUILESS_MAIN(TestDataChannelLossy)
#include "TestDataChannelLossy.moc"
