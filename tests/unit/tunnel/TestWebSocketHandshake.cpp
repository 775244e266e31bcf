// WebSocketHandshake: the RFC 6455 accept key, the request written from the exact target bytes, the Host header
// rule for default ports, and parsing/validating the server's answer.

#include "core/tunnel/WebSocketHandshake.h"

#include <QTest>

using namespace bl;

class TestWebSocketHandshake : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptKeyFromTheRfc()
    {
        // RFC 6455 §1.3.
        QCOMPARE(WebSocketHandshake::acceptFor("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QCOMPARE(WebSocketHandshake::makeKey(QByteArray("the sample nonce")), QByteArray("dGhlIHNhbXBsZSBub25jZQ=="));
        const QByteArray a = WebSocketHandshake::makeKey();
        QCOMPARE(QByteArray::fromBase64(a).size(), 16);
        QVERIFY(a != WebSocketHandshake::makeKey());
    }

    void requestKeepsTheTargetBytes()
    {
        const QByteArray target = "/openTunnel?privateIpAddress=2600%3A1f18%3A%3A10&X-Amz-Security-Token=a%2Fb%2Bc%3D";
        const QByteArray req = WebSocketHandshake::buildRequest(target, "eice-1.example:8443", "KEY==", "ua/1");
        QCOMPARE(req,
                 QByteArray("GET " + target
                            + " HTTP/1.1\r\nHost: eice-1.example:8443\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Key: KEY==\r\nSec-WebSocket-Version: 13\r\n"
                              "User-Agent: ua/1\r\n\r\n"));
        QVERIFY(!WebSocketHandshake::buildRequest("/", "h", "k", {}).contains("User-Agent"));
    }

    void hostHeader_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("tls");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("443 is implied") << QByteArray("eice.example") << 443 << true << QByteArray("eice.example");
        QTest::newRow("other port") << QByteArray("127.0.0.1") << 4443 << true << QByteArray("127.0.0.1:4443");
        QTest::newRow("80 plain") << QByteArray("h") << 80 << false << QByteArray("h");
        QTest::newRow("443 plain") << QByteArray("h") << 443 << false << QByteArray("h:443");
        QTest::newRow("ipv6") << QByteArray("::1") << 443 << true << QByteArray("[::1]");
        QTest::newRow("ipv6 port") << QByteArray("::1") << 8443 << true << QByteArray("[::1]:8443");
    }

    void hostHeader()
    {
        QFETCH(QByteArray, host);
        QFETCH(int, port);
        QFETCH(bool, tls);
        QFETCH(QByteArray, expected);
        QCOMPARE(WebSocketHandshake::hostHeader(host, static_cast<quint16>(port), tls), expected);
    }

    void parsesAnAnswer()
    {
        const QByteArray head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nx-amzn-RequestId: r-1\r\n\r\n";
        QVERIFY(!WebSocketHandshake::parseResponseHead(head.left(40)).has_value());
        const auto parsed = WebSocketHandshake::parseResponseHead(head + "\x82\x01z");
        QVERIFY(parsed.has_value());
        QVERIFY(parsed->ok());
        QCOMPARE(parsed->value().status, 101);
        QCOMPARE(parsed->value().reasonPhrase, QByteArray("Switching Protocols"));
        QCOMPARE(parsed->value().size, head.size());
        QCOMPARE(parsed->value().header("X-AMZN-REQUESTID"), QByteArray("r-1"));
        QVERIFY(WebSocketHandshake::validateUpgrade(parsed->value(), "dGhlIHNhbXBsZSBub25jZQ==").ok());
    }

    void refusesBadAnswers_data()
    {
        QTest::addColumn<QByteArray>("head");
        const QByteArray ok = "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
        QTest::newRow("200") << QByteArray("HTTP/1.1 200 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + ok);
        QTest::newRow("no upgrade") << QByteArray("HTTP/1.1 101 X\r\nConnection: Upgrade\r\n" + ok);
        QTest::newRow("no connection") << QByteArray("HTTP/1.1 101 X\r\nUpgrade: websocket\r\n" + ok);
        QTest::newRow("wrong accept") << QByteArray("HTTP/1.1 101 X\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                                    "Sec-WebSocket-Accept: AAAA\r\n");
        QTest::newRow("extension") << QByteArray("HTTP/1.1 101 X\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + ok
                                                 + "Sec-WebSocket-Extensions: permessage-deflate\r\n");
    }

    void refusesBadAnswers()
    {
        QFETCH(QByteArray, head);
        const auto parsed = WebSocketHandshake::parseResponseHead(head + "\r\n");
        QVERIFY(parsed && parsed->ok());
        const auto valid = WebSocketHandshake::validateUpgrade(parsed->value(), "dGhlIHNhbXBsZSBub25jZQ==");
        QVERIFY(!valid.ok());
        QVERIFY(valid.error().message.startsWith(QLatin1String("The WebSocket upgrade failed")));
    }

    void malformedHeads()
    {
        auto r = WebSocketHandshake::parseResponseHead("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        QVERIFY(r && !r->ok());
        QVERIFY(r->error().message.contains(QLatin1String("SSH-2.0")));
        r = WebSocketHandshake::parseResponseHead("HTTP/1.1 101 X\r\nno colon here\r\n\r\n");
        QVERIFY(r && !r->ok());
        r = WebSocketHandshake::parseResponseHead(QByteArray(WebSocketHandshake::MaxHeadSize + 10, 'a'));
        QVERIFY(r && !r->ok());
        QVERIFY(r->error().message.contains(QLatin1String("too long")));
    }
};

QTEST_GUILESS_MAIN(TestWebSocketHandshake)
#include "TestWebSocketHandshake.moc"
