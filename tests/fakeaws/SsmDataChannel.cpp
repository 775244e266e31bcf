#include "SsmDataChannel.h"

#include "WebSocketServerHandshake.h"

#include <QJsonDocument>
#include <QSslSocket>

namespace fakeaws {

SsmDataChannel::SsmDataChannel(QSslSocket* socket, QString sessionId, QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_sessionId(std::move(sessionId))
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(1024 * 1024);
    m_codec.setMessageMode(kMaxMessageBytes);
    connect(m_socket, &QSslSocket::readyRead, this, &SsmDataChannel::pump);
    connect(m_socket, &QSslSocket::encryptedBytesWritten, this, [this] { Q_EMIT writable(); });
    connect(m_socket, &QSslSocket::disconnected, this, &SsmDataChannel::onDisconnected);
    m_openTimer.setSingleShot(true);
    connect(&m_openTimer, &QTimer::timeout, this, [this] {
        closeWith(WebSocketServerCodec::kPolicyViolation,
                  QStringLiteral("No OpenDataChannel message arrived within %1 s.").arg(kOpenTimeoutMs / 1000));
    });
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, &SsmDataChannel::abort);
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &SsmDataChannel::onDisconnected, Qt::QueuedConnection);
}

SsmDataChannel::~SsmDataChannel() = default;

void SsmDataChannel::start(const QByteArray& switchingProtocols)
{
    if (m_gone || m_started)
        return;
    m_started = true;
    m_socket->write(switchingProtocols);
    m_openTimer.start(kOpenTimeoutMs);
    pump();
}

void SsmDataChannel::pump()
{
    if (!m_started || m_gone)
        return;
    if (!m_headSkipped) {
        const qsizetype head = WebSocketServerHandshake::headLength(m_socket->peek(m_socket->bytesAvailable()));
        if (head < 0)
            return;
        m_socket->skip(head);
        m_headSkipped = true;
    }
    // QPointer-free guard: handlers may close or abort us, but deletion is always deferred.
    while (!m_codec.isFinished() && !m_gone && m_socket->bytesAvailable() > 0) {
        QList<WebSocketServerCodec::Event> events;
        m_codec.feed(m_socket->read(64 * 1024), events);
        for (const WebSocketServerCodec::Event& e : events) {
            if (m_gone)
                return;
            handle(e);
        }
    }
}

void SsmDataChannel::handle(const WebSocketServerCodec::Event& event)
{
    using Kind = WebSocketServerCodec::Event::Kind;
    switch (event.kind) {
    case Kind::Data:
        if (m_closing)
            return;
        if (!m_opened) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(event.payload, &error);
            if (!event.text || error.error != QJsonParseError::NoError || !doc.isObject()) {
                closeWith(WebSocketServerCodec::kPolicyViolation,
                          QStringLiteral("The first message must be the OpenDataChannel JSON in a text frame."));
                return;
            }
            m_opened = true;
            m_openTimer.stop();
            Q_EMIT opened(doc.object());
            return;
        }
        Q_EMIT messageReceived(event.payload); // text or binary: the plugin accepts both as well
        return;
    case Kind::Ping:
        if (!m_closing)
            m_socket->write(WebSocketServerCodec::frame(WebSocketServerCodec::Opcode::Pong, event.payload));
        return;
    case Kind::Pong:
        return;
    case Kind::Close:
        if (!m_closing) {
            m_closing = true;
            m_socket->write(event.code == WebSocketServerCodec::kNoStatus
                                ? WebSocketServerCodec::frame(WebSocketServerCodec::Opcode::Close, {})
                                : WebSocketServerCodec::closeFrame(event.code));
        }
        m_socket->disconnectFromHost();
        m_closeTimer.start(kCloseTimeoutMs);
        return;
    case Kind::Error:
        closeWith(event.code, event.reason);
        return;
    }
}

void SsmDataChannel::sendBinary(const QByteArray& message)
{
    if (!isOpen())
        return;
    m_socket->write(WebSocketServerCodec::frame(WebSocketServerCodec::Opcode::Binary, message));
}

void SsmDataChannel::closeWith(quint16 code, const QString& reason)
{
    if (m_closing || m_gone)
        return;
    m_closing = true;
    m_openTimer.stop();
    m_socket->write(WebSocketServerCodec::closeFrame(code, reason));
    m_socket->disconnectFromHost();
    m_closeTimer.start(kCloseTimeoutMs);
}

void SsmDataChannel::abort()
{
    if (m_gone)
        return;
    m_closing = true;
    m_socket->abort(); // emits disconnected() when it was connected
    onDisconnected();
}

qint64 SsmDataChannel::backlog() const
{
    return m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite();
}

void SsmDataChannel::onDisconnected()
{
    if (m_gone)
        return;
    m_gone = true;
    m_openTimer.stop();
    m_closeTimer.stop();
    Q_EMIT gone();
    deleteLater();
}

} // namespace fakeaws
