// WebSocketClient on its own: interoperability with QtWebSockets' server over TLS (echo, both close directions,
// ping), and a scripted plain-TCP server for everything a server can get wrong (bad accept key, masked or text
// frames, a dropped connection, refusals with chunked or sized bodies, silence), plus receive back-pressure.

#include "tests/common/TestPki.h"

#include "core/aws/http/AwsHttpClient.h"
#include "core/tunnel/WebSocketClient.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <functional>

using namespace bl;
using Op = WebSocketFrameCodec::Opcode;

namespace {

// Answers the upgrade request with whatever the script returns (given the request head), then keeps reading
// what the client sends into received (decoded as a server would).
class ScriptedServer : public QObject
{
public:
    using Script = std::function<QByteArray(const QByteArray& head, const QByteArray& accept)>;

    explicit ScriptedServer(Script script, bool closeAfter = false)
        : m_script(std::move(script))
        , m_closeAfter(closeAfter)
    {
        m_server.setProxy(QNetworkProxy::NoProxy);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                m_socket = s;
                QObject::connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }

    quint16 port() const { return m_server.serverPort(); }
    QList<WebSocketEvent> received;
    QByteArray head;
    QPointer<QTcpSocket> m_socket;

private:
    void onData(QTcpSocket* s)
    {
        if (head.isEmpty() || !head.endsWith("\r\n\r\n")) {
            head += s->readAll();
            if (!head.contains("\r\n\r\n"))
                return;
            QByteArray key;
            for (const QByteArray& line : head.split('\n')) {
                if (line.toLower().startsWith("sec-websocket-key:"))
                    key = line.mid(18).trimmed();
            }
            s->write(m_script(head, WebSocketHandshake::acceptFor(key)));
            if (m_closeAfter)
                s->disconnectFromHost();
            return;
        }
        received += m_codec.feed(s->readAll());
    }

    QTcpServer m_server;
    Script m_script;
    bool m_closeAfter;
    WebSocketFrameCodec m_codec {WebSocketFrameCodec::Role::Server};
};

QByteArray upgraded(const QByteArray& accept)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
        + accept + "\r\n\r\n";
}

WebSocketClientOptions plain(quint16 port)
{
    WebSocketClientOptions o;
    o.connectHost = QStringLiteral("127.0.0.1");
    o.port = port;
    o.tls = false;
    o.hostHeader = "127.0.0.1:" + QByteArray::number(port);
    o.requestTarget = "/openTunnel?a=%2F";
    o.handshakeTimeoutMs = 5000;
    o.closeTimeoutMs = 2000;
    return o;
}

} // namespace

class TestWebSocketClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pki = std::make_unique<TestPki>(m_dir.path());
        QVERIFY2(m_pki->ok(), qPrintable(m_pki->error()));
    }

    void interopWithQtWebSocketsOverTls()
    {
        QWebSocketServer server(QStringLiteral("echo"), QWebSocketServer::SecureMode);
        server.setSslConfiguration(m_pki->serverConfiguration());
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QPointer<QWebSocket> peer;
        quint16 closeCode = 0;
        QString closeReason;
        int pongs = 0;
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            peer = server.nextPendingConnection();
            peer->setParent(&server); // the server hands it over without a parent
            connect(peer, &QWebSocket::binaryMessageReceived, peer,
                    [&](const QByteArray& m) { peer->sendBinaryMessage(m); });
            connect(peer, &QWebSocket::pong, peer, [&] { ++pongs; });
            connect(peer, &QWebSocket::disconnected, peer, [&] {
                closeCode = peer->closeCode();
                closeReason = peer->closeReason();
            });
        });

        WebSocketClient client;
        WebSocketClientOptions o;
        o.connectHost = QStringLiteral("127.0.0.1");
        o.port = server.serverPort();
        o.hostHeader = "localhost:" + QByteArray::number(o.port);
        o.peerName = QStringLiteral("localhost");
        o.requestTarget = "/echo";
        o.ssl = makeSslConfiguration(m_pki->caBundlePath()).value();
        QSignalSpy opened(&client, &WebSocketClient::opened);
        client.open(o);
        QVERIFY(opened.wait(5000));

        QByteArray payload(300 * 1000, Qt::Uninitialized);
        for (int i = 0; i < payload.size(); ++i)
            payload[i] = static_cast<char>(i % 253);
        client.sendBinary(payload);
        QByteArray echoed;
        QTRY_VERIFY_WITH_TIMEOUT((echoed += client.read(1 << 20)).size() >= payload.size(), 5000);
        QCOMPARE(echoed, payload);
        // It held at most its high-water mark (plus one read) although the echo arrived faster than we read.
        QVERIFY(client.peakReceiveBuffered() <= o.receiveHighWater + 64 * 1024);

        QVERIFY(peer);
        peer->ping("are you there");
        QTRY_COMPARE_WITH_TIMEOUT(pongs, 1, 3000);

        QSignalSpy closed(&client, &WebSocketClient::closed);
        client.close(1000, QStringLiteral("bye"));
        QVERIFY(closed.wait(5000));
        QCOMPARE(closed.first().at(0).value<quint16>(), quint16(1000));
        QCOMPARE(closed.first().at(2).toBool(), false);
        QTRY_COMPARE_WITH_TIMEOUT(closeCode, quint16(1000), 3000);
        QCOMPARE(closeReason, QStringLiteral("bye"));
    }

    void serverStartsTheClose()
    {
        QWebSocketServer server(QStringLiteral("closer"), QWebSocketServer::SecureMode);
        server.setSslConfiguration(m_pki->serverConfiguration());
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            QWebSocket* peer = server.nextPendingConnection();
            peer->setParent(&server);
            peer->sendBinaryMessage("last words");
            peer->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("Tunnel expired"));
        });
        WebSocketClient client;
        WebSocketClientOptions o;
        o.connectHost = QStringLiteral("127.0.0.1");
        o.port = server.serverPort();
        o.hostHeader = "127.0.0.1:" + QByteArray::number(o.port);
        o.ssl = makeSslConfiguration(m_pki->caBundlePath()).value();
        QSignalSpy closed(&client, &WebSocketClient::closed);
        client.open(o);
        QVERIFY(closed.wait(5000));
        QCOMPARE(closed.first().at(0).value<quint16>(), quint16(1001));
        QCOMPARE(closed.first().at(1).toString(), QStringLiteral("Tunnel expired"));
        QCOMPARE(closed.first().at(2).toBool(), true);
        QCOMPARE(client.read(100), QByteArray("last words")); // still readable after the end
    }

    void untrustedCertificateFails()
    {
        QWebSocketServer server(QStringLiteral("x"), QWebSocketServer::SecureMode);
        server.setSslConfiguration(m_pki->serverConfiguration());
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        WebSocketClient client;
        WebSocketClientOptions o;
        o.connectHost = QStringLiteral("127.0.0.1");
        o.port = server.serverPort();
        o.hostHeader = "x";
        o.ssl = QSslConfiguration::defaultConfiguration(); // the system roots do not know our CA
        QSignalSpy failed(&client, &WebSocketClient::failed);
        client.open(o);
        QVERIFY(failed.wait(5000));
        const Error e = failed.first().at(0).value<Error>();
        QVERIFY2(e.message.contains(QLatin1String("TLS handshake")), qPrintable(e.message));
        QVERIFY(e.hint.contains(QLatin1String("AWS_CA_BUNDLE")));
    }

    void protocolViolations_data()
    {
        QTest::addColumn<QByteArray>("afterUpgrade");
        QTest::addColumn<QString>("needle");
        QTest::addColumn<int>("closeCodeSent");
        QTest::newRow("masked frame") << WebSocketFrameCodec::encodeFrame(Op::Binary, "x", true, 7)
                                      << QStringLiteral("masked frame") << 1002;
        QTest::newRow("text frame") << WebSocketFrameCodec::encodeFrame(Op::Text, "hello")
                                    << QStringLiteral("text frame") << 1003;
        QTest::newRow("reserved bits") << QByteArray::fromHex("f20178") << QStringLiteral("reserved bits") << 1002;
    }

    void protocolViolations()
    {
        QFETCH(QByteArray, afterUpgrade);
        QFETCH(QString, needle);
        QFETCH(int, closeCodeSent);
        ScriptedServer server(
            [&](const QByteArray&, const QByteArray& accept) { return upgraded(accept) + afterUpgrade; });
        WebSocketClient client;
        QSignalSpy failed(&client, &WebSocketClient::failed);
        client.open(plain(server.port()));
        QVERIFY(failed.wait(5000));
        const Error e = failed.first().at(0).value<Error>();
        QVERIFY2(e.message.contains(needle), qPrintable(e.message));
        // The server is told why.
        QTRY_VERIFY_WITH_TIMEOUT(!server.received.isEmpty(), 3000);
        QCOMPARE(server.received.last().type, WebSocketEvent::Type::Close);
        QCOMPARE(int(server.received.last().closeCode), closeCodeSent);
    }

    void badAcceptKey()
    {
        ScriptedServer server([](const QByteArray&, const QByteArray&) { return upgraded("bm90IHRoZSBrZXk="); });
        WebSocketClient client;
        QSignalSpy failed(&client, &WebSocketClient::failed);
        client.open(plain(server.port()));
        QVERIFY(failed.wait(5000));
        QVERIFY(failed.first().at(0).value<Error>().message.contains(QLatin1String("Sec-WebSocket-Accept")));
    }

    void requestBytesAreSentAsGiven()
    {
        ScriptedServer server([](const QByteArray&, const QByteArray& accept) { return upgraded(accept); });
        WebSocketClient client;
        WebSocketClientOptions o = plain(server.port());
        o.requestTarget = "/openTunnel?ip=2600%3A1f18%3A%3A10&t=a%2Fb%2Bc%3D%3d";
        o.hostHeader = "eice-0test.localhost:" + QByteArray::number(o.port);
        o.userAgent = "bastionless/test";
        QSignalSpy opened(&client, &WebSocketClient::opened);
        client.open(o);
        QVERIFY(opened.wait(5000));
        QVERIFY(server.head.startsWith("GET /openTunnel?ip=2600%3A1f18%3A%3A10&t=a%2Fb%2Bc%3D%3d HTTP/1.1\r\n"));
        QVERIFY(server.head.contains("\r\nHost: eice-0test.localhost:" + QByteArray::number(o.port) + "\r\n"));
        QVERIFY(server.head.contains("\r\nUser-Agent: bastionless/test\r\n"));
        QVERIFY(server.head.contains("\r\nSec-WebSocket-Version: 13\r\n"));
    }

    void pingsAreAnsweredAndLeftoverDataKept()
    {
        // Data and a ping in the same packet as the 101.
        ScriptedServer server([](const QByteArray&, const QByteArray& accept) {
            return upgraded(accept) + WebSocketFrameCodec::encodeFrame(Op::Binary, "early")
                + WebSocketFrameCodec::encodeFrame(Op::Ping, "p-1");
        });
        WebSocketClient client;
        QSignalSpy opened(&client, &WebSocketClient::opened);
        client.open(plain(server.port()));
        QVERIFY(opened.wait(5000));
        QTRY_COMPARE_WITH_TIMEOUT(client.bytesAvailable(), qint64(5), 3000);
        QCOMPARE(client.read(10), QByteArray("early"));
        QTRY_VERIFY_WITH_TIMEOUT(!server.received.isEmpty(), 3000);
        QCOMPARE(server.received.first().type, WebSocketEvent::Type::Pong);
        QCOMPARE(server.received.first().payload, QByteArray("p-1"));
        // Client frames are masked (the server codec would have refused them otherwise) and split at 65000.
        client.sendBinary(QByteArray(150000, 'u'));
        QList<qsizetype> messages;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                messages.clear();
                qsizetype current = 0;
                for (const WebSocketEvent& e : std::as_const(server.received)) {
                    if (e.type != WebSocketEvent::Type::Binary)
                        continue;
                    current += e.payload.size();
                    if (e.messageEnd) {
                        messages.append(current);
                        current = 0;
                    }
                }
                return messages.size() == 3;
            }(),
            3000);
        QCOMPARE(messages, QList<qsizetype>({65000, 65000, 20000}));
    }

    void droppedWithoutCloseFrame()
    {
        ScriptedServer server(
            [](const QByteArray&, const QByteArray& accept) {
                return upgraded(accept) + WebSocketFrameCodec::encodeFrame(Op::Binary, "partial");
            },
            true);
        WebSocketClient client;
        QSignalSpy failed(&client, &WebSocketClient::failed);
        client.open(plain(server.port()));
        QVERIFY(failed.wait(5000));
        QVERIFY(failed.first().at(0).value<Error>().message.contains(QLatin1String("without a WebSocket close frame")));
        QCOMPARE(client.read(100), QByteArray("partial"));
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<bool>("closeAfter");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        const QByteArray json = "{\"ErrorCode\":\"InvalidParameter\",\"Message\":\"bad port\"}";
        QTest::newRow("content-length, connection kept") << QByteArray(
            "HTTP/1.1 400 Bad Request\r\nContent-Length: " + QByteArray::number(json.size()) + "\r\n\r\n" + json)
                                                         << false << 400 << json;
        QTest::newRow("chunked") << QByteArray("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n"
                                               "{\"a\":\r\n3\r\n\"b\"\r\n1\r\n}\r\n0\r\n\r\n")
                                 << false << 403 << QByteArray("{\"a\":\"b\"}");
        QTest::newRow("until close") << QByteArray("HTTP/1.1 503 Unavailable\r\n\r\nbusy") << true << 503
                                     << QByteArray("busy");
    }

    void refusals()
    {
        QFETCH(QByteArray, answer);
        QFETCH(bool, closeAfter);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        ScriptedServer server([&](const QByteArray&, const QByteArray&) { return answer; }, closeAfter);
        WebSocketClient client;
        QSignalSpy rejected(&client, &WebSocketClient::rejected);
        client.open(plain(server.port()));
        QVERIFY(rejected.wait(3000));
        QCOMPARE(rejected.first().at(0).value<HttpResponseHead>().status, status);
        QCOMPARE(rejected.first().at(1).toByteArray(), body);
    }

    void silentServerTimesOut()
    {
        ScriptedServer server([](const QByteArray&, const QByteArray&) { return QByteArray(); });
        WebSocketClient client;
        WebSocketClientOptions o = plain(server.port());
        o.handshakeTimeoutMs = 300;
        QSignalSpy failed(&client, &WebSocketClient::failed);
        client.open(o);
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.first().at(0).value<Error>().kind, ErrorKind::Timeout);
    }

    void receiveBufferIsBounded()
    {
        // The server pushes 8 MiB; an idle reader must not make the client buffer it.
        const qint64 total = 8 * 1024 * 1024;
        QByteArray frames;
        const QByteArray chunk(60000, 'd');
        for (qint64 sent = 0; sent < total; sent += chunk.size())
            frames +=
                WebSocketFrameCodec::encodeFrame(Op::Binary, chunk.left(qMin<qint64>(chunk.size(), total - sent)));
        ScriptedServer server([&](const QByteArray&, const QByteArray& accept) { return upgraded(accept) + frames; });
        WebSocketClient client;
        WebSocketClientOptions o = plain(server.port());
        o.receiveHighWater = 128 * 1024;
        QSignalSpy opened(&client, &WebSocketClient::opened);
        client.open(o);
        QVERIFY(opened.wait(5000));
        QTest::qWait(300);
        QVERIFY(client.bytesAvailable() > 0);
        QVERIFY2(client.peakReceiveBuffered() <= o.receiveHighWater + 64 * 1024,
                 qPrintable(QString::number(client.peakReceiveBuffered())));
        qint64 got = 0;
        QTRY_VERIFY_WITH_TIMEOUT((got += client.read(1 << 20).size()) == total, 20000);
        QVERIFY(client.peakReceiveBuffered() <= o.receiveHighWater + 64 * 1024);
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<TestPki> m_pki;
};

QTEST_GUILESS_MAIN(TestWebSocketClient)
#include "TestWebSocketClient.moc"
