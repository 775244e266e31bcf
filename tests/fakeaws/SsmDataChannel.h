#pragma once
// One data-channel WebSocket of fakeaws's Session Manager emulator (PROTOCOLS.md §6.2): the client's TLS socket
// taken over after the upgrade request, RFC 6455 framing in message mode, the OpenDataChannel text frame as
// the first message, then one ClientMessage per binary frame. The session (SsmAgentSession) outlives it:
// a client that reconnects after ResumeSession gets a new SsmDataChannel for the same agent. Deletes
// itself once the connection is gone.

#include "WebSocketServerCodec.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>

class QSslSocket;

namespace fakeaws {

class SsmDataChannel : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kMaxMessageBytes = 16 * 1024 * 1024;
    static constexpr int kOpenTimeoutMs = 10000; // for the OpenDataChannel frame
    static constexpr int kCloseTimeoutMs = 2000;

    // Takes ownership of the socket, whose first unread bytes are the upgrade request.
    SsmDataChannel(QSslSocket* socket, QString sessionId, QObject* parent = nullptr);
    ~SsmDataChannel() override;

    void start(const QByteArray& switchingProtocols);
    QString sessionId() const { return m_sessionId; }
    bool isOpen() const { return m_opened && !m_closing && !m_gone; }

    void sendBinary(const QByteArray& message);
    // A close frame, then the connection ends.
    void closeWith(quint16 code, const QString& reason);
    // Drops the TCP connection without a close frame (a fault).
    void abort();
    qint64 backlog() const; // bytes queued for the client

Q_SIGNALS:
    void opened(const QJsonObject& openDataChannel); // the first message, a JSON text frame
    void messageReceived(const QByteArray& message);
    void writable(); // some of the backlog went out
    void gone();

private:
    void pump();
    void handle(const WebSocketServerCodec::Event& event);
    void onDisconnected();

    QSslSocket* m_socket = nullptr;
    QString m_sessionId;
    WebSocketServerCodec m_codec;
    QTimer m_openTimer;
    QTimer m_closeTimer;
    bool m_started = false;
    bool m_headSkipped = false;
    bool m_opened = false;
    bool m_closing = false;
    bool m_gone = false;
};

} // namespace fakeaws
