#pragma once
// DataChannel: the socket-free SSM Session Manager data channel (PROTOCOLS.md §6.5, §6.6, §11). It is fed the
// binary frames the WebSocket received and emits the binary frames to send; the owner (DataChannelSocket) moves
// bytes between it and a QWebSocket, calls tick() every 100 ms from a QTimer, and tells it about (re)connects.
//
// What it guarantees:
//  * Handshake: acks HandshakeRequest, answers HandshakeResponse, acks HandshakeComplete, then emits ready().
//    Data and flags given before that are queued (the agent discards data received before the handshake).
//  * Receive: in-order delivery exactly once to the sink; out-of-order messages and messages the sink refuses are
//    kept until delivered, bounded by bytes: acked when kept while the buffer is at most half full, acked on
//    delivery past half (so the sender's oldest unacked message stays put and a sender with a window stops instead
//    of filling the buffer), neither kept nor acked past the bound (the sender retransmits those). Duplicates of
//    acked messages are re-acked, never delivered twice.
//  * Send: sequence numbers from 0, never reset; every message kept until acked; every message unacked for longer
//    than the RTO is retransmitted (on tick()); nothing is lost across a reconnect; pause_publication pauses sending.
//
// Typical wiring:
//    channel.setSink([&](const QByteArray& bytes) { return consumer.accept(bytes); });
//    connect(&channel, &DataChannel::sendBinary, socket, [&](const QByteArray& f) { ws.sendBinaryMessage(f); });
//    on ws connected:   ws.sendTextMessage(QString::fromUtf8(channel.openDataChannelFrame(token)));
//                       channel.connectionOpened();
//    on ws binary/text: channel.receiveFrame(frame);
//    on ws lost:        channel.connectionLost();   (then ResumeSession, new socket, the two lines above again)
//    every 100 ms:      channel.tick();
//    local bytes:       if (channel.canWrite()) channel.sendData(sock.read(n));   resume on writable()
//
// Signals are emitted synchronously from receiveFrame()/tick()/send*(); slots may call back into the channel but
// must not delete it there (use deleteLater()).

#include "core/ssm/SsmMessage.h"
#include "core/ssm/SsmPayloads.h"
#include "core/ssm/SsmRttEstimator.h"
#include "core/ssm/SsmVersion.h"
#include "core/util/Clock.h"
#include "core/util/Result.h"

#include <QJsonObject>
#include <QObject>
#include <QUuid>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <utility>

namespace bl {

// What the handshake told us (argument of DataChannel::ready()).
struct SsmHandshakeInfo
{
    QString agentVersion;
    QString sessionType; // "Port", "Standard_Stream", ...
    QJsonObject properties; // e.g. {"portNumber":"3389","type":"LocalPortForwarding"}
    QString customerMessage; // show to the user when non-empty
    qint64 handshakeTimeNs = 0;
    SsmModeDecision modes;
};

struct DataChannelOptions
{
    int maxPayload = 1024; // bytes per Output message (§7)
    // Messages kept but not yet delivered (early ones, acked, or ones a busy sink refused, not acked yet) at most;
    // well above what an agent has in flight, so it is reached only when the consumer has stalled for a long time.
    qint64 receiveBufferBytes = 32 * 1024 * 1024;
    qint64 sendWindowBytes = 1024 * 1024; // canWrite() is false at or above this many unacked bytes
    int maxResends = 3000; // resends of one message before failed() (~5 min at the 100 ms tick)
    QString clientVersion; // empty: SsmVersion::clientVersion()
};

class DataChannel : public QObject
{
    Q_OBJECT

public:
    // At most this many overdue messages are sent again per tick (all of a 1 MiB window of 1 KiB messages).
    static constexpr int kMaxResendsPerTick = 1024;
    // Acks of the latest messages received, sent again on every new socket (see connectionOpened()).
    static constexpr int kAcksRepeatedOnReconnect = 8192;

    // Returns true when the bytes were taken, false when the consumer is not ready (then the message is kept while
    // the receive buffer has room and offered again on resumeDelivery() or tick()).
    using Sink = std::function<bool(const QByteArray& payload)>;

    // clock must outlive the channel. clientId: fixed per session (a new one when null).
    explicit DataChannel(const Clock& clock, DataChannelOptions options = {}, QUuid clientId = {},
                         QObject* parent = nullptr);
    ~DataChannel() override;

    void setSink(Sink sink);
    // The consumer can take data again: delivers what is buffered.
    void resumeDelivery();

    // --- connection life cycle (driven by the owner) ---
    // The OpenDataChannel text frame for a freshly opened WebSocket (new RequestId each call, same ClientId).
    QByteArray openDataChannelFrame(const QString& token) const;
    // After the OpenDataChannel frame went out on a new socket: acks again the latest kAcksRepeatedOnReconnect
    // messages received (acks sent into a dying socket, or owed for data delivered while disconnected, would
    // otherwise wait for the agent to resend each as its oldest, one per 100 ms; it ignores acks it does not
    // need), then resends every unacked message in order, then anything queued while disconnected.
    void connectionOpened();
    // The socket is gone: outgoing messages are queued (not dropped) until connectionOpened().
    void connectionLost();
    bool isConnected() const { return m_connected; }

    // One frame from the WebSocket (binary; text is accepted too). Malformed frames are logged and dropped (the
    // sender retransmits); returns the decode/validation error for tests and diagnostics.
    Result<void> receiveFrame(const QByteArray& frame);
    // Call every 100 ms: retransmits every unacked message sent longer than the RTO ago, and offers the sink what
    // waits for it (in case the consumer made room without resumeDelivery()).
    void tick();

    // --- sending ---
    // Splits into Output messages of at most maxPayload bytes. Never drops: before the handshake the data is
    // queued, while disconnected or paused the messages wait. Respect canWrite() to bound memory.
    void sendData(const QByteArray& data);
    void sendFlag(SsmFlag flag);
    // Bytes accepted by sendData() and not yet acked (queued, unsent or in flight).
    qint64 bytesInFlight() const { return m_pendingBytes + m_unackedBytes; }
    bool canWrite() const { return bytesInFlight() < m_options.sendWindowBytes; }

    // --- state ---
    bool isReady() const { return m_ready; }
    bool isPaused() const { return m_paused; }
    bool hasFailed() const { return m_failed; }
    const SsmHandshakeInfo& handshakeInfo() const { return m_info; }
    QUuid clientId() const { return m_clientId; }
    const SsmRttEstimator& rtt() const { return m_rtt; }
    qint64 nextSendSequence() const { return m_nextSendSeq; }
    qint64 expectedReceiveSequence() const { return m_expectedSeq; }
    int unackedCount() const { return static_cast<int>(m_outbox.size()); }
    qint64 bufferedReceiveBytes() const { return m_inboxBytes; }
    int bufferedReceiveCount() const { return static_cast<int>(m_inbox.size()); }
    qint64 retransmissions() const { return m_retransmissions; }
    // Receive-side figures for diagnostics (logged at the end of a session with -v).
    struct ReceiveStats
    {
        qint64 refusals = 0; // messages the sink refused when they arrived in order
        qint64 notKept = 0; // messages neither kept nor acked because the buffer was full
        qint64 duplicates = 0; // messages that came again
        qint64 peakBufferedBytes = 0;
    };
    const ReceiveStats& receiveStats() const { return m_stats; }

Q_SIGNALS:
    // A binary frame for the WebSocket.
    void sendBinary(const QByteArray& frame);
    void ready(const bl::SsmHandshakeInfo& info);
    // bytesInFlight() fell below the window after canWrite() had been false.
    void writable();
    // A Flag from the agent (e.g. ConnectToPortError in mux mode).
    void flagReceived(bl::SsmFlag flag);
    // channel_closed from the service; output is its reason text (may be empty).
    void channelClosed(const QString& output);
    // The session cannot continue (handshake refused, retransmission gave up, protocol violation).
    void failed(const bl::Error& error);

private:
    struct Incoming
    {
        SsmMessage message;
        bool acked = false; // when kept, or else once delivered
    };
    struct Outgoing
    {
        QByteArray frame;
        qint64 payloadBytes = 0;
        qint64 lastSentMs = -1; // -1: not sent on the current connection yet
        int resends = 0;
    };
    enum class Delivery { Done, Refused };

    qint64 nowMs() const;
    void transmit(const QByteArray& frame);
    void sendAck(const SsmMessage& msg);
    void sendAck(const SsmAcknowledge& acked);
    // The first ack of msg: sent (when connected) and remembered for connectionOpened().
    void ackOnce(const SsmMessage& msg);
    void enqueue(SsmPayloadType type, const QByteArray& payload);
    void flushUnsent();
    void setPaused(bool paused);
    void fail(const Error& error);
    void updateWritable(bool wasWritable);

    void handleStreamData(const SsmMessage& msg);
    void handleAcknowledge(const SsmAcknowledge& ack);
    Delivery process(const SsmMessage& msg);
    void drainInbox();
    // Keeps msg (not yet deliverable), acked while the buffer is at most half full; keeps and acks nothing (and
    // logs) when it would pass receiveBufferBytes.
    void keep(const SsmMessage& msg);
    void handleHandshakeRequest(const SsmMessage& msg);
    void handleHandshakeComplete(const SsmMessage& msg);
    void flushPreHandshake();

    const Clock& m_clock;
    DataChannelOptions m_options;
    QUuid m_clientId;
    Sink m_sink;
    SsmRttEstimator m_rtt;

    bool m_connected = false;
    bool m_paused = false;
    bool m_ready = false;
    bool m_failed = false;
    bool m_sawHandshakeRequest = false;
    SsmHandshakeInfo m_info;

    // Sending.
    qint64 m_nextSendSeq = 0;
    std::map<qint64, Outgoing> m_outbox; // by sequence number, until acked
    qint64 m_unackedBytes = 0;
    QList<std::pair<SsmPayloadType, QByteArray>> m_preHandshake; // given before ready(), in order
    qint64 m_pendingBytes = 0;
    qint64 m_retransmissions = 0;

    // Receiving.
    qint64 m_expectedSeq = 0;
    std::map<qint64, Incoming> m_inbox; // waiting for the gap or the sink
    qint64 m_inboxBytes = 0;
    bool m_delivering = false; // guards drainInbox() against re-entry from the sink or signal handlers
    bool m_loggedFull = false;
    std::deque<SsmAcknowledge> m_recentAcks; // the latest first acks, oldest first
    ReceiveStats m_stats;
};

} // namespace bl

Q_DECLARE_METATYPE(bl::SsmHandshakeInfo)
