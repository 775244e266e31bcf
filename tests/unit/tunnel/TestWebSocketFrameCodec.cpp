// WebSocketFrameCodec from bytes: RFC 6455 §5.7 examples, masking, 7/16/64-bit lengths, streaming of large
// frames, fragmentation, control frames, close payloads and every protocol violation the client must catch.

#include "core/tunnel/WebSocketFrameCodec.h"

#include <QRandomGenerator>
#include <QTest>

using namespace bl;
using Codec = WebSocketFrameCodec;
using Op = Codec::Opcode;
using Type = WebSocketEvent::Type;

Q_DECLARE_METATYPE(Codec::Role)

namespace {

QByteArray hex(const char* h)
{
    return QByteArray::fromHex(h);
}

// Feeds data in pieces of the given size and returns every event.
QList<WebSocketEvent> feedInPieces(Codec& codec, const QByteArray& data, qsizetype piece)
{
    QList<WebSocketEvent> out;
    for (qsizetype at = 0; at < data.size(); at += piece)
        out += codec.feed(QByteArrayView(data).sliced(at, qMin(piece, data.size() - at)));
    return out;
}

QByteArray joinedData(const QList<WebSocketEvent>& events)
{
    QByteArray out;
    for (const auto& e : events) {
        if (e.type == Type::Binary || e.type == Type::Text)
            out += e.payload;
    }
    return out;
}

} // namespace

class TestWebSocketFrameCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfcExamples()
    {
        // RFC 6455 §5.7.
        Codec client(Codec::Role::Client);
        auto e = client.feed(hex("810548656c6c6f"));
        QCOMPARE(e.size(), 1);
        QCOMPARE(e[0].type, Type::Text);
        QCOMPARE(e[0].payload, QByteArray("Hello"));
        QVERIFY(e[0].messageEnd);

        QCOMPARE(Codec::encodeFrame(Op::Text, "Hello", true, 0x37fa213d), hex("818537fa213d7f9f4d5158"));
        Codec server(Codec::Role::Server);
        e = server.feed(hex("818537fa213d7f9f4d5158"));
        QCOMPARE(e.size(), 1);
        QCOMPARE(e[0].payload, QByteArray("Hello"));

        Codec fragmented(Codec::Role::Client);
        e = fragmented.feed(hex("010348656c") + hex("80026c6f"));
        QCOMPARE(e.size(), 2);
        QCOMPARE(e[0].payload, QByteArray("Hel"));
        QVERIFY(!e[0].messageEnd);
        QCOMPARE(e[1].payload, QByteArray("lo"));
        QVERIFY(e[1].messageEnd);

        Codec ping(Codec::Role::Client);
        e = ping.feed(hex("890548656c6c6f"));
        QCOMPARE(e.size(), 1);
        QCOMPARE(e[0].type, Type::Ping);
        QCOMPARE(e[0].payload, QByteArray("Hello"));
        QCOMPARE(Codec::encodeFrame(Op::Pong, "Hello", true, 0x37fa213d), hex("8a8537fa213d7f9f4d5158"));

        const QByteArray payload256(256, 'x');
        QCOMPARE(Codec::encodeFrame(Op::Binary, payload256), hex("827e0100") + payload256);
        const QByteArray payload64k(65536, 'y');
        QCOMPARE(Codec::encodeFrame(Op::Binary, payload64k), hex("827f0000000000010000") + payload64k);
    }

    void lengths_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("headerSize");
        QTest::addColumn<Codec::Role>("decoder");
        for (const auto role : {Codec::Role::Client, Codec::Role::Server}) {
            const int mask = role == Codec::Role::Server ? 4 : 0;
            const char* who = role == Codec::Role::Server ? "masked" : "unmasked";
            QTest::addRow("0 %s", who) << 0 << 2 + mask << role;
            QTest::addRow("125 %s", who) << 125 << 2 + mask << role;
            QTest::addRow("126 %s", who) << 126 << 4 + mask << role;
            QTest::addRow("65535 %s", who) << 65535 << 4 + mask << role;
            QTest::addRow("65536 %s", who) << 65536 << 10 + mask << role;
            QTest::addRow("200000 %s", who) << 200000 << 10 + mask << role;
        }
    }

    void lengths()
    {
        QFETCH(int, size);
        QFETCH(int, headerSize);
        QFETCH(Codec::Role, decoder);
        QByteArray payload(size, Qt::Uninitialized);
        for (int i = 0; i < size; ++i)
            payload[i] = static_cast<char>(i * 31 + 7);
        const std::optional<quint32> key =
            decoder == Codec::Role::Server ? std::optional<quint32>(0xA1B2C3D4) : std::nullopt;
        const QByteArray frame = Codec::encodeFrame(Op::Binary, payload, true, key);
        QCOMPARE(frame.size(), headerSize + size);
        if (key && size > 0)
            QVERIFY(frame.mid(headerSize) != payload);
        // Whole, and in awkward pieces: the same bytes come out, the last piece ends the message.
        for (const qsizetype piece : {qsizetype(frame.size()), qsizetype(1), qsizetype(7), qsizetype(4096)}) {
            Codec codec(decoder);
            const auto events = feedInPieces(codec, frame, qMax<qsizetype>(piece, 1));
            QVERIFY(!events.isEmpty());
            QCOMPARE(joinedData(events), payload);
            QVERIFY(events.last().messageEnd);
            for (qsizetype i = 0; i + 1 < events.size(); ++i)
                QVERIFY(!events[i].messageEnd);
        }
    }

    void maskingWithOffsets()
    {
        QByteArray data(1000, Qt::Uninitialized);
        for (int i = 0; i < data.size(); ++i)
            data[i] = static_cast<char>(QRandomGenerator::global()->bounded(256));
        QByteArray whole = data;
        Codec::applyMask(whole.data(), whole.size(), 0x01020304, 0);
        // Masking in pieces at their offsets gives the same bytes, and masking twice restores the data.
        QByteArray pieces = data;
        for (qsizetype at = 0; at < pieces.size(); at += 13)
            Codec::applyMask(pieces.data() + at, qMin<qsizetype>(13, pieces.size() - at), 0x01020304, at);
        QCOMPARE(pieces, whole);
        Codec::applyMask(whole.data(), whole.size(), 0x01020304, 0);
        QCOMPARE(whole, data);
        QCOMPARE(static_cast<quint8>(pieces[0]), static_cast<quint8>(data[0] ^ 0x01));
        QCOMPARE(static_cast<quint8>(pieces[5]), static_cast<quint8>(data[5] ^ 0x02));
    }

    void controlFramesBetweenFragments()
    {
        QByteArray bytes = Codec::encodeFrame(Op::Binary, "abc", false);
        bytes += Codec::encodeFrame(Op::Ping, "p1");
        bytes += Codec::encodeFrame(Op::Continuation, "def", false);
        bytes += Codec::encodeFrame(Op::Pong, "");
        bytes += Codec::encodeFrame(Op::Continuation, "ghi", true);
        bytes += Codec::encodeFrame(Op::Binary, "", true); // an empty message
        Codec codec(Codec::Role::Client);
        const auto e = codec.feed(bytes);
        QCOMPARE(e.size(), 6);
        QCOMPARE(e[1].type, Type::Ping);
        QCOMPARE(e[1].payload, QByteArray("p1"));
        QCOMPARE(e[3].type, Type::Pong);
        QCOMPARE(joinedData(e), QByteArray("abcdefghi"));
        QVERIFY(e[4].messageEnd);
        QCOMPARE(e[5].type, Type::Binary);
        QVERIFY(e[5].messageEnd);
        QVERIFY(e[5].payload.isEmpty());
    }

    void closePayloads_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::newRow("normal with reason") << hex("03e8") + "bye" << true << 1000 << QStringLiteral("bye");
        QTest::newRow("going away") << Codec::closePayload(1001, QStringLiteral("Tunnel expired")) << true << 1001
                                    << QStringLiteral("Tunnel expired");
        QTest::newRow("empty") << QByteArray() << true << 1005 << QString();
        QTest::newRow("private code") << hex("0fa0") << true << 4000 << QString();
        QTest::newRow("utf-8 reason") << hex("03e8") + QStringLiteral("f\u00fcr").toUtf8() << true << 1000
                                      << QStringLiteral("f\u00fcr");
        QTest::newRow("one byte") << hex("03") << false << 1002 << QString();
        QTest::newRow("1005 on the wire") << hex("03ed") << false << 1002 << QString();
        QTest::newRow("999") << hex("03e7") << false << 1002 << QString();
        QTest::newRow("bad utf-8") << hex("03e8c328") << false << 1007 << QString();
    }

    void closePayloads()
    {
        QFETCH(QByteArray, payload);
        QFETCH(bool, valid);
        QFETCH(int, code);
        QFETCH(QString, reason);
        Codec codec(Codec::Role::Client);
        const auto e = codec.feed(Codec::encodeFrame(Op::Close, payload) + Codec::encodeFrame(Op::Binary, "late"));
        QCOMPARE(e.size(), 1); // nothing after a close frame
        QCOMPARE(e[0].type, valid ? Type::Close : Type::Error);
        QCOMPARE(int(e[0].closeCode), code);
        if (valid)
            QCOMPARE(e[0].text, reason);
        QVERIFY(codec.isFinished());
    }

    void closeReasonIsTruncatedOnACharacterBoundary()
    {
        const QString reason = QString(70, QChar(0x00e9)); // 140 bytes of UTF-8
        const QByteArray p = Codec::closePayload(1000, reason);
        QVERIFY(p.size() <= Codec::MaxControlPayload);
        Codec codec(Codec::Role::Client);
        const auto e = codec.feed(Codec::encodeFrame(Op::Close, p));
        QCOMPARE(e.size(), 1);
        QCOMPARE(e[0].type, Type::Close);
        QVERIFY(reason.startsWith(e[0].text));
        QCOMPARE(e[0].text.size(), 61);
    }

    void violations_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<Codec::Role>("role");
        QTest::newRow("masked frame to a client")
            << Codec::encodeFrame(Op::Binary, "x", true, 1) << Codec::Role::Client;
        QTest::newRow("unmasked frame to a server") << Codec::encodeFrame(Op::Binary, "x") << Codec::Role::Server;
        QTest::newRow("reserved bit") << hex("c20178") << Codec::Role::Client;
        QTest::newRow("unknown opcode") << hex("830178") << Codec::Role::Client;
        QTest::newRow("continuation first") << Codec::encodeFrame(Op::Continuation, "x") << Codec::Role::Client;
        QTest::newRow("new message inside a fragmented one")
            << Codec::encodeFrame(Op::Binary, "a", false) + Codec::encodeFrame(Op::Binary, "b") << Codec::Role::Client;
        QTest::newRow("long control frame")
            << Codec::encodeFrame(Op::Ping, QByteArray(126, 'p')) << Codec::Role::Client;
        QTest::newRow("fragmented control frame") << Codec::encodeFrame(Op::Ping, "p", false) << Codec::Role::Client;
        QTest::newRow("64-bit length with the top bit") << hex("827f8000000000000001") << Codec::Role::Client;
    }

    void violations()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(Codec::Role, role);
        Codec codec(role);
        const auto e = codec.feed(bytes);
        QVERIFY(!e.isEmpty());
        QCOMPARE(e.last().type, Type::Error);
        QCOMPARE(e.last().closeCode, Codec::ProtocolError);
        QVERIFY(!e.last().text.isEmpty());
        QVERIFY(codec.isFinished());
        QVERIFY(codec.feed(Codec::encodeFrame(Op::Binary, "more")).isEmpty());
    }

    void largeFrameIsStreamedNotHeld()
    {
        // A 1 MiB frame fed 16 KiB at a time yields its payload piece by piece.
        const QByteArray payload(1024 * 1024, 'z');
        const QByteArray frame = Codec::encodeFrame(Op::Binary, payload);
        Codec codec(Codec::Role::Client);
        qsizetype biggest = 0;
        qsizetype total = 0;
        for (qsizetype at = 0; at < frame.size(); at += 16384) {
            for (const auto& e :
                 codec.feed(QByteArrayView(frame).sliced(at, qMin<qsizetype>(16384, frame.size() - at)))) {
                biggest = qMax(biggest, e.payload.size());
                total += e.payload.size();
            }
        }
        QCOMPARE(total, payload.size());
        QVERIFY(biggest <= 16384);
    }
};

QTEST_GUILESS_MAIN(TestWebSocketFrameCodec)
#include "TestWebSocketFrameCodec.moc"
