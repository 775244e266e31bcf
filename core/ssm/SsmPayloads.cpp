#include "core/ssm/SsmPayloads.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtEndian>

namespace bl {

namespace {

Error badPayload(const QString& what, const QString& why)
{
    return Error::make(ErrorKind::Parse, QStringLiteral("Could not read the SSM %1: %2").arg(what, why),
                       QStringLiteral("The agent or service sent a message Bastionless does not understand; "
                                      "updating Bastionless or the SSM agent may help."));
}

Result<QJsonObject> parseObject(const QByteArray& json, const QString& what)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError)
        return badPayload(what, err.errorString());
    if (!doc.isObject())
        return badPayload(what, QStringLiteral("expected a JSON object"));
    return doc.object();
}

const char HexDigits[] = "0123456789abcdef";

} // namespace

QString SsmPayloads::uuidText(const QUuid& id)
{
    return id.toString(QUuid::WithoutBraces);
}

QByteArray SsmPayloads::jsonString(const QString& s)
{
    // Escapes as Go's encoding/json does (including <, > and &), so our bytes match the reference vectors.
    QByteArray out;
    out.reserve(s.size() + 2);
    out.append('"');
    const QByteArray utf8 = s.toUtf8();
    for (int i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8.at(i));
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                out.append("\\u00");
                out.append(HexDigits[c >> 4]);
                out.append(HexDigits[c & 0xf]);
            } else if (c == 0xe2 && i + 2 < utf8.size() && static_cast<unsigned char>(utf8.at(i + 1)) == 0x80
                       && (static_cast<unsigned char>(utf8.at(i + 2)) & 0xfe) == 0xa8) {
                // U+2028 / U+2029
                out.append(static_cast<unsigned char>(utf8.at(i + 2)) == 0xa8 ? "\\u2028" : "\\u2029");
                i += 2;
            } else {
                out.append(static_cast<char>(c));
            }
        }
    }
    out.append('"');
    return out;
}

QByteArray SsmPayloads::acknowledge(const SsmAcknowledge& ack)
{
    QByteArray out = QByteArrayLiteral("{\"AcknowledgedMessageType\":");
    out += jsonString(QString::fromLatin1(ack.messageType));
    out += QByteArrayLiteral(",\"AcknowledgedMessageId\":");
    out += jsonString(uuidText(ack.messageId));
    out += QByteArrayLiteral(",\"AcknowledgedMessageSequenceNumber\":");
    out += QByteArray::number(ack.sequenceNumber);
    out += QByteArrayLiteral(",\"IsSequentialMessage\":true}");
    return out;
}

Result<SsmAcknowledge> SsmPayloads::parseAcknowledge(const QByteArray& json)
{
    const QString what = QStringLiteral("acknowledgement");
    auto obj = parseObject(json, what);
    if (!obj)
        return obj.error();
    const QJsonValue seq = obj->value(QLatin1String("AcknowledgedMessageSequenceNumber"));
    if (!seq.isDouble())
        return badPayload(what, QStringLiteral("AcknowledgedMessageSequenceNumber is missing"));
    SsmAcknowledge ack;
    ack.sequenceNumber = seq.toInteger();
    ack.messageType = obj->value(QLatin1String("AcknowledgedMessageType")).toString().toLatin1();
    ack.messageId = QUuid::fromString(obj->value(QLatin1String("AcknowledgedMessageId")).toString());
    return ack;
}

Result<SsmHandshakeRequest> SsmPayloads::parseHandshakeRequest(const QByteArray& json)
{
    const QString what = QStringLiteral("handshake request");
    auto obj = parseObject(json, what);
    if (!obj)
        return obj.error();
    SsmHandshakeRequest req;
    req.agentVersion = obj->value(QLatin1String("AgentVersion")).toString();
    const QJsonValue actions = obj->value(QLatin1String("RequestedClientActions"));
    if (!actions.isArray() && !actions.isNull() && !actions.isUndefined())
        return badPayload(what, QStringLiteral("RequestedClientActions is not a list"));
    for (const QJsonValue& v : actions.toArray()) {
        if (!v.isObject())
            return badPayload(what, QStringLiteral("a requested action is not an object"));
        SsmClientAction action;
        action.actionType = v[QLatin1String("ActionType")].toString();
        action.parameters = v[QLatin1String("ActionParameters")].toObject();
        if (action.actionType == QLatin1String("SessionType")) {
            req.sessionType = action.parameters.value(QLatin1String("SessionType")).toString();
            req.properties = action.parameters.value(QLatin1String("Properties")).toObject();
        }
        req.actions.append(action);
    }
    return req;
}

QByteArray SsmPayloads::handshakeResponse(const QString& clientVersion, const QList<SsmProcessedAction>& actions,
                                          const QStringList& errors)
{
    QByteArray out = QByteArrayLiteral("{\"ClientVersion\":");
    out += jsonString(clientVersion);
    out += QByteArrayLiteral(",\"ProcessedClientActions\":");
    if (actions.isEmpty()) {
        out += QByteArrayLiteral("null");
    } else {
        out += '[';
        for (int i = 0; i < actions.size(); ++i) {
            if (i > 0)
                out += ',';
            out += QByteArrayLiteral("{\"ActionType\":") + jsonString(actions[i].actionType);
            out += QByteArrayLiteral(",\"ActionStatus\":") + QByteArray::number(actions[i].status);
            out += QByteArrayLiteral(",\"ActionResult\":null,\"Error\":") + jsonString(actions[i].error) + '}';
        }
        out += ']';
    }
    out += QByteArrayLiteral(",\"Errors\":");
    if (errors.isEmpty()) {
        out += QByteArrayLiteral("null");
    } else {
        out += '[';
        for (int i = 0; i < errors.size(); ++i) {
            if (i > 0)
                out += ',';
            out += jsonString(errors[i]);
        }
        out += ']';
    }
    out += '}';
    return out;
}

Result<SsmHandshakeComplete> SsmPayloads::parseHandshakeComplete(const QByteArray& json)
{
    auto obj = parseObject(json, QStringLiteral("handshake completion"));
    if (!obj)
        return obj.error();
    SsmHandshakeComplete done;
    done.handshakeTimeNs = obj->value(QLatin1String("HandshakeTimeToComplete")).toInteger();
    done.customerMessage = obj->value(QLatin1String("CustomerMessage")).toString();
    return done;
}

Result<SsmChannelClosed> SsmPayloads::parseChannelClosed(const QByteArray& json)
{
    auto obj = parseObject(json, QStringLiteral("channel_closed message"));
    if (!obj)
        return obj.error();
    SsmChannelClosed closed;
    closed.messageId = obj->value(QLatin1String("MessageId")).toString();
    closed.sessionId = obj->value(QLatin1String("SessionId")).toString();
    closed.output = obj->value(QLatin1String("Output")).toString();
    return closed;
}

QByteArray SsmPayloads::flag(SsmFlag flag)
{
    char b[4];
    qToBigEndian(static_cast<quint32>(flag), b);
    return QByteArray(b, 4);
}

Result<quint32> SsmPayloads::parseFlag(const QByteArray& payload)
{
    if (payload.size() != 4)
        return badPayload(QStringLiteral("flag"),
                          QStringLiteral("expected a 4-byte value, got %1 bytes").arg(payload.size()));
    return qFromBigEndian<quint32>(payload.constData());
}

QByteArray SsmPayloads::openDataChannel(const QString& token, const QUuid& requestId, const QUuid& clientId,
                                        const QString& clientVersion)
{
    QByteArray out = QByteArrayLiteral("{\"MessageSchemaVersion\":\"1.0\",\"RequestId\":");
    out += jsonString(uuidText(requestId));
    out += QByteArrayLiteral(",\"TokenValue\":") + jsonString(token);
    out += QByteArrayLiteral(",\"ClientId\":") + jsonString(uuidText(clientId));
    out += QByteArrayLiteral(",\"ClientVersion\":") + jsonString(clientVersion);
    out += '}';
    return out;
}

} // namespace bl
