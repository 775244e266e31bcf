// RFC 6455 framing as fakeaws's EICE tunnels decode the client's frames and encode their own: the RFC's
// §5.7 example frames, lengths at every header-size boundary fed in every split, fragmentation, control
// frames, and each way a client can break the protocol.

#include "tests/fakeaws/WebSocketServerCodec.h"

#include <QRandomGenerator>
#include <QTest>

using fakeaws::WebSocketServerCodec;
using Event = WebSocketServerCodec::Event;
using Kind = WebSocketServerCodec::Event::Kind;
using Opcode = WebSocketServerCodec::Opcode;

namespace {

QList<Event> decodeInPieces(const QByteArray& wire, qsizetype piece, WebSocketServerCodec* codec = nullptr)
{
    WebSocketServerCodec local;
    WebSocketServerCodec& c = codec ? *codec : local;
    QList<Event> out;
    for (qsizetype at = 0; at < wire.size(); at += piece)
        c.feed(wire.mid(at, piece), out);
    return out;
}

QByteArray dataOf(const QList<Event>& events)
{
    QByteArray data;
    for (const Event& e : events) {
        if (e.kind == Kind::Data)
            data += e.payload;
    }
    return data;
}

QByteArray closePayload(quint16 code, const QByteArray& reason = {})
{
    QByteArray p;
    p.append(static_cast<char>(code >> 8));
    p.append(static_cast<char>(code & 0xFF));
    return p + reason;
}

} // namespace

class TestWebSocketServerCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // RFC 6455 §5.7: "A single-frame masked text message" with the opcode made binary (EICE only carries binary).
    void rfcMaskedFrameDecodes()
    {
        const QByteArray wire = QByteArray::fromHex("8285"
                                                    "37fa213d"
                                                    "7f9f4d5158");
        const QList<Event> events = decodeInPieces(wire, wire.size());
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().kind, Kind::Data);
        QCOMPARE(events.first().payload, QByteArrayLiteral("Hello"));
    }

    // RFC 6455 §5.7: "Unmasked Ping request and masked Ping response" (the response is a pong).
    void rfcMaskedPongDecodes()
    {
        const QList<Event> events = decodeInPieces(QByteArray::fromHex("8a85"
                                                                       "37fa213d"
                                                                       "7f9f4d5158"),
                                                   100);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().kind, Kind::Pong);
        QCOMPARE(events.first().payload, QByteArrayLiteral("Hello"));
    }

    // RFC 6455 §5.7: unmasked frames as a server sends them, including the 16- and 64-bit length forms.
    void rfcServerFramesEncode()
    {
        QCOMPARE(WebSocketServerCodec::frame(Opcode::Ping, "Hello"), QByteArray::fromHex("890548656c6c6f"));
        const QByteArray bytes256(256, 'x');
        QCOMPARE(WebSocketServerCodec::frame(Opcode::Binary, bytes256), QByteArray::fromHex("827e0100") + bytes256);
        const QByteArray bytes64k(65536, 'y');
        QCOMPARE(WebSocketServerCodec::frame(Opcode::Binary, bytes64k),
                 QByteArray::fromHex("827f0000000000010000") + bytes64k);
    }

    void binaryFramesInAnySplit_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("piece");
        for (int size : {0, 1, 125, 126, 127, 65535, 65536, 200000}) {
            for (int piece : {1, 3, 7, 4096, 1 << 20}) {
                if (size > 70000 && piece < 4096)
                    continue; // byte-by-byte over 200 KB proves nothing more and takes long under ASan
                QTest::addRow("%d bytes in pieces of %d", size, piece) << size << piece;
            }
        }
    }

    void binaryFramesInAnySplit()
    {
        QFETCH(int, size);
        QFETCH(int, piece);
        QByteArray payload(size, Qt::Uninitialized);
        QRandomGenerator rng(static_cast<quint32>(size));
        for (char& c : payload)
            c = static_cast<char>(rng.bounded(256));
        // Two frames back to back, so the second header follows the first payload in the same piece.
        const QByteArray wire = WebSocketServerCodec::maskedFrame(Opcode::Binary, payload, 0xa1b2c3d4)
            + WebSocketServerCodec::maskedFrame(Opcode::Binary, "tail", 0x01020304);
        WebSocketServerCodec codec;
        const QList<Event> events = decodeInPieces(wire, piece, &codec);
        QCOMPARE(dataOf(events), payload + "tail");
        for (const Event& e : events)
            QCOMPARE(e.kind, Kind::Data);
        QVERIFY(!codec.isFinished());
    }

    void fragmentedMessageWithPingInBetween()
    {
        const QByteArray wire = WebSocketServerCodec::maskedFrame(Opcode::Binary, "abc", 1, false)
            + WebSocketServerCodec::maskedFrame(Opcode::Ping, "p", 2)
            + WebSocketServerCodec::maskedFrame(Opcode::Continuation, "def", 3, false)
            + WebSocketServerCodec::maskedFrame(Opcode::Continuation, "g", 4, true)
            + WebSocketServerCodec::maskedFrame(Opcode::Binary, "next", 5);
        const QList<Event> events = decodeInPieces(wire, 2);
        QCOMPARE(dataOf(events), QByteArrayLiteral("abcdefgnext"));
        int pings = 0;
        for (const Event& e : events)
            pings += e.kind == Kind::Ping && e.payload == "p" ? 1 : 0;
        QCOMPARE(pings, 1);
    }

    void closeFrames_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::newRow("normal with reason") << closePayload(1000, "bye") << int(Kind::Close) << 1000 << "bye";
        QTest::newRow("no payload") << QByteArray() << int(Kind::Close) << 1005 << "";
        QTest::newRow("application code") << closePayload(4000) << int(Kind::Close) << 4000 << "";
        QTest::newRow("one byte") << QByteArray(1, 'x') << int(Kind::Error) << 1002 << "";
        QTest::newRow("reserved 1005 sent") << closePayload(1005) << int(Kind::Error) << 1002 << "";
        QTest::newRow("code 999") << closePayload(999) << int(Kind::Error) << 1002 << "";
        QTest::newRow("reason not UTF-8") << closePayload(1000, "\xff\xfe") << int(Kind::Error) << 1007 << "";
    }

    void closeFrames()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, kind);
        QFETCH(int, code);
        QFETCH(QString, reason);
        WebSocketServerCodec codec;
        const QByteArray wire = WebSocketServerCodec::maskedFrame(Opcode::Close, payload, 0xdeadbeef)
            + WebSocketServerCodec::maskedFrame(Opcode::Binary, "after", 9);
        const QList<Event> events = decodeInPieces(wire, 3, &codec);
        QCOMPARE(events.size(), 1); // nothing is decoded after a close or an error
        QCOMPARE(int(events.first().kind), kind);
        QCOMPARE(int(events.first().code), code);
        if (kind == int(Kind::Close))
            QCOMPARE(events.first().reason, reason);
        QVERIFY(codec.isFinished());
    }

    void protocolErrors_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("code");
        QTest::newRow("text frame") << WebSocketServerCodec::maskedFrame(Opcode::Text, "hi", 1) << 1003;
        QTest::newRow("unmasked frame") << WebSocketServerCodec::frame(Opcode::Binary, "hi") << 1002;
        QTest::newRow("continuation first") << WebSocketServerCodec::maskedFrame(Opcode::Continuation, "x", 1) << 1002;
        QTest::newRow("binary inside a fragmented message")
            << WebSocketServerCodec::maskedFrame(Opcode::Binary, "a", 1, false)
                + WebSocketServerCodec::maskedFrame(Opcode::Binary, "b", 2)
            << 1002;
        QTest::newRow("fragmented ping") << WebSocketServerCodec::maskedFrame(Opcode::Ping, "x", 1, false) << 1002;
        QTest::newRow("126-byte ping") << WebSocketServerCodec::maskedFrame(Opcode::Ping, QByteArray(126, 'p'), 1)
                                       << 1002;
        QByteArray rsv = WebSocketServerCodec::maskedFrame(Opcode::Binary, "x", 1);
        rsv[0] = static_cast<char>(rsv.at(0) | 0x40);
        QTest::newRow("reserved bit") << rsv << 1002;
        QByteArray unknown = WebSocketServerCodec::maskedFrame(Opcode::Binary, "x", 1);
        unknown[0] = static_cast<char>(0x83);
        QTest::newRow("opcode 3") << unknown << 1002;
        QTest::newRow("64-bit length with the top bit set") << QByteArray::fromHex("82ff8000000000000000"
                                                                                   "01020304")
                                                            << 1002;
    }

    void protocolErrors()
    {
        QFETCH(QByteArray, wire);
        QFETCH(int, code);
        for (qsizetype piece : {qsizetype(1), wire.size()}) {
            WebSocketServerCodec codec;
            const QList<Event> events = decodeInPieces(wire, piece, &codec);
            QVERIFY(!events.isEmpty());
            QCOMPARE(events.last().kind, Kind::Error);
            QCOMPARE(int(events.last().code), code);
            QVERIFY(!events.last().reason.isEmpty());
            QVERIFY(codec.isFinished());
        }
    }

    void closeFrameReasonIsCutOnACharacterBoundary()
    {
        const QString reason = QString(100, QChar(0x00E9)); // 200 bytes of "é"
        const QByteArray frame = WebSocketServerCodec::closeFrame(1001, reason);
        QVERIFY(frame.size() <= 2 + 125);
        QList<Event> events;
        WebSocketServerCodec decoder;
        // Decode our own frame by masking it as a client would.
        decoder.feed(WebSocketServerCodec::maskedFrame(Opcode::Close, frame.mid(2), 7), events);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().kind, Kind::Close);
        QCOMPARE(events.first().code, quint16(1001));
        QVERIFY(reason.startsWith(events.first().reason));
        QCOMPARE(events.first().reason.size(), 61);
    }
};

QTEST_GUILESS_MAIN(TestWebSocketServerCodec)
#include "TestWebSocketServerCodec.moc"
