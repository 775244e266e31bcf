#include "StsService.h"

#include "ProtocolErrors.h"

#include <QCryptographicHash>
#include <QRegularExpression>

namespace fakeaws {

namespace {

const QByteArray kXmlns = QByteArrayLiteral("https://sts.amazonaws.com/doc/2011-06-15/");

QByteArray param(const Params& params, const char* name)
{
    for (const auto& p : params) {
        if (p.first == name)
            return p.second;
    }
    return {};
}

bool hasParam(const Params& params, const char* name)
{
    for (const auto& p : params) {
        if (p.first == name)
            return true;
    }
    return false;
}

HttpResponse xmlOk(const QByteArray& body)
{
    HttpResponse r;
    r.contentType = QByteArrayLiteral("text/xml");
    r.body = body;
    return r;
}

HttpResponse validationError(const QString& message, const QString& requestId)
{
    return queryError(400, "ValidationError", message, requestId);
}

QByteArray metadata(const QString& requestId)
{
    return QByteArrayLiteral("  <ResponseMetadata>\n    <RequestId>") + xmlEscape(requestId)
        + QByteArrayLiteral("</RequestId>\n  </ResponseMetadata>\n");
}

// A stable role id per role ARN, the way IAM keeps one per role.
QString roleIdFor(const QString& roleArn)
{
    const QByteArray digest = QCryptographicHash::hash(roleArn.toUtf8(), QCryptographicHash::Sha1);
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    QString id = QStringLiteral("AROA");
    for (int i = 0; i < 17; ++i)
        id.append(QLatin1Char(alphabet[static_cast<unsigned char>(digest.at(i)) % 32]));
    return id;
}

} // namespace

StsService::StsService(Identities& identities)
    : m_identities(identities)
{ }

HttpResponse StsService::handle(const HttpRequest& request, const CallContext& context)
{
    const Params params = request.query + request.formParams();
    const QByteArray action = param(params, "Action");
    if (action == "GetCallerIdentity")
        return getCallerIdentity(context);
    if (action == "AssumeRole")
        return assumeRole(params, context);
    return ProtocolErrors::unknownOperation(Protocol::Query, QString::fromUtf8(action), context.requestId);
}

HttpResponse StsService::getCallerIdentity(const CallContext& context) const
{
    const std::optional<Identity> id = m_identities.find(context.accessKeyId);
    if (!id)
        return queryError(403, "InvalidClientTokenId",
                          QStringLiteral("The security token included in the request is invalid."), context.requestId);
    return xmlOk(QByteArrayLiteral("<GetCallerIdentityResponse xmlns=\"") + kXmlns
                 + QByteArrayLiteral("\">\n  <GetCallerIdentityResult>\n    <Arn>") + xmlEscape(id->arn)
                 + QByteArrayLiteral("</Arn>\n    <UserId>") + xmlEscape(id->userId)
                 + QByteArrayLiteral("</UserId>\n    <Account>") + xmlEscape(id->accountId)
                 + QByteArrayLiteral("</Account>\n  </GetCallerIdentityResult>\n") + metadata(context.requestId)
                 + QByteArrayLiteral("</GetCallerIdentityResponse>\n"));
}

HttpResponse StsService::assumeRole(const Params& params, const CallContext& context)
{
    static const QRegularExpression arnPattern(
        QStringLiteral("^arn:aws(?:-cn|-us-gov)?:iam::(\\d{12}):role/(?:[\\w+=,.@-]+/)*([\\w+=,.@-]{1,64})$"));
    static const QRegularExpression sessionPattern(QStringLiteral("^[\\w+=,.@-]{2,64}$"));
    static const QRegularExpression tokenCodePattern(QStringLiteral("^\\d{6}$"));

    const QString roleArn = QString::fromUtf8(param(params, "RoleArn"));
    const QString sessionName = QString::fromUtf8(param(params, "RoleSessionName"));
    const QString rid = context.requestId;
    if (roleArn.isEmpty())
        return validationError(QStringLiteral("1 validation error detected: Value null at 'roleArn' failed to "
                                              "satisfy constraint: Member must not be null"),
                               rid);
    const QRegularExpressionMatch arn = arnPattern.match(roleArn);
    if (!arn.hasMatch())
        return validationError(QStringLiteral("%1 is invalid").arg(roleArn), rid);
    if (sessionName.isEmpty())
        return validationError(QStringLiteral("1 validation error detected: Value null at 'roleSessionName' failed "
                                              "to satisfy constraint: Member must not be null"),
                               rid);
    if (!sessionPattern.match(sessionName).hasMatch())
        return validationError(QStringLiteral("1 validation error detected: Value '%1' at 'roleSessionName' failed "
                                              "to satisfy constraint: Member must have length between 2 and 64 and "
                                              "match pattern [\\w+=,.@-]*")
                                   .arg(sessionName),
                               rid);

    int duration = 3600;
    if (hasParam(params, "DurationSeconds")) {
        bool ok = false;
        duration = param(params, "DurationSeconds").toInt(&ok);
        if (!ok || duration < 900 || duration > 43200)
            return validationError(QStringLiteral("1 validation error detected: Value '%1' at 'durationSeconds' "
                                                  "failed to satisfy constraint: Member must have value between 900 "
                                                  "and 43200")
                                       .arg(QString::fromUtf8(param(params, "DurationSeconds"))),
                                   rid);
    }
    const std::optional<Identity> caller = m_identities.find(context.accessKeyId);
    if (caller && caller->isAssumedRole() && duration > 3600)
        return validationError(QStringLiteral("The requested DurationSeconds exceeds the 1 hour session limit for "
                                              "roles assumed by role chaining."),
                               rid);

    const QString accountId = arn.captured(1);
    const QString roleName = arn.captured(2);
    const QString notAuthorized =
        QStringLiteral("User: %1 is not authorized to perform: sts:AssumeRole on resource: %2")
            .arg(context.principalArn, roleArn);
    if (roleName.contains(QLatin1String("Denied"), Qt::CaseInsensitive))
        return queryError(403, "AccessDenied", notAuthorized, rid);
    if (roleName.contains(QLatin1String("Mfa"), Qt::CaseInsensitive)) {
        const QByteArray serial = param(params, "SerialNumber");
        const QByteArray code = param(params, "TokenCode");
        if (!code.isEmpty() && !tokenCodePattern.match(QString::fromUtf8(code)).hasMatch())
            return validationError(QStringLiteral("1 validation error detected: Value at 'tokenCode' failed to "
                                                  "satisfy constraint: Member must have length 6 and match pattern "
                                                  "[\\d]*"),
                                   rid);
        if (serial.isEmpty() || code.isEmpty())
            return queryError(403, "AccessDenied",
                              QStringLiteral("MultiFactorAuthentication failed, unable to validate MFA code. Please "
                                             "verify your MFA serial number is valid and associated with this user."),
                              rid);
        if (QString::fromUtf8(code) != m_mfaCode)
            return queryError(403, "AccessDenied",
                              QStringLiteral("MultiFactorAuthentication failed with invalid MFA one time pass code. "),
                              rid);
    }
    if (roleName.contains(QLatin1String("External"), Qt::CaseInsensitive)
        && QString::fromUtf8(param(params, "ExternalId")) != m_externalId)
        return queryError(403, "AccessDenied", notAuthorized, rid);

    const QString assumedArn =
        QStringLiteral("arn:aws:sts::%1:assumed-role/%2/%3").arg(accountId, roleName, sessionName);
    const QString assumedId = roleIdFor(roleArn) + QLatin1Char(':') + sessionName;
    const QDateTime expiration = context.now.addSecs(duration);
    const Identity issued = m_identities.issueTemporary(accountId, assumedArn, assumedId, expiration);

    const bool hasPolicy = hasParam(params, "Policy") || hasParam(params, "PolicyArns.member.1.arn");
    QByteArray body = QByteArrayLiteral("<AssumeRoleResponse xmlns=\"") + kXmlns
        + QByteArrayLiteral("\">\n  <AssumeRoleResult>\n    <AssumedRoleUser>\n      <AssumedRoleId>")
        + xmlEscape(assumedId) + QByteArrayLiteral("</AssumedRoleId>\n      <Arn>") + xmlEscape(assumedArn)
        + QByteArrayLiteral("</Arn>\n    </AssumedRoleUser>\n    <Credentials>\n      <AccessKeyId>")
        + xmlEscape(issued.accessKeyId) + QByteArrayLiteral("</AccessKeyId>\n      <SecretAccessKey>")
        + xmlEscape(issued.secretAccessKey) + QByteArrayLiteral("</SecretAccessKey>\n      <SessionToken>")
        + xmlEscape(issued.sessionToken) + QByteArrayLiteral("</SessionToken>\n      <Expiration>")
        + expiration.toUTC().toString(Qt::ISODate).toLatin1()
        + QByteArrayLiteral("</Expiration>\n    </Credentials>\n");
    if (hasPolicy)
        body += QByteArrayLiteral("    <PackedPolicySize>6</PackedPolicySize>\n");
    body += QByteArrayLiteral("  </AssumeRoleResult>\n") + metadata(rid) + QByteArrayLiteral("</AssumeRoleResponse>\n");
    return xmlOk(body);
}

} // namespace fakeaws
