#include "FakeSsmAgent.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

using namespace bl;

QByteArray FakeSsmAgent::frame(qint64 seq, SsmPayloadType type, const QByteArray& payload, quint64 flags)
{
    SsmMessage m;
    m.messageType = SsmMessageType::OutputStreamData;
    m.createdDate = Date;
    m.sequenceNumber = seq;
    m.flags = flags;
    m.messageId = QUuid::createUuid();
    m.payloadType = static_cast<quint32>(type);
    m.payload = payload;
    return m.encode();
}

QByteArray FakeSsmAgent::handshakeRequestPayload(const QString& agentVersion, const QString& sessionType,
                                                 const QJsonObject& properties, bool withKms)
{
    QJsonArray actions;
    actions.append(QJsonObject {
        {QStringLiteral("ActionType"), QStringLiteral("SessionType")},
        {QStringLiteral("ActionParameters"),
         QJsonObject {{QStringLiteral("SessionType"), sessionType}, {QStringLiteral("Properties"), properties}}}});
    if (withKms) {
        actions.append(QJsonObject {{QStringLiteral("ActionType"), QStringLiteral("KMSEncryption")},
                                    {QStringLiteral("ActionParameters"),
                                     QJsonObject {{QStringLiteral("KMSKeyId"), QStringLiteral("alias/x")}}}});
    }
    const QJsonObject req {{QStringLiteral("AgentVersion"), agentVersion},
                           {QStringLiteral("RequestedClientActions"), actions}};
    return QJsonDocument(req).toJson(QJsonDocument::Compact);
}

QByteArray FakeSsmAgent::handshakeCompletePayload(const QString& customerMessage)
{
    const QJsonObject done {{QStringLiteral("HandshakeTimeToComplete"), 1500000000},
                            {QStringLiteral("CustomerMessage"), customerMessage}};
    return QJsonDocument(done).toJson(QJsonDocument::Compact);
}

QByteArray FakeSsmAgent::ackFor(const SsmMessage& msg)
{
    SsmMessage ack;
    ack.messageType = SsmMessageType::Acknowledge;
    ack.createdDate = Date;
    ack.flags = SsmMessage::AckFlags;
    ack.messageId = QUuid::createUuid();
    ack.payload = SsmPayloads::acknowledge({msg.messageType, msg.messageId, msg.sequenceNumber});
    return ack.encode();
}

QByteArray FakeSsmAgent::control(const char* type, const QByteArray& payload)
{
    SsmMessage m;
    m.messageType = type;
    m.createdDate = Date;
    m.messageId = QUuid::createUuid();
    m.payload = payload;
    return m.encode();
}

SsmMessage FakeSsmAgent::decode(const QByteArray& wire)
{
    auto r = SsmMessage::decode(wire);
    return r.ok() ? r.value() : SsmMessage {};
}

QByteArray FakeSsmAgent::send(SsmPayloadType type, const QByteArray& payload)
{
    const qint64 seq = m_nextSeq++;
    Out out;
    out.frame = frame(seq, type, payload, seq == 0 ? SsmMessage::FlagSyn : 0);
    m_outbox.emplace(seq, out);
    return out.frame;
}

void FakeSsmAgent::markSent(qint64 seq, qint64 nowMs)
{
    const auto it = m_outbox.find(seq);
    if (it != m_outbox.end())
        it->second.sentMs = nowMs;
}

QList<QByteArray> FakeSsmAgent::receive(const QByteArray& wire, qint64 nowMs)
{
    Q_UNUSED(nowMs)
    QList<QByteArray> replies;
    auto decoded = SsmMessage::decode(wire);
    if (!decoded.ok())
        return replies;
    const SsmMessage& m = decoded.value();
    if (m.isType(SsmMessageType::Acknowledge)) {
        auto ack = SsmPayloads::parseAcknowledge(m.payload);
        if (ack.ok())
            m_outbox.erase(ack->sequenceNumber);
        return replies;
    }
    if (!m.isType(SsmMessageType::InputStreamData))
        return replies;
    replies.append(ackFor(m)); // the agent acks everything it has or can hold, duplicates included
    if (m.sequenceNumber < m_expected)
        return replies;
    m_buffer.emplace(m.sequenceNumber, m);
    while (!m_buffer.empty() && m_buffer.begin()->first == m_expected) {
        const SsmMessage& next = m_buffer.begin()->second;
        inputs.append(next);
        if (next.type() == SsmPayloadType::Output)
            received += next.payload;
        m_buffer.erase(m_buffer.begin());
        ++m_expected;
    }
    return replies;
}

QList<QByteArray> FakeSsmAgent::tick(qint64 nowMs, qint64 rtoMs)
{
    QList<QByteArray> frames;
    if (m_outbox.empty())
        return frames;
    auto& oldest = m_outbox.begin()->second;
    if (nowMs - oldest.sentMs > rtoMs) {
        oldest.sentMs = nowMs;
        frames.append(oldest.frame);
    }
    return frames;
}
