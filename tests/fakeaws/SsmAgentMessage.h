#pragma once
// The emulator's own codec of the SSM data-channel ClientMessage/AgentMessage (PROTOCOLS.md §6.3): the
// 120-byte big-endian header with HeaderLength 116, space-padded MessageType, swapped-halves MessageId and
// SHA-256 payload digest. Written independently of core/ssm on purpose, so each side checks the other.
// Also the small JSON/flag payloads the agent exchanges (acknowledge, Flag, channel_closed).

#include <QByteArray>
#include <QString>
#include <QUuid>

#include <optional>

namespace fakeaws {

struct SsmAgentMessage
{
    static constexpr quint32 kHeaderLength = 116;
    static constexpr int kHeaderBytes = 120;
    static constexpr int kTypeBytes = 32;

    // Payload types (§6.4).
    static constexpr quint32 kOutput = 1;
    static constexpr quint32 kHandshakeRequest = 5;
    static constexpr quint32 kHandshakeResponse = 6;
    static constexpr quint32 kHandshakeComplete = 7;
    static constexpr quint32 kFlag = 10;
    // Flag values.
    static constexpr quint32 kDisconnectToPort = 1;
    static constexpr quint32 kTerminateSession = 2;
    static constexpr quint32 kConnectToPortError = 3;

    QString messageType;
    quint32 schemaVersion = 1;
    quint64 createdDate = 0; // epoch milliseconds
    qint64 sequenceNumber = 0;
    quint64 flags = 0;
    QUuid messageId;
    quint32 payloadType = 0;
    QByteArray payload;
    QByteArray payloadDigest; // as read (decode) or computed (encode)

    // nulPadding pads MessageType with NULs instead of spaces (what some service-originated messages do).
    QByteArray encode(bool nulPadding = false) const;
    // nullopt (and *error) for a frame too short, with HeaderLength 0, an empty MessageType, CreatedDate 0 or a
    // PayloadLength beyond the frame. The digest is not checked (the agent does not either).
    static std::optional<SsmAgentMessage> decode(const QByteArray& frame, QString* error = nullptr);
    bool digestMatches() const;

    static SsmAgentMessage make(const QString& type, qint64 seq, quint64 flags, quint32 payloadType,
                                const QByteArray& payload, quint64 createdDateMs);
    // {"AcknowledgedMessageType":..,"AcknowledgedMessageId":..,"AcknowledgedMessageSequenceNumber":..,
    //  "IsSequentialMessage":true} in Go's field order.
    static QByteArray ackPayload(const QString& type, const QUuid& id, qint64 seq);
    // The acked sequence number of an acknowledge payload; nullopt when it is not one.
    static std::optional<qint64> ackedSequence(const QByteArray& payload);
    static QByteArray flagPayload(quint32 flag);
    static std::optional<quint32> flagValue(const QByteArray& payload);
};

} // namespace fakeaws
