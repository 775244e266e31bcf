#pragma once
// One Session Manager session in fakeaws, seen from the instance: the SSM agent's half of the data channel
// (PROTOCOLS.md §6.5-§6.7, §6.12). It performs the handshake, runs the reliability layer (its own sequence
// counter, acks, in-order delivery with an out-of-order buffer, re-acks of duplicates, retransmission of its
// oldest unacked message after the RTO) and feeds a SsmPortPlugin. It outlives WebSockets: after a drop the
// client resumes and attach()es a new SsmDataChannel, and the counters carry on; while no channel is attached
// the agent pauses (no sends, no retransmissions), as the real one does on pause_publication. Faults from
// SsmFaults are applied on the way out (drop, duplicate, reorder, delay, withheld acks) and in (drops).

#include "SsmAgentMessage.h"
#include "SsmDataChannel.h"
#include "SsmPortPlugin.h"
#include "SsmSessionTypes.h"

#include <QElapsedTimer>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace fakeaws {

class SsmAgentSession : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kMaxChannelBacklog = 1024 * 1024;

    SsmAgentSession(SsmSessionRecord record, const SsmAgentSettings& settings, SsmCounters& counters,
                    SsmPortPlugin::Resolver resolver, QObject* parent = nullptr);
    ~SsmAgentSession() override;

    const SsmSessionRecord& record() const { return m_record; }
    SsmSessionRecord& record() { return m_record; }
    QString token() const { return m_token; }
    void setToken(const QString& token) { m_token = token; }
    bool isEnded() const { return m_ended; }
    bool hasChannel() const { return m_channel && m_channel->isOpen(); }
    qint64 unackedMessages() const { return m_unacked.size(); }
    qint64 nextSequence() const { return m_outSeq; }
    qint64 expectedSequence() const { return m_inSeq; }

    // A WebSocket that passed the token check; replaces any earlier one. The first one starts the handshake.
    void attach(SsmDataChannel* channel);
    // Ends the agent side: stops the plugin, sends channel_closed on the open channel (Output = output) and
    // closes it. `by` is recorded as terminatedBy.
    void terminate(const QString& by, const QString& output = {});
    // Faults and service behaviour for tests.
    bool sendChannelClosed(const QString& output);
    bool sendPublicationNotices(); // minimal-header pause_publication, then start_publication
    bool dropChannel(); // no close frame

Q_SIGNALS:
    void handshakeCompleted(const QString& mode);
    void ended();

private:
    enum class State { AwaitingChannel, HandshakeSent, Complete };
    enum class Outcome { Done, NotReady, Terminate };
    struct Outgoing
    {
        QByteArray bytes;
        qint64 firstSentMs = 0;
        qint64 lastSentMs = 0;
        int attempts = 0;
    };

    qint64 nowMs() const { return m_clock.elapsed(); }
    void sendHandshakeRequest();
    void sendStream(quint32 payloadType, const QByteArray& payload, quint64 flags = 0);
    void transmit(const QByteArray& bytes, qint64 seq, int attempt);
    void write(const QByteArray& bytes);
    void sendAck(const SsmAgentMessage& message);
    void onClientMessage(const QByteArray& bytes);
    void onAck(const SsmAgentMessage& message);
    void onStreamMessage(const SsmAgentMessage& message);
    Outcome process(const SsmAgentMessage& message);
    void drainIncoming();
    void onHandshakeResponse(const SsmAgentMessage& message);
    void startPlugin();
    void pump();
    void onRetransmitTick();
    void countChannelBytes(qint64 bytes);
    void onPluginEnded(const QString& reason);
    void maybeFinishEnding();

    SsmSessionRecord m_record;
    const SsmAgentSettings& m_settings;
    SsmCounters& m_counters;
    SsmPortPlugin::Resolver m_resolver;
    QString m_token;
    QPointer<SsmDataChannel> m_channel;
    SsmPortPlugin* m_plugin = nullptr;
    State m_state = State::AwaitingChannel;
    bool m_ended = false;
    QElapsedTimer m_clock;
    qint64 m_handshakeSentMs = 0;

    qint64 m_outSeq = 0;
    QMap<qint64, Outgoing> m_unacked;
    qint64 m_unackedBytes = 0;
    double m_rttMs = 100;
    double m_rttVarMs = 0;
    double m_rtoMs = 200;
    qint64 m_outputsSent = 0;
    QByteArray m_held; // reorder fault: goes out after the next message
    QTimer m_heldTimer;

    qint64 m_inSeq = 0;
    QMap<qint64, SsmAgentMessage> m_incoming;
    QHash<qint64, int> m_inboundAttempts; // per client seq, for drop decisions (fault runs only)
    QHash<qint64, int> m_ackAttempts; // per client seq, for withheld-ack decisions (fault runs only)

    QTimer m_retransmitTimer;
    QTimer m_handshakeTimer;
    QTimer m_paceTimer;
    QTimer m_retryTimer; // buffered input the plugin could not take yet
    QTimer m_endTimer; // bounded wait for the last output's acks before ending
    bool m_pumpQueued = false;
    qint64 m_channelBytes = 0;
    bool m_killedOnce = false;
    bool m_ending = false;
    QString m_endReason;
};

} // namespace fakeaws
