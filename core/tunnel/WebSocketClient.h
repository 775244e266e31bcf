#pragma once
// WebSocketClient: a small RFC 6455 client over QSslSocket, written for tunnels. Unlike QWebSocket it reads
// from the socket only while its receive buffer is below a high-water mark (so a slow consumer slows the
// sender down), and it sends the request target byte for byte (a presigned query must not be re-encoded).
// Binary data only: a text frame from the server is a protocol error. Pings are answered; the close
// handshake carries a status code and reason both ways. A non-101 answer is read whole (head and a bounded
// body) and reported through rejected().

#include "core/tunnel/ByteQueue.h"
#include "core/tunnel/WebSocketFrameCodec.h"
#include "core/tunnel/WebSocketHandshake.h"
#include "core/util/Result.h"

#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslError>

class QSslSocket;
class QTimer;

namespace bl {

struct WebSocketClientOptions
{
    QString connectHost; // where the TCP connection goes: an address or a name
    quint16 port = 443;
    bool tls = true;
    QString peerName; // TLS SNI and the certificate's name; empty: connectHost
    QByteArray requestTarget = "/"; // "/path?query", sent byte for byte
    QByteArray hostHeader;
    QByteArray userAgent;
    QSslConfiguration ssl;
    QNetworkProxy proxy = QNetworkProxy(QNetworkProxy::NoProxy);
    QString peerDescription; // for messages; empty: host:port
    int handshakeTimeoutMs = 20000; // TCP + TLS + upgrade
    int closeTimeoutMs = 5000; // close handshake
    qint64 receiveHighWater = 256 * 1024;
    qint64 maxFramePayload = 65000; // what the AWS CLI sends per frame
};

class WebSocketClient : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Connecting, Handshaking, Rejected, Open, Closing, Closed };

    static constexpr qsizetype MaxRejectionBody = 64 * 1024;

    explicit WebSocketClient(QObject* parent = nullptr);
    ~WebSocketClient() override;

    void open(const WebSocketClientOptions& options);
    State state() const { return m_state; }
    const HttpResponseHead& response() const { return m_head; }

    // Payload received and not yet read; readable also after the connection ended.
    qint64 bytesAvailable() const { return m_rx.size(); }
    QByteArray read(qint64 maxSize);
    // Sends data as binary frames of at most maxFramePayload bytes. Only while Open.
    void sendBinary(QByteArrayView data);
    qint64 bytesToWrite() const;
    // Graceful close: queued data first, then a Close frame; closed() once the server answered or closeTimeoutMs
    // passed. Before the upgrade completed it simply aborts and reports closed().
    void close(quint16 code = WebSocketFrameCodec::NormalClosure, const QString& reason = {});
    // At once; no further signals.
    void abort();

    qint64 peakReceiveBuffered() const { return m_peakRx; }
    qint64 peakSendBuffered() const { return m_peakTx; }

Q_SIGNALS:
    void opened();
    void rejected(const bl::HttpResponseHead& head, const QByteArray& body);
    void readyRead();
    void bytesWritten();
    // The connection ended after a close frame. code/reason are the server's (1005: it sent no code; 1006: it
    // never sent a close frame after ours). byPeer: the server started the close handshake.
    void closed(quint16 code, const QString& reason, bool byPeer);
    void failed(const bl::Error& error);

private:
    void onConnected();
    void onDisconnected();
    void onSocketError();
    void onTimeout();
    void readFromSocket();
    void scheduleRead();
    void readHandshake();
    void readRejectionBody(bool connectionEnded);
    bool handleFrameBytes(const QByteArray& raw); // false once the connection is finished
    void sendControl(WebSocketFrameCodec::Opcode opcode, const QByteArray& payload);
    void failWith(const Error& error);
    void failProtocol(quint16 code, const QString& what);
    void finishClosed();
    void finishEnded(); // the TCP connection ended and everything it carried was taken
    void finishRejected();
    void trackSendPeak();
    QString peer() const;

    WebSocketClientOptions m_options;
    State m_state = State::Idle;
    QPointer<QSslSocket> m_socket;
    QTimer* m_timer;
    QByteArray m_key;
    QByteArray m_headBuffer; // handshake answer (and a rejection's body) read so far
    HttpResponseHead m_head;
    WebSocketFrameCodec m_codec {WebSocketFrameCodec::Role::Client};
    ByteQueue m_rx;
    QList<QSslError> m_sslErrors;
    bool m_readQueued = false;
    bool m_socketEnded = false;
    bool m_closeSent = false;
    bool m_closeReceived = false;
    bool m_peerStartedClose = false;
    quint16 m_peerCode = WebSocketFrameCodec::AbnormalClosure;
    QString m_peerReason;
    qint64 m_peakRx = 0;
    qint64 m_peakTx = 0;
};

} // namespace bl
