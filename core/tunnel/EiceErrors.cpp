#include "core/tunnel/EiceErrors.h"

#include "core/aws/base/Endpoints.h"
#include "core/tunnel/WebSocketFrameCodec.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace bl {

namespace {

// Beyond this, a presigned URL (valid 60 s) is likely to be refused because of the clock.
constexpr qint64 clockToleranceSecs = 30;

QString jsonString(const QJsonObject& o, std::initializer_list<const char*> keys)
{
    for (const char* key : keys) {
        const QString v = o.value(QLatin1String(key)).toString();
        if (!v.isEmpty())
            return v;
    }
    return {};
}

QString clockSentence(qint64 offsetSecs)
{
    if (qAbs(offsetSecs) < clockToleranceSecs)
        return {};
    return QStringLiteral("This computer's clock is %1 s %2 AWS's; Bastionless corrects for that from now on, but "
                          "setting the clock right (NTP) is better. ")
        .arg(qAbs(offsetSecs))
        .arg(offsetSecs > 0 ? QStringLiteral("behind") : QStringLiteral("ahead of"));
}

} // namespace

QString EiceErrors::endpointArn(const EiceTarget& target, const QString& accountId)
{
    if (!target.endpointArn.isEmpty())
        return target.endpointArn;
    return QStringLiteral("arn:%1:ec2:%2:%3:instance-connect-endpoint/%4")
        .arg(partitionName(target.region), target.region, accountId.isEmpty() ? QStringLiteral("<account>") : accountId,
             target.endpointId);
}

Error EiceErrors::fromRejection(const HttpResponseHead& head, const QByteArray& body, const EiceTarget& target,
                                std::optional<qint64> clockOffsetSecs, const QString& accountId)
{
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    Error e;
    e.httpStatus = head.status;
    e.awsCode = jsonString(json, {"ErrorCode", "errorCode", "__type", "code"});
    e.requestId = QString::fromLatin1(head.header("x-amzn-RequestId"));
    QString serviceMessage = jsonString(json, {"Message", "message"});
    if (serviceMessage.isEmpty() && json.isEmpty())
        serviceMessage = QString::fromUtf8(body.left(200)).trimmed();
    if (serviceMessage.isEmpty())
        serviceMessage = QString::fromLatin1(head.reasonPhrase);

    e.message = QStringLiteral("EC2 Instance Connect Endpoint %1 refused the tunnel to %2 port %3 (HTTP %4%5)%6")
                    .arg(target.endpointId, target.address)
                    .arg(target.remotePort)
                    .arg(head.status)
                    .arg(e.awsCode.isEmpty() ? QString() : QStringLiteral(", ") + e.awsCode)
                    .arg(serviceMessage.isEmpty() ? QString() : QStringLiteral(": ") + serviceMessage);

    const bool portRefused = e.awsCode == QLatin1String("InvalidParameter")
        && (serviceMessage.contains(QLatin1String("RemotePort"), Qt::CaseInsensitive)
            || (target.remotePort != 22 && target.remotePort != 3389));
    if (portRefused) {
        e.kind = ErrorKind::Usage;
        e.hint = QStringLiteral("EC2 Instance Connect Endpoint only forwards ports 22 and 3389; use SSM for port %1, "
                                "or tunnel VNC through SSH.")
                     .arg(target.remotePort);
        return e;
    }
    switch (head.status) {
    case 401:
    case 403:
        e.kind = ErrorKind::Credentials;
        e.hint = clockSentence(clockOffsetSecs.value_or(0))
            + QStringLiteral(
                  "A tunnel URL is valid for only 60 s, so the clock must be right. Also check that your "
                  "IAM identity is allowed ec2-instance-connect:OpenTunnel on %1 (the condition keys "
                  "ec2-instance-connect:remotePort, privateIpAddress and maxTunnelDuration may restrict it).")
                  .arg(endpointArn(target, accountId));
        return e;
    case 404:
        e.kind = ErrorKind::NotFound;
        e.hint = QStringLiteral("The endpoint may have been deleted; refresh the instance list, or connect through SSM "
                                "or directly.");
        return e;
    case 429:
        e.kind = ErrorKind::Service;
        e.hint = QStringLiteral("The endpoint limits concurrent connections (20) and the rate of new ones; close "
                                "unused connections and try again.");
        return e;
    default:
        e.kind = ErrorKind::Service;
        if (head.status >= 500)
            e.hint = QStringLiteral("The service had a problem; try again in a moment.");
        return e;
    }
}

std::optional<Error> EiceErrors::fromClose(quint16 code, const QString& reason, const EiceTarget& target)
{
    if (code == WebSocketFrameCodec::NormalClosure)
        return std::nullopt;
    const QString what = reason.isEmpty() ? QStringLiteral("no reason given") : reason;
    Error e = Error::make(ErrorKind::Service,
                          QStringLiteral("EC2 Instance Connect Endpoint %1 closed the tunnel to %2 port %3: %4 "
                                         "(WebSocket close code %5)")
                              .arg(target.endpointId, target.address)
                              .arg(target.remotePort)
                              .arg(what)
                              .arg(code));
    switch (code) {
    case WebSocketFrameCodec::GoingAway:
        e.hint =
            QStringLiteral("The endpoint ends a tunnel when it reaches its maximum duration (%1) or when the "
                           "connection to the instance ends; connect again.")
                .arg(target.maxTunnelDurationSecs > 0 ? QStringLiteral("%1 s here").arg(target.maxTunnelDurationSecs)
                                                      : QStringLiteral("1 hour by default"));
        break;
    case WebSocketFrameCodec::AbnormalClosure:
        e.kind = ErrorKind::Network;
        e.message = QStringLiteral("The connection to EC2 Instance Connect Endpoint %1 ended without a close "
                                   "handshake")
                        .arg(target.endpointId);
        e.hint = QStringLiteral("The network path dropped the connection; connect again.");
        break;
    default:
        e.hint = QStringLiteral("Connect again; if it keeps happening, check that something listens on port %1 of "
                                "the instance and that its security group admits the endpoint.")
                     .arg(target.remotePort);
        break;
    }
    return e;
}

} // namespace bl
