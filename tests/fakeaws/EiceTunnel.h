#pragma once
// One open EICE tunnel in fakeaws: the client's TLS socket (taken over after the upgrade request) on one side,
// a TCP connection to the instance's local stand-in on the other, raw bytes <-> binary WebSocket frames between
// them (PROTOCOLS.md §5.4). Back-pressure holds both ways: nothing more is read from one side while the other
// has kMaxQueuedBytes waiting, and both sockets' read buffers are bounded, so TCP flow control reaches the
// peers. Close codes: 1000 when the target closes, 1001 when maxTunnelDuration elapses, 1003 for a text
// frame, 1002 for other protocol errors, 1011 when the target cannot be reached. Deletes itself when both
// sides are closed.

#include "EiceAdmission.h"
#include "WebSocketServerCodec.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>

class QSslSocket;
class QTcpSocket;

namespace fakeaws {

class EiceTunnel : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kFrameBytes = 64 * 1024; // the most read from the target into one frame
    static constexpr qint64 kMaxQueuedBytes = 1024 * 1024; // per direction, waiting to be written
    static constexpr qint64 kReadBufferBytes = 256 * 1024; // per socket, read but not yet relayed
    static constexpr int kCloseTimeoutMs = 3000; // for the client's close reply and the target's flush
    static constexpr int kConnectTimeoutMs = 10000;

    // Where the tunnel's bytes go. A non-empty failure: the instance cannot be reached; the tunnel opens and
    // closes at once with 1011 and this reason (as EICE does when the instance refuses the connection).
    struct Target
    {
        QHostAddress address;
        quint16 port = 0;
        QString failure;
    };

    // Takes ownership of the socket, whose first unread bytes are the upgrade request.
    EiceTunnel(QSslSocket* client, EiceTunnelPlan plan, QObject* parent = nullptr);
    ~EiceTunnel() override;

    // Writes the 101 answer and connects to the target; maxTunnelDuration counts from here.
    void start(const QByteArray& switchingProtocols, const Target& target);
    // Server-initiated close: a close frame with this code, then the target connection is closed.
    // Code 0 drops the TLS connection without a close frame (a fault for tests).
    void closeWith(quint16 code, const QString& reason);
    // Fault: closeWith(code) once this many bytes have been relayed (both directions together); -1: never.
    void closeAfterBytes(qint64 bytes, quint16 code);

    const EiceTunnelPlan& plan() const { return m_plan; }
    bool isStarted() const { return m_started; }
    qint64 bytesToTarget() const { return m_bytesToTarget; }
    qint64 bytesToClient() const { return m_bytesToClient; }
    bool closeSent() const { return m_closeSent; }
    quint16 closeCodeSent() const { return m_closeCodeSent; } // 0: none (dropped, or the client left first)
    quint16 closeCodeReceived() const { return m_closeCodeReceived; } // 0: none

Q_SIGNALS:
    void relayed(qint64 toTarget, qint64 toClient);
    void finished(); // both sides are closed; the tunnel deletes itself right after

private:
    enum class State { Handshaking, Connecting, Open, Closing, Done };

    void pumpClient(bool drain = false);
    void pumpTarget(bool drain = false);
    void handleEvent(const WebSocketServerCodec::Event& event);
    void onTargetConnected();
    void onTargetError();
    void onTargetGone();
    void onClientGone();
    void onCloseTimeout();
    void closeTarget();
    qint64 clientBacklog() const;
    void countRelayed(qint64 toTarget, qint64 toClient);
    void maybeFinish();

    QSslSocket* m_client = nullptr;
    QTcpSocket* m_target = nullptr;
    EiceTunnelPlan m_plan;
    WebSocketServerCodec m_codec;
    State m_state = State::Handshaking;
    QTimer m_durationTimer;
    QTimer m_connectTimer;
    QTimer m_closeTimer;
    bool m_started = false;
    bool m_headSkipped = false;
    bool m_clientGone = false;
    bool m_targetGone = false;
    bool m_closeSent = false;
    quint16 m_closeCodeSent = 0;
    quint16 m_closeCodeReceived = 0;
    qint64 m_bytesToTarget = 0;
    qint64 m_bytesToClient = 0;
    qint64 m_faultAfterBytes = -1;
    quint16 m_faultCode = WebSocketServerCodec::kInternalError;
};

} // namespace fakeaws
