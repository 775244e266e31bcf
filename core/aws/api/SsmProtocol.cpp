#include "core/aws/api/SsmProtocol.h"

#include "core/aws/api/JsonReader.h"
#include "core/aws/api/JsonWriter.h"

#include <QJsonArray>

namespace bl {

AwsRequest SsmProtocol::describeInstanceInformation(const QList<SsmFilter>& filters, int maxResults,
                                                    const QString& nextToken)
{
    JsonWriter w;
    w.beginObject();
    if (!filters.isEmpty()) {
        w.key(QStringLiteral("Filters")).beginArray();
        for (const SsmFilter& f : filters) {
            w.beginObject();
            w.key(QStringLiteral("Key")).value(f.key);
            w.key(QStringLiteral("Values")).value(f.values);
            w.endObject();
        }
        w.endArray();
    }
    if (maxResults > 0)
        w.key(QStringLiteral("MaxResults")).value(qint64(maxResults));
    if (!nextToken.isEmpty())
        w.key(QStringLiteral("NextToken")).value(nextToken);
    w.endObject();
    return JsonReader::request(QStringLiteral("ssm"), QStringLiteral("AmazonSSM"),
                               QStringLiteral("DescribeInstanceInformation"),
                               QStringLiteral("ssm:DescribeInstanceInformation"), w.data());
}

Result<Page<InstanceInformation>> SsmProtocol::parseDescribeInstanceInformation(const QByteArray& body)
{
    const QString what = QStringLiteral("SSM DescribeInstanceInformation");
    auto object = JsonReader::parseObject(body, what);
    if (!object)
        return object.error();
    const QJsonValue list = object->value(QLatin1String("InstanceInformationList"));
    if (!list.isUndefined() && !list.isNull() && !list.isArray())
        return JsonReader::parseError(what, QStringLiteral("InstanceInformationList is not a list"));
    Page<InstanceInformation> page;
    for (const QJsonValue& v : list.toArray()) {
        if (!v.isObject())
            return JsonReader::parseError(what, QStringLiteral("an InstanceInformationList entry is not an object"));
        const QJsonObject o = v.toObject();
        InstanceInformation info;
        info.instanceId = o.value(QLatin1String("InstanceId")).toString();
        if (info.instanceId.isEmpty())
            return JsonReader::parseError(what, QStringLiteral("an entry has no InstanceId"));
        info.pingStatus = o.value(QLatin1String("PingStatus")).toString();
        info.agentVersion = o.value(QLatin1String("AgentVersion")).toString();
        info.isLatestVersion = o.value(QLatin1String("IsLatestVersion")).toBool();
        info.platformType = o.value(QLatin1String("PlatformType")).toString();
        info.platformName = o.value(QLatin1String("PlatformName")).toString();
        info.platformVersion = o.value(QLatin1String("PlatformVersion")).toString();
        info.resourceType = o.value(QLatin1String("ResourceType")).toString();
        info.ipAddress = o.value(QLatin1String("IPAddress")).toString();
        info.computerName = o.value(QLatin1String("ComputerName")).toString();
        info.lastPing = JsonReader::epochSeconds(o.value(QLatin1String("LastPingDateTime")));
        page.items.append(std::move(info));
    }
    page.nextToken = object->value(QLatin1String("NextToken")).toString();
    return page;
}

namespace {

Result<SsmSessionTicket> parseTicket(const QByteArray& body, const QString& what, bool tokenRequired)
{
    auto object = JsonReader::parseObject(body, what);
    if (!object)
        return object.error();
    SsmSessionTicket ticket;
    const QJsonValue id = object->value(QLatin1String("SessionId"));
    const QJsonValue token = object->value(QLatin1String("TokenValue"));
    const QJsonValue url = object->value(QLatin1String("StreamUrl"));
    for (const QJsonValue& v : {id, token, url}) {
        if (!v.isUndefined() && !v.isNull() && !v.isString())
            return JsonReader::parseError(what, QStringLiteral("SessionId, TokenValue and StreamUrl must be strings"));
    }
    ticket.sessionId = id.toString();
    ticket.tokenValue = token.toString();
    ticket.streamUrl = url.toString();
    if (tokenRequired) {
        if (ticket.sessionId.isEmpty())
            return JsonReader::parseError(what, QStringLiteral("the answer has no SessionId"));
        if (ticket.tokenValue.isEmpty())
            return JsonReader::parseError(what, QStringLiteral("the answer has no TokenValue"));
        if (ticket.streamUrl.isEmpty())
            return JsonReader::parseError(what, QStringLiteral("the answer has no StreamUrl"));
    }
    return ticket;
}

QByteArray sessionIdBody(const QString& sessionId)
{
    JsonWriter w;
    w.beginObject();
    w.key(QStringLiteral("SessionId")).value(sessionId);
    w.endObject();
    return w.data();
}

} // namespace

AwsRequest SsmProtocol::startSession(const QString& target, const QString& documentName,
                                     const SsmSessionParameters& parameters, const QString& reason)
{
    JsonWriter w;
    w.beginObject();
    w.key(QStringLiteral("Target")).value(target);
    if (!documentName.isEmpty())
        w.key(QStringLiteral("DocumentName")).value(documentName);
    if (!parameters.isEmpty()) {
        w.key(QStringLiteral("Parameters")).beginObject();
        for (auto it = parameters.cbegin(); it != parameters.cend(); ++it)
            w.key(it.key()).value(it.value());
        w.endObject();
    }
    if (!reason.isEmpty())
        w.key(QStringLiteral("Reason")).value(reason.left(maxReasonLength));
    w.endObject();
    return JsonReader::request(QStringLiteral("ssm"), QStringLiteral("AmazonSSM"), QStringLiteral("StartSession"),
                               QStringLiteral("ssm:StartSession"), w.data());
}

Result<SsmSessionTicket> SsmProtocol::parseStartSession(const QByteArray& body)
{
    return parseTicket(body, QStringLiteral("SSM StartSession"), true);
}

AwsRequest SsmProtocol::resumeSession(const QString& sessionId)
{
    return JsonReader::request(QStringLiteral("ssm"), QStringLiteral("AmazonSSM"), QStringLiteral("ResumeSession"),
                               QStringLiteral("ssm:ResumeSession"), sessionIdBody(sessionId));
}

Result<SsmSessionTicket> SsmProtocol::parseResumeSession(const QByteArray& body)
{
    return parseTicket(body, QStringLiteral("SSM ResumeSession"), false);
}

AwsRequest SsmProtocol::terminateSession(const QString& sessionId)
{
    return JsonReader::request(QStringLiteral("ssm"), QStringLiteral("AmazonSSM"), QStringLiteral("TerminateSession"),
                               QStringLiteral("ssm:TerminateSession"), sessionIdBody(sessionId));
}

Result<QString> SsmProtocol::parseTerminateSession(const QByteArray& body)
{
    const QString what = QStringLiteral("SSM TerminateSession");
    auto object = JsonReader::parseObject(body, what);
    if (!object)
        return object.error();
    const QJsonValue id = object->value(QLatin1String("SessionId"));
    if (!id.isUndefined() && !id.isNull() && !id.isString())
        return JsonReader::parseError(what, QStringLiteral("SessionId is not a string"));
    return id.toString();
}

Error SsmProtocol::explainSessionError(const Error& error, const QString& operation, const QString& target,
                                       const QString& documentName, const QString& sessionId)
{
    Error e = error;
    const QString code = error.awsCode;
    const QString detail = error.message.isEmpty() ? QString() : QStringLiteral(" (AWS: %1)").arg(error.message);
    const bool start = operation == QLatin1String("StartSession");
    const QString document = documentName.isEmpty() ? QStringLiteral("SSM-SessionManagerRunShell") : documentName;
    if (code == QLatin1String("TargetNotConnected")) {
        e.message = QStringLiteral("Session Manager cannot reach %1: its SSM agent is not connected%2")
                        .arg(target.isEmpty() ? QStringLiteral("the instance") : target, detail);
        e.hint = QStringLiteral(
            "Check that the instance is running in this account and region, that the SSM agent runs and shows as "
            "Online (`bastionless-cli list` shows SSM reachability), that its instance profile allows "
            "ssmmessages:CreateControlChannel/OpenControlChannel/CreateDataChannel/OpenDataChannel and "
            "ssm:UpdateInstanceInformation, and that it can reach the ssm and ssmmessages endpoints (NAT or VPC "
            "endpoints). Or use EC2 Instance Connect Endpoint for ports 22 and 3389.");
    } else if (code == QLatin1String("AccessDeniedException") || code == QLatin1String("AccessDenied")) {
        if (start) {
            e.message = QStringLiteral("Not allowed to start a Session Manager session to %1 with document %2%3")
                            .arg(target.isEmpty() ? QStringLiteral("the instance") : target, document, detail);
            e.hint = QStringLiteral(
                         "Your IAM identity needs ssm:StartSession on the instance (arn:aws:ec2:<region>:<account>:"
                         "instance/%1) and on the document (arn:aws:ssm:<region>::document/%2), and "
                         "ssm:TerminateSession / ssm:ResumeSession on its own sessions. Ask an administrator, and "
                         "check the identity with `bastionless-cli whoami`.")
                         .arg(target.isEmpty() ? QStringLiteral("<instance id>") : target, document);
        } else {
            const QString action = QStringLiteral("ssm:") + operation;
            e.message = QStringLiteral("Not allowed to call %1 for session %2%3").arg(action, sessionId, detail);
            e.hint = QStringLiteral("Your IAM identity needs %1 on its sessions (arn:aws:ssm:<region>:<account>:"
                                    "session/${aws:userid}-*). Ask an administrator.")
                         .arg(action);
        }
    } else if (code == QLatin1String("DoesNotExistException")) {
        e.kind = ErrorKind::NotFound;
        if (start) {
            e.message = QStringLiteral("Session Manager does not know the target %1%2")
                            .arg(target.isEmpty() ? QStringLiteral("instance") : target, detail);
            e.hint = QStringLiteral("Check the instance id and the region; the instance must be managed by Systems "
                                    "Manager in this account and region.");
        } else {
            e.message = QStringLiteral("Session %1 no longer exists%2").arg(sessionId, detail);
            e.hint = QStringLiteral("The session ended or timed out (the idle timeout is set in the Session Manager "
                                    "preferences). Start a new session.");
        }
    } else if (code == QLatin1String("InvalidDocument")) {
        e.message = QStringLiteral("The SSM document %1 cannot be used for a session%2").arg(document, detail);
        e.hint = QStringLiteral("Use one of the AWS session documents (AWS-StartPortForwardingSession, "
                                "AWS-StartPortForwardingSessionToRemoteHost, AWS-StartSSHSession) or check the "
                                "name and region of your own Session document.");
    } else if (code == QLatin1String("ValidationException") && start) {
        e.message = QStringLiteral("Session Manager refused the session parameters for %1%2")
                        .arg(target.isEmpty() ? QStringLiteral("the instance") : target, detail);
        e.hint = QStringLiteral("Check the remote port (1-65535), the remote host name and the instance id.");
    }
    return e;
}

} // namespace bl
