// WebSocketServerCodec's message mode, which fakeaws's SSM data channel needs and EICE must not get: text
// frames accepted, fragments joined into one message, control frames between fragments, the size limit.

#include "tests/fakeaws/WebSocketServerCodec.h"

#include <QTest>

using fakeaws::WebSocketServerCodec;
using Op = WebSocketServerCodec::Opcode;
using Kind = WebSocketServerCodec::Event::Kind;

class TestWebSocketMessageMode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void textAndFragmentedBinaryMessages()
    {
        WebSocketServerCodec codec;
        codec.setMessageMode(1024);
        const QByteArray wire = WebSocketServerCodec::maskedFrame(Op::Text, "{\"a\":1}", 0x11223344)
            + WebSocketServerCodec::maskedFrame(Op::Binary, "hel", 0x01020304, false)
            + WebSocketServerCodec::maskedFrame(Op::Ping, "p", 0x0A0B0C0D)
            + WebSocketServerCodec::maskedFrame(Op::Continuation, "lo", 0x05060708, true);
        QList<WebSocketServerCodec::Event> events;
        for (qsizetype i = 0; i < wire.size(); ++i) // byte by byte: boundaries still hold
            codec.feed(wire.mid(i, 1), events);
        QCOMPARE(events.size(), 3);
        QCOMPARE(events.at(0).kind, Kind::Data);
        QVERIFY(events.at(0).text);
        QCOMPARE(events.at(0).payload, QByteArray("{\"a\":1}"));
        QCOMPARE(events.at(1).kind, Kind::Ping);
        QCOMPARE(events.at(2).kind, Kind::Data);
        QVERIFY(!events.at(2).text);
        QCOMPARE(events.at(2).payload, QByteArray("hello"));
    }

    void oversizedMessageIsAnError()
    {
        WebSocketServerCodec codec;
        codec.setMessageMode(4);
        QList<WebSocketServerCodec::Event> events;
        codec.feed(WebSocketServerCodec::maskedFrame(Op::Binary, "abc", 1, false)
                       + WebSocketServerCodec::maskedFrame(Op::Continuation, "de", 2, true),
                   events);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).kind, Kind::Error);
        QCOMPARE(events.at(0).code, WebSocketServerCodec::kMessageTooBig);
    }

    void streamModeStillRefusesText()
    {
        WebSocketServerCodec codec;
        QList<WebSocketServerCodec::Event> events;
        codec.feed(WebSocketServerCodec::maskedFrame(Op::Text, "x", 1), events);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).kind, Kind::Error);
        QCOMPARE(events.at(0).code, WebSocketServerCodec::kUnsupportedData);
    }
};

QTEST_GUILESS_MAIN(TestWebSocketMessageMode)
#include "TestWebSocketMessageMode.moc"
