#include "core/ssm/SsmMessage.h"

#include <QCryptographicHash>
#include <QtEndian>

namespace bl {

namespace {

void putU32(QByteArray& out, quint32 v)
{
    char b[4];
    qToBigEndian(v, b);
    out.append(b, 4);
}

void putU64(QByteArray& out, quint64 v)
{
    char b[8];
    qToBigEndian(v, b);
    out.append(b, 8);
}

quint32 getU32(const QByteArray& in, int offset)
{
    return qFromBigEndian<quint32>(in.constData() + offset);
}

quint64 getU64(const QByteArray& in, int offset)
{
    return qFromBigEndian<quint64>(in.constData() + offset);
}

Error malformed(const QString& why)
{
    return Error::make(ErrorKind::Parse, QStringLiteral("Malformed SSM data-channel message: %1").arg(why),
                       QStringLiteral("The message was dropped; the sender retransmits it. If this repeats, the "
                                      "service or agent speaks a protocol version Bastionless does not know."));
}

QByteArray stripPadding(const QByteArray& raw)
{
    int end = raw.size();
    while (end > 0 && (raw.at(end - 1) == ' ' || raw.at(end - 1) == '\0'))
        --end;
    int begin = 0;
    while (begin < end && (raw.at(begin) == ' ' || raw.at(begin) == '\0'))
        ++begin;
    return raw.mid(begin, end - begin);
}

} // namespace

bool SsmMessage::isPublicationControl() const
{
    return messageType == SsmMessageType::StartPublication || messageType == SsmMessageType::PausePublication;
}

QByteArray SsmMessage::uuidToWire(const QUuid& id)
{
    const QByteArray raw = id.toRfc4122();
    return raw.mid(8, 8) + raw.left(8);
}

QUuid SsmMessage::uuidFromWire(const QByteArray& sixteenBytes)
{
    if (sixteenBytes.size() != 16)
        return {};
    return QUuid::fromRfc4122(sixteenBytes.mid(8, 8) + sixteenBytes.left(8));
}

QByteArray SsmMessage::encode() const
{
    QByteArray out;
    out.reserve(FullHeaderSize + payload.size());
    putU32(out, HeaderLength);
    QByteArray type = messageType.left(MessageTypeSize);
    type.append(QByteArray(MessageTypeSize - type.size(), ' '));
    out.append(type);
    putU32(out, schemaVersion);
    putU64(out, createdDate);
    putU64(out, static_cast<quint64>(sequenceNumber));
    putU64(out, flags);
    out.append(uuidToWire(messageId));
    out.append(QCryptographicHash::hash(payload, QCryptographicHash::Sha256));
    putU32(out, payloadType);
    putU32(out, static_cast<quint32>(payload.size()));
    out.append(payload);
    return out;
}

Result<SsmMessage> SsmMessage::decode(const QByteArray& frame)
{
    SsmMessage m;
    // The MessageType is needed first: publication control messages may carry a truncated header.
    if (frame.size() >= 4 + MessageTypeSize) {
        m.messageType = stripPadding(frame.mid(4, MessageTypeSize));
        if (m.isPublicationControl()) {
            if (frame.size() >= FullHeaderSize) {
                m.schemaVersion = getU32(frame, 36);
                m.createdDate = getU64(frame, 40);
                m.sequenceNumber = static_cast<qint64>(getU64(frame, 48));
                m.flags = getU64(frame, 56);
                m.messageId = uuidFromWire(frame.mid(64, 16));
                m.payloadType = getU32(frame, 112);
                m.payload = frame.mid(FullHeaderSize);
            }
            return m;
        }
    }
    if (frame.size() < FullHeaderSize)
        return malformed(
            QStringLiteral("%1 bytes is shorter than the %2-byte header").arg(frame.size()).arg(FullHeaderSize));

    const quint32 headerLength = getU32(frame, 0);
    if (headerLength != HeaderLength)
        return malformed(QStringLiteral("HeaderLength is %1, expected %2").arg(headerLength).arg(HeaderLength));
    if (m.messageType.isEmpty())
        return malformed(QStringLiteral("empty MessageType"));
    m.schemaVersion = getU32(frame, 36);
    m.createdDate = getU64(frame, 40);
    if (m.createdDate == 0)
        return malformed(QStringLiteral("CreatedDate is 0"));
    m.sequenceNumber = static_cast<qint64>(getU64(frame, 48));
    m.flags = getU64(frame, 56);
    m.messageId = uuidFromWire(frame.mid(64, 16));
    const QByteArray digest = frame.mid(80, 32);
    m.payloadType = getU32(frame, 112);
    const quint32 payloadLength = getU32(frame, 116);
    const qint64 remaining = frame.size() - FullHeaderSize;
    if (payloadLength != remaining)
        return malformed(QStringLiteral("PayloadLength is %1 but the frame carries %2 payload bytes")
                             .arg(payloadLength)
                             .arg(remaining));
    m.payload = frame.mid(FullHeaderSize);
    if (payloadLength != 0 && QCryptographicHash::hash(m.payload, QCryptographicHash::Sha256) != digest)
        return malformed(QStringLiteral("the payload digest does not match (%1 %2 bytes, seq %3)")
                             .arg(QString::fromLatin1(m.messageType))
                             .arg(payloadLength)
                             .arg(m.sequenceNumber));
    return m;
}

} // namespace bl
