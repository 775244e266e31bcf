// HTTP/1.1 request framing of fakeaws: complete and partial requests, keep-alive rules, limits and the
// errors a broken client gets.

#include "tests/fakeaws/HttpRequestParser.h"

#include <QTest>

using fakeaws::HttpLimits;
using fakeaws::HttpRequestParser;
using Status = HttpRequestParser::Status;

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesPostWithBody()
    {
        const QByteArray raw = "POST /a%20b?Action=Describe&x=%2F HTTP/1.1\r\nHost: 127.0.0.1:4443\r\n"
                               "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n"
                               "X-Spaced:   padded value  \r\n\r\nA=1&B=2GET / HTTP/1.1\r\n";
        const auto r = HttpRequestParser::parse(raw, {});
        QCOMPARE(r.status, Status::Complete);
        QCOMPARE(r.request.method, QByteArray("POST"));
        QCOMPARE(r.request.path, QByteArray("/a%20b"));
        QCOMPARE(r.request.target, QByteArray("/a%20b?Action=Describe&x=%2F"));
        QCOMPARE(r.request.query.size(), 2);
        QCOMPARE(r.request.query.at(1).second, QByteArray("/"));
        QCOMPARE(r.request.header("host"), QByteArray("127.0.0.1:4443"));
        QCOMPARE(r.request.header("X-SPACED"), QByteArray("padded value"));
        QCOMPARE(r.request.body, QByteArray("A=1&B=2"));
        QCOMPARE(r.request.formParam("B"), QByteArray("2"));
        QVERIFY(r.keepAlive);
        // The pipelined second request is left for the next call.
        QCOMPARE(raw.mid(r.consumed), QByteArray("GET / HTTP/1.1\r\n"));
    }

    void waitsForMissingBytes_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("half request line") << QByteArray("GET / HT");
        QTest::newRow("headers not ended") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n");
        QTest::newRow("body short") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n12345");
    }
    void waitsForMissingBytes()
    {
        QFETCH(QByteArray, raw);
        QCOMPARE(HttpRequestParser::parse(raw, {}).status, Status::Incomplete);
    }

    void keepAliveRules_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\n\r\n") << true;
        QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") << false;
        QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
        QTest::newRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << true;
    }
    void keepAliveRules()
    {
        QFETCH(QByteArray, raw);
        QFETCH(bool, keepAlive);
        const auto r = HttpRequestParser::parse(raw, {});
        QCOMPARE(r.status, Status::Complete);
        QCOMPARE(r.keepAlive, keepAlive);
    }

    void rejectsBrokenOrHugeRequests_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage line") << QByteArray("HELLO\r\n\r\n") << 400;
        QTest::newRow("absolute target") << QByteArray("GET http://x/ HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("http/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\n") << 505;
        QTest::newRow("http/3.0") << QByteArray("GET / HTTP/3.0\r\n\r\n") << 505;
        QTest::newRow("bad header") << QByteArray("GET / HTTP/1.1\r\nNo colon here\r\n\r\n") << 400;
        QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 400;
        QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
        QTest::newRow("conflicting lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") << 400;
        QTest::newRow("absurd length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n") << 413;
        QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") << 501;
        QTest::newRow("endless headers") << QByteArray("GET / HTTP/1.1\r\nX: ") + QByteArray(70 * 1024, 'a') << 431;
    }
    void rejectsBrokenOrHugeRequests()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, status);
        const auto r = HttpRequestParser::parse(raw, {});
        QCOMPARE(r.status, Status::Error);
        QCOMPARE(r.errorStatus, status);
        QVERIFY(!r.errorMessage.isEmpty());
    }

    void limitsAreConfigurable()
    {
        HttpLimits limits;
        limits.maxBodyBytes = 4;
        QCOMPARE(HttpRequestParser::parse("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", limits).errorStatus, 413);
        QCOMPARE(HttpRequestParser::parse("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd", limits).status,
                 Status::Complete);
    }

    void detectsUpgradeAndExpect()
    {
        const auto ws = HttpRequestParser::parse("GET /openTunnel?a=b HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                                 "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n",
                                                 {});
        QCOMPARE(ws.status, Status::Complete);
        QVERIFY(ws.upgrade);
        const auto plain = HttpRequestParser::parse("GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", {});
        QVERIFY(!plain.upgrade); // "Connection: upgrade" is required too
        const auto expect =
            HttpRequestParser::parse("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n", {});
        QCOMPARE(expect.status, Status::Incomplete);
        QVERIFY(expect.expectContinue);
    }

    void formParamsDecodePlusAndPercent()
    {
        fakeaws::HttpRequest r;
        r.body = "Action=AssumeRole&RoleSessionName=a+b&Policy=%7B%22x%22%7D&Empty=";
        QCOMPARE(r.formParam("RoleSessionName"), QByteArray("a b"));
        QCOMPARE(r.formParam("Policy"), QByteArray("{\"x\"}"));
        QCOMPARE(r.formParams().size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "TestHttpRequestParser.moc"
