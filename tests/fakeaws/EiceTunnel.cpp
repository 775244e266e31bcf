#include "EiceTunnel.h"

#include "WebSocketServerHandshake.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace fakeaws {

EiceTunnel::EiceTunnel(QSslSocket* client, EiceTunnelPlan plan, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_plan(std::move(plan))
{
    m_client->setParent(this);
    // Bounded, so that a client faster than the target is slowed down by TCP instead of filling our memory.
    m_client->setReadBufferSize(kReadBufferBytes);
    connect(m_client, &QSslSocket::readyRead, this, [this] { pumpClient(); });
    connect(m_client, &QSslSocket::bytesWritten, this, [this] { pumpTarget(); });
    connect(m_client, &QSslSocket::encryptedBytesWritten, this, [this] { pumpTarget(); });
    connect(m_client, &QSslSocket::disconnected, this, &EiceTunnel::onClientGone);

    m_durationTimer.setSingleShot(true);
    connect(&m_durationTimer, &QTimer::timeout, this, [this] {
        closeWith(
            WebSocketServerCodec::kGoingAway,
            QStringLiteral("The tunnel reached its maximum duration of %1 seconds.").arg(m_plan.maxTunnelDurationSecs));
    });
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Connecting) {
            closeWith(
                WebSocketServerCodec::kInternalError,
                QStringLiteral("Connection to %1:%2 timed out.").arg(m_plan.privateIpAddress).arg(m_plan.remotePort));
        }
    });
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, &EiceTunnel::onCloseTimeout);

    if (m_client->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &EiceTunnel::onClientGone, Qt::QueuedConnection);
}

EiceTunnel::~EiceTunnel() = default;

void EiceTunnel::start(const QByteArray& switchingProtocols, const Target& target)
{
    if (m_clientGone || m_state != State::Handshaking)
        return;
    m_started = true;
    m_client->write(switchingProtocols);
    m_state = State::Connecting;
    m_durationTimer.start(m_plan.maxTunnelDurationSecs * 1000);
    if (!target.failure.isEmpty()) {
        m_targetGone = true;
        closeWith(WebSocketServerCodec::kInternalError, target.failure);
        return;
    }
    m_target = new QTcpSocket(this);
    m_target->setReadBufferSize(kReadBufferBytes);
    connect(m_target, &QTcpSocket::connected, this, &EiceTunnel::onTargetConnected);
    connect(m_target, &QTcpSocket::readyRead, this, [this] { pumpTarget(); });
    connect(m_target, &QTcpSocket::bytesWritten, this, [this] { pumpClient(); });
    connect(m_target, &QTcpSocket::disconnected, this, &EiceTunnel::onTargetGone);
    connect(m_target, &QTcpSocket::errorOccurred, this, &EiceTunnel::onTargetError);
    m_connectTimer.start(kConnectTimeoutMs);
    m_target->connectToHost(target.address, target.port);
}

void EiceTunnel::closeAfterBytes(qint64 bytes, quint16 code)
{
    m_faultAfterBytes = bytes;
    m_faultCode = code;
}

void EiceTunnel::onTargetConnected()
{
    m_connectTimer.stop();
    if (m_state != State::Connecting)
        return;
    m_state = State::Open;
    pumpClient();
    pumpTarget();
}

void EiceTunnel::onTargetError()
{
    if (m_state != State::Connecting || m_target->state() == QAbstractSocket::ConnectedState)
        return; // errors of a connected socket end in disconnected()
    m_targetGone = true;
    closeWith(WebSocketServerCodec::kInternalError,
              QStringLiteral("Connection to %1:%2 failed: %3")
                  .arg(m_plan.privateIpAddress)
                  .arg(m_plan.remotePort)
                  .arg(m_target->errorString()));
}

// Client -> target. Stops while the target has too much queued; its bytesWritten() resumes it.
void EiceTunnel::pumpClient(bool drain)
{
    if (m_clientGone && !drain)
        return;
    if (m_state != State::Open && m_state != State::Closing)
        return; // the client's bytes wait in its socket until the target is connected
    if (!m_headSkipped) {
        const qsizetype head = WebSocketServerHandshake::headLength(m_client->peek(m_client->bytesAvailable()));
        if (head < 0)
            return;
        m_client->skip(head);
        m_headSkipped = true;
    }
    while (!m_codec.isFinished()) {
        if (!drain && m_state == State::Open && m_target->bytesToWrite() >= kMaxQueuedBytes)
            return;
        if (!m_client->isReadable())
            return;
        const QByteArray chunk = m_client->read(kFrameBytes);
        if (chunk.isEmpty())
            return;
        QList<WebSocketServerCodec::Event> events;
        m_codec.feed(chunk, events);
        for (const WebSocketServerCodec::Event& e : events)
            handleEvent(e);
    }
}

void EiceTunnel::handleEvent(const WebSocketServerCodec::Event& event)
{
    using Kind = WebSocketServerCodec::Event::Kind;
    switch (event.kind) {
    case Kind::Data:
        if (m_state == State::Open && !event.payload.isEmpty()) {
            m_target->write(event.payload);
            countRelayed(event.payload.size(), 0);
        }
        break;
    case Kind::Ping:
        if (!m_closeSent && !m_clientGone)
            m_client->write(WebSocketServerCodec::frame(WebSocketServerCodec::Opcode::Pong, event.payload));
        break;
    case Kind::Pong:
        break;
    case Kind::Close:
        m_closeCodeReceived = event.code;
        if (!m_closeSent && !m_clientGone) {
            // Echo the client's code (RFC 6455 §5.5.1), then end both sides.
            m_closeSent = true;
            m_closeCodeSent = event.code == WebSocketServerCodec::kNoStatus ? 0 : event.code;
            m_client->write(event.code == WebSocketServerCodec::kNoStatus
                                ? WebSocketServerCodec::frame(WebSocketServerCodec::Opcode::Close, {})
                                : WebSocketServerCodec::closeFrame(event.code));
        }
        m_state = State::Closing;
        m_durationTimer.stop();
        closeTarget();
        m_closeTimer.start(kCloseTimeoutMs);
        if (!m_clientGone)
            m_client->disconnectFromHost();
        break;
    case Kind::Error:
        closeWith(event.code, event.reason);
        break;
    }
}

// Target -> client, in frames of at most kFrameBytes. Stops while the client has too much queued.
void EiceTunnel::pumpTarget(bool drain)
{
    if (m_state != State::Open || !m_target)
        return;
    while (drain || clientBacklog() < kMaxQueuedBytes) {
        const QByteArray chunk = m_target->read(kFrameBytes);
        if (chunk.isEmpty())
            return;
        m_client->write(WebSocketServerCodec::frame(WebSocketServerCodec::Opcode::Binary, chunk));
        countRelayed(0, chunk.size());
        if (m_state != State::Open)
            return; // a fault closed the tunnel
    }
}

// QSslSocket encrypts as soon as it can, so what waits is mostly ciphertext in the TCP socket below it.
qint64 EiceTunnel::clientBacklog() const
{
    return m_client->bytesToWrite() + m_client->encryptedBytesToWrite();
}

void EiceTunnel::countRelayed(qint64 toTarget, qint64 toClient)
{
    m_bytesToTarget += toTarget;
    m_bytesToClient += toClient;
    Q_EMIT relayed(toTarget, toClient);
    if (m_faultAfterBytes >= 0 && m_bytesToTarget + m_bytesToClient >= m_faultAfterBytes) {
        m_faultAfterBytes = -1;
        closeWith(m_faultCode, QStringLiteral("Connection closed by fakeaws (fault injection)."));
    }
}

void EiceTunnel::closeWith(quint16 code, const QString& reason)
{
    if (m_closeSent || m_clientGone || m_state == State::Done)
        return;
    if (!m_started)
        code = 0; // no close frame before the 101
    m_closeSent = true;
    m_closeCodeSent = code;
    m_state = State::Closing;
    m_durationTimer.stop();
    m_connectTimer.stop();
    m_closeTimer.start(kCloseTimeoutMs);
    if (code == 0) {
        m_client->abort(); // emits disconnected(): onClientGone() closes the target
        return;
    }
    m_client->write(WebSocketServerCodec::closeFrame(code, reason));
    closeTarget();
}

void EiceTunnel::closeTarget()
{
    if (!m_target || m_targetGone)
        return;
    if (m_target->state() == QAbstractSocket::ConnectedState) {
        m_target->disconnectFromHost(); // after what is queued for it; disconnected() -> onTargetGone()
        return;
    }
    m_target->abort(); // still connecting: no disconnected() will come
    m_targetGone = true;
    maybeFinish();
}

void EiceTunnel::onTargetGone()
{
    if (m_targetGone)
        return;
    m_targetGone = true;
    if (m_state == State::Open) {
        // What the target sent before closing still goes out, then a normal closure.
        pumpTarget(true);
        closeWith(WebSocketServerCodec::kNormalClosure, {});
    }
    maybeFinish();
}

void EiceTunnel::onClientGone()
{
    if (m_clientGone)
        return;
    m_clientGone = true;
    if (m_state == State::Open)
        pumpClient(true); // bytes the client sent before leaving still reach the target
    m_durationTimer.stop();
    m_connectTimer.stop();
    if (m_state != State::Done)
        m_state = State::Closing;
    closeTarget();
    if (!m_targetGone)
        m_closeTimer.start(kCloseTimeoutMs);
    maybeFinish();
}

void EiceTunnel::onCloseTimeout()
{
    if (!m_clientGone)
        m_client->abort();
    if (m_target && !m_targetGone) {
        m_target->abort();
        m_targetGone = true;
    }
    m_clientGone = true;
    maybeFinish();
}

void EiceTunnel::maybeFinish()
{
    if (m_state == State::Done || !m_clientGone || (m_target && !m_targetGone))
        return;
    m_state = State::Done;
    m_durationTimer.stop();
    m_connectTimer.stop();
    m_closeTimer.stop();
    Q_EMIT finished();
    deleteLater();
}

} // namespace fakeaws
