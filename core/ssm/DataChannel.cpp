#include "core/ssm/DataChannel.h"

#include "core/ssm/SsmLog.h"

#include <QScopedValueRollback>

namespace bl {

namespace {

// Handshake messages are acknowledged before they are processed, so the ack for the HandshakeRequest goes out
// before our HandshakeResponse (the order the agent expects, §6.6). They are never refused.
bool ackFirst(SsmPayloadType type)
{
    return type == SsmPayloadType::HandshakeRequest || type == SsmPayloadType::HandshakeComplete
        || type == SsmPayloadType::EncChallengeRequest;
}

SsmAcknowledge ackOf(const SsmMessage& msg)
{
    return {msg.messageType, msg.messageId, msg.sequenceNumber};
}

qint64 inboxCost(const SsmMessage& msg)
{
    return SsmMessage::FullHeaderSize + msg.payload.size();
}

} // namespace

DataChannel::DataChannel(const Clock& clock, DataChannelOptions options, QUuid clientId, QObject* parent)
    : QObject(parent)
    , m_clock(clock)
    , m_options(std::move(options))
    , m_clientId(clientId.isNull() ? QUuid::createUuid() : clientId)
{
    if (m_options.clientVersion.isEmpty())
        m_options.clientVersion = SsmVersion::clientVersion();
    if (m_options.maxPayload < 1)
        m_options.maxPayload = 1024;
}

DataChannel::~DataChannel() = default;

void DataChannel::setSink(Sink sink)
{
    m_sink = std::move(sink);
}

qint64 DataChannel::nowMs() const
{
    return m_clock.nowUtc().toMSecsSinceEpoch();
}

QByteArray DataChannel::openDataChannelFrame(const QString& token) const
{
    return SsmPayloads::openDataChannel(token, QUuid::createUuid(), m_clientId, m_options.clientVersion);
}

void DataChannel::connectionOpened()
{
    m_connected = true;
    for (const SsmAcknowledge& acked : m_recentAcks)
        sendAck(acked);
    // A new socket starts unpaused; the previous socket's pause_publication does not carry over.
    m_paused = false;
    // Whatever the old socket may have lost goes out again, oldest first (§11.3).
    for (auto& [seq, out] : m_outbox) {
        if (out.lastSentMs >= 0) {
            out.lastSentMs = -1;
            ++out.resends;
        }
    }
    flushUnsent();
}

void DataChannel::connectionLost()
{
    m_connected = false;
}

void DataChannel::transmit(const QByteArray& frame)
{
    if (m_connected)
        Q_EMIT sendBinary(frame);
}

void DataChannel::sendAck(const SsmMessage& msg)
{
    sendAck(ackOf(msg));
}

void DataChannel::sendAck(const SsmAcknowledge& acked)
{
    // Not queued while disconnected: connectionOpened() sends the latest first acks again, and the agent's
    // retransmission of anything older is acked again as a duplicate.
    SsmMessage ack;
    ack.messageType = SsmMessageType::Acknowledge;
    ack.createdDate = static_cast<quint64>(nowMs());
    ack.flags = SsmMessage::AckFlags;
    ack.messageId = QUuid::createUuid();
    ack.payload = SsmPayloads::acknowledge(acked);
    transmit(ack.encode());
}

void DataChannel::ackOnce(const SsmMessage& msg)
{
    m_recentAcks.push_back(ackOf(msg));
    if (m_recentAcks.size() > static_cast<size_t>(kAcksRepeatedOnReconnect))
        m_recentAcks.pop_front();
    sendAck(m_recentAcks.back());
}

void DataChannel::enqueue(SsmPayloadType type, const QByteArray& payload)
{
    SsmMessage msg;
    msg.messageType = SsmMessageType::InputStreamData;
    msg.createdDate = static_cast<quint64>(nowMs());
    msg.sequenceNumber = m_nextSendSeq++;
    msg.messageId = QUuid::createUuid();
    msg.payloadType = static_cast<quint32>(type);
    msg.payload = payload;
    Outgoing out;
    out.frame = msg.encode();
    out.payloadBytes = payload.size();
    m_unackedBytes += out.payloadBytes;
    if (m_connected && !m_paused) {
        out.lastSentMs = nowMs();
        transmit(out.frame);
    }
    m_outbox.emplace(msg.sequenceNumber, std::move(out));
}

void DataChannel::flushUnsent()
{
    if (!m_connected || m_paused)
        return;
    const qint64 now = nowMs();
    for (auto& [seq, out] : m_outbox) {
        if (out.lastSentMs < 0) {
            out.lastSentMs = now;
            transmit(out.frame);
        }
    }
}

void DataChannel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    qCDebug(lcSsm) << "SSM data channel publication" << (paused ? "paused" : "resumed");
    if (!paused)
        flushUnsent();
}

void DataChannel::fail(const Error& error)
{
    if (m_failed)
        return;
    m_failed = true;
    qCWarning(lcSsm).noquote() << "SSM data channel failed:" << error.message;
    Q_EMIT failed(error);
}

void DataChannel::updateWritable(bool wasWritable)
{
    if (!wasWritable && canWrite())
        Q_EMIT writable();
}

void DataChannel::sendData(const QByteArray& data)
{
    if (m_failed)
        return;
    const int max = m_options.maxPayload;
    for (qsizetype pos = 0; pos < data.size(); pos += max) {
        const QByteArray chunk = data.mid(pos, max);
        if (m_ready) {
            enqueue(SsmPayloadType::Output, chunk);
        } else {
            m_preHandshake.append({SsmPayloadType::Output, chunk});
            m_pendingBytes += chunk.size();
        }
    }
}

void DataChannel::sendFlag(SsmFlag flag)
{
    if (m_failed)
        return;
    const QByteArray payload = SsmPayloads::flag(flag);
    if (m_ready) {
        enqueue(SsmPayloadType::Flag, payload);
    } else {
        m_preHandshake.append({SsmPayloadType::Flag, payload});
        m_pendingBytes += payload.size();
    }
}

Result<void> DataChannel::receiveFrame(const QByteArray& frame)
{
    if (m_failed)
        return {};
    auto decoded = SsmMessage::decode(frame);
    if (!decoded) {
        qCWarning(lcSsm).noquote() << decoded.error().message;
        return decoded.error();
    }
    const SsmMessage& msg = decoded.value();
    if (msg.isType(SsmMessageType::OutputStreamData)) {
        setPaused(false);
        handleStreamData(msg);
    } else if (msg.isType(SsmMessageType::Acknowledge)) {
        setPaused(false);
        auto ack = SsmPayloads::parseAcknowledge(msg.payload);
        if (!ack) {
            qCWarning(lcSsm).noquote() << ack.error().message;
            return ack.error();
        }
        handleAcknowledge(ack.value());
    } else if (msg.isType(SsmMessageType::ChannelClosed)) {
        auto closed = SsmPayloads::parseChannelClosed(msg.payload);
        Q_EMIT channelClosed(closed ? closed->output : QString());
    } else if (msg.isType(SsmMessageType::StartPublication)) {
        setPaused(false);
    } else if (msg.isType(SsmMessageType::PausePublication)) {
        setPaused(true);
    } else {
        qCDebug(lcSsm) << "SSM data channel ignores message type" << msg.messageType;
    }
    return {};
}

void DataChannel::handleAcknowledge(const SsmAcknowledge& ack)
{
    // Matched by sequence number only, as both reference implementations do.
    const auto it = m_outbox.find(ack.sequenceNumber);
    if (it == m_outbox.end())
        return;
    // Karn: a resent message's ack does not tell which copy it answers.
    if (it->second.resends == 0 && it->second.lastSentMs >= 0)
        m_rtt.addSample(static_cast<double>(nowMs() - it->second.lastSentMs));
    const bool wasWritable = canWrite();
    m_unackedBytes -= it->second.payloadBytes;
    m_outbox.erase(it);
    updateWritable(wasWritable);
}

void DataChannel::handleStreamData(const SsmMessage& msg)
{
    const qint64 seq = msg.sequenceNumber;
    if (seq < m_expectedSeq) {
        // Delivered already; our ack may have been lost and the agent only retransmits its oldest message (§11.4).
        ++m_stats.duplicates;
        sendAck(msg);
        return;
    }
    if (const auto kept = m_inbox.find(seq); kept != m_inbox.end()) {
        // Kept already: deliver at most once. An acked one is acked again (that ack may have been lost); a refused
        // one is acked when the sink takes it, which this retransmission gives another chance to.
        ++m_stats.duplicates;
        if (kept->second.acked)
            sendAck(msg);
        drainInbox();
        return;
    }
    if (seq > m_expectedSeq) {
        keep(msg);
        return;
    }
    // In order.
    if (ackFirst(msg.type())) {
        ackOnce(msg);
        ++m_expectedSeq;
        const QScopedValueRollback delivering(m_delivering, true);
        process(msg);
    } else {
        Delivery d = Delivery::Done;
        {
            const QScopedValueRollback delivering(m_delivering, true);
            d = process(msg);
        }
        if (d == Delivery::Refused) {
            // The consumer is busy (smux at its limit, a slow local client, none yet in basic mode). Keep the
            // message, as if it had come early: leaving it unacked and unkept would make the agent repair everything
            // behind it at one message per 100 ms (it resends only its oldest, §6.5).
            ++m_stats.refusals;
            keep(msg);
            return;
        }
        // Counted before the ack goes out: delivered means received, even if the ack is lost (§11.2).
        ++m_expectedSeq;
        ackOnce(msg);
    }
    drainInbox();
}

void DataChannel::keep(const SsmMessage& msg)
{
    const qint64 cost = inboxCost(msg);
    if (m_inboxBytes + cost > m_options.receiveBufferBytes) {
        // Not acked, so the agent keeps it and retransmits; never drop something we acknowledged (§11.5).
        ++m_stats.notKept;
        if (!m_loggedFull) {
            m_loggedFull = true;
            qCDebug(lcSsm) << "SSM receive buffer full at" << m_inboxBytes << "bytes; not keeping or acknowledging"
                           << "seq" << msg.sequenceNumber << "and later ones until there is room";
        }
        return;
    }
    m_loggedFull = false;
    // Acked at once while the buffer is at most half full, so the agent's RTT estimate stays true and a brief hold-up
    // costs nothing. Past half, the consumer is falling behind: kept but acked only on delivery, so the agent's
    // oldest unacked message stays here and a sender with a window stops; acking everything kept would let a fast
    // agent run on until the bound, after which every message not kept waits for its one-per-100-ms repair (§11.5).
    // The price, only while that lasts: the agent's RTT samples include the consumer's delay, so its RTO rises
    // toward its 1 s cap and a message lost meanwhile is repaired later. (The real agent has no window, only its
    // pacing: against it the bound can still be reached by a consumer slower than about 1 MB/s for half a minute.)
    const bool ack = m_inboxBytes + cost <= m_options.receiveBufferBytes / 2;
    m_inbox.emplace(msg.sequenceNumber, Incoming {msg, ack});
    m_inboxBytes += cost;
    m_stats.peakBufferedBytes = qMax(m_stats.peakBufferedBytes, m_inboxBytes);
    if (ack)
        ackOnce(msg);
}

void DataChannel::drainInbox()
{
    if (m_delivering)
        return; // re-entered from a sink or a signal handler; the outer loop continues
    const QScopedValueRollback delivering(m_delivering, true);
    while (!m_failed && !m_inbox.empty() && m_inbox.begin()->first == m_expectedSeq) {
        auto node = m_inbox.begin();
        if (process(node->second.message) == Delivery::Refused)
            break; // kept until the sink takes it (§11.1)
        const Incoming delivered = std::move(node->second);
        m_inboxBytes -= inboxCost(delivered.message);
        m_inbox.erase(node);
        ++m_expectedSeq;
        if (!delivered.acked)
            ackOnce(delivered.message); // while disconnected, connectionOpened() sends it
    }
}

void DataChannel::resumeDelivery()
{
    if (!m_failed)
        drainInbox();
}

DataChannel::Delivery DataChannel::process(const SsmMessage& msg)
{
    switch (msg.type()) {
    case SsmPayloadType::HandshakeRequest:
        handleHandshakeRequest(msg);
        return Delivery::Done;
    case SsmPayloadType::HandshakeComplete:
        handleHandshakeComplete(msg);
        return Delivery::Done;
    case SsmPayloadType::EncChallengeRequest:
        fail(Error::make(ErrorKind::Service,
                         QStringLiteral("The SSM agent asked for KMS session encryption, which Bastionless does not "
                                        "support for this session."),
                         QStringLiteral("Port forwarding sessions are never encrypted by the agent; check the "
                                        "session document and the Session Manager preferences.")));
        return Delivery::Done;
    case SsmPayloadType::Output:
        if (!m_ready || !m_sink)
            return Delivery::Refused;
        return m_sink(msg.payload) ? Delivery::Done : Delivery::Refused;
    case SsmPayloadType::Flag: {
        auto flag = SsmPayloads::parseFlag(msg.payload);
        if (flag)
            Q_EMIT flagReceived(static_cast<SsmFlag>(flag.value()));
        else
            qCWarning(lcSsm).noquote() << flag.error().message;
        return Delivery::Done;
    }
    default:
        // Error/StdErr/ExitCode/Size/...: not used by port sessions; acked and ignored.
        qCDebug(lcSsm) << "SSM data channel ignores payload type" << msg.payloadType;
        return Delivery::Done;
    }
}

void DataChannel::handleHandshakeRequest(const SsmMessage& msg)
{
    if (m_sawHandshakeRequest || m_ready)
        return;
    auto req = SsmPayloads::parseHandshakeRequest(msg.payload);
    if (!req) {
        fail(req.error());
        return;
    }
    m_sawHandshakeRequest = true;
    m_info.agentVersion = req->agentVersion;
    m_info.sessionType = req->sessionType;
    m_info.properties = req->properties;

    QList<SsmProcessedAction> processed;
    QStringList problems;
    for (const SsmClientAction& action : req->actions) {
        SsmProcessedAction p;
        p.actionType = action.actionType;
        if (action.actionType == QLatin1String("SessionType")) {
            if (req->sessionType != QLatin1String("Port") && req->sessionType != QLatin1String("Standard_Stream")) {
                p.status = 3;
                p.error = QStringLiteral("Session type %1 is not supported by this client.").arg(req->sessionType);
            }
        } else if (action.actionType == QLatin1String("KMSEncryption")) {
            p.status = 2;
            p.error = QStringLiteral("KMS session encryption is not supported by this client.");
        } else {
            p.status = 3;
            p.error = QStringLiteral("Action %1 is not supported by this client.").arg(action.actionType);
        }
        if (p.status != 1)
            problems.append(p.error);
        processed.append(p);
    }
    enqueue(SsmPayloadType::HandshakeResponse, SsmPayloads::handshakeResponse(m_options.clientVersion, processed));
    if (!problems.isEmpty()) {
        fail(Error::make(ErrorKind::Service,
                         QStringLiteral("The SSM session needs features Bastionless does not support: %1")
                             .arg(problems.join(QLatin1Char(' '))),
                         QStringLiteral("Use a port forwarding document (AWS-StartPortForwardingSession or "
                                        "AWS-StartSSHSession) and turn off KMS encryption for it.")));
    }
}

void DataChannel::handleHandshakeComplete(const SsmMessage& msg)
{
    if (m_ready)
        return;
    auto done = SsmPayloads::parseHandshakeComplete(msg.payload);
    if (done) {
        m_info.handshakeTimeNs = done->handshakeTimeNs;
        m_info.customerMessage = done->customerMessage;
    } else {
        qCWarning(lcSsm).noquote() << done.error().message;
    }
    m_info.modes = SsmVersion::decide(m_info.agentVersion, m_info.properties);
    m_ready = true;
    flushPreHandshake();
    Q_EMIT ready(m_info);
}

void DataChannel::flushPreHandshake()
{
    const auto queued = std::exchange(m_preHandshake, {});
    for (const auto& [type, payload] : queued) {
        m_pendingBytes -= payload.size();
        enqueue(type, payload);
    }
}

void DataChannel::tick()
{
    // A safety net under resumeDelivery(): a consumer that made room without saying so still gets what is waiting,
    // a tick later, instead of the session stalling with everything acked and nothing delivered.
    if (!m_failed && !m_inbox.empty() && m_inbox.begin()->first == m_expectedSeq) {
        const qint64 before = m_expectedSeq;
        drainInbox();
        if (m_expectedSeq != before)
            qCDebug(lcSsm) << "SSM delivery resumed by the timer at seq" << before;
    }
    if (m_failed || !m_connected || m_paused || m_outbox.empty())
        return;
    // Every message whose ack is overdue goes again, not only the oldest (the agent's and the plugin's way):
    // with one resend per 100 ms tick a lossy link recovers ten messages a second and a bulk transfer crawls
    // (PROTOCOLS.md §11.5). The window bounds how many can be overdue at once.
    const qint64 now = nowMs();
    int resent = 0;
    for (auto& [seq, message] : m_outbox) {
        if (message.lastSentMs < 0 || static_cast<double>(now - message.lastSentMs) <= m_rtt.rtoMs())
            continue;
        if (message.resends >= m_options.maxResends) {
            fail(Error::make(ErrorKind::Network,
                             QStringLiteral("The SSM agent stopped acknowledging data (message %1 was sent %2 times "
                                            "without an answer).")
                                 .arg(seq)
                                 .arg(message.resends + 1),
                             QStringLiteral("The instance's SSM agent may have stopped or lost its network; check "
                                            "the instance, then connect again.")));
            return;
        }
        ++message.resends;
        ++m_retransmissions;
        message.lastSentMs = now;
        transmit(message.frame);
        if (++resent >= kMaxResendsPerTick)
            break;
    }
}

} // namespace bl
