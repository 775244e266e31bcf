#include "core/tunnel/WebSocketClient.h"

#include "core/util/Log.h"

#include <QRandomGenerator>
#include <QSslSocket>
#include <QTimer>

namespace bl {

namespace {

constexpr qint64 readChunk = 64 * 1024;

// Decodes a chunked HTTP body as far as it is complete.
QByteArray dechunk(const QByteArray& body)
{
    QByteArray out;
    qsizetype pos = 0;
    while (pos < body.size()) {
        const qsizetype eol = body.indexOf("\r\n", pos);
        if (eol < 0)
            break;
        bool ok = false;
        const qsizetype size = body.mid(pos, eol - pos).split(';').first().trimmed().toLongLong(&ok, 16);
        if (!ok || size <= 0)
            break;
        out += body.mid(eol + 2, size);
        pos = eol + 2 + size + 2;
    }
    return out;
}

} // namespace

WebSocketClient::WebSocketClient(QObject* parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &WebSocketClient::onTimeout);
}

WebSocketClient::~WebSocketClient()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

QString WebSocketClient::peer() const
{
    if (!m_options.peerDescription.isEmpty())
        return m_options.peerDescription;
    return QStringLiteral("%1:%2")
        .arg(m_options.peerName.isEmpty() ? m_options.connectHost : m_options.peerName)
        .arg(m_options.port);
}

void WebSocketClient::open(const WebSocketClientOptions& options)
{
    Q_ASSERT(m_state == State::Idle);
    m_options = options;
    m_state = State::Connecting;
    auto* socket = new QSslSocket(this);
    m_socket = socket;
    socket->setProxy(m_options.proxy);
    // Qt stops reading from the kernel while this much is buffered: the peer's TCP window closes.
    socket->setReadBufferSize(m_options.receiveHighWater);
    socket->setSslConfiguration(m_options.ssl);
    connect(socket, m_options.tls ? &QSslSocket::encrypted : &QSslSocket::connected, this,
            &WebSocketClient::onConnected);
    // Interactive traffic (ssh keystrokes, the TLS and upgrade round trips) must not wait for Nagle's algorithm.
    connect(socket, &QSslSocket::connected, this,
            [this] { m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); });
    connect(socket, &QSslSocket::readyRead, this, &WebSocketClient::readFromSocket);
    connect(socket, &QSslSocket::bytesWritten, this, [this] {
        if (m_state == State::Open)
            Q_EMIT bytesWritten();
    });
    connect(socket, &QSslSocket::encryptedBytesWritten, this, [this] {
        if (m_state == State::Open)
            Q_EMIT bytesWritten();
    });
    connect(socket, &QSslSocket::disconnected, this, &WebSocketClient::onDisconnected);
    connect(socket, &QSslSocket::errorOccurred, this, &WebSocketClient::onSocketError);
    connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError>& errors) { m_sslErrors = errors; });
    m_timer->start(m_options.handshakeTimeoutMs);
    if (m_options.tls) {
        const QString name = m_options.peerName.isEmpty() ? m_options.connectHost : m_options.peerName;
        socket->connectToHostEncrypted(m_options.connectHost, m_options.port, name);
    } else {
        socket->connectToHost(m_options.connectHost, m_options.port);
    }
}

void WebSocketClient::onConnected()
{
    if (m_state != State::Connecting)
        return;
    qCDebug(lcTunnel).noquote() << "connected to" << peer() << "; sending the WebSocket upgrade";
    m_state = State::Handshaking;
    m_key = WebSocketHandshake::makeKey();
    m_socket->write(
        WebSocketHandshake::buildRequest(m_options.requestTarget, m_options.hostHeader, m_key, m_options.userAgent));
}

QByteArray WebSocketClient::read(qint64 maxSize)
{
    const QByteArray out = m_rx.read(maxSize);
    if (!out.isEmpty() && m_socket && m_socket->bytesAvailable() > 0 && m_rx.size() < m_options.receiveHighWater)
        scheduleRead();
    return out;
}

void WebSocketClient::scheduleRead()
{
    if (m_readQueued)
        return;
    m_readQueued = true;
    QMetaObject::invokeMethod(this, &WebSocketClient::readFromSocket, Qt::QueuedConnection);
}

void WebSocketClient::readFromSocket()
{
    m_readQueued = false;
    if (!m_socket)
        return;
    if (m_state == State::Handshaking) {
        readHandshake();
        return;
    }
    if (m_state == State::Rejected) {
        readRejectionBody(false);
        return;
    }
    bool added = false;
    while (m_socket && (m_state == State::Open || m_state == State::Closing) && m_rx.size() < m_options.receiveHighWater
           && m_socket->bytesAvailable() > 0) {
        const qint64 room = m_options.receiveHighWater - m_rx.size();
        const qint64 before = m_rx.size();
        const QByteArray raw = m_socket->read(qMin(m_socket->bytesAvailable(), qMax(room, readChunk / 4)));
        const bool alive = handleFrameBytes(raw);
        added = added || m_rx.size() > before;
        if (!alive)
            break;
    }
    if (added && m_state != State::Closed)
        Q_EMIT readyRead();
    if (m_socketEnded && m_socket && m_socket->bytesAvailable() == 0 && m_state != State::Closed)
        finishEnded();
}

void WebSocketClient::finishEnded()
{
    if (m_closeReceived || m_closeSent) {
        finishClosed();
        return;
    }
    failWith(Error::make(ErrorKind::Network,
                         QStringLiteral("%1 ended the connection without a WebSocket close frame").arg(peer()),
                         QStringLiteral("The network path dropped the connection; open it again.")));
}

void WebSocketClient::readHandshake()
{
    const qint64 room = WebSocketHandshake::MaxHeadSize + 1 - m_headBuffer.size();
    m_headBuffer += m_socket->read(qMax<qint64>(room, 0));
    auto parsed = WebSocketHandshake::parseResponseHead(m_headBuffer);
    if (!parsed)
        return;
    if (!parsed->ok()) {
        failWith(parsed->error());
        return;
    }
    m_head = parsed->value();
    qCDebug(lcTunnel).noquote() << peer() << "answered the upgrade with HTTP" << m_head.status;
    if (m_head.status != 101) {
        m_state = State::Rejected;
        readRejectionBody(false);
        return;
    }
    const auto valid = WebSocketHandshake::validateUpgrade(m_head, m_key);
    if (!valid) {
        failWith(valid.error());
        return;
    }
    m_timer->stop();
    m_state = State::Open;
    const QByteArray leftover = m_headBuffer.mid(m_head.size);
    m_headBuffer.clear();
    Q_EMIT opened();
    if (m_state != State::Open)
        return;
    if (!leftover.isEmpty() && handleFrameBytes(leftover) && m_rx.size() > 0)
        Q_EMIT readyRead();
    if (m_socket && m_socket->bytesAvailable() > 0)
        scheduleRead();
}

void WebSocketClient::readRejectionBody(bool connectionEnded)
{
    const qsizetype limit = m_head.size + MaxRejectionBody;
    if (m_socket)
        m_headBuffer += m_socket->read(qMax<qint64>(limit - m_headBuffer.size(), 0));
    const QByteArray body = m_headBuffer.mid(m_head.size);
    bool complete = connectionEnded || m_headBuffer.size() >= limit;
    bool ok = false;
    const qint64 length = m_head.header("Content-Length").toLongLong(&ok);
    if (ok)
        complete = complete || body.size() >= length;
    else if (m_head.header("Transfer-Encoding").toLower().contains("chunked"))
        complete = complete || body.startsWith("0\r\n") || body.contains("\r\n0\r\n");
    if (complete)
        finishRejected();
}

bool WebSocketClient::handleFrameBytes(const QByteArray& raw)
{
    for (WebSocketEvent& e : m_codec.feed(raw)) {
        switch (e.type) {
        case WebSocketEvent::Type::Binary:
            if (!m_closeReceived) {
                m_rx.append(e.payload);
                m_peakRx = qMax<qint64>(m_peakRx, m_rx.size());
            }
            break;
        case WebSocketEvent::Type::Text:
            failProtocol(WebSocketFrameCodec::UnsupportedData,
                         QStringLiteral("%1 sent a text frame; a tunnel carries binary data only").arg(peer()));
            return false;
        case WebSocketEvent::Type::Ping:
            if (!m_closeSent)
                sendControl(WebSocketFrameCodec::Opcode::Pong, e.payload);
            break;
        case WebSocketEvent::Type::Pong:
            break;
        case WebSocketEvent::Type::Close:
            m_closeReceived = true;
            m_peerCode = e.closeCode;
            m_peerReason = e.text;
            if (!m_closeSent) {
                m_peerStartedClose = true;
                sendControl(WebSocketFrameCodec::Opcode::Close,
                            e.closeCode == WebSocketFrameCodec::NoStatus
                                ? QByteArray()
                                : WebSocketFrameCodec::closePayload(e.closeCode, {}));
                m_closeSent = true;
                m_state = State::Closing;
                m_timer->start(m_options.closeTimeoutMs);
            }
            // Both close frames are out: end the TCP connection once our frame is flushed. Queued, because
            // disconnectFromHost() may report the end synchronously, in the middle of this loop.
            if (m_socket) {
                QMetaObject::invokeMethod(
                    m_socket, [socket = m_socket] { socket->disconnectFromHost(); }, Qt::QueuedConnection);
            }
            break;
        case WebSocketEvent::Type::Error:
            failProtocol(e.closeCode, QStringLiteral("%1 broke the WebSocket protocol: %2").arg(peer(), e.text));
            return false;
        }
    }
    return m_state != State::Closed;
}

void WebSocketClient::sendBinary(QByteArrayView data)
{
    if (m_state != State::Open || !m_socket)
        return;
    for (qsizetype at = 0; at < data.size(); at += m_options.maxFramePayload) {
        const QByteArrayView part = data.sliced(at, qMin<qsizetype>(m_options.maxFramePayload, data.size() - at));
        m_socket->write(WebSocketFrameCodec::encodeFrame(WebSocketFrameCodec::Opcode::Binary, part, true,
                                                         QRandomGenerator::global()->generate()));
    }
    trackSendPeak();
}

void WebSocketClient::sendControl(WebSocketFrameCodec::Opcode opcode, const QByteArray& payload)
{
    if (!m_socket)
        return;
    m_socket->write(WebSocketFrameCodec::encodeFrame(opcode, payload, true, QRandomGenerator::global()->generate()));
    trackSendPeak();
}

qint64 WebSocketClient::bytesToWrite() const
{
    if (!m_socket)
        return 0;
    return m_socket->bytesToWrite() + (m_options.tls ? m_socket->encryptedBytesToWrite() : 0);
}

void WebSocketClient::trackSendPeak()
{
    m_peakTx = qMax(m_peakTx, bytesToWrite());
}

void WebSocketClient::close(quint16 code, const QString& reason)
{
    switch (m_state) {
    case State::Idle:
    case State::Connecting:
    case State::Handshaking:
        abort();
        return;
    case State::Open:
        sendControl(WebSocketFrameCodec::Opcode::Close, WebSocketFrameCodec::closePayload(code, reason));
        m_closeSent = true;
        m_state = State::Closing;
        m_timer->start(m_options.closeTimeoutMs);
        return;
    case State::Rejected:
    case State::Closing:
    case State::Closed:
        return;
    }
}

void WebSocketClient::abort()
{
    m_timer->stop();
    m_state = State::Closed;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
}

void WebSocketClient::onDisconnected()
{
    // An answer may have come with the end of the connection: read it before judging.
    if (m_state == State::Handshaking && m_socket && m_socket->bytesAvailable() > 0)
        readHandshake();
    switch (m_state) {
    case State::Connecting:
    case State::Handshaking:
        failWith(
            Error::make(ErrorKind::Network,
                        QStringLiteral("%1 closed the connection before the WebSocket upgrade completed").arg(peer()),
                        QStringLiteral("Check that the endpoint's DNS name is right and that no proxy or "
                                       "firewall interferes with the TLS connection.")));
        return;
    case State::Rejected:
        readRejectionBody(true);
        return;
    case State::Open:
    case State::Closing:
        // What arrived before the end (data, perhaps the close frame) is still in the socket's buffer; it is
        // taken at the consumer's pace like everything else, and the end is reported once it is all taken.
        m_socketEnded = true;
        readFromSocket();
        return;
    case State::Idle:
    case State::Closed:
        return;
    }
}

void WebSocketClient::onSocketError()
{
    if (!m_socket || m_state == State::Closed)
        return;
    const auto error = m_socket->error();
    // The end of the connection is handled by onDisconnected().
    if (error == QAbstractSocket::RemoteHostClosedError)
        return;
    if (m_state == State::Closing && error != QAbstractSocket::SslHandshakeFailedError) {
        finishClosed();
        return;
    }
    Error e = Error::make(ErrorKind::Network,
                          QStringLiteral("Connection to %1 failed: %2").arg(peer(), m_socket->errorString()));
    switch (error) {
    case QAbstractSocket::HostNotFoundError:
        e.message = QStringLiteral("Cannot resolve %1: %2").arg(peer(), m_socket->errorString());
        e.hint = QStringLiteral("Check the network and DNS (a VPN may be required).");
        break;
    case QAbstractSocket::ConnectionRefusedError:
        e.message = QStringLiteral("%1 refused the connection").arg(peer());
        break;
    case QAbstractSocket::SslHandshakeFailedError: {
        QStringList reasons;
        for (const QSslError& s : std::as_const(m_sslErrors))
            reasons.append(s.errorString());
        e.message = QStringLiteral("The TLS handshake with %1 failed: %2")
                        .arg(peer(), reasons.isEmpty() ? m_socket->errorString() : reasons.join(QStringLiteral("; ")));
        e.hint = QStringLiteral("If a proxy or a private certificate authority intercepts TLS on this network, "
                                "point AWS_CA_BUNDLE (or the profile's ca_bundle) at its certificate bundle.");
        break;
    }
    default:
        break;
    }
    failWith(e);
}

void WebSocketClient::onTimeout()
{
    switch (m_state) {
    case State::Connecting:
    case State::Handshaking:
        failWith(Error::make(ErrorKind::Timeout,
                             QStringLiteral("No WebSocket answer from %1 within %2 s")
                                 .arg(peer())
                                 .arg(m_options.handshakeTimeoutMs / 1000.0),
                             QStringLiteral("The endpoint may be unreachable from this network, or a firewall drops "
                                            "outbound HTTPS (port 443).")));
        return;
    case State::Rejected:
        finishRejected();
        return;
    case State::Closing:
        finishClosed();
        return;
    default:
        return;
    }
}

void WebSocketClient::failProtocol(quint16 code, const QString& what)
{
    qCWarning(lcTunnel) << what;
    if (m_socket && !m_closeSent) {
        m_closeSent = true;
        sendControl(WebSocketFrameCodec::Opcode::Close, WebSocketFrameCodec::closePayload(code, {}));
        // Let the close frame go out; the socket deletes itself once disconnected.
        QSslSocket* socket = m_socket;
        socket->disconnect(this);
        connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        m_socket = nullptr;
    }
    failWith(Error::make(ErrorKind::Network, what,
                         QStringLiteral("This is unexpected from an AWS endpoint; a proxy may be rewriting the "
                                        "connection. Open the connection again.")));
}

void WebSocketClient::failWith(const Error& error)
{
    abort();
    Q_EMIT failed(error);
}

void WebSocketClient::finishClosed()
{
    abort();
    if (!m_closeReceived)
        m_peerCode = WebSocketFrameCodec::AbnormalClosure;
    Q_EMIT closed(m_peerCode, m_peerReason, m_peerStartedClose);
}

void WebSocketClient::finishRejected()
{
    QByteArray body = m_headBuffer.mid(m_head.size, MaxRejectionBody);
    if (m_head.header("Transfer-Encoding").toLower().contains("chunked"))
        body = dechunk(body);
    m_headBuffer.clear();
    abort();
    Q_EMIT rejected(m_head, body);
}

} // namespace bl
