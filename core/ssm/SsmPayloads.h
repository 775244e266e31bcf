#pragma once
// SsmPayloads: the JSON and binary payloads carried inside ClientMessages (PROTOCOLS.md §6.2, §6.4, §6.6):
// acknowledgements, the handshake request/response/complete, channel_closed, flags, and the OpenDataChannel text
// frame. Builders produce exactly the bytes the Go implementations marshal (key order included), because the
// test vectors are byte-exact; parsers turn malformed JSON into an Error.

#include "core/util/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUuid>

namespace bl {

// Flag payload values (PayloadType 10, uint32 big-endian).
enum class SsmFlag : quint32 {
    DisconnectToPort = 1,
    TerminateSession = 2,
    ConnectToPortError = 3,
};

struct SsmAcknowledge
{
    QByteArray messageType; // type of the acknowledged message
    QUuid messageId;
    qint64 sequenceNumber = 0;
};

struct SsmClientAction
{
    QString actionType; // "SessionType", "KMSEncryption", ...
    QJsonObject parameters; // ActionParameters
};

struct SsmHandshakeRequest
{
    QString agentVersion;
    QList<SsmClientAction> actions;
    // From the SessionType action (empty when absent).
    QString sessionType;
    QJsonObject properties;
};

// One entry of ProcessedClientActions. ActionStatus: 1 Success, 2 Failed, 3 Unsupported.
struct SsmProcessedAction
{
    QString actionType;
    int status = 1;
    QString error;
};

struct SsmHandshakeComplete
{
    qint64 handshakeTimeNs = 0;
    QString customerMessage;
};

struct SsmChannelClosed
{
    QString messageId;
    QString sessionId;
    QString output;
};

class SsmPayloads
{
public:
    static QByteArray acknowledge(const SsmAcknowledge& ack);
    static Result<SsmAcknowledge> parseAcknowledge(const QByteArray& json);

    static Result<SsmHandshakeRequest> parseHandshakeRequest(const QByteArray& json);
    // {"ClientVersion":..,"ProcessedClientActions":[..],"Errors":null|[..]} as in vector C.
    static QByteArray handshakeResponse(const QString& clientVersion, const QList<SsmProcessedAction>& actions,
                                        const QStringList& errors = {});
    static Result<SsmHandshakeComplete> parseHandshakeComplete(const QByteArray& json);
    static Result<SsmChannelClosed> parseChannelClosed(const QByteArray& json);

    static QByteArray flag(SsmFlag flag);
    static Result<quint32> parseFlag(const QByteArray& payload);

    // The first (text) frame on every new data-channel WebSocket; requestId is new per open, clientId fixed per
    // session.
    static QByteArray openDataChannel(const QString& token, const QUuid& requestId, const QUuid& clientId,
                                      const QString& clientVersion);

    // Canonical lower-case hyphenated UUID text without braces.
    static QString uuidText(const QUuid& id);
    // A JSON string literal (with quotes) for s.
    static QByteArray jsonString(const QString& s);
};

} // namespace bl
