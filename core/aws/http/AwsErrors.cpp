// Turning AWS error answers into Errors a person can act on (declared in AwsHttpClient.h).
#include "core/aws/http/AwsHttpClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QXmlStreamReader>

namespace bl {

namespace {

QByteArray findHeader(const QList<QPair<QByteArray, QByteArray>>& headers, const QByteArray& name)
{
    for (const auto& h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

struct Parsed
{
    QString code, message, requestId;
};

// EC2: <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
// STS: <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
Parsed parseXml(const QByteArray& body)
{
    Parsed p;
    QXmlStreamReader xml(body);
    bool inError = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("Error")) {
                inError = true;
            } else if (inError && name == QLatin1String("Code") && p.code.isEmpty()) {
                p.code = xml.readElementText().trimmed();
            } else if (inError && name == QLatin1String("Message") && p.message.isEmpty()) {
                p.message = xml.readElementText().trimmed();
            } else if (name == QLatin1String("RequestID") || name == QLatin1String("RequestId")
                       || name == QLatin1String("requestId")) {
                p.requestId = xml.readElementText().trimmed();
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("Error")) {
            inError = false;
        }
    }
    return p;
}

// Header and __type values may carry a namespace and a URI: "com.amazonaws.sso#Code:http://internal...".
QString sanitizeCode(const QString& raw)
{
    QString code = raw.section(QLatin1Char(':'), 0, 0);
    return code.mid(code.indexOf(QLatin1Char('#')) + 1).trimmed();
}

// JSON 1.1: {"__type": "com.amazon...#Code", "message": "..."}; REST-JSON: x-amzn-ErrorType header or
// {"error": "...", "error_description": "..."} (OIDC) or {"message": "..."}.
Parsed parseJson(const QByteArray& body, const QByteArray& errorTypeHeader)
{
    Parsed p;
    if (!errorTypeHeader.isEmpty())
        p.code = sanitizeCode(QString::fromUtf8(errorTypeHeader));
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (p.code.isEmpty()) {
        QString type = o.value(QLatin1String("__type")).toString();
        if (type.isEmpty())
            type = o.value(QLatin1String("code")).toString();
        if (type.isEmpty())
            type = o.value(QLatin1String("Code")).toString();
        if (type.isEmpty())
            type = o.value(QLatin1String("error")).toString();
        p.code = sanitizeCode(type);
    }
    for (const char* key : {"message", "Message", "error_description", "errorMessage"}) {
        const QString m = o.value(QLatin1String(key)).toString();
        if (!m.isEmpty()) {
            p.message = m;
            break;
        }
    }
    return p;
}

ErrorKind kindForCode(const QString& code, int status)
{
    static const QSet<QString> credentialCodes = {
        QStringLiteral("AuthFailure"),
        QStringLiteral("InvalidClientTokenId"),
        QStringLiteral("SignatureDoesNotMatch"),
        QStringLiteral("ExpiredToken"),
        QStringLiteral("ExpiredTokenException"),
        QStringLiteral("UnrecognizedClientException"),
        QStringLiteral("InvalidSignatureException"),
        QStringLiteral("RequestExpired"),
        QStringLiteral("UnauthorizedException"),
        QStringLiteral("MissingAuthenticationToken"),
        QStringLiteral("IncompleteSignature"),
        QStringLiteral("RequestInTheFuture"),
        QStringLiteral("RequestTimeTooSkewed"),
    };
    if (credentialCodes.contains(code))
        return ErrorKind::Credentials;
    if (code.endsWith(QLatin1String(".NotFound")) || code.endsWith(QLatin1String("NotFoundException"))
        || code == QLatin1String("ResourceNotFoundException"))
        return ErrorKind::NotFound;
    if (code.isEmpty() && status == 404)
        return ErrorKind::NotFound;
    return ErrorKind::Service;
}

} // namespace

bool isThrottlingCode(const QString& code)
{
    static const QSet<QString> codes = {
        QStringLiteral("Throttling"),
        QStringLiteral("ThrottlingException"),
        QStringLiteral("ThrottledException"),
        QStringLiteral("RequestThrottledException"),
        QStringLiteral("TooManyRequestsException"),
        QStringLiteral("ProvisionedThroughputExceededException"),
        QStringLiteral("TransactionInProgressException"),
        QStringLiteral("RequestLimitExceeded"),
        QStringLiteral("BandwidthLimitExceeded"),
        QStringLiteral("LimitExceededException"),
        QStringLiteral("RequestThrottled"),
        QStringLiteral("SlowDown"),
        QStringLiteral("PriorRequestNotComplete"),
        QStringLiteral("EC2ThrottledException"),
    };
    return codes.contains(code);
}

bool isClockSkewError(const Error& error)
{
    static const QSet<QString> codes = {
        QStringLiteral("RequestTimeTooSkewed"),
        QStringLiteral("RequestExpired"),
        QStringLiteral("InvalidSignatureException"),
        QStringLiteral("RequestInTheFuture"),
        QStringLiteral("AuthFailure"),
    };
    if (codes.contains(error.awsCode))
        return true;
    return error.awsCode == QLatin1String("SignatureDoesNotMatch")
        && (error.message.contains(QLatin1String("Signature expired"), Qt::CaseInsensitive)
            || error.message.contains(QLatin1String("not yet current"), Qt::CaseInsensitive));
}

QString hintForAwsError(const QString& code, const QString& message, const AwsRequest& request)
{
    const QString action = request.iamAction.isEmpty() ? request.operation : request.iamAction;
    if (code == QLatin1String("UnauthorizedOperation") || code == QLatin1String("AccessDenied")
        || code == QLatin1String("AccessDeniedException") || code == QLatin1String("AuthException")) {
        return QStringLiteral("Your IAM identity is not allowed to call %1. Ask an administrator to allow the "
                              "action \"%1\" for your user or role (check with `bastionless-cli whoami`).")
            .arg(action.isEmpty() ? QStringLiteral("this operation") : action);
    }
    if (code == QLatin1String("AuthFailure") || code == QLatin1String("InvalidClientTokenId")
        || code == QLatin1String("UnrecognizedClientException")) {
        return QStringLiteral("AWS does not accept these credentials: the access key may be wrong, deactivated or "
                              "deleted, or a temporary key is used without its session token. Check the "
                              "profile's keys, and that the system clock is correct.");
    }
    if (code == QLatin1String("SignatureDoesNotMatch") || code == QLatin1String("InvalidSignatureException")) {
        if (message.contains(QLatin1String("expired"), Qt::CaseInsensitive)
            || message.contains(QLatin1String("not yet current"), Qt::CaseInsensitive))
            return QStringLiteral("The system clock differs from AWS's by more than 5 minutes. Set the clock "
                                  "(e.g. `timedatectl set-ntp true`).");
        return QStringLiteral("The secret access key does not match the access key id. Check the secret in the "
                              "profile or in AWS_SECRET_ACCESS_KEY.");
    }
    if (code == QLatin1String("RequestExpired") || code == QLatin1String("RequestTimeTooSkewed")
        || code == QLatin1String("RequestInTheFuture")) {
        return QStringLiteral("The request's time is too far from AWS's clock, or the temporary credentials have "
                              "expired. Check the system clock (`timedatectl`) and refresh the credentials.");
    }
    if (code == QLatin1String("ExpiredToken") || code == QLatin1String("ExpiredTokenException")
        || code == QLatin1String("UnauthorizedException")) {
        return QStringLiteral("The session has expired. Log in again (`bastionless-cli login`) or refresh the "
                              "temporary credentials.");
    }
    if (isThrottlingCode(code)) {
        return QStringLiteral("AWS is throttling this account's API calls. Wait a minute and try again, or "
                              "query fewer regions at once.");
    }
    if (code == QLatin1String("OptInRequired")) {
        return QStringLiteral("This region is not enabled for the account, or the account is not subscribed to "
                              "the service. Enable the region in the AWS console or choose another region.");
    }
    if (code.startsWith(QLatin1String("InvalidInstanceID")) || code == QLatin1String("EC2InstanceNotFoundException")) {
        return QStringLiteral("Check the instance id and the region (--region); a just-launched instance can take "
                              "a few seconds to appear.");
    }
    if (code == QLatin1String("IncorrectInstanceState") || code == QLatin1String("EC2InstanceStateInvalidException")) {
        return QStringLiteral("The instance is not in a state that allows this; start it first, or wait until it "
                              "is running.");
    }
    if (code == QLatin1String("EC2InstanceUnavailableException")) {
        return QStringLiteral("The instance is temporarily unavailable; try again in a few minutes.");
    }
    if (code == QLatin1String("InternalError") || code == QLatin1String("Unavailable")
        || code == QLatin1String("ServiceUnavailable") || code == QLatin1String("InternalFailure")
        || code == QLatin1String("ServiceException")) {
        return QStringLiteral("AWS had an internal problem; try again in a moment.");
    }
    return {};
}

Error parseAwsError(AwsProtocol protocol, int httpStatus, const QByteArray& body,
                    const QList<QPair<QByteArray, QByteArray>>& headers, const AwsRequest& request)
{
    Parsed p;
    switch (protocol) {
    case AwsProtocol::Ec2Query:
    case AwsProtocol::Query:
        p = parseXml(body);
        if (p.code.isEmpty())
            p = parseJson(body, findHeader(headers, "x-amzn-ErrorType"));
        break;
    case AwsProtocol::Json:
    case AwsProtocol::RestJson:
        p = parseJson(body, findHeader(headers, "x-amzn-ErrorType"));
        if (p.code.isEmpty())
            p = parseXml(body);
        break;
    }
    if (p.requestId.isEmpty()) {
        p.requestId = QString::fromLatin1(findHeader(headers, "x-amzn-RequestId"));
        if (p.requestId.isEmpty())
            p.requestId = QString::fromLatin1(findHeader(headers, "x-amz-request-id"));
    }

    Error e;
    e.httpStatus = httpStatus;
    e.awsCode = p.code;
    e.requestId = p.requestId;
    const QString op = request.operation.isEmpty() ? QStringLiteral("the request") : request.operation;
    if (p.code.isEmpty()) {
        e.kind = httpStatus == 404 ? ErrorKind::NotFound : ErrorKind::Service;
        e.message =
            QStringLiteral("%1 failed with HTTP %2 and an answer that is not an AWS error").arg(op).arg(httpStatus);
        e.hint = httpStatus >= 500 ? QStringLiteral("AWS or a proxy in between had a problem; try again in a moment.")
                                   : QStringLiteral("Check the endpoint URL settings (AWS_ENDPOINT_URL, endpoint_url) "
                                                    "and any proxy (HTTPS_PROXY).");
        return e;
    }
    e.kind = kindForCode(p.code, httpStatus);
    e.message = p.message.isEmpty() ? QStringLiteral("%1 failed: %2").arg(op, p.code)
                                    : QStringLiteral("%1 failed: %2: %3").arg(op, p.code, p.message);
    e.hint = hintForAwsError(p.code, p.message, request);
    return e;
}

} // namespace bl
