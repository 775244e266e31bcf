// The HTTP half of fakeaws's WebSocket endpoints: RFC 6455's accept-key example, which upgrade requests are
// refused and how, the 101 answer's headers, and where the request head ends in the socket's bytes.

#include "tests/fakeaws/WebSocketServerHandshake.h"

#include <QTest>

using fakeaws::HttpRequest;
using fakeaws::WebSocketServerHandshake;

namespace {

HttpRequest upgradeRequest()
{
    HttpRequest r;
    r.method = "GET";
    r.target = "/openTunnel?a=b";
    r.path = "/openTunnel";
    r.headers = {{"Host", "127.0.0.1:4443"},
                 {"Upgrade", "websocket"},
                 {"Connection", "keep-alive, Upgrade"},
                 {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                 {"Sec-WebSocket-Version", "13"}};
    return r;
}

void setHeader(HttpRequest& r, const QByteArray& name, const QByteArray& value)
{
    for (auto& h : r.headers) {
        if (h.first == name) {
            h.second = value;
            return;
        }
    }
    r.headers.append({name, value});
}

} // namespace

class TestWebSocketServerHandshake : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptKeyFromTheRfc()
    {
        // RFC 6455 §1.3.
        QCOMPARE(WebSocketServerHandshake::acceptKey("dGhlIHNhbXBsZSBub25jZQ=="),
                 QByteArrayLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    }

    void wellFormedUpgradeIsAccepted() { QVERIFY(!WebSocketServerHandshake::check(upgradeRequest())); }

    void malformedUpgradesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<int>("status");
        QTest::newRow("version 8") << QByteArray("Sec-WebSocket-Version") << QByteArray("8") << 426;
        QTest::newRow("no key") << QByteArray("Sec-WebSocket-Key") << QByteArray() << 400;
        QTest::newRow("short key") << QByteArray("Sec-WebSocket-Key") << QByteArray("c2hvcnQ=") << 400;
        QTest::newRow("key not base64") << QByteArray("Sec-WebSocket-Key") << QByteArray("!!!!!!!!!!!!!!!!!!!!!!==")
                                        << 400;
        QTest::newRow("upgrade to h2c") << QByteArray("Upgrade") << QByteArray("h2c") << 400;
        QTest::newRow("connection without upgrade") << QByteArray("Connection") << QByteArray("keep-alive") << 400;
    }

    void malformedUpgradesAreRefused()
    {
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, value);
        QFETCH(int, status);
        HttpRequest r = upgradeRequest();
        setHeader(r, header, value);
        const auto refusal = WebSocketServerHandshake::check(r);
        QVERIFY(refusal);
        QCOMPARE(refusal->status, status);
        QVERIFY(!refusal->body.isEmpty());
        if (status == 426)
            QCOMPARE(refusal->headers.value(0).second, QByteArrayLiteral("13"));
    }

    void postIsRefused()
    {
        HttpRequest r = upgradeRequest();
        r.method = "POST";
        QCOMPARE(WebSocketServerHandshake::check(r)->status, 405);
    }

    void switchingProtocolsHead()
    {
        const QDateTime at(QDate(2024, 1, 15), QTime(12, 0), Qt::UTC);
        const QByteArray head =
            WebSocketServerHandshake::switchingProtocols(upgradeRequest(), at, {{"x-amzn-RequestId", "req-1"}});
        QVERIFY(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
        QVERIFY(head.endsWith("\r\n\r\n"));
        QVERIFY(head.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        QVERIFY(head.contains("\r\nUpgrade: websocket\r\n"));
        QVERIFY(head.contains("\r\nConnection: Upgrade\r\n"));
        QVERIFY(head.contains("\r\nDate: Mon, 15 Jan 2024 12:00:00 GMT\r\n"));
        QVERIFY(head.contains("\r\nx-amzn-RequestId: req-1\r\n"));
    }

    void headLength_data()
    {
        QTest::addColumn<QByteArray>("buffer");
        QTest::addColumn<qsizetype>("length");
        QTest::newRow("head then frame bytes")
            << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n\x82\x80") << qsizetype(27);
        QTest::newRow("incomplete") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n") << qsizetype(-1);
        QTest::newRow("stray CRLF before") << QByteArray("\r\nGET / HTTP/1.1\r\n\r\n") << qsizetype(20);
    }

    void headLength()
    {
        QFETCH(QByteArray, buffer);
        QFETCH(qsizetype, length);
        QCOMPARE(WebSocketServerHandshake::headLength(buffer), length);
    }
};

QTEST_GUILESS_MAIN(TestWebSocketServerHandshake)
#include "TestWebSocketServerHandshake.moc"
