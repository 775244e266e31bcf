// fakeaws's TLS server with raw sockets: the generated certificate is valid for the loopback names, keep-
// alive and pipelining work, broken or huge requests get the right status, many clients are served at
// once, a late answer to a vanished client is harmless, and an upgrade request can take the socket over.

#include "tests/fakeaws/HttpsServer.h"
#include "tests/fakeaws/TestCa.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

using namespace fakeaws;

namespace {

struct RawResponse
{
    int status = 0;
    Headers headers;
    QByteArray body;
    QByteArray header(const QByteArray& name) const
    {
        for (const auto& h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
};

// Takes one complete response off the front of buf, if there is one.
std::optional<RawResponse> takeResponse(QByteArray& buf)
{
    const qsizetype end = buf.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    const QList<QByteArray> lines = buf.left(end).split('\n');
    RawResponse r;
    r.status = lines.first().split(' ').value(1).toInt();
    qsizetype length = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        r.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
        if (line.left(colon).compare("Content-Length", Qt::CaseInsensitive) == 0)
            length = line.mid(colon + 1).trimmed().toLongLong();
    }
    if (r.status == 100 || r.status == 101)
        length = 0;
    if (buf.size() < end + 4 + length)
        return std::nullopt;
    r.body = buf.mid(end + 4, length);
    buf.remove(0, end + 4 + length);
    return r;
}

} // namespace

class TestHttpsServer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QSslSocket> connectClient(const QString& host = QStringLiteral("127.0.0.1"))
    {
        auto socket = std::make_unique<QSslSocket>();
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates({m_ca->caCertificate()});
        socket->setSslConfiguration(tls);
        QSignalSpy encrypted(socket.get(), &QSslSocket::encrypted);
        QSignalSpy errors(socket.get(), &QSslSocket::sslErrors);
        socket->connectToHostEncrypted(host, m_server.port());
        if (!encrypted.wait(5000) || !errors.isEmpty())
            return nullptr;
        return socket;
    }

    QList<RawResponse> readResponses(QSslSocket* socket, int count, int timeoutMs = 5000)
    {
        QList<RawResponse> out;
        QByteArray& buf = m_buffers[socket];
        QDeadlineTimer deadline(timeoutMs);
        while (out.size() < count && !deadline.hasExpired()) {
            buf += socket->readAll();
            while (auto r = takeResponse(buf))
                out.append(*r);
            if (out.size() < count && socket->bytesAvailable() == 0)
                QSignalSpy(socket, &QSslSocket::readyRead).wait(qMax<qint64>(1, deadline.remainingTime()));
        }
        return out;
    }

    void handle(const HttpRequest& request, HttpExchange exchange)
    {
        ++m_requests;
        HttpResponse response;
        response.contentType = "text/plain";
        response.body = request.method + ' ' + request.target + '\n' + request.body;
        if (request.path == "/slow") {
            QTimer::singleShot(200, this, [exchange, response] { exchange.respond(response); });
            return;
        }
        if (request.path == "/ws" && exchange.canTakeSocket()) {
            QSslSocket* socket = exchange.takeSocket();
            m_taken.emplace_back(socket);
            // The upgrade request is still unread: the new owner reads it itself.
            const QByteArray head = socket->readAll();
            socket->write(head.startsWith("GET /ws ") ? "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\n"
                                                        "Connection: Upgrade\r\n\r\n"
                                                      : "HTTP/1.1 500 Lost\r\n\r\n");
            connect(socket, &QSslSocket::readyRead, this, [socket] { socket->write(socket->readAll().toUpper()); });
            return;
        }
        exchange.respond(response);
    }

    std::optional<TestCa> m_ca;
    HttpsServer m_server;
    int m_requests = 0;
    std::vector<std::unique_ptr<QSslSocket>> m_taken;
    QHash<QSslSocket*, QByteArray> m_buffers;

private Q_SLOTS:
    void initTestCase()
    {
        auto ca = TestCa::generate();
        QVERIFY2(ca.ok(), qPrintable(ca.ok() ? QString() : ca.error().message));
        m_ca = std::move(ca).value();
        m_server.setCertificate({m_ca->serverCertificate(), m_ca->caCertificate()}, m_ca->serverKey());
        m_server.setHandler([this](const HttpRequest& r, HttpExchange e) { handle(r, e); });
        m_server.setClock([] { return QDateTime::currentDateTimeUtc(); });
        const QString error = m_server.listen(0);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(m_server.port() != 0);
    }

    void certificateIsValidForLoopbackNames()
    {
        const auto sans = m_ca->serverCertificate().subjectAlternativeNames();
        QVERIFY(sans.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
        QVERIFY(sans.values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));
        QVERIFY(sans.values(QSsl::DnsEntry).contains(QStringLiteral("*.localhost")));
        QVERIFY(sans.values(QSsl::DnsEntry).contains(QStringLiteral("*.fips.localhost")));
        QVERIFY(m_ca->caPem().startsWith("-----BEGIN CERTIFICATE-----"));
        // A real handshake that verifies the chain and the name, for both spellings of loopback.
        QVERIFY(connectClient(QStringLiteral("127.0.0.1")));
        QVERIFY(connectClient(QStringLiteral("localhost")));
        // And one that does not trust the CA is refused.
        QSslSocket untrusting;
        QSignalSpy errors(&untrusting, &QSslSocket::sslErrors);
        untrusting.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server.port());
        QVERIFY(errors.wait(5000));
    }

    void keepAliveServesSeveralRequests()
    {
        const qint64 before = m_server.acceptedConnections();
        auto socket = connectClient();
        QVERIFY(socket);
        for (int i = 0; i < 3; ++i) {
            socket->write("POST /echo?n=" + QByteArray::number(i)
                          + " HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody");
            const auto responses = readResponses(socket.get(), 1);
            QCOMPARE(responses.size(), 1);
            QCOMPARE(responses.first().status, 200);
            QCOMPARE(responses.first().body, "POST /echo?n=" + QByteArray::number(i) + "\nbody");
            QCOMPARE(responses.first().header("Connection"), QByteArray("keep-alive"));
            QVERIFY(responses.first().header("Date").endsWith(" GMT"));
        }
        QCOMPARE(m_server.acceptedConnections(), before + 1);
    }

    void pipelinedRequestsAreAnsweredInOrder()
    {
        auto socket = connectClient();
        QVERIFY(socket);
        socket->write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto responses = readResponses(socket.get(), 2);
        QCOMPARE(responses.size(), 2);
        QCOMPARE(responses.at(0).body, QByteArray("GET /slow\n"));
        QCOMPARE(responses.at(1).body, QByteArray("GET /fast\n"));
    }

    void badRequestsGetAStatusAndAClose_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("status");
        QTest::newRow("absurd body") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 10000000000\r\n\r\n") << 413;
        QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 501;
        QTest::newRow("garbage") << QByteArray("\x16\x03\x01 nonsense\r\n\r\n") << 400;
        QTest::newRow("huge head") << QByteArray("GET / HTTP/1.1\r\nX: ") + QByteArray(100 * 1024, 'x') << 431;
    }
    void badRequestsGetAStatusAndAClose()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, status);
        auto socket = connectClient();
        QVERIFY(socket);
        socket->write(raw);
        const auto responses = readResponses(socket.get(), 1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses.first().status, status);
        QCOMPARE(responses.first().header("Connection"), QByteArray("close"));
        QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState, 5000);
    }

    void connectionCloseIsHonoured()
    {
        auto socket = connectClient();
        QVERIFY(socket);
        socket->write("GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        const auto responses = readResponses(socket.get(), 1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses.first().status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState, 5000);
    }

    void expectContinueGetsAnInterimAnswer()
    {
        auto socket = connectClient();
        QVERIFY(socket);
        socket->write("PUT /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        const auto interim = readResponses(socket.get(), 1);
        QCOMPARE(interim.size(), 1);
        QCOMPARE(interim.first().status, 100);
        socket->write("hello");
        const auto final = readResponses(socket.get(), 1);
        QCOMPARE(final.size(), 1);
        QCOMPARE(final.first().body, QByteArray("PUT /up\nhello"));
    }

    void servesManyClientsAtOnce()
    {
        const int clients = 150;
        const int before = m_requests;
        std::vector<std::unique_ptr<QSslSocket>> sockets;
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates({m_ca->caCertificate()});
        for (int i = 0; i < clients; ++i) {
            auto s = std::make_unique<QSslSocket>();
            s->setSslConfiguration(tls);
            QSslSocket* raw = s.get();
            const QByteArray request = "GET /c" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            connect(raw, &QSslSocket::encrypted, this, [raw, request] { raw->write(request); });
            s->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server.port());
            sockets.push_back(std::move(s));
        }
        int answered = 0;
        for (int i = 0; i < clients; ++i) {
            const auto r = readResponses(sockets[i].get(), 1, 20000);
            if (r.size() == 1 && r.first().body == "GET /c" + QByteArray::number(i) + '\n')
                ++answered;
        }
        QCOMPARE(answered, clients);
        QCOMPARE(m_requests - before, clients);
        QVERIFY(m_server.connectionCount() >= clients);
        sockets.clear();
        QTRY_VERIFY_WITH_TIMEOUT(m_server.connectionCount() < clients, 5000);
    }

    void lateAnswerToAVanishedClientIsHarmless()
    {
        {
            const int before = m_requests;
            auto socket = connectClient();
            QVERIFY(socket);
            socket->write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            QTRY_VERIFY_WITH_TIMEOUT(m_requests > before, 2000);
            socket->abort();
        }
        QTest::qWait(400); // the /slow answer fires after the client is gone
        auto again = connectClient();
        QVERIFY(again);
        again->write("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto responses = readResponses(again.get(), 1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses.first().status, 200);
    }

    void upgradeHandsTheSocketOverUnread()
    {
        auto socket = connectClient();
        QVERIFY(socket);
        socket->write("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
        const auto responses = readResponses(socket.get(), 1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses.first().status, 101);
        socket->write("hello");
        QByteArray echoed = m_buffers[socket.get()];
        QTRY_VERIFY_WITH_TIMEOUT((echoed += socket->readAll()).contains("HELLO"), 5000);
    }

    void idleConnectionsAreClosed()
    {
        HttpLimits limits;
        limits.idleTimeoutMs = 300;
        m_server.setLimits(limits);
        auto socket = connectClient();
        QVERIFY(socket);
        QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState, 3000);
        m_server.setLimits({});
    }

    void closeDropsEverything()
    {
        auto socket = connectClient();
        QVERIFY(socket);
        QTRY_VERIFY_WITH_TIMEOUT(m_server.connectionCount() > 0, 2000);
        m_server.close();
        QVERIFY(!m_server.isListening());
        QCOMPARE(m_server.connectionCount(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState, 3000);
    }
};

QTEST_GUILESS_MAIN(TestHttpsServer)
#include "TestHttpsServer.moc"
