#include "SsmAgentMessage.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

namespace fakeaws {

namespace {

void put32(QByteArray& out, quint32 v)
{
    char b[4];
    qToBigEndian(v, b);
    out.append(b, 4);
}

void put64(QByteArray& out, quint64 v)
{
    char b[8];
    qToBigEndian(v, b);
    out.append(b, 8);
}

QString fail(QString* error, const QString& why)
{
    if (error)
        *error = why;
    return why;
}

} // namespace

QByteArray SsmAgentMessage::encode(bool nulPadding) const
{
    QByteArray out;
    out.reserve(kHeaderBytes + payload.size());
    put32(out, kHeaderLength);
    QByteArray type = messageType.toLatin1().left(kTypeBytes);
    type.append(QByteArray(kTypeBytes - type.size(), nulPadding ? '\0' : ' '));
    out.append(type);
    put32(out, schemaVersion);
    put64(out, createdDate);
    put64(out, static_cast<quint64>(sequenceNumber));
    put64(out, flags);
    // The UUID's least significant half first (a Java heritage the wire keeps).
    const QByteArray id = messageId.toRfc4122();
    out.append(id.mid(8, 8));
    out.append(id.left(8));
    out.append(QCryptographicHash::hash(payload, QCryptographicHash::Sha256));
    put32(out, payloadType);
    put32(out, static_cast<quint32>(payload.size()));
    out.append(payload);
    return out;
}

std::optional<SsmAgentMessage> SsmAgentMessage::decode(const QByteArray& frame, QString* error)
{
    if (frame.size() < kHeaderBytes) {
        fail(error, QStringLiteral("message of %1 bytes is shorter than the 120-byte header").arg(frame.size()));
        return std::nullopt;
    }
    const char* d = frame.constData();
    const quint32 headerLength = qFromBigEndian<quint32>(d);
    if (headerLength == 0 || headerLength + 4 > static_cast<quint32>(frame.size())) {
        fail(error, QStringLiteral("HeaderLength %1 is not valid").arg(headerLength));
        return std::nullopt;
    }
    SsmAgentMessage m;
    QByteArray type(d + 4, kTypeBytes);
    while (!type.isEmpty() && (type.endsWith(' ') || type.endsWith('\0')))
        type.chop(1);
    m.messageType = QString::fromLatin1(type);
    m.schemaVersion = qFromBigEndian<quint32>(d + 36);
    m.createdDate = qFromBigEndian<quint64>(d + 40);
    m.sequenceNumber = static_cast<qint64>(qFromBigEndian<quint64>(d + 48));
    m.flags = qFromBigEndian<quint64>(d + 56);
    const QByteArray swapped(d + 64, 16);
    m.messageId = QUuid::fromRfc4122(swapped.mid(8, 8) + swapped.left(8));
    m.payloadDigest = QByteArray(d + 80, 32);
    m.payloadType = qFromBigEndian<quint32>(d + 112);
    const quint32 length = qFromBigEndian<quint32>(d + headerLength);
    const qsizetype start = static_cast<qsizetype>(headerLength) + 4;
    if (m.messageType.isEmpty()) {
        fail(error, QStringLiteral("empty MessageType"));
        return std::nullopt;
    }
    if (m.createdDate == 0) {
        fail(error, QStringLiteral("CreatedDate is 0"));
        return std::nullopt;
    }
    if (static_cast<qsizetype>(length) > frame.size() - start) {
        fail(error,
             QStringLiteral("PayloadLength %1 exceeds the %2 bytes that follow").arg(length).arg(frame.size() - start));
        return std::nullopt;
    }
    m.payload = frame.mid(start, length);
    return m;
}

bool SsmAgentMessage::digestMatches() const
{
    return payloadDigest == QCryptographicHash::hash(payload, QCryptographicHash::Sha256);
}

SsmAgentMessage SsmAgentMessage::make(const QString& type, qint64 seq, quint64 flags, quint32 payloadType,
                                      const QByteArray& payload, quint64 createdDateMs)
{
    SsmAgentMessage m;
    m.messageType = type;
    m.createdDate = createdDateMs;
    m.sequenceNumber = seq;
    m.flags = flags;
    m.messageId = QUuid::createUuid();
    m.payloadType = payloadType;
    m.payload = payload;
    m.payloadDigest = QCryptographicHash::hash(payload, QCryptographicHash::Sha256);
    return m;
}

QByteArray SsmAgentMessage::ackPayload(const QString& type, const QUuid& id, qint64 seq)
{
    // Written by hand: QJsonDocument sorts keys, Go keeps the struct's field order.
    return QByteArrayLiteral("{\"AcknowledgedMessageType\":\"") + type.toLatin1()
        + QByteArrayLiteral("\",\"AcknowledgedMessageId\":\"") + id.toByteArray(QUuid::WithoutBraces)
        + QByteArrayLiteral("\",\"AcknowledgedMessageSequenceNumber\":") + QByteArray::number(seq)
        + QByteArrayLiteral(",\"IsSequentialMessage\":true}");
}

std::optional<qint64> SsmAgentMessage::ackedSequence(const QByteArray& payload)
{
    const QJsonObject o = QJsonDocument::fromJson(payload).object();
    const QJsonValue v = o.value(QStringLiteral("AcknowledgedMessageSequenceNumber"));
    if (!v.isDouble())
        return std::nullopt;
    return static_cast<qint64>(v.toDouble());
}

QByteArray SsmAgentMessage::flagPayload(quint32 flag)
{
    QByteArray out;
    put32(out, flag);
    return out;
}

std::optional<quint32> SsmAgentMessage::flagValue(const QByteArray& payload)
{
    if (payload.size() != 4)
        return std::nullopt;
    return qFromBigEndian<quint32>(payload.constData());
}

} // namespace fakeaws
