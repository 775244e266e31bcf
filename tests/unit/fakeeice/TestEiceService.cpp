// fakeaws's EICE endpoint as a client sees it: a presigned wss:// URL built with bl::sigv4::presign, opened
// with QWebSocket (or a raw TLS client where the exact HTTP answer matters) through the emulator's CA, bytes
// relayed to a local TCP target, and every refusal, limit, close code and fault the tunnel client must handle.

#include "EiceTestKit.h"

#include "core/util/Clock.h"
#include "tests/fakeaws/FakeAws.h"
#include "tests/unit/fakeaws/FakeAwsTestClient.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace eicetest;
using fakeaws::FakeAws;

namespace {

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray out(size, Qt::Uninitialized);
    QRandomGenerator rng(seed);
    for (qsizetype i = 0; i < size; ++i)
        out[i] = static_cast<char>(rng.bounded(256));
    return out;
}

QJsonObject json(const QByteArray& body)
{
    return QJsonDocument::fromJson(body).object();
}

// Waits until the value has not changed for a while: the relay has stalled against a peer that does not read.
qint64 settle(const std::function<qint64()>& value)
{
    qint64 last = -1;
    int stable = 0;
    for (int i = 0; i < 60 && stable < 3; ++i) {
        QTest::qWait(200);
        const qint64 now = value();
        stable = now == last ? stable + 1 : 0;
        last = now;
    }
    return last;
}

enum class Refusal {
    BadSignature,
    WrongSecret,
    Expired,
    ExpiresTooLong,
    UnknownKey,
    WrongService,
    HostNotAsSigned,
    Port5900,
    PortNotANumber,
    DurationZero,
    DurationTooLong,
    UnknownEndpoint,
    EndpointInOtherRegion,
    EndpointNotReady,
    AddressOutsideVpc,
    MissingAddress,
};

} // namespace

class TestEiceService : public QObject
{
    Q_OBJECT

private:
    TestFleet m_fleet;
    std::unique_ptr<FakeAws> m_aws;

    QByteArray dns() const { return m_aws->eice().dnsName().toUtf8(); }

    OpenTunnel request(const QString& ip = {}) const
    {
        OpenTunnel o;
        o.endpointId = m_fleet.endpointId;
        o.privateIp = ip.isEmpty() ? m_fleet.instanceIp : ip;
        o.host = dns();
        o.credentials = m_aws->defaultCredentials();
        o.signedAt = m_aws->now();
        return o;
    }

    std::unique_ptr<QWebSocket> openWebSocket(const OpenTunnel& o)
    {
        auto ws = std::make_unique<QWebSocket>();
        ws->setSslConfiguration(trusting(m_aws->caCertificate()));
        ws->open(QUrl::fromEncoded("wss://" + o.host + o.target(), QUrl::StrictMode));
        return ws;
    }

    std::unique_ptr<RawTunnelClient> openRaw(const OpenTunnel& o)
    {
        auto raw = std::make_unique<RawTunnelClient>();
        if (!raw->open(m_aws->port(), m_aws->caCertificate(), o.target(), o.host))
            return nullptr;
        return raw;
    }

    static bool waitConnected(QWebSocket& ws)
    {
        return QTest::qWaitFor([&ws] { return ws.state() == QAbstractSocket::ConnectedState; }, 10000);
    }
    static bool waitDisconnected(QWebSocket& ws, int timeoutMs = 10000)
    {
        return QTest::qWaitFor([&ws] { return ws.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
    }

private Q_SLOTS:
    void init()
    {
        m_fleet = TestFleet::make();
        fakeaws::FakeAwsOptions options;
        options.fleet = m_fleet.fleet;
        m_aws = std::make_unique<FakeAws>(options);
        QVERIFY(m_aws->start());
    }

    void cleanup() { m_aws.reset(); }

    void describedDnsNamesPointAtTheEmulator()
    {
        const QString port = QString::number(m_aws->port());
        QCOMPARE(m_aws->eice().dnsName(), QStringLiteral("127.0.0.1:") + port);
        QCOMPARE(m_aws->fleet().endpoint(m_fleet.endpointId)->dnsName, m_aws->eice().dnsName());
        QCOMPARE(m_aws->fleet().endpoint(m_fleet.endpointId)->fipsDnsName, QStringLiteral("localhost:") + port);
        QVERIFY(m_aws->fleet().endpoint(m_fleet.pendingEndpointId)->fipsDnsName.isEmpty());

        FakeAwsTestClient client(m_aws->port(), m_aws->caCertificate());
        const auto reply = client.query("ec2",
                                        "Action=DescribeInstanceConnectEndpoints&Version=2016-11-15&"
                                        "InstanceConnectEndpointId.1="
                                            + m_fleet.endpointId.toUtf8(),
                                        m_aws->defaultCredentials());
        QCOMPARE(reply.status, 200);
        QVERIFY2(reply.body.contains("<dnsName>127.0.0.1:" + port.toUtf8() + "</dnsName>"), reply.body.constData());
        QVERIFY(reply.body.contains("<fipsDnsName>localhost:" + port.toUtf8() + "</fipsDnsName>"));
    }

    void bytesRoundTripThroughTheTunnel()
    {
        TargetServer echo(TargetServer::Mode::Echo);
        QVERIFY(m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), echo.port()));
        auto ws = openWebSocket(request());
        QByteArray received;
        connect(ws.get(), &QWebSocket::binaryFrameReceived, this, [&received](const QByteArray& b) { received += b; });
        QVERIFY(waitConnected(*ws));

        const QByteArray small = QByteArrayLiteral("SSH-2.0-OpenSSH_9.2\r\n");
        const QByteArray big = randomBytes(3 * 1024 * 1024 + 17, 1);
        ws->sendBinaryMessage(small);
        ws->sendBinaryMessage(big);
        const qint64 total = small.size() + big.size();
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), total, 30000);
        QCOMPARE(received, small + big);

        const fakeaws::EiceCounters& c = m_aws->eice().counters();
        QCOMPARE(c.tunnelsOpened, 1);
        QCOMPARE(c.concurrent, 1);
        QCOMPARE(c.bytesToInstance, total);
        QCOMPARE(c.bytesFromInstance, total);
        QCOMPARE(c.lastHost, m_aws->eice().dnsName()); // QWebSocket sends the DnsName verbatim as Host
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("OpenTunnel")), 1);

        // The client closes: the target's connection is closed too and the slot is free again.
        ws->close();
        QTRY_COMPARE_WITH_TIMEOUT(echo.disconnections(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_aws->eice().counters().concurrent, 0, 10000);
        QCOMPARE(m_aws->eice().counters().closeCodesSent.value(1000), 1);
        QVERIFY(waitDisconnected(*ws));
        QCOMPARE(ws->closeCode(), QWebSocketProtocol::CloseCodeNormal);
    }

    void upgradeAnswerCarriesRequestId()
    {
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), echo.port());
        auto raw = openRaw(request());
        QVERIFY(raw);
        QCOMPARE(raw->status(), 101);
        QVERIFY(!raw->header("x-amzn-RequestId").isEmpty());
        QCOMPARE(raw->header("Sec-WebSocket-Accept"), QByteArrayLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QVERIFY(bl::ClockSkew::parseHttpDate(raw->header("Date")).isValid());
        raw->sendBinary("over a raw socket");
        QTRY_COMPARE_WITH_TIMEOUT(raw->received(), QByteArrayLiteral("over a raw socket"), 10000);
    }

    void refusals_data()
    {
        QTest::addColumn<Refusal>("refusal");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorCode");
        QTest::newRow("tampered signature") << Refusal::BadSignature << 403 << "SignatureDoesNotMatch";
        QTest::newRow("wrong secret") << Refusal::WrongSecret << 403 << "SignatureDoesNotMatch";
        QTest::newRow("signed 61 s ago") << Refusal::Expired << 403 << "RequestExpired";
        QTest::newRow("X-Amz-Expires 3600") << Refusal::ExpiresTooLong << 403 << "AuthFailure";
        QTest::newRow("unknown access key") << Refusal::UnknownKey << 403 << "InvalidClientTokenId";
        QTest::newRow("scoped to ec2") << Refusal::WrongService << 403 << "SignatureDoesNotMatch";
        QTest::newRow("host not as signed") << Refusal::HostNotAsSigned << 403 << "SignatureDoesNotMatch";
        QTest::newRow("port 5900") << Refusal::Port5900 << 400 << "InvalidParameter";
        QTest::newRow("port not a number") << Refusal::PortNotANumber << 400 << "InvalidParameter";
        QTest::newRow("maxTunnelDuration 0") << Refusal::DurationZero << 400 << "InvalidParameter";
        QTest::newRow("maxTunnelDuration 3601") << Refusal::DurationTooLong << 400 << "InvalidParameter";
        QTest::newRow("unknown endpoint")
            << Refusal::UnknownEndpoint << 400 << "InvalidInstanceConnectEndpointId.NotFound";
        QTest::newRow("endpoint of another region")
            << Refusal::EndpointInOtherRegion << 400 << "InvalidInstanceConnectEndpointId.NotFound";
        QTest::newRow("endpoint being created") << Refusal::EndpointNotReady << 400 << "IncorrectState";
        QTest::newRow("address outside the VPC") << Refusal::AddressOutsideVpc << 400 << "InvalidParameter";
        QTest::newRow("no address") << Refusal::MissingAddress << 400 << "MissingParameter";
    }

    void refusals()
    {
        QFETCH(Refusal, refusal);
        QFETCH(int, status);
        QFETCH(QString, errorCode);
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), echo.port());

        OpenTunnel o = request();
        QByteArray target;
        QByteArray connectHost = o.host;
        switch (refusal) {
        case Refusal::BadSignature:
            target = o.target();
            target[target.size() - 1] = target.endsWith('0') ? '1' : '0';
            break;
        case Refusal::WrongSecret:
            o.credentials.secretAccessKey += QLatin1Char('x');
            break;
        case Refusal::Expired:
            o.signedAt = m_aws->now().addSecs(-61);
            break;
        case Refusal::ExpiresTooLong:
            o.expires = 3600;
            break;
        case Refusal::UnknownKey:
            o.credentials.accessKeyId = QStringLiteral("AKIAUNKNOWNKEY000000");
            break;
        case Refusal::WrongService:
            o.service = "ec2";
            break;
        case Refusal::HostNotAsSigned:
            connectHost = m_aws->eice().fipsDnsName().toUtf8();
            break;
        case Refusal::Port5900:
            o.remotePort = "5900";
            break;
        case Refusal::PortNotANumber:
            o.remotePort = "ssh";
            break;
        case Refusal::DurationZero:
            o.maxTunnelDuration = "0";
            break;
        case Refusal::DurationTooLong:
            o.maxTunnelDuration = "3601";
            break;
        case Refusal::UnknownEndpoint:
            o.endpointId = QStringLiteral("eice-0123456789abcdef0");
            break;
        case Refusal::EndpointInOtherRegion:
            o.endpointId = m_fleet.westEndpointId;
            break;
        case Refusal::EndpointNotReady:
            o.endpointId = m_fleet.pendingEndpointId;
            o.privateIp = m_fleet.dataInstanceIp;
            break;
        case Refusal::AddressOutsideVpc:
            o.privateIp = m_fleet.dataInstanceIp;
            break;
        case Refusal::MissingAddress:
            o.privateIp.clear();
            break;
        }
        if (target.isEmpty())
            target = o.target();

        RawTunnelClient raw;
        QVERIFY(raw.open(m_aws->port(), m_aws->caCertificate(), target, connectHost));
        QCOMPARE(raw.status(), status);
        QCOMPARE(raw.header("Content-Type"), QByteArrayLiteral("application/json"));
        const QJsonObject error = json(raw.body());
        QCOMPARE(error.value(QStringLiteral("ErrorCode")).toString(), errorCode);
        QVERIFY(!error.value(QStringLiteral("Message")).toString().isEmpty());
        // A client checks its clock against this after a 403 (PROTOCOLS.md §1.8).
        QVERIFY(bl::ClockSkew::parseHttpDate(raw.header("Date")).isValid());
        QVERIFY(!raw.header("x-amzn-RequestId").isEmpty());
        QCOMPARE(m_aws->eice().counters().tunnelsRefused, 1);
        QCOMPARE(m_aws->eice().counters().tunnelsOpened, 0);
        QCOMPARE(echo.connections(), 0);
    }

    void remotePortOtherThan22Or3389GetsTheServiceAnswer()
    {
        OpenTunnel o = request();
        o.remotePort = "5900";
        auto raw = openRaw(o);
        QVERIFY(raw);
        QCOMPARE(raw->status(), 400);
        QCOMPARE(raw->body(),
                 QByteArrayLiteral("{\"ErrorCode\":\"InvalidParameter\",\"Message\":\"The specified "
                                   "RemotePort is not valid. Specify either 22 or 3389 as the RemotePort "
                                   "and retry your request.\"}"));
    }

    void rdpPortIsAccepted()
    {
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->setTunnelTarget(m_fleet.instanceId, 3389, QHostAddress(QHostAddress::LocalHost), echo.port());
        OpenTunnel o = request();
        o.remotePort = "3389";
        auto raw = openRaw(o);
        QVERIFY(raw);
        QCOMPARE(raw->status(), 101);
        raw->sendBinary("rdp");
        QTRY_COMPARE_WITH_TIMEOUT(raw->received(), QByteArrayLiteral("rdp"), 10000);
    }

    void serverClockDecidesExpiry()
    {
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), echo.port());
        m_aws->faults().setClockOffsetSecs(120);
        OpenTunnel o = request();
        o.signedAt = QDateTime::currentDateTimeUtc(); // the client's clock, 2 minutes behind the service's
        auto refused = openRaw(o);
        QVERIFY(refused);
        QCOMPARE(refused->status(), 403);
        QCOMPARE(json(refused->body()).value(QStringLiteral("ErrorCode")).toString(), QStringLiteral("RequestExpired"));
        const QDateTime serverTime = bl::ClockSkew::parseHttpDate(refused->header("Date"));
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(serverTime) - 120) <= 5);

        o.signedAt = serverTime; // corrected from the Date header
        auto accepted = openRaw(o);
        QVERIFY(accepted);
        QCOMPARE(accepted->status(), 101);
    }

    void temporaryCredentialsNeedTheirToken()
    {
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), echo.port());
        const fakeaws::Identity temporary = m_aws->addTemporaryAccessKey(m_aws->now().addSecs(3600));
        OpenTunnel o = request();
        o.credentials = temporary.credentials();
        QVERIFY(!o.credentials.sessionToken.isEmpty());
        auto accepted = openRaw(o);
        QVERIFY(accepted);
        QCOMPARE(accepted->status(), 101);

        o.credentials.sessionToken.clear();
        auto refused = openRaw(o);
        QVERIFY(refused);
        QCOMPARE(refused->status(), 403);
        QCOMPARE(json(refused->body()).value(QStringLiteral("ErrorCode")).toString(),
                 QStringLiteral("InvalidClientTokenId"));
    }

    void maxTunnelDurationClosesTheTunnel()
    {
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), echo.port());
        OpenTunnel o = request();
        o.maxTunnelDuration = "1";
        auto ws = openWebSocket(o);
        QVERIFY(waitConnected(*ws));
        QElapsedTimer elapsed;
        elapsed.start();
        QVERIFY(waitDisconnected(*ws, 6000));
        QVERIFY2(elapsed.elapsed() >= 700 && elapsed.elapsed() < 4000,
                 QByteArray::number(elapsed.elapsed()).constData());
        QCOMPARE(ws->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QTRY_COMPARE_WITH_TIMEOUT(echo.disconnections(), 1, 5000);

        // The expiry of one tunnel leaves the endpoint usable for the next.
        auto next = openWebSocket(request());
        QByteArray received;
        connect(next.get(), &QWebSocket::binaryFrameReceived, this,
                [&received](const QByteArray& b) { received += b; });
        QVERIFY(waitConnected(*next));
        next->sendBinaryMessage("again");
        QTRY_COMPARE_WITH_TIMEOUT(received, QByteArrayLiteral("again"), 10000);
        QCOMPARE(m_aws->eice().counters().closeCodesSent.value(1001), 1);
    }

    void twentyConcurrentTunnelsPerEndpoint()
    {
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), echo.port());
        std::vector<std::unique_ptr<QWebSocket>> sockets;
        QList<QByteArray> received(20);
        for (int i = 0; i < 20; ++i) {
            sockets.push_back(openWebSocket(request()));
            connect(sockets.back().get(), &QWebSocket::binaryFrameReceived, this,
                    [&received, i](const QByteArray& b) { received[i] += b; });
        }
        for (auto& ws : sockets)
            QVERIFY(waitConnected(*ws));
        QCOMPARE(m_aws->eice().activeTunnels(m_fleet.endpointId), 20);
        for (int i = 0; i < 20; ++i)
            sockets[static_cast<size_t>(i)]->sendBinaryMessage(QByteArray::number(i));
        for (int i = 0; i < 20; ++i)
            QTRY_COMPARE_WITH_TIMEOUT(received[i], QByteArray::number(i), 10000);

        auto refused = openRaw(request());
        QVERIFY(refused);
        QCOMPARE(refused->status(), 429);
        QCOMPARE(json(refused->body()).value(QStringLiteral("ErrorCode")).toString(),
                 QStringLiteral("ConnectionLimitExceeded"));

        sockets.front()->close();
        QTRY_COMPARE_WITH_TIMEOUT(m_aws->eice().activeTunnels(m_fleet.endpointId), 19, 10000);
        auto accepted = openRaw(request());
        QVERIFY(accepted);
        QCOMPARE(accepted->status(), 101);
        QCOMPARE(m_aws->eice().counters().peakConcurrent, 20);
    }

    void targetClosingEndsTheTunnelNormally()
    {
        TargetServer greeter(TargetServer::Mode::GreetAndClose);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), greeter.port());
        auto ws = openWebSocket(request());
        QByteArray received;
        connect(ws.get(), &QWebSocket::binaryFrameReceived, this, [&received](const QByteArray& b) { received += b; });
        QVERIFY(waitConnected(*ws));
        QVERIFY(waitDisconnected(*ws));
        QCOMPARE(received, TargetServer::greeting()); // everything the target sent before closing
        QCOMPARE(ws->closeCode(), QWebSocketProtocol::CloseCodeNormal);
        QTRY_COMPARE_WITH_TIMEOUT(m_aws->eice().counters().closeCodesSent.value(1000), 1, 5000);
    }

    void textFrameIsAProtocolError()
    {
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), echo.port());
        auto raw = openRaw(request());
        QVERIFY(raw);
        QTRY_COMPARE_WITH_TIMEOUT(echo.connections(), 1, 5000);
        raw->sendText(QStringLiteral("not bytes"));
        QTRY_COMPARE_WITH_TIMEOUT(raw->closeCode(), quint16(1003), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(echo.disconnections(), 1, 5000);
        QCOMPARE(echo.receivedCount(), 0);
    }

    void unreachableInstanceClosesWith1011_data()
    {
        QTest::addColumn<bool>("stopped");
        QTest::addColumn<QString>("reasonPart");
        QTest::newRow("no target for the port") << false << "refused";
        QTest::newRow("stopped instance") << true << "stopped";
    }

    void unreachableInstanceClosesWith1011()
    {
        QFETCH(bool, stopped);
        QFETCH(QString, reasonPart);
        auto raw = openRaw(request(stopped ? m_fleet.stoppedInstanceIp : m_fleet.secondInstanceIp));
        QVERIFY(raw);
        QCOMPARE(raw->status(), 101);
        QTRY_COMPARE_WITH_TIMEOUT(raw->closeCode(), quint16(1011), 5000);
        QVERIFY2(raw->closeReason().contains(reasonPart), qPrintable(raw->closeReason()));
    }

    void defaultTargetServesEveryInstance()
    {
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->eice().setDefaultTunnelTarget(22, QHostAddress(QHostAddress::LocalHost), echo.port());
        auto raw = openRaw(request(m_fleet.secondInstanceIp));
        QVERIFY(raw);
        raw->sendBinary("second");
        QTRY_COMPARE_WITH_TIMEOUT(raw->received(), QByteArrayLiteral("second"), 10000);
    }

    void faultRefuseNext()
    {
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), echo.port());
        m_aws->eice().refuseNext(1, 503, QStringLiteral("ServiceUnavailable"), QStringLiteral("Try again later."));
        auto refused = openRaw(request());
        QVERIFY(refused);
        QCOMPARE(refused->status(), 503);
        QCOMPARE(json(refused->body()).value(QStringLiteral("Message")).toString(), QStringLiteral("Try again later."));
        auto accepted = openRaw(request());
        QVERIFY(accepted);
        QCOMPARE(accepted->status(), 101);
    }

    void faultDelayedHandshake()
    {
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), echo.port());
        m_aws->eice().setHandshakeDelayMs(600);
        QElapsedTimer elapsed;
        elapsed.start();
        auto raw = openRaw(request());
        QVERIFY(raw);
        QCOMPARE(raw->status(), 101);
        QVERIFY2(elapsed.elapsed() >= 550, QByteArray::number(elapsed.elapsed()).constData());
        QCOMPARE(m_aws->eice().counters().concurrent, 1);
    }

    void faultCloseMidStream_data()
    {
        QTest::addColumn<int>("code");
        QTest::newRow("close frame 1011") << 1011;
        QTest::newRow("connection dropped") << 0;
    }

    void faultCloseMidStream()
    {
        QFETCH(int, code);
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), echo.port());
        m_aws->eice().closeTunnelsAfterBytes(4096, static_cast<quint16>(code));
        auto raw = openRaw(request());
        QVERIFY(raw);
        QTRY_COMPARE_WITH_TIMEOUT(echo.connections(), 1, 5000);
        raw->sendBinary(randomBytes(64 * 1024, 3));
        QTRY_VERIFY_WITH_TIMEOUT(!raw->isConnected(), 10000);
        QVERIFY(raw->received().size() < 64 * 1024);
        QCOMPARE(int(raw->closeCode()), code); // 0: no close frame at all
        QTRY_COMPARE_WITH_TIMEOUT(echo.disconnections(), 1, 5000);
    }

    void faultCloseAllTunnels()
    {
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), echo.port());
        auto raw = openRaw(request());
        QVERIFY(raw);
        QTRY_COMPARE_WITH_TIMEOUT(echo.connections(), 1, 5000);
        QCOMPARE(m_aws->eice().closeAllTunnels(4001, QStringLiteral("maintenance")), 1);
        QTRY_COMPARE_WITH_TIMEOUT(raw->closeCode(), quint16(4001), 5000);
        QCOMPARE(raw->closeReason(), QStringLiteral("maintenance"));
        QTRY_COMPARE_WITH_TIMEOUT(echo.disconnections(), 1, 5000);
    }

    // A target that does not read must stop the relay from reading the client, not grow a buffer.
    void backPressureTowardsTheInstance()
    {
        TargetServer sink(TargetServer::Mode::Sink);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), sink.port());
        auto raw = openRaw(request());
        QVERIFY(raw);
        QTRY_COMPARE_WITH_TIMEOUT(sink.connections(), 1, 5000);
        const QByteArray payload = randomBytes(24 * 1024 * 1024, 7);
        raw->sendBinary(payload);
        const qint64 stalled = settle([this] { return m_aws->eice().counters().bytesToInstance; });
        QVERIFY2(stalled < 12 * 1024 * 1024, QByteArray::number(stalled).constData());
        sink.release();
        QTRY_COMPARE_WITH_TIMEOUT(sink.receivedCount(), payload.size(), 20000);
        QVERIFY(sink.receivedBytes() == payload);
    }

    // A client that does not read must stop the relay from reading the target.
    void backPressureTowardsTheClient()
    {
        TargetServer source(TargetServer::Mode::Source);
        const QByteArray payload = randomBytes(24 * 1024 * 1024, 8);
        source.setPayload(payload);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), source.port());
        auto raw = openRaw(request());
        QVERIFY(raw);
        raw->holdBack(true);
        const qint64 stalled = settle([this] { return m_aws->eice().counters().bytesFromInstance; });
        QVERIFY2(stalled < 12 * 1024 * 1024, QByteArray::number(stalled).constData());

        raw->holdBack(false);
        QTRY_COMPARE_WITH_TIMEOUT(raw->received().size(), payload.size(), 20000);
        QVERIFY(raw->received() == payload);
    }

    void stoppingTheServerEndsTunnels()
    {
        TargetServer echo(TargetServer::Mode::Echo);
        m_aws->setTunnelTarget(m_fleet.instanceId, 22, QHostAddress(QHostAddress::LocalHost), echo.port());
        auto ws = openWebSocket(request());
        QVERIFY(waitConnected(*ws));
        m_aws->stop();
        QVERIFY(waitDisconnected(*ws));
        QTRY_COMPARE_WITH_TIMEOUT(echo.disconnections(), 1, 5000);
        QCOMPARE(m_aws->eice().activeTunnels(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEiceService)
#include "TestEiceService.moc"
