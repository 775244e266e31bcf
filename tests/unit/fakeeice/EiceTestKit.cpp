#include "EiceTestKit.h"

#include "tests/fakeaws/FleetBuilder.h"
#include "tests/fakeaws/WebSocketServerCodec.h"

#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QTcpSocket>
#include <QTest>
#include <QtEndian>

namespace eicetest {

using fakeaws::WebSocketServerCodec;

TestFleet TestFleet::make()
{
    using Os = fakeaws::FleetBuilder::Os;
    TestFleet t;
    fakeaws::FleetBuilder b(t.fleet, QStringLiteral("fakeeice"));
    b.region(QStringLiteral("us-east-1"));
    b.region(QStringLiteral("us-west-2"));
    const auto prod = b.standardVpc(QStringLiteral("us-east-1"), QStringLiteral("prod"), 0,
                                    QStringLiteral("us-east-1a"), QStringLiteral("us-east-1a"));
    t.endpointId = b.endpoint(prod.privateSubnet, {prod.eiceGroup}, false, true);
    const auto data = b.standardVpc(QStringLiteral("us-east-1"), QStringLiteral("data"), 1,
                                    QStringLiteral("us-east-1b"), QStringLiteral("us-east-1b"));
    t.pendingEndpointId =
        b.endpoint(data.privateSubnet, {data.eiceGroup}, false, false, QStringLiteral("create-in-progress"));
    const auto west = b.standardVpc(QStringLiteral("us-west-2"), QStringLiteral("west"), 2,
                                    QStringLiteral("us-west-2a"), QStringLiteral("us-west-2a"));
    t.westEndpointId = b.endpoint(west.privateSubnet, {west.eiceGroup});

    fakeaws::Instance i =
        b.instance(QStringLiteral("target"), prod.privateSubnet, Os::AmazonLinux2023, QStringLiteral("t3.micro"));
    t.instanceId = i.id;
    t.instanceIp = i.privateIp;
    b.add(i);
    i = b.instance(QStringLiteral("second"), prod.publicSubnet, Os::Ubuntu2204, QStringLiteral("t3.micro"));
    t.secondInstanceId = i.id;
    t.secondInstanceIp = i.privateIp;
    b.add(i);
    i = b.instance(QStringLiteral("stopped"), prod.privateSubnet, Os::Debian12, QStringLiteral("t3.micro"));
    i.state = fakeaws::InstanceState::Stopped;
    t.stoppedInstanceId = i.id;
    t.stoppedInstanceIp = i.privateIp;
    b.add(i);
    i = b.instance(QStringLiteral("db"), data.privateSubnet, Os::AmazonLinux2023, QStringLiteral("r6i.large"));
    t.dataInstanceIp = i.privateIp;
    b.add(i);

    QString error;
    if (!t.fleet.finish(&error))
        qFatal("test fleet: %s", qPrintable(error));
    return t;
}

QByteArray OpenTunnel::target() const
{
    bl::sigv4::Request request;
    request.method = "GET";
    request.path = "/openTunnel";
    request.query = {{"instanceConnectEndpointId", endpointId.toUtf8()},
                     {"remotePort", remotePort},
                     {"privateIpAddress", privateIp.toUtf8()}};
    if (maxTunnelDuration)
        request.query.append({"maxTunnelDuration", *maxTunnelDuration});
    request.headers = {{"host", host}};
    const bl::sigv4::Presigned p =
        bl::sigv4::presign(request, credentials, {region, service}, signedAt.toUTC(), expires);
    return "/openTunnel?" + p.query;
}

QSslConfiguration trusting(const QSslCertificate& ca)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates({ca});
    return tls;
}

RawTunnelClient::RawTunnelClient(QObject* parent)
    : QObject(parent)
{
    m_socket.setReadBufferSize(64 * 1024);
    connect(&m_socket, &QSslSocket::readyRead, this, &RawTunnelClient::drain);
}

bool RawTunnelClient::open(quint16 port, const QSslCertificate& ca, const QByteArray& target, const QByteArray& host,
                           int timeoutMs)
{
    m_socket.setSslConfiguration(trusting(ca));
    m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    if (!QTest::qWaitFor([this] { return m_socket.isEncrypted(); }, timeoutMs))
        return false;
    m_socket.write("GET " + target + " HTTP/1.1\r\nHost: " + host
                   + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\nUser-Agent: fakeeice-test\r\n\r\n");
    return QTest::qWaitFor([this] { return m_status != 0; }, timeoutMs);
}

QByteArray RawTunnelClient::header(const QByteArray& name) const
{
    for (const QByteArray& line : m_head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

void RawTunnelClient::sendBinary(const QByteArray& bytes)
{
    for (qsizetype at = 0; at < bytes.size(); at += 65000)
        m_socket.write(WebSocketServerCodec::maskedFrame(WebSocketServerCodec::Opcode::Binary, bytes.mid(at, 65000),
                                                         QRandomGenerator::global()->generate()));
}

void RawTunnelClient::sendText(const QString& text)
{
    m_socket.write(WebSocketServerCodec::maskedFrame(WebSocketServerCodec::Opcode::Text, text.toUtf8(), 0x12345678));
}

void RawTunnelClient::sendClose(quint16 code)
{
    QByteArray payload(2, Qt::Uninitialized);
    qToBigEndian(code, payload.data());
    m_socket.write(WebSocketServerCodec::maskedFrame(WebSocketServerCodec::Opcode::Close, payload, 0x0badf00d));
}

void RawTunnelClient::holdBack(bool hold)
{
    m_hold = hold;
    if (!hold)
        drain();
}

void RawTunnelClient::drain()
{
    if (m_hold)
        return;
    m_buffer += m_socket.readAll();
    if (!m_upgraded) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = m_buffer.left(end + 2);
        const int status = head.mid(9, 3).toInt();
        if (status != 101) {
            m_head = head;
            const qsizetype length = header("Content-Length").toLongLong();
            if (m_buffer.size() - end - 4 < length)
                return;
            m_body = m_buffer.mid(end + 4, length);
            m_status = status;
            return;
        }
        m_head = head;
        m_status = status;
        m_upgraded = true;
        m_buffer.remove(0, end + 4);
    }
    // Server frames: never masked.
    while (m_buffer.size() >= 2) {
        const auto b0 = static_cast<unsigned char>(m_buffer.at(0));
        const int len7 = static_cast<unsigned char>(m_buffer.at(1)) & 0x7F;
        qsizetype headerBytes = 2;
        quint64 length = static_cast<quint64>(len7);
        if (len7 == 126) {
            headerBytes = 4;
            if (m_buffer.size() < headerBytes)
                return;
            length = qFromBigEndian<quint16>(m_buffer.constData() + 2);
        } else if (len7 == 127) {
            headerBytes = 10;
            if (m_buffer.size() < headerBytes)
                return;
            length = qFromBigEndian<quint64>(m_buffer.constData() + 2);
        }
        if (static_cast<quint64>(m_buffer.size() - headerBytes) < length)
            return;
        const QByteArray payload = m_buffer.mid(headerBytes, static_cast<qsizetype>(length));
        m_buffer.remove(0, headerBytes + static_cast<qsizetype>(length));
        const int opcode = b0 & 0x0F;
        if (opcode == 0x2 || opcode == 0x0)
            m_data += payload;
        else if (opcode == 0x8) {
            m_closeCode = payload.size() >= 2 ? qFromBigEndian<quint16>(payload.constData()) : 1005;
            m_closeReason = QString::fromUtf8(payload.mid(2));
        }
    }
}

TargetServer::TargetServer(Mode mode, QObject* parent)
    : QObject(parent)
    , m_mode(mode)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* s = m_server.nextPendingConnection()) {
            ++m_connections;
            m_sockets.append(s);
            connect(s, &QTcpSocket::disconnected, this, [this, s] {
                ++m_disconnections;
                s->deleteLater();
            });
            switch (m_mode) {
            case Mode::Echo:
                connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    const QByteArray bytes = s->readAll();
                    m_receivedCount += bytes.size();
                    s->write(bytes);
                });
                break;
            case Mode::GreetAndClose:
                s->write(greeting());
                s->disconnectFromHost();
                break;
            case Mode::Sink:
                if (!m_released)
                    s->setReadBufferSize(16 * 1024);
                connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    if (!m_released)
                        return;
                    const QByteArray bytes = s->readAll();
                    m_receivedCount += bytes.size();
                    m_received += bytes;
                });
                break;
            case Mode::Source:
                s->write(m_payload);
                break;
            }
        }
    });
    if (!m_server.listen(QHostAddress::LocalHost, 0))
        qFatal("cannot listen on 127.0.0.1");
}

void TargetServer::release()
{
    m_released = true;
    for (const QPointer<QTcpSocket>& s : m_sockets) {
        if (!s)
            continue;
        s->setReadBufferSize(0);
        const QByteArray bytes = s->readAll();
        m_receivedCount += bytes.size();
        m_received += bytes;
    }
}

} // namespace eicetest
