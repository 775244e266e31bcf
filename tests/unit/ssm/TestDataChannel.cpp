// DataChannel against a scripted agent: the handshake order, in-order/out-of-order/duplicate handling with every
// failure mode of PROTOCOLS.md §11, retransmission timing, the send window, publication pauses, flags, reconnects
// and malformed frames.

#include "DataChannelRig.h"

#include <QtTest>

using namespace bl;

class TestDataChannel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void openDataChannelFrame();
    void handshakeOrderAndHeldData();
    void handshakeRefusesUnsupported_data();
    void handshakeRefusesUnsupported();
    void inOrderAndOutOfOrder();
    void earlyDataAckedThenDeliveredOnce();
    void duplicateAfterLostAckReackedNotRedelivered();
    void queueAcrossReconnect();
    void byteBoundedBufferStopsAcking();
    void refusedDeliveryBufferedAndAcked();
    void refusedDeliveryBeyondBoundNotAcked();
    void pastHalfTheBufferAckedOnDelivery();
    void refusedInOrderPastTheBoundComesAgain();
    void ackOwedForDataDeliveredWhileDisconnected();
    void latestAcksRepeatedOnReconnect();
    void tickDeliversWhatWaits();
    void refusedBufferedDataKeptUntilResume();
    void rttFromAcks();
    void retransmitsOverdueAfterRto();
    void windowAndWritable();
    void splitsByMaxPayload_data();
    void splitsByMaxPayload();
    void pauseAndStartPublication();
    void flags();
    void channelClosed();
    void givesUpAfterMaxResends();
    void malformedFramesAreDropped();
};

namespace {

// A 100-byte Output payload of one letter, and options whose receive buffer holds `messages` of them.
QByteArray chunk(char c)
{
    return QByteArray(100, c);
}

DataChannelOptions roomFor(int messages)
{
    DataChannelOptions options;
    options.receiveBufferBytes = messages * (SsmMessage::FullHeaderSize + 100);
    return options;
}

} // namespace

void TestDataChannel::openDataChannelFrame()
{
    DataChannelRig rig;
    const QJsonObject a = QJsonDocument::fromJson(rig.channel.openDataChannelFrame(QStringLiteral("tok-1"))).object();
    const QJsonObject b = QJsonDocument::fromJson(rig.channel.openDataChannelFrame(QStringLiteral("tok-2"))).object();
    QCOMPARE(a.value(QLatin1String("MessageSchemaVersion")).toString(), QStringLiteral("1.0"));
    QCOMPARE(a.value(QLatin1String("TokenValue")).toString(), QStringLiteral("tok-1"));
    QCOMPARE(a.value(QLatin1String("ClientVersion")).toString(), QStringLiteral("1.2.707.0"));
    QCOMPARE(a.value(QLatin1String("ClientId")).toString(), SsmPayloads::uuidText(rig.channel.clientId()));
    QCOMPARE(b.value(QLatin1String("ClientId")), a.value(QLatin1String("ClientId")));
    QVERIFY(a.value(QLatin1String("RequestId")).toString().size() >= 16);
    QVERIFY(b.value(QLatin1String("RequestId")) != a.value(QLatin1String("RequestId")));
}

void TestDataChannel::handshakeOrderAndHeldData()
{
    DataChannelRig rig;
    rig.channel.connectionOpened();
    rig.channel.sendData("early bytes");
    rig.channel.sendFlag(SsmFlag::DisconnectToPort);
    QVERIFY(rig.take().isEmpty()); // nothing before the handshake
    QCOMPARE(rig.channel.bytesInFlight(), qint64(11 + 4));

    const QJsonObject props {{QStringLiteral("portNumber"), QStringLiteral("3389")},
                             {QStringLiteral("type"), QStringLiteral("LocalPortForwarding")},
                             {QStringLiteral("host"), QStringLiteral("db.internal")}};
    QVERIFY(rig.feed(FakeSsmAgent::frame(
        0, SsmPayloadType::HandshakeRequest,
        FakeSsmAgent::handshakeRequestPayload(QStringLiteral("3.1.1511.0"), QStringLiteral("Port"), props),
        SsmMessage::FlagSyn)));
    QList<SsmMessage> msgs = rig.take();
    QCOMPARE(msgs.size(), 2);
    QCOMPARE(DataChannelRig::ackedSeqs({msgs[0]}), QList<qint64> {0}); // ack first ...
    QVERIFY(msgs[1].isType(SsmMessageType::InputStreamData)); // ... then the response, client seq 0
    QCOMPARE(msgs[1].sequenceNumber, 0);
    QCOMPARE(msgs[1].type(), SsmPayloadType::HandshakeResponse);
    QCOMPARE(msgs[1].payload,
             SsmPayloads::handshakeResponse(QStringLiteral("1.2.707.0"),
                                            {SsmProcessedAction {QStringLiteral("SessionType"), 1, {}}}));
    QCOMPARE(rig.readyCount, 0);

    QVERIFY(rig.feed(FakeSsmAgent::frame(1, SsmPayloadType::HandshakeComplete,
                                         FakeSsmAgent::handshakeCompletePayload(QStringLiteral("Hi there")))));
    msgs = rig.take();
    QCOMPARE(msgs.size(), 3);
    QCOMPARE(DataChannelRig::ackedSeqs({msgs[0]}), QList<qint64> {1});
    QCOMPARE(msgs[1].sequenceNumber, 1);
    QCOMPARE(msgs[1].type(), SsmPayloadType::Output);
    QCOMPARE(msgs[1].payload, QByteArray("early bytes"));
    QCOMPARE(msgs[2].sequenceNumber, 2);
    QCOMPARE(msgs[2].type(), SsmPayloadType::Flag);
    QCOMPARE(msgs[2].payload, SsmPayloads::flag(SsmFlag::DisconnectToPort));

    QCOMPARE(rig.readyCount, 1);
    QVERIFY(rig.channel.isReady());
    QCOMPARE(rig.info.agentVersion, QStringLiteral("3.1.1511.0"));
    QCOMPARE(rig.info.sessionType, QStringLiteral("Port"));
    QCOMPARE(rig.info.properties, props);
    QCOMPARE(rig.info.customerMessage, QStringLiteral("Hi there"));
    QCOMPARE(rig.info.handshakeTimeNs, 1500000000LL);
    QCOMPARE(rig.info.modes.mode, SsmForwardMode::Mux);
    QVERIFY(rig.info.modes.smuxKeepAliveNeeded);
    QVERIFY(rig.info.modes.terminateFlagSupported);
    QVERIFY(rig.failures.isEmpty());
}

void TestDataChannel::handshakeRefusesUnsupported_data()
{
    QTest::addColumn<QString>("sessionType");
    QTest::addColumn<bool>("kms");
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("status");
    QTest::newRow("KMS") << QStringLiteral("Port") << true << 1 << 2;
    QTest::newRow("interactive commands") << QStringLiteral("InteractiveCommands") << false << 0 << 3;
}

void TestDataChannel::handshakeRefusesUnsupported()
{
    QFETCH(QString, sessionType);
    QFETCH(bool, kms);
    QFETCH(int, index);
    QFETCH(int, status);
    DataChannelRig rig;
    rig.channel.connectionOpened();
    QVERIFY(rig.feed(
        FakeSsmAgent::frame(0, SsmPayloadType::HandshakeRequest,
                            FakeSsmAgent::handshakeRequestPayload(QStringLiteral("3.3.40.0"), sessionType, {}, kms))));
    const QList<SsmMessage> data = DataChannelRig::dataMessages(rig.take());
    QCOMPARE(data.size(), 1);
    const QJsonArray actions =
        QJsonDocument::fromJson(data[0].payload)[QLatin1String("ProcessedClientActions")].toArray();
    QCOMPARE(actions[index][QLatin1String("ActionStatus")].toInt(), status);
    QVERIFY(!actions[index][QLatin1String("Error")].toString().isEmpty());
    QCOMPARE(rig.failures.size(), 1);
    QCOMPARE(rig.failures[0].kind, ErrorKind::Service);
    QVERIFY(!rig.failures[0].hint.isEmpty());
}

void TestDataChannel::inOrderAndOutOfOrder()
{
    DataChannelRig rig;
    rig.handshake();
    QVERIFY(rig.feedData(2, "a"));
    QVERIFY(rig.feedData(5, "d"));
    QVERIFY(rig.feedData(4, "c"));
    QCOMPARE(rig.delivered, QByteArray("a"));
    QCOMPARE(rig.channel.bufferedReceiveCount(), 2);
    QVERIFY(rig.feedData(3, "b"));
    QCOMPARE(rig.delivered, QByteArray("abcd"));
    QCOMPARE(rig.channel.bufferedReceiveCount(), 0);
    QCOMPARE(rig.channel.bufferedReceiveBytes(), 0);
    QCOMPARE(rig.channel.expectedReceiveSequence(), 6);
    // Each acked exactly once, in arrival order.
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), (QList<qint64> {2, 5, 4, 3}));
}

void TestDataChannel::earlyDataAckedThenDeliveredOnce()
{
    // §11.1: HandshakeComplete is lost, the sshd banner (next seq) arrives first and is acked; it must survive
    // until the handshake completes and be delivered exactly once.
    DataChannelRig rig;
    rig.channel.connectionOpened();
    QVERIFY(rig.feed(
        FakeSsmAgent::frame(0, SsmPayloadType::HandshakeRequest,
                            FakeSsmAgent::handshakeRequestPayload(QStringLiteral("3.3.40.0"), QStringLiteral("Port"),
                                                                  DataChannelRig::portProperties()))));
    rig.take();
    const QByteArray banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n";
    QVERIFY(rig.feedData(2, banner));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), QList<qint64> {2});
    QVERIFY(rig.delivered.isEmpty());
    QVERIFY(
        rig.feed(FakeSsmAgent::frame(1, SsmPayloadType::HandshakeComplete, FakeSsmAgent::handshakeCompletePayload())));
    QCOMPARE(rig.readyCount, 1);
    QCOMPARE(rig.delivered, banner);
    // The agent retransmits the banner anyway (say our ack was lost): re-acked, not delivered again.
    rig.take();
    QVERIFY(rig.feedData(2, banner));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), QList<qint64> {2});
    QCOMPARE(rig.delivered, banner);
}

void TestDataChannel::duplicateAfterLostAckReackedNotRedelivered()
{
    // §11.2 + §11.4: the message is delivered while the socket dies, so its ack never goes out.
    DataChannelRig rig;
    rig.handshake();
    rig.channel.connectionLost();
    QVERIFY(rig.feedData(2, QByteArray(1024, 'x')));
    QCOMPARE(rig.delivered.size(), 1024);
    QVERIFY(rig.take().isEmpty()); // no ack on a dead socket
    rig.channel.connectionOpened();
    // The new socket carries the latest acks again (the handshake's and the one that was lost).
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), (QList<qint64> {0, 1, 2}));
    QVERIFY(rig.feedData(2, QByteArray(1024, 'x'))); // the agent's retransmission all the same
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), QList<qint64> {2});
    QCOMPARE(rig.delivered.size(), 1024);
    QVERIFY(rig.feedData(3, "next"));
    QCOMPARE(rig.delivered.right(4), QByteArray("next"));
}

void TestDataChannel::queueAcrossReconnect()
{
    // §11.3: nothing written while the socket is down, or sent just before it died, is lost.
    DataChannelRig rig;
    rig.handshake();
    rig.channel.sendData("one");
    QCOMPARE(DataChannelRig::dataMessages(rig.take()).size(), 1);
    rig.channel.connectionLost();
    rig.channel.sendData("two");
    rig.channel.sendFlag(SsmFlag::TerminateSession);
    QVERIFY(rig.take().isEmpty());
    QVERIFY(!rig.channel.isConnected());

    rig.channel.connectionOpened();
    const QList<SsmMessage> resent = DataChannelRig::dataMessages(rig.take());
    QCOMPARE(resent.size(), 3);
    QCOMPARE(resent[0].sequenceNumber, 1); // counters continue: never reset across reconnects
    QCOMPARE(resent[0].payload, QByteArray("one"));
    QCOMPARE(resent[1].sequenceNumber, 2);
    QCOMPARE(resent[1].payload, QByteArray("two"));
    QCOMPARE(resent[2].sequenceNumber, 3);
    QCOMPARE(resent[2].type(), SsmPayloadType::Flag);
    for (const SsmMessage& m : resent)
        QVERIFY(rig.feed(FakeSsmAgent::ackFor(m)));
    QCOMPARE(rig.channel.unackedCount(), 0);
    QCOMPARE(rig.channel.bytesInFlight(), 0);
}

void TestDataChannel::byteBoundedBufferStopsAcking()
{
    // §11.5: 3 messages of 100 bytes fit. Up to half of that they are acked when kept, past half only on delivery,
    // past the bound neither kept nor acked: the channel stops acking instead of dropping acked data.
    const DataChannelOptions options = roomFor(3);
    DataChannelRig rig(options);
    rig.handshake();
    for (int seq = 3; seq <= 7; ++seq)
        QVERIFY(rig.feedData(seq, chunk(char('a' + seq))));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), QList<qint64> {3});
    QCOMPARE(rig.channel.bufferedReceiveCount(), 3);
    QVERIFY(rig.channel.bufferedReceiveBytes() <= options.receiveBufferBytes);
    QVERIFY(rig.delivered.isEmpty());
    QCOMPARE(rig.channel.receiveStats().notKept, 2);

    QVERIFY(rig.feedData(2, chunk('c')));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), (QList<qint64> {2, 4, 5})); // 4 and 5 once delivered
    QCOMPARE(rig.delivered, chunk('c') + chunk('d') + chunk('e') + chunk('f'));
    // The unacked ones come back by retransmission and are delivered then.
    QVERIFY(rig.feedData(6, chunk('g')));
    QVERIFY(rig.feedData(7, chunk('h')));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), (QList<qint64> {6, 7}));
    QCOMPARE(rig.delivered.size(), 600);
    QVERIFY(rig.delivered.endsWith(chunk('g') + chunk('h')));
}

void TestDataChannel::refusedDeliveryBufferedAndAcked()
{
    // Basic mode before a local client exists, or smux at its limit: the agent's output is kept and (the buffer
    // being far from half full) acked, not left to the agent's one-message-per-100-ms retransmission, and
    // delivered once the consumer is ready.
    DataChannelRig rig;
    rig.handshake();
    rig.sinkReady = false;
    QVERIFY(rig.feedData(2, "banner"));
    QVERIFY(rig.feedData(3, "-more"));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), (QList<qint64> {2, 3}));
    QCOMPARE(rig.channel.expectedReceiveSequence(), 2); // not delivered, so not counted
    QCOMPARE(rig.channel.bufferedReceiveCount(), 2);
    QVERIFY(rig.delivered.isEmpty());
    rig.sinkReady = true;
    rig.channel.resumeDelivery();
    QCOMPARE(rig.delivered, QByteArray("banner-more"));
    QCOMPARE(rig.channel.expectedReceiveSequence(), 4);
    QCOMPARE(rig.channel.bufferedReceiveCount(), 0);
    // A retransmission (our ack was lost) is re-acked and not delivered again.
    QVERIFY(rig.feedData(2, "banner"));
    QCOMPARE(rig.delivered, QByteArray("banner-more"));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), QList<qint64> {2});
}

void TestDataChannel::refusedDeliveryBeyondBoundNotAcked()
{
    // A consumer stalled for long: once the bound is reached, refused messages are neither acked nor kept, and
    // the sender's retransmission brings them back; nothing acked is ever dropped (§11.1, §11.5).
    DataChannelRig rig(roomFor(2));
    rig.handshake();
    rig.sinkReady = false;
    for (int seq = 2; seq <= 4; ++seq)
        QVERIFY(rig.feedData(seq, chunk(char('a' + seq))));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), QList<qint64> {2}); // 3 kept past half: acked on delivery
    rig.sinkReady = true;
    rig.channel.resumeDelivery();
    QCOMPARE(rig.delivered, chunk('c') + chunk('d'));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), QList<qint64> {3});
    QCOMPARE(rig.channel.expectedReceiveSequence(), 4);
    QVERIFY(rig.feedData(4, chunk('e'))); // the retransmission
    QCOMPARE(rig.delivered, chunk('c') + chunk('d') + chunk('e'));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), QList<qint64> {4});
}

void TestDataChannel::pastHalfTheBufferAckedOnDelivery()
{
    // A consumer slower than the agent: once the kept data passes half the buffer, what comes is kept but acked
    // only when the consumer takes it, so the agent's oldest unacked message stays put and an agent with a window
    // stops sending instead of overrunning the buffer (after which it would repair message by message).
    DataChannelRig rig(roomFor(4));
    rig.handshake();
    rig.sinkReady = false;
    for (int seq = 2; seq <= 5; ++seq)
        QVERIFY(rig.feedData(seq, chunk(char('a' + seq))));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), (QList<qint64> {2, 3}));
    QCOMPARE(rig.channel.bufferedReceiveCount(), 4);
    // The agent resends its oldest unacked one: still busy, so kept once and not acked.
    QVERIFY(rig.feedData(4, chunk('e')));
    QVERIFY(rig.take().isEmpty());
    QCOMPARE(rig.channel.bufferedReceiveCount(), 4);
    // An acked one that comes again (our ack was lost) is acked again.
    QVERIFY(rig.feedData(3, chunk('d')));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), QList<qint64> {3});
    rig.sinkReady = true;
    rig.channel.resumeDelivery();
    QCOMPARE(rig.delivered, chunk('c') + chunk('d') + chunk('e') + chunk('f'));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), (QList<qint64> {4, 5}));
    QCOMPARE(rig.channel.bufferedReceiveCount(), 0);
    QCOMPARE(rig.channel.receiveStats().refusals, 1);
    QCOMPARE(rig.channel.receiveStats().notKept, 0);
}

void TestDataChannel::refusedInOrderPastTheBoundComesAgain()
{
    // The buffer is full of early data when the message it waits for arrives and the consumer refuses it: it is
    // neither kept nor acked, nothing is counted, and the agent's retransmission delivers it once.
    DataChannelRig rig(roomFor(2));
    rig.handshake();
    QVERIFY(rig.feedData(3, chunk('d')));
    QVERIFY(rig.feedData(4, chunk('e')));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), QList<qint64> {3}); // 4 past half: kept, not acked
    rig.sinkReady = false;
    QVERIFY(rig.feedData(2, chunk('c')));
    QVERIFY(rig.take().isEmpty());
    QCOMPARE(rig.channel.expectedReceiveSequence(), 2);
    QCOMPARE(rig.channel.bufferedReceiveCount(), 2);
    QCOMPARE(rig.channel.receiveStats().notKept, 1);
    rig.sinkReady = true;
    rig.channel.tick(); // nothing deliverable is waiting: 2 was not kept
    QVERIFY(rig.delivered.isEmpty());
    QVERIFY(rig.feedData(2, chunk('c'))); // the retransmission
    QCOMPARE(rig.delivered, chunk('c') + chunk('d') + chunk('e'));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), (QList<qint64> {2, 4}));
    QCOMPARE(rig.channel.expectedReceiveSequence(), 5);
}

void TestDataChannel::ackOwedForDataDeliveredWhileDisconnected()
{
    // Kept past half (unacked), then the consumer takes it while the socket is down: the ack goes out on the next
    // socket, not only when the agent resends the message as its oldest (one per 100 ms).
    DataChannelRig rig(roomFor(2));
    rig.handshake();
    rig.sinkReady = false;
    QVERIFY(rig.feedData(2, chunk('a')));
    QVERIFY(rig.feedData(3, chunk('b')));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), QList<qint64> {2});
    rig.channel.connectionLost();
    rig.sinkReady = true;
    rig.channel.resumeDelivery();
    QCOMPARE(rig.delivered.size(), 200);
    QVERIFY(rig.take().isEmpty());
    rig.channel.connectionOpened();
    const QList<qint64> acked = DataChannelRig::ackedSeqs(rig.take());
    QVERIFY2(acked.contains(3), qPrintable(QString::number(acked.size())));
    QCOMPARE(acked.count(3), 1);
}

void TestDataChannel::latestAcksRepeatedOnReconnect()
{
    // Acks sent into a socket that was already dying are lost; the next socket repeats the latest ones (bounded),
    // so the agent does not have to resend each message as its oldest to learn that it arrived.
    DataChannelRig rig;
    rig.handshake();
    const qint64 count = DataChannel::kAcksRepeatedOnReconnect + 100;
    for (qint64 seq = 2; seq < 2 + count; ++seq)
        QVERIFY(rig.feedData(seq, "x"));
    QCOMPARE(rig.delivered.size(), count);
    rig.take();
    rig.channel.connectionLost();
    rig.channel.connectionOpened();
    const QList<qint64> acked = DataChannelRig::ackedSeqs(rig.take());
    QCOMPARE(acked.size(), DataChannel::kAcksRepeatedOnReconnect);
    QCOMPARE(acked.last(), 2 + count - 1);
    QCOMPARE(acked.first(), 2 + count - DataChannel::kAcksRepeatedOnReconnect);
    // Re-acked duplicates are not remembered again (they would push the oldest out).
    QVERIFY(rig.feedData(2 + count - 1, "x"));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), QList<qint64> {2 + count - 1});
    rig.channel.connectionLost();
    rig.channel.connectionOpened();
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), acked);
}

void TestDataChannel::tickDeliversWhatWaits()
{
    // A consumer that makes room without calling resumeDelivery() still gets the data, on the next tick.
    DataChannelRig rig;
    rig.handshake();
    rig.sinkReady = false;
    QVERIFY(rig.feedData(2, "held"));
    QVERIFY(rig.feedData(3, "-back"));
    rig.take();
    rig.sinkReady = true;
    QVERIFY(rig.delivered.isEmpty());
    rig.channel.tick();
    QCOMPARE(rig.delivered, QByteArray("held-back"));
    QCOMPARE(rig.channel.expectedReceiveSequence(), 4);
    QVERIFY(rig.take().isEmpty()); // acked when buffered, not again
}

void TestDataChannel::refusedBufferedDataKeptUntilResume()
{
    // Out-of-order messages are acked when buffered; if the sink then refuses them they stay until resumeDelivery().
    DataChannelRig rig;
    rig.handshake();
    QVERIFY(rig.feedData(3, "second"));
    rig.sinkReady = false;
    QVERIFY(rig.feedData(2, "first"));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), (QList<qint64> {3, 2})); // 2 refused: kept and acked
    rig.sinkReady = true;
    QVERIFY(rig.feedData(2, "first"));
    QCOMPARE(rig.delivered, QByteArray("firstsecond"));

    rig.sinkReady = false;
    QVERIFY(rig.feedData(5, "fourth"));
    QVERIFY(rig.feedData(4, "third")); // refused, so 5 stays buffered behind it
    rig.sinkReady = true;
    QVERIFY(rig.feedData(4, "third"));
    QCOMPARE(rig.delivered, QByteArray("firstsecondthirdfourth"));

    rig.take();
    QVERIFY(rig.feedData(7, "sixth"));
    rig.sinkReady = false;
    QVERIFY(rig.feedData(6, "fifth")); // refused: kept and acked
    rig.sinkReady = true;
    QVERIFY(rig.feedData(6, "fifth")); // a retransmission: re-acked, and it drains the buffer
    QCOMPARE(rig.delivered, QByteArray("firstsecondthirdfourthfifthsixth"));
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), (QList<qint64> {7, 6, 6}));

    // Acked-and-buffered data refused while draining stays buffered until resumeDelivery().
    QVERIFY(rig.feedData(9, "nine"));
    QCOMPARE(rig.channel.bufferedReceiveCount(), 1);
    int calls = 0;
    rig.channel.setSink([&](const QByteArray& p) {
        if (++calls == 2)
            return false; // refuses the buffered seq 9 once
        rig.delivered += p;
        return true;
    });
    QVERIFY(rig.feedData(8, "eight"));
    QCOMPARE(rig.channel.bufferedReceiveCount(), 1);
    QVERIFY(rig.delivered.endsWith("eight"));
    rig.channel.resumeDelivery();
    QVERIFY(rig.delivered.endsWith("eightnine"));
    QCOMPARE(rig.channel.bufferedReceiveCount(), 0);
    QCOMPARE(rig.channel.expectedReceiveSequence(), 10);
}

void TestDataChannel::rttFromAcks()
{
    DataChannelRig rig;
    rig.handshake();
    rig.channel.sendData("x");
    const SsmMessage sent = DataChannelRig::dataMessages(rig.take()).first();
    rig.advance(60);
    QVERIFY(rig.feed(FakeSsmAgent::ackFor(sent)));
    // The handshake response was acked after 0 ms: 100 -> var 25, rtt 87.5; then 60 ms.
    SsmRttEstimator expected;
    expected.addSample(0);
    expected.addSample(60);
    QCOMPARE(rig.channel.rtt().rttMs(), expected.rttMs());
    QCOMPARE(rig.channel.rtt().rtoMs(), expected.rtoMs());
}

void TestDataChannel::retransmitsOverdueAfterRto()
{
    DataChannelRig rig;
    rig.channel.connectionOpened();
    rig.feed(
        FakeSsmAgent::frame(0, SsmPayloadType::HandshakeRequest,
                            FakeSsmAgent::handshakeRequestPayload(QStringLiteral("3.3.40.0"), QStringLiteral("Port"),
                                                                  DataChannelRig::portProperties())));
    rig.feed(FakeSsmAgent::frame(1, SsmPayloadType::HandshakeComplete, FakeSsmAgent::handshakeCompletePayload()));
    const SsmMessage response = DataChannelRig::dataMessages(rig.take()).first();
    QCOMPARE(rig.channel.rtt().rtoMs(), 200.0); // no sample yet
    rig.channel.sendData("a");
    rig.channel.sendData("b");
    rig.take();

    rig.advance(100);
    rig.channel.tick();
    QVERIFY(rig.take().isEmpty());
    rig.advance(100); // exactly the RTO: not older yet
    rig.channel.tick();
    QVERIFY(rig.take().isEmpty());
    rig.advance(100);
    rig.channel.tick();
    QList<SsmMessage> again = rig.take();
    // Every overdue message goes again, in order, as the same bytes (not one per tick: a lossy link would crawl).
    QCOMPARE(again.size(), 3);
    QCOMPARE(again[0].sequenceNumber, response.sequenceNumber);
    QCOMPARE(again[0].messageId, response.messageId);
    QCOMPARE(again[0].payload, response.payload);
    QCOMPARE(again[1].payload, QByteArray("a"));
    QCOMPARE(again[2].payload, QByteArray("b"));
    QCOMPARE(rig.channel.retransmissions(), 3);

    // Its ack does not feed the RTT (it answers an unknown copy); nothing is due again before another RTO.
    QVERIFY(rig.feed(FakeSsmAgent::ackFor(response)));
    QCOMPARE(rig.channel.rtt().rtoMs(), 200.0);
    rig.channel.tick();
    QVERIFY(rig.take().isEmpty());
    rig.advance(201);
    rig.channel.tick();
    again = rig.take();
    QCOMPARE(again.size(), 2);
    QCOMPARE(again[0].payload, QByteArray("a"));
}

void TestDataChannel::windowAndWritable()
{
    DataChannelOptions options;
    options.sendWindowBytes = 4096;
    DataChannelRig rig(options);
    int writable = 0;
    QObject::connect(&rig.channel, &DataChannel::writable, &rig.channel, [&] { ++writable; });
    rig.handshake();
    QVERIFY(rig.channel.canWrite());
    rig.channel.sendData(QByteArray(3000, 'u'));
    QVERIFY(rig.channel.canWrite());
    rig.channel.sendData(QByteArray(1096, 'v'));
    QVERIFY(!rig.channel.canWrite());
    QCOMPARE(rig.channel.bytesInFlight(), 4096);
    const QList<SsmMessage> data = DataChannelRig::dataMessages(rig.take());
    QCOMPARE(data.size(), 5); // 1024+1024+952 and 1024+72
    QCOMPARE(writable, 0);
    QVERIFY(rig.feed(FakeSsmAgent::ackFor(data[4])));
    QCOMPARE(writable, 1);
    QVERIFY(rig.channel.canWrite());
    QVERIFY(rig.feed(FakeSsmAgent::ackFor(data[0])));
    QCOMPARE(writable, 1); // only on the transition
    QCOMPARE(rig.channel.bytesInFlight(), 4096 - 72 - 1024);
}

void TestDataChannel::splitsByMaxPayload_data()
{
    QTest::addColumn<int>("maxPayload");
    QTest::addColumn<int>("total");
    QTest::addColumn<int>("messages");
    QTest::newRow("default 1024") << 0 << 5000 << 5;
    QTest::newRow("exact") << 1024 << 2048 << 2;
    QTest::newRow("16 KiB experiment") << 16384 << 40000 << 3;
}

void TestDataChannel::splitsByMaxPayload()
{
    QFETCH(int, maxPayload);
    QFETCH(int, total);
    QFETCH(int, messages);
    DataChannelOptions options;
    if (maxPayload > 0)
        options.maxPayload = maxPayload;
    DataChannelRig rig(options);
    rig.handshake();
    QByteArray data(total, '\0');
    for (int i = 0; i < total; ++i)
        data[i] = char(i * 7);
    rig.channel.sendData(data);
    const QList<SsmMessage> sent = DataChannelRig::dataMessages(rig.take());
    QCOMPARE(sent.size(), messages);
    QByteArray joined;
    for (const SsmMessage& m : sent) {
        QVERIFY(m.payload.size() <= (maxPayload > 0 ? maxPayload : 1024));
        joined += m.payload;
    }
    QCOMPARE(joined, data);
}

void TestDataChannel::pauseAndStartPublication()
{
    DataChannelRig rig;
    rig.handshake();
    rig.channel.sendData("before");
    const SsmMessage before = DataChannelRig::dataMessages(rig.take()).first();
    // A minimal header is enough for publication control.
    QVERIFY(rig.feed(QByteArray::fromHex("00000074") + QByteArray("pause_publication").leftJustified(32, ' ')));
    QVERIFY(rig.channel.isPaused());
    rig.channel.sendData("during");
    rig.advance(5000);
    rig.channel.tick();
    QVERIFY(rig.take().isEmpty()); // neither sent nor retransmitted

    QVERIFY(rig.feed(FakeSsmAgent::control(SsmMessageType::StartPublication)));
    QVERIFY(!rig.channel.isPaused());
    QList<SsmMessage> sent = DataChannelRig::dataMessages(rig.take());
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent[0].payload, QByteArray("during"));

    // Any incoming ack (or data) also ends a pause.
    QVERIFY(rig.feed(FakeSsmAgent::control(SsmMessageType::PausePublication)));
    rig.channel.sendData("after");
    QVERIFY(rig.take().isEmpty());
    QVERIFY(rig.feed(FakeSsmAgent::ackFor(before)));
    QVERIFY(!rig.channel.isPaused());
    sent = DataChannelRig::dataMessages(rig.take());
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent[0].payload, QByteArray("after"));
}

void TestDataChannel::flags()
{
    DataChannelRig rig;
    QList<SsmFlag> received;
    QObject::connect(&rig.channel, &DataChannel::flagReceived, &rig.channel, [&](SsmFlag f) { received.append(f); });
    rig.handshake();
    rig.channel.sendFlag(SsmFlag::TerminateSession);
    const QList<SsmMessage> sent = DataChannelRig::dataMessages(rig.take());
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent[0].type(), SsmPayloadType::Flag);
    QCOMPARE(sent[0].payload, QByteArray::fromHex("00000002"));

    QVERIFY(rig.feed(FakeSsmAgent::frame(2, SsmPayloadType::Flag, SsmPayloads::flag(SsmFlag::ConnectToPortError))));
    QCOMPARE(received, QList<SsmFlag> {SsmFlag::ConnectToPortError});
    QCOMPARE(DataChannelRig::ackedSeqs(rig.take()), QList<qint64> {2});
    // A malformed flag is acked (it is in sequence) but not reported.
    QVERIFY(rig.feed(FakeSsmAgent::frame(3, SsmPayloadType::Flag, "xx")));
    QCOMPARE(received.size(), 1);
    QCOMPARE(rig.channel.expectedReceiveSequence(), 4);
}

void TestDataChannel::channelClosed()
{
    DataChannelRig rig;
    QStringList closed;
    QObject::connect(&rig.channel, &DataChannel::channelClosed, &rig.channel,
                     [&](const QString& output) { closed.append(output); });
    rig.handshake();
    QVERIFY(rig.feed(FakeSsmAgent::control(
        SsmMessageType::ChannelClosed,
        "{\"MessageId\":\"m\",\"SessionId\":\"s\",\"MessageType\":\"channel_closed\",\"SchemaVersion\":1,"
        "\"Output\":\"Session terminated by idle timeout\"}")));
    QCOMPARE(closed, QStringList {QStringLiteral("Session terminated by idle timeout")});
    QVERIFY(rig.take().isEmpty()); // channel_closed is not acked
}

void TestDataChannel::givesUpAfterMaxResends()
{
    DataChannelOptions options;
    options.maxResends = 3;
    DataChannelRig rig(options);
    rig.handshake();
    rig.channel.sendData("lost forever");
    rig.take();
    for (int i = 0; i < 40 && rig.failures.isEmpty(); ++i) {
        rig.advance(100);
        rig.channel.tick();
    }
    QCOMPARE(DataChannelRig::dataMessages(rig.take()).size(), 3);
    QCOMPARE(rig.failures.size(), 1);
    QCOMPARE(rig.failures[0].kind, ErrorKind::Network);
    QVERIFY(rig.failures[0].message.contains(QLatin1String("4 times")));
    QVERIFY(!rig.failures[0].hint.isEmpty());
    QVERIFY(rig.channel.hasFailed());
    rig.advance(1000);
    rig.channel.tick();
    QVERIFY(rig.take().isEmpty());
}

void TestDataChannel::malformedFramesAreDropped()
{
    DataChannelRig rig;
    rig.handshake();
    QVERIFY(!rig.channel.receiveFrame(QByteArray()).ok());
    QVERIFY(!rig.channel.receiveFrame(QByteArray(50, 'z')).ok());
    QByteArray corrupt = FakeSsmAgent::frame(2, SsmPayloadType::Output, "payload");
    corrupt[corrupt.size() - 1] = '!';
    const auto result = rig.channel.receiveFrame(corrupt);
    QVERIFY(!result.ok());
    QVERIFY(result.error().message.contains(QLatin1String("digest")));
    QVERIFY(!rig.channel.receiveFrame(FakeSsmAgent::control(SsmMessageType::Acknowledge, "{not json")).ok());
    QVERIFY(rig.take().isEmpty()); // nothing acked: the agent retransmits
    QVERIFY(rig.delivered.isEmpty());
    QVERIFY(rig.failures.isEmpty());
    QVERIFY(rig.feedData(2, "payload")); // the retransmission goes through
    QCOMPARE(rig.delivered, QByteArray("payload"));
    // Unknown message types are ignored.
    QVERIFY(rig.feed(FakeSsmAgent::control("agent_session_state", "{}")));
}

QTEST_GUILESS_MAIN(TestDataChannel)
#include "TestDataChannel.moc"
