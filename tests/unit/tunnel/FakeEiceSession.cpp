#include "FakeEiceSession.h"

#include "FakeEiceServer.h"

#include "core/aws/base/SigV4.h"
#include "core/tunnel/WebSocketHandshake.h"

#include <QNetworkProxy>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

using namespace bl;
using Op = WebSocketFrameCodec::Opcode;

namespace {
constexpr qint64 queueLimit = 1024 * 1024;
constexpr qint64 frameSize = 65536;

QByteArray json(const char* code, const QString& message)
{
    return "{\"ErrorCode\":\"" + QByteArray(code) + "\",\"Message\":\"" + message.toUtf8() + "\"}";
}
} // namespace

FakeEiceSession::FakeEiceSession(QSslSocket* socket, FakeEiceServer& server)
    : QObject(&server)
    , m_server(server)
    , m_socket(socket)
{
    socket->setParent(this);
    socket->setReadBufferSize(queueLimit);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QSslSocket::readyRead, this, &FakeEiceSession::onClientData);
    connect(socket, &QSslSocket::bytesWritten, this, &FakeEiceSession::pumpFromTarget);
    connect(socket, &QSslSocket::encryptedBytesWritten, this, &FakeEiceSession::pumpFromTarget);
    connect(socket, &QSslSocket::disconnected, this, &FakeEiceSession::end);
    if (socket->bytesAvailable() > 0)
        QTimer::singleShot(0, this, &FakeEiceSession::onClientData);
}

FakeEiceSession::~FakeEiceSession() = default;

void FakeEiceSession::onClientData()
{
    if (!m_socket)
        return;
    if (!m_headDone) {
        m_head += m_socket->read(32 * 1024 - m_head.size());
        const qsizetype end = m_head.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        m_headDone = true;
        const QByteArray rest = m_head.mid(end + 4);
        handleHead(m_head.left(end + 4));
        if (!rest.isEmpty())
            qWarning("client sent data before the upgrade completed");
        return;
    }
    pumpFromClient();
}

void FakeEiceSession::handleHead(const QByteArray& head)
{
    m_server.recordHead(head);
    const QList<QByteArray> lines = head.trimmed().split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    QByteArray host, upgrade;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "host")
            host = value;
        else if (name == "upgrade")
            upgrade = value;
        else if (name == "sec-websocket-key")
            m_key = value;
    }
    if (requestLine.size() != 3 || requestLine.at(0) != "GET" || !requestLine.at(1).startsWith("/openTunnel?")
        || upgrade.toLower() != "websocket" || m_key.isEmpty()) {
        respond(400, "Bad Request", json("BadRequest", QStringLiteral("not an openTunnel upgrade")));
        return;
    }
    if (const auto& r = m_server.rejection()) {
        respond(r->status, "Refused", r->body);
        return;
    }
    const sigv4::QueryList params = sigv4::parseQueryString(requestLine.at(1).mid(int(sizeof("/openTunnel?")) - 1));
    const QString problem = m_server.verify(params, host);
    if (!problem.isEmpty()) {
        respond(403, "Forbidden", json("AuthFailure", problem));
        return;
    }
    int remotePort = 0;
    int duration = 0;
    for (const auto& [k, v] : params) {
        if (k == "remotePort")
            remotePort = v.toInt();
        else if (k == "maxTunnelDuration")
            duration = v.toInt();
    }
    if (remotePort != 22 && remotePort != 3389) {
        respond(400, "Bad Request",
                json("InvalidParameter",
                     QStringLiteral("The specified RemotePort is not valid. Specify either 22 or "
                                    "3389 as the RemotePort and retry your request.")));
        return;
    }
    const quint16 local = m_server.targetPort(remotePort);
    if (local == 0) {
        respond(502, "Bad Gateway", json("TargetUnreachable", QStringLiteral("nothing to connect to")));
        return;
    }
    m_target = new QTcpSocket(this);
    m_target->setProxy(QNetworkProxy::NoProxy);
    m_target->setReadBufferSize(queueLimit);
    connect(m_target, &QTcpSocket::connected, this, [this] {
        m_target->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        onTargetConnected();
    });
    connect(m_target, &QTcpSocket::readyRead, this, &FakeEiceSession::pumpFromTarget);
    connect(m_target, &QTcpSocket::bytesWritten, this, &FakeEiceSession::pumpFromClient);
    connect(m_target, &QTcpSocket::disconnected, this, [this] {
        m_targetEnded = true;
        pumpFromTarget();
    });
    if (duration > 0) {
        m_duration = new QTimer(this);
        m_duration->setSingleShot(true);
        m_duration->setInterval(duration * 1000);
        connect(m_duration, &QTimer::timeout, this,
                [this] { closeWith(WebSocketFrameCodec::GoingAway, "Tunnel reached its maximum duration"); });
    }
    m_target->connectToHost(QHostAddress::LocalHost, local);
}

void FakeEiceSession::respond(int status, const QByteArray& reason, const QByteArray& body)
{
    QByteArray r = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    r += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    r += "Date: " + m_server.httpDate() + "\r\nx-amzn-RequestId: fake-request-id\r\nConnection: close\r\n\r\n";
    m_socket->write(r + body);
    m_socket->disconnectFromHost();
}

void FakeEiceSession::onTargetConnected()
{
    QByteArray r = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
    r += "Sec-WebSocket-Accept: " + WebSocketHandshake::acceptFor(m_key) + "\r\n";
    r += "Date: " + m_server.httpDate() + "\r\nx-amzn-RequestId: fake-request-id\r\n\r\n";
    m_socket->write(r);
    m_open = true;
    m_server.sessionOpened();
    if (m_duration)
        m_duration->start();
    if (m_server.pingOnOpen())
        sendFrame(Op::Ping, "are you there");
    if (m_server.sendText())
        sendFrame(Op::Text, "hello");
    pumpFromClient();
    pumpFromTarget();
}

void FakeEiceSession::pumpFromClient()
{
    if (!m_socket || !m_open || m_closeSent)
        return;
    while (m_socket->bytesAvailable() > 0 && m_target && m_target->bytesToWrite() < queueLimit) {
        for (const WebSocketEvent& e : m_codec.feed(m_socket->read(frameSize))) {
            switch (e.type) {
            case WebSocketEvent::Type::Binary:
                m_target->write(e.payload);
                break;
            case WebSocketEvent::Type::Ping:
                sendFrame(Op::Pong, e.payload);
                break;
            case WebSocketEvent::Type::Pong:
                m_server.recordPong();
                break;
            case WebSocketEvent::Type::Close:
                m_server.recordClientClose(e.closeCode);
                if (!m_closeSent) {
                    m_closeSent = true;
                    sendFrame(Op::Close, WebSocketFrameCodec::closePayload(e.closeCode, {}));
                }
                m_target->disconnectFromHost();
                m_socket->disconnectFromHost();
                return;
            case WebSocketEvent::Type::Text:
            case WebSocketEvent::Type::Error:
                closeWith(WebSocketFrameCodec::ProtocolError, "protocol error");
                return;
            }
        }
    }
}

void FakeEiceSession::pumpFromTarget()
{
    if (!m_socket || !m_open || !m_target || m_closeSent)
        return;
    while (m_target->bytesAvailable() > 0 && m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite() < queueLimit)
        sendData(m_target->read(frameSize));
    // The target is done and all it said is on its way: a normal close.
    if (m_targetEnded && m_target->bytesAvailable() == 0) {
        closeWith(WebSocketFrameCodec::NormalClosure, {});
        return;
    }
    if (m_target->bytesAvailable() == 0 && m_socket->bytesAvailable() > 0)
        pumpFromClient();
}

void FakeEiceSession::sendData(const QByteArray& data)
{
    const int fragment = m_server.fragmentSize();
    if (fragment <= 0 || data.size() <= fragment) {
        sendFrame(Op::Binary, data);
        return;
    }
    for (qsizetype at = 0; at < data.size(); at += fragment) {
        const bool last = at + fragment >= data.size();
        m_socket->write(WebSocketFrameCodec::encodeFrame(
            at == 0 ? Op::Binary : Op::Continuation,
            QByteArrayView(data).sliced(at, qMin<qsizetype>(fragment, data.size() - at)), last));
        // A control frame in the middle of a fragmented message is legal.
        if (at == 0 && m_server.pingOnOpen())
            sendFrame(Op::Ping, "mid-message");
    }
}

void FakeEiceSession::sendFrame(Op opcode, const QByteArray& payload)
{
    if (m_socket)
        m_socket->write(WebSocketFrameCodec::encodeFrame(opcode, payload));
}

void FakeEiceSession::closeWith(quint16 code, const QByteArray& reason)
{
    if (m_closeSent || !m_socket)
        return;
    m_closeSent = true;
    sendFrame(Op::Close, WebSocketFrameCodec::closePayload(code, QString::fromUtf8(reason)));
    if (m_target)
        m_target->abort();
    // The client answers with its close frame and we end the TCP connection; give it a moment at most.
    QTimer::singleShot(2000, this, [this] {
        if (m_socket)
            m_socket->disconnectFromHost();
    });
    connect(m_socket, &QSslSocket::readyRead, this, [this] {
        if (!m_socket)
            return;
        for (const WebSocketEvent& e : m_codec.feed(m_socket->readAll())) {
            if (e.type == WebSocketEvent::Type::Close) {
                m_server.recordClientClose(e.closeCode);
                m_socket->disconnectFromHost();
            }
        }
    });
}

void FakeEiceSession::end()
{
    if (m_ended)
        return;
    m_ended = true;
    if (m_target) {
        // Outlive this session until what is queued for the target has been delivered.
        QTcpSocket* target = m_target;
        target->disconnect(this);
        target->setParent(&m_server);
        connect(target, &QTcpSocket::disconnected, target, &QObject::deleteLater);
        if (target->state() == QAbstractSocket::UnconnectedState)
            target->deleteLater();
        else
            target->disconnectFromHost();
    }
    m_server.sessionEnded(m_open);
    deleteLater();
}
