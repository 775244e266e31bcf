#pragma once
// SsmMessage: one Session Manager data-channel ClientMessage (PROTOCOLS.md §6.3) and its binary codec. The header
// is 120 bytes, big-endian, HeaderLength 116, a space-padded 32-byte MessageType, the MessageId with its two
// 8-byte halves swapped and a SHA-256 digest of the payload. decode() never trusts the frame: anything malformed
// becomes an Error, never a crash.

#include "core/util/Result.h"

#include <QByteArray>
#include <QUuid>

namespace bl {

// MessageType strings (§6.4).
namespace SsmMessageType {
inline constexpr char InputStreamData[] = "input_stream_data";
inline constexpr char OutputStreamData[] = "output_stream_data";
inline constexpr char Acknowledge[] = "acknowledge";
inline constexpr char ChannelClosed[] = "channel_closed";
inline constexpr char StartPublication[] = "start_publication";
inline constexpr char PausePublication[] = "pause_publication";
} // namespace SsmMessageType

// PayloadType values (§6.4).
enum class SsmPayloadType : quint32 {
    Undefined = 0, // acknowledge and control messages
    Output = 1,
    Error = 2,
    Size = 3,
    Parameter = 4,
    HandshakeRequest = 5,
    HandshakeResponse = 6,
    HandshakeComplete = 7,
    EncChallengeRequest = 8,
    EncChallengeResponse = 9,
    Flag = 10,
    StdErr = 11,
    ExitCode = 12,
};

class SsmMessage
{
public:
    static constexpr int HeaderLength = 116; // the value of the HeaderLength field
    static constexpr int FullHeaderSize = 120; // HeaderLength + the 4-byte PayloadLength
    static constexpr int MessageTypeSize = 32;
    static constexpr quint64 FlagSyn = 1;
    static constexpr quint64 FlagFin = 2;
    static constexpr quint64 AckFlags = 3;

    QByteArray messageType; // without padding, e.g. "input_stream_data"
    quint32 schemaVersion = 1;
    quint64 createdDate = 0; // epoch milliseconds UTC, must be non-zero
    qint64 sequenceNumber = 0;
    quint64 flags = 0;
    QUuid messageId;
    quint32 payloadType = 0; // an SsmPayloadType value; kept raw so unknown types survive a round trip
    QByteArray payload;

    SsmPayloadType type() const { return static_cast<SsmPayloadType>(payloadType); }
    bool isType(const char* t) const { return messageType == t; }
    // start_publication / pause_publication: sent by the service, possibly with an incomplete header.
    bool isPublicationControl() const;

    // The wire form (digest computed here).
    QByteArray encode() const;
    // Parses and validates one binary frame (§6.10): HeaderLength, MessageType, CreatedDate, PayloadLength and
    // (when PayloadLength != 0) the digest. start_publication / pause_publication skip validation.
    static Result<SsmMessage> decode(const QByteArray& frame);

    // Wire helpers for the swapped-halves UUID (exposed for tests and the agent emulator).
    static QByteArray uuidToWire(const QUuid& id);
    static QUuid uuidFromWire(const QByteArray& sixteenBytes);
};

} // namespace bl
