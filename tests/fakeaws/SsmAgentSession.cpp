#include "SsmAgentSession.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

namespace fakeaws {

namespace {

const QString kOutputType = QStringLiteral("output_stream_data");
const QString kInputType = QStringLiteral("input_stream_data");
const QString kAckType = QStringLiteral("acknowledge");
constexpr int kMaxBurst = 256; // messages per event-loop turn without pacing
constexpr int kEndWaitMs = 5000;
constexpr int kReorderHoldMs = 20;

quint64 epochMs()
{
    return static_cast<quint64>(QDateTime::currentMSecsSinceEpoch());
}

// Dotted numeric comparison, shorter versions padded with zeros.
int compareVersions(const QString& a, const QString& b)
{
    const QStringList pa = a.split(QLatin1Char('.'));
    const QStringList pb = b.split(QLatin1Char('.'));
    for (qsizetype i = 0; i < qMax(pa.size(), pb.size()); ++i) {
        const qlonglong x = pa.value(i).toLongLong();
        const qlonglong y = pb.value(i).toLongLong();
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

} // namespace

SsmAgentSession::SsmAgentSession(SsmSessionRecord record, const SsmAgentSettings& settings, SsmCounters& counters,
                                 SsmPortPlugin::Resolver resolver, QObject* parent)
    : QObject(parent)
    , m_record(std::move(record))
    , m_settings(settings)
    , m_counters(counters)
    , m_resolver(std::move(resolver))
{
    m_clock.start();
    connect(&m_retransmitTimer, &QTimer::timeout, this, &SsmAgentSession::onRetransmitTick);
    m_handshakeTimer.setSingleShot(true);
    connect(&m_handshakeTimer, &QTimer::timeout, this, [this] {
        terminate(QStringLiteral("handshake timeout"),
                  QStringLiteral("Handshake timed out. Please ensure that you have the latest version of the session "
                                 "manager plugin."));
    });
    m_paceTimer.setSingleShot(true);
    m_paceTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_paceTimer, &QTimer::timeout, this, &SsmAgentSession::pump);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &SsmAgentSession::drainIncoming);
    m_heldTimer.setSingleShot(true);
    connect(&m_heldTimer, &QTimer::timeout, this, [this] { write(std::exchange(m_held, QByteArray())); });
    m_endTimer.setSingleShot(true);
    connect(&m_endTimer, &QTimer::timeout, this, [this] {
        if (m_ending)
            terminate(QStringLiteral("agent"), m_endReason);
    });
}

SsmAgentSession::~SsmAgentSession() = default;

void SsmAgentSession::attach(SsmDataChannel* channel)
{
    if (m_ended) {
        channel->closeWith(WebSocketServerCodec::kPolicyViolation, QStringLiteral("The session has ended."));
        return;
    }
    if (m_channel && m_channel != channel)
        m_channel->abort();
    m_channel = channel;
    m_channelBytes = 0;
    connect(channel, &SsmDataChannel::messageReceived, this, &SsmAgentSession::onClientMessage);
    connect(channel, &SsmDataChannel::writable, this, &SsmAgentSession::pump);
    if (m_state == State::AwaitingChannel) {
        sendHandshakeRequest();
    } else if (!m_unacked.isEmpty() && m_settings.replayOnReconnect) {
        // What went into the dead WebSocket is replayed at once, in order, as a gateway that keeps the client's
        // backlog would (see SsmAgentSettings::replayOnReconnect).
        for (auto it = m_unacked.begin(); it != m_unacked.end(); ++it) {
            ++it->attempts;
            it->lastSentMs = nowMs();
            ++m_counters.retransmissions;
            transmit(it->bytes, it.key(), it->attempts);
        }
    } else if (!m_unacked.isEmpty()) {
        m_unacked.first().lastSentMs = -1000000; // the next tick resends the oldest at once
    }
    if (!m_retransmitTimer.isActive())
        m_retransmitTimer.start(m_settings.retransmitCheckMs);
    pump();
}

void SsmAgentSession::sendHandshakeRequest()
{
    const bool ssh = m_record.documentName == QLatin1String("AWS-StartSSHSession");
    QJsonObject properties;
    for (auto it = m_record.parameters.cbegin(); it != m_record.parameters.cend(); ++it)
        properties.insert(it.key(), it.value().value(0));
    if (!properties.contains(QStringLiteral("portNumber")))
        properties.insert(QStringLiteral("portNumber"), ssh ? QStringLiteral("22") : QStringLiteral("80"));
    if (!ssh)
        properties.insert(QStringLiteral("type"), QStringLiteral("LocalPortForwarding"));
    const QJsonObject action {{QStringLiteral("ActionType"), QStringLiteral("SessionType")},
                              {QStringLiteral("ActionParameters"),
                               QJsonObject {{QStringLiteral("SessionType"), QStringLiteral("Port")},
                                            {QStringLiteral("Properties"), properties}}}};
    const QJsonObject request {{QStringLiteral("AgentVersion"), m_record.agentVersion},
                               {QStringLiteral("RequestedClientActions"), QJsonArray {action}}};
    m_state = State::HandshakeSent;
    m_handshakeSentMs = nowMs();
    m_handshakeTimer.start(m_settings.handshakeTimeoutMs);
    sendStream(SsmAgentMessage::kHandshakeRequest, QJsonDocument(request).toJson(QJsonDocument::Compact), 1);
}

void SsmAgentSession::sendStream(quint32 payloadType, const QByteArray& payload, quint64 flags)
{
    const qint64 seq = m_outSeq++;
    const SsmAgentMessage message = SsmAgentMessage::make(kOutputType, seq, flags, payloadType, payload, epochMs());
    Outgoing entry;
    entry.bytes = message.encode(m_settings.faults.nulPaddedType);
    entry.firstSentMs = entry.lastSentMs = nowMs();
    m_unackedBytes += entry.bytes.size();
    m_unacked.insert(seq, entry);
    ++m_counters.messagesToClient;
    m_counters.peakUnackedMessages = qMax<qint64>(m_counters.peakUnackedMessages, m_unacked.size());
    m_counters.peakUnackedBytes = qMax(m_counters.peakUnackedBytes, m_unackedBytes);
    if (payloadType == SsmAgentMessage::kOutput) {
        ++m_counters.outputMessagesToClient;
        m_counters.largestOutputPayload = qMax<qint64>(m_counters.largestOutputPayload, payload.size());
        const int every = m_settings.faults.publicationNoticeEvery;
        if (every > 0 && ++m_outputsSent % every == 0)
            sendPublicationNotices();
    }
    transmit(entry.bytes, seq, 0);
    if (payloadType == SsmAgentMessage::kOutput)
        countChannelBytes(payload.size());
}

void SsmAgentSession::transmit(const QByteArray& bytes, qint64 seq, int attempt)
{
    if (!hasChannel())
        return; // retransmitted once a channel is back
    const SsmFaults& f = m_settings.faults;
    using Kind = SsmFaults::Kind;
    if (f.hits(Kind::Drop, seq, attempt)) {
        ++m_counters.droppedToClient;
        if (attempt == 0)
            m_counters.droppedSequences.append(seq);
        return;
    }
    if (f.hits(Kind::Delay, seq, attempt)) {
        ++m_counters.delayedToClient;
        QTimer::singleShot(f.delayMs, this, [this, bytes, channel = m_channel] {
            if (channel && channel == m_channel)
                write(bytes);
        });
        return;
    }
    if (m_held.isEmpty() && f.hits(Kind::Reorder, seq, attempt)) {
        ++m_counters.reorderedToClient;
        m_held = bytes;
        m_heldTimer.start(kReorderHoldMs);
        return;
    }
    write(bytes);
    if (!m_held.isEmpty()) {
        m_heldTimer.stop();
        write(std::exchange(m_held, QByteArray()));
    }
    if (f.hits(Kind::Duplicate, seq, attempt)) {
        ++m_counters.duplicatedToClient;
        write(bytes);
    }
}

void SsmAgentSession::write(const QByteArray& bytes)
{
    if (hasChannel() && !bytes.isEmpty())
        m_channel->sendBinary(bytes);
}

void SsmAgentSession::sendAck(const SsmAgentMessage& message)
{
    if (m_settings.faults.withholdAcks > 0
        && m_settings.faults.hits(SsmFaults::Kind::WithholdAck, message.sequenceNumber,
                                  m_ackAttempts[message.sequenceNumber]++)) {
        ++m_counters.acksWithheld;
        return;
    }
    const SsmAgentMessage ack = SsmAgentMessage::make(
        kAckType, 0, 3, 0, SsmAgentMessage::ackPayload(message.messageType, message.messageId, message.sequenceNumber),
        epochMs());
    ++m_counters.acksToClient;
    write(ack.encode(m_settings.faults.nulPaddedType));
}

void SsmAgentSession::onClientMessage(const QByteArray& bytes)
{
    if (m_ended)
        return;
    const std::optional<SsmAgentMessage> message = SsmAgentMessage::decode(bytes);
    if (!message)
        return; // the agent logs and ignores what it cannot parse
    if (message->messageType == kAckType) {
        onAck(*message);
    } else if (message->messageType == kInputType) {
        if (m_settings.faults.dropInbound > 0
            && m_settings.faults.hits(SsmFaults::Kind::DropInbound, message->sequenceNumber,
                                      m_inboundAttempts[message->sequenceNumber]++)) {
            ++m_counters.droppedFromClient;
            return;
        }
        ++m_counters.messagesFromClient;
        onStreamMessage(*message);
    }
}

void SsmAgentSession::onAck(const SsmAgentMessage& message)
{
    ++m_counters.acksFromClient;
    const std::optional<qint64> seq = SsmAgentMessage::ackedSequence(message.payload);
    if (!seq)
        return;
    const auto it = m_unacked.find(*seq);
    if (it == m_unacked.end())
        return;
    if (it->attempts == 0) {
        const double sample = static_cast<double>(nowMs() - it->firstSentMs);
        m_rttVarMs = 0.75 * m_rttVarMs + 0.25 * qAbs(m_rttMs - sample);
        m_rttMs = 0.875 * m_rttMs + 0.125 * sample;
        m_rtoMs = qMin(1000.0, m_rttMs + qMax(10.0, 4 * m_rttVarMs));
    }
    m_unackedBytes -= it->bytes.size();
    m_unacked.erase(it);
    maybeFinishEnding();
    pump();
}

void SsmAgentSession::onStreamMessage(const SsmAgentMessage& message)
{
    const qint64 seq = message.sequenceNumber;
    if (seq < m_inSeq) {
        ++m_counters.duplicatesFromClient;
        sendAck(message);
        return;
    }
    if (seq > m_inSeq) {
        if (m_incoming.contains(seq) || m_incoming.size() < m_settings.maxIncomingBuffered) {
            m_incoming.insert(seq, message);
            m_counters.peakIncomingBuffered = qMax<qint64>(m_counters.peakIncomingBuffered, m_incoming.size());
            sendAck(message);
        }
        return;
    }
    const Outcome outcome = process(message);
    if (outcome == Outcome::NotReady) {
        ++m_counters.notReady;
        return;
    }
    sendAck(message);
    ++m_inSeq;
    if (outcome == Outcome::Terminate) {
        terminate(QStringLiteral("TerminateSession flag"));
        return;
    }
    drainIncoming();
}

void SsmAgentSession::drainIncoming()
{
    while (!m_ended && !m_incoming.isEmpty() && m_incoming.firstKey() <= m_inSeq) {
        const SsmAgentMessage message = m_incoming.take(m_incoming.firstKey());
        if (message.sequenceNumber < m_inSeq)
            continue;
        const Outcome outcome = process(message);
        if (outcome == Outcome::NotReady) {
            m_incoming.insert(message.sequenceNumber, message); // acked already: keep it until it fits
            m_retryTimer.start(20);
            return;
        }
        ++m_inSeq;
        if (outcome == Outcome::Terminate) {
            terminate(QStringLiteral("TerminateSession flag"));
            return;
        }
    }
}

SsmAgentSession::Outcome SsmAgentSession::process(const SsmAgentMessage& message)
{
    if (message.payloadType == SsmAgentMessage::kHandshakeResponse) {
        if (m_state == State::HandshakeSent)
            onHandshakeResponse(message);
        return Outcome::Done;
    }
    if (m_state != State::Complete || !m_plugin) {
        ++m_counters.earlyDiscarded; // what the agent does with data before HandshakeComplete
        return Outcome::Done;
    }
    if (message.payloadType == SsmAgentMessage::kOutput) {
        if (!m_plugin->input(message.payload))
            return Outcome::NotReady;
        countChannelBytes(message.payload.size());
        return Outcome::Done;
    }
    if (message.payloadType == SsmAgentMessage::kFlag) {
        const std::optional<quint32> flag = SsmAgentMessage::flagValue(message.payload);
        if (flag == SsmAgentMessage::kTerminateSession)
            return Outcome::Terminate;
        if (flag)
            m_plugin->flag(*flag);
    }
    return Outcome::Done;
}

void SsmAgentSession::onHandshakeResponse(const SsmAgentMessage& message)
{
    const QJsonObject response = QJsonDocument::fromJson(message.payload).object();
    m_record.clientVersion = response.value(QStringLiteral("ClientVersion")).toString();
    for (const QJsonValue v : response.value(QStringLiteral("ProcessedClientActions")).toArray()) {
        const QJsonObject action = v.toObject();
        if (action.value(QStringLiteral("ActionStatus")).toInt() != 1) {
            terminate(QStringLiteral("handshake failed"),
                      QStringLiteral("The client could not perform %1: %2")
                          .arg(action.value(QStringLiteral("ActionType")).toString(),
                               action.value(QStringLiteral("Error")).toString()));
            return;
        }
    }
    m_handshakeTimer.stop();
    m_state = State::Complete;
    const qint64 tookNs = (nowMs() - m_handshakeSentMs) * 1000000;
    const QJsonObject complete {{QStringLiteral("HandshakeTimeToComplete"), static_cast<double>(tookNs)},
                                {QStringLiteral("CustomerMessage"), QString()}};
    sendStream(SsmAgentMessage::kHandshakeComplete, QJsonDocument(complete).toJson(QJsonDocument::Compact));
    startPlugin();
}

// Mux needs a client from 1.1.70 on (the agent's rule) and an agent that has it (after 3.0.196.0, the rule
// clients apply to the AgentVersion), so both ends agree.
void SsmAgentSession::startPlugin()
{
    SsmPortPlugin::Mode mode = SsmPortPlugin::Mode::Basic;
    if (m_record.documentName == QLatin1String("AWS-StartSSHSession"))
        mode = SsmPortPlugin::Mode::Stdio;
    else if (compareVersions(m_record.clientVersion, QStringLiteral("1.1.70")) >= 0
             && compareVersions(m_record.agentVersion, QStringLiteral("3.0.196.0")) > 0)
        mode = SsmPortPlugin::Mode::Mux;
    m_plugin = new SsmPortPlugin(mode, m_resolver, m_settings.muxReceiveBuffer, m_settings.connectTimeoutMs, this);
    connect(m_plugin, &SsmPortPlugin::outputReady, this, &SsmAgentSession::pump);
    connect(m_plugin, &SsmPortPlugin::relayed, this, [this](qint64 toTarget, qint64 fromTarget) {
        m_counters.bytesToTarget += toTarget;
        m_counters.bytesFromTarget += fromTarget;
    });
    connect(m_plugin, &SsmPortPlugin::connectError, this, [this] {
        sendStream(SsmAgentMessage::kFlag, SsmAgentMessage::flagPayload(SsmAgentMessage::kConnectToPortError));
    });
    connect(m_plugin, &SsmPortPlugin::ended, this, &SsmAgentSession::onPluginEnded);
    m_record.mode = SsmPortPlugin::modeName(mode);
    m_record.handshakeComplete = true;
    m_plugin->start();
    Q_EMIT handshakeCompleted(m_record.mode);
}

void SsmAgentSession::pump()
{
    if (!m_plugin || m_ended || m_paceTimer.isActive())
        return;
    for (int sent = 0; sent < kMaxBurst; ++sent) {
        // The window is the span from the oldest unacked message to the newest, not just the unacked bytes: a
        // sender that kept going while its oldest message waits for repair (one per 100 ms) would fill any
        // receiver's buffer. The real agent's pacing (about 1 MB/s) keeps that span small the same way.
        const qint64 span = m_unacked.isEmpty() ? 0 : (m_outSeq - m_unacked.firstKey()) * m_settings.chunkBytes;
        if (!hasChannel() || m_channel->backlog() >= kMaxChannelBacklog || span >= m_settings.maxUnackedBytes
            || !m_plugin->hasOutput())
            return;
        int splitTo = 0;
        if (m_settings.faults.splitSmux && m_plugin->mode() == SsmPortPlugin::Mode::Mux)
            splitTo = 1 + m_settings.faults.pick(SsmFaults::Kind::Split, m_outSeq, m_settings.chunkBytes);
        const QByteArray chunk = m_plugin->takeOutput(m_settings.chunkBytes, splitTo);
        if (chunk.isEmpty())
            return;
        sendStream(SsmAgentMessage::kOutput, chunk);
        if (m_settings.pacing) {
            m_paceTimer.start(m_settings.paceMs);
            return;
        }
    }
    if (!m_pumpQueued) {
        m_pumpQueued = true;
        QTimer::singleShot(0, this, [this] {
            m_pumpQueued = false;
            pump();
        });
    }
}

void SsmAgentSession::onRetransmitTick()
{
    if (m_unacked.isEmpty() || !hasChannel())
        return;
    const qint64 seq = m_unacked.firstKey();
    Outgoing& head = m_unacked.first();
    if (nowMs() - head.lastSentMs <= static_cast<qint64>(m_rtoMs))
        return;
    ++head.attempts;
    head.lastSentMs = nowMs();
    ++m_counters.retransmissions;
    transmit(head.bytes, seq, head.attempts);
}

void SsmAgentSession::countChannelBytes(qint64 bytes)
{
    m_channelBytes += bytes;
    const SsmFaults& f = m_settings.faults;
    if (f.killAfterBytes < 0 || m_channelBytes < f.killAfterBytes || (m_killedOnce && !f.killEveryTime))
        return;
    m_killedOnce = true;
    dropChannel();
}

void SsmAgentSession::onPluginEnded(const QString& reason)
{
    if (m_ended || m_ending)
        return;
    // Let what the target said last reach the client before the channel closes (bounded wait).
    m_ending = true;
    m_endReason = reason;
    m_endTimer.start(kEndWaitMs);
    maybeFinishEnding();
}

void SsmAgentSession::maybeFinishEnding()
{
    if (!m_ending || m_ended || !m_unacked.isEmpty() || (m_plugin && m_plugin->hasOutput()))
        return;
    terminate(m_endReason.isEmpty() ? QStringLiteral("target closed") : QStringLiteral("agent"), m_endReason);
}

void SsmAgentSession::terminate(const QString& by, const QString& output)
{
    if (m_ended)
        return;
    m_ended = true;
    m_ending = false;
    m_record.terminated = true;
    m_record.terminatedBy = by;
    m_token.clear();
    m_retransmitTimer.stop();
    m_handshakeTimer.stop();
    m_paceTimer.stop();
    m_retryTimer.stop();
    m_endTimer.stop();
    if (m_plugin)
        m_plugin->stop();
    if (hasChannel()) {
        sendChannelClosed(output);
        m_channel->closeWith(WebSocketServerCodec::kNormalClosure, QString());
    }
    ++m_counters.terminations;
    Q_EMIT ended();
}

bool SsmAgentSession::sendChannelClosed(const QString& output)
{
    if (!hasChannel())
        return false;
    const QJsonObject closed {
        {QStringLiteral("MessageId"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
        {QStringLiteral("CreatedDate"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("DestinationId"), m_record.clientId},
        {QStringLiteral("SessionId"), m_record.sessionId},
        {QStringLiteral("MessageType"), QStringLiteral("channel_closed")},
        {QStringLiteral("SchemaVersion"), 1},
        {QStringLiteral("Output"), output}};
    const SsmAgentMessage message = SsmAgentMessage::make(
        QStringLiteral("channel_closed"), 0, 0, 0, QJsonDocument(closed).toJson(QJsonDocument::Compact), epochMs());
    write(message.encode(m_settings.faults.nulPaddedType));
    return true;
}

bool SsmAgentSession::sendPublicationNotices()
{
    if (!hasChannel())
        return false;
    // Only HeaderLength and MessageType: the service's notices need not carry a full header.
    for (const char* type : {"pause_publication", "start_publication"}) {
        QByteArray notice(4, Qt::Uninitialized);
        qToBigEndian(SsmAgentMessage::kHeaderLength, notice.data());
        QByteArray name(type);
        name.append(QByteArray(SsmAgentMessage::kTypeBytes - name.size(), ' '));
        notice.append(name);
        write(notice);
    }
    return true;
}

bool SsmAgentSession::dropChannel()
{
    if (!m_channel)
        return false;
    ++m_counters.channelsKilled;
    SsmDataChannel* channel = m_channel;
    m_channel = nullptr;
    channel->abort();
    return true;
}

} // namespace fakeaws
