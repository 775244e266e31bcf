#include "core/aws/credentials/StsAssumeRole.h"

#include "core/aws/base/SigV4.h"
#include "core/aws/credentials/Timestamps.h"

#include <QXmlStreamReader>

namespace bl {

AwsRequest StsAssumeRole::buildRequest(const AssumeRoleParams& p)
{
    AwsRequest r;
    r.signingName = QStringLiteral("sts");
    r.operation = QStringLiteral("AssumeRole");
    r.iamAction = QStringLiteral("sts:AssumeRole");
    r.protocol = AwsProtocol::Query;
    r.method = "POST";
    r.path = "/";
    r.headers.append(qMakePair(QByteArrayLiteral("Content-Type"),
                               QByteArrayLiteral("application/x-www-form-urlencoded; charset=utf-8")));

    QList<QPair<QByteArray, QByteArray>> form;
    form.append(qMakePair(QByteArrayLiteral("Action"), QByteArrayLiteral("AssumeRole")));
    form.append(qMakePair(QByteArrayLiteral("Version"), QByteArrayLiteral("2011-06-15")));
    form.append({"RoleArn", p.roleArn.toUtf8()});
    form.append({"RoleSessionName", p.roleSessionName.toUtf8()});
    if (p.durationSeconds)
        form.append({"DurationSeconds", QByteArray::number(*p.durationSeconds)});
    if (!p.externalId.isEmpty())
        form.append({"ExternalId", p.externalId.toUtf8()});
    if (!p.serialNumber.isEmpty())
        form.append({"SerialNumber", p.serialNumber.toUtf8()});
    if (!p.tokenCode.isEmpty())
        form.append({"TokenCode", p.tokenCode.toUtf8()});
    if (!p.policy.isEmpty())
        form.append({"Policy", p.policy.toUtf8()});
    if (!p.sourceIdentity.isEmpty())
        form.append({"SourceIdentity", p.sourceIdentity.toUtf8()});
    for (const auto& [k, v] : std::as_const(form)) {
        if (!r.body.isEmpty())
            r.body += '&';
        r.body += sigv4::uriEncode(k) + '=' + sigv4::uriEncode(v);
    }
    return r;
}

Result<AssumedRole> StsAssumeRole::parseResponse(const QByteArray& xml)
{
    AssumedRole out;
    QString expiration;
    QXmlStreamReader reader(xml);
    QString parent;
    bool sawResult = false;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isEndElement()
            && (reader.name() == QLatin1String("Credentials") || reader.name() == QLatin1String("AssumedRoleUser")))
            parent.clear();
        if (!reader.isStartElement())
            continue;
        const auto name = reader.name();
        if (name == QLatin1String("AssumeRoleResult")) {
            sawResult = true;
        } else if (name == QLatin1String("Credentials") || name == QLatin1String("AssumedRoleUser")) {
            parent = name.toString();
        } else if (parent == QLatin1String("Credentials")) {
            const QString text = reader.readElementText().trimmed();
            if (name == QLatin1String("AccessKeyId"))
                out.credentials.accessKeyId = text;
            else if (name == QLatin1String("SecretAccessKey"))
                out.credentials.secretAccessKey = text;
            else if (name == QLatin1String("SessionToken"))
                out.credentials.sessionToken = text;
            else if (name == QLatin1String("Expiration"))
                expiration = text;
        } else if (parent == QLatin1String("AssumedRoleUser")) {
            const QString text = reader.readElementText().trimmed();
            if (name == QLatin1String("Arn"))
                out.arn = text;
            else if (name == QLatin1String("AssumedRoleId"))
                out.assumedRoleId = text;
        } else if (name == QLatin1String("RequestId")) {
            out.requestId = reader.readElementText().trimmed();
        }
    }
    const auto bad = [](const QString& why) {
        return Error::make(ErrorKind::Parse,
                           QStringLiteral("STS AssumeRole answered in an unexpected form: %1").arg(why),
                           QStringLiteral("Check the STS endpoint settings (AWS_ENDPOINT_URL_STS, endpoint_url) and "
                                          "any proxy in between."));
    };
    if (reader.hasError())
        return bad(QStringLiteral("invalid XML (%1)").arg(reader.errorString()));
    if (!sawResult)
        return bad(QStringLiteral("no AssumeRoleResult element"));
    if (!out.credentials.isValid() || out.credentials.sessionToken.isEmpty())
        return bad(QStringLiteral("the credentials are incomplete"));
    const QDateTime exp = Timestamps::parseIso8601(expiration);
    if (!exp.isValid())
        return bad(QStringLiteral("the expiration \"%1\" is not a timestamp").arg(expiration));
    out.credentials.expiration = exp;
    out.credentials.accountId = accountFromArn(out.arn);
    return out;
}

Error StsAssumeRole::explain(Error e, const AssumeRoleParams& p)
{
    const QString code = e.awsCode;
    if (code == QLatin1String("AccessDenied")) {
        e.kind = ErrorKind::Credentials;
        QString hint = QStringLiteral("The source identity may not assume %1: it needs permission for sts:AssumeRole "
                                      "on that role, and the role's trust policy must allow the source identity")
                           .arg(p.roleArn);
        if (!p.serialNumber.isEmpty()) {
            hint += QStringLiteral(". If the MFA code was wrong or already used, wait for the next code and try again");
        } else if (e.message.contains(QLatin1String("MultiFactor"), Qt::CaseInsensitive)
                   || e.message.contains(QLatin1String("MFA"))) {
            hint += QStringLiteral(". The role seems to require MFA: add mfa_serial = <your MFA device ARN> to the "
                                   "profile");
        }
        if (p.externalId.isEmpty())
            hint += QStringLiteral(". If the role requires an external id, add external_id to the profile");
        else
            hint += QStringLiteral(". Check the profile's external_id");
        e.hint = hint + QLatin1Char('.');
    } else if (code == QLatin1String("ValidationError")) {
        e.kind = ErrorKind::Config;
        e.hint = QStringLiteral("Check the profile's role_arn, role_session_name (2-64 characters of [\\w+=,.@-]), "
                                "duration_seconds (900-43200, at most the role's maximum session duration) and "
                                "the MFA code (6 digits).");
    } else if (code == QLatin1String("RegionDisabledException")) {
        e.hint = QStringLiteral("STS is not activated in this region for the account: activate it in IAM (Account "
                                "settings) or set the profile's region to one where it is active.");
    } else if (code == QLatin1String("ExpiredToken") || code == QLatin1String("ExpiredTokenException")) {
        e.kind = ErrorKind::Credentials;
        e.hint = QStringLiteral("The source credentials used to assume %1 have expired; refresh them (log in "
                                "again) and retry.")
                     .arg(p.roleArn);
    }
    if (!e.message.contains(p.roleArn))
        e.message = QStringLiteral("Cannot assume role %1: %2").arg(p.roleArn, e.message);
    return e;
}

void StsAssumeRole::send(AwsHttpClient& http, const ResolvedEndpoint& endpoint, const Credentials& source,
                         const AssumeRoleParams& params, QObject* context, Callback<AssumedRole> done)
{
    http.send(buildRequest(params), endpoint.url, endpoint.signingRegion, source, context,
              [params, done = std::move(done)](Result<AwsResponse> r) {
                  if (!r.ok()) {
                      done(explain(r.error(), params));
                      return;
                  }
                  Result<AssumedRole> parsed = parseResponse(r->body);
                  if (parsed.ok() && parsed->requestId.isEmpty())
                      parsed->requestId = r->requestId;
                  done(std::move(parsed));
              });
}

QJsonObject StsAssumeRole::toCacheJson(const AssumedRole& role)
{
    QJsonObject creds;
    creds.insert(QStringLiteral("AccessKeyId"), role.credentials.accessKeyId);
    creds.insert(QStringLiteral("SecretAccessKey"), role.credentials.secretAccessKey);
    creds.insert(QStringLiteral("SessionToken"), role.credentials.sessionToken);
    if (role.credentials.expiration)
        creds.insert(QStringLiteral("Expiration"), Timestamps::formatUtc(*role.credentials.expiration));
    QJsonObject user;
    user.insert(QStringLiteral("AssumedRoleId"), role.assumedRoleId);
    user.insert(QStringLiteral("Arn"), role.arn);
    QJsonObject meta;
    meta.insert(QStringLiteral("RequestId"), role.requestId);
    QJsonObject o;
    o.insert(QStringLiteral("Credentials"), creds);
    o.insert(QStringLiteral("AssumedRoleUser"), user);
    o.insert(QStringLiteral("ResponseMetadata"), meta);
    return o;
}

std::optional<Credentials> StsAssumeRole::credentialsFromCacheJson(const QJsonObject& object)
{
    const QJsonObject c = object.value(QLatin1String("Credentials")).toObject();
    Credentials out;
    out.accessKeyId = c.value(QLatin1String("AccessKeyId")).toString();
    out.secretAccessKey = c.value(QLatin1String("SecretAccessKey")).toString();
    out.sessionToken = c.value(QLatin1String("SessionToken")).toString();
    const QDateTime exp = Timestamps::parseIso8601(c.value(QLatin1String("Expiration")).toString());
    if (!out.isValid() || !exp.isValid())
        return std::nullopt;
    out.expiration = exp;
    out.accountId = c.value(QLatin1String("AccountId")).toString();
    if (out.accountId.isEmpty())
        out.accountId = accountFromArn(
            object.value(QLatin1String("AssumedRoleUser")).toObject().value(QLatin1String("Arn")).toString());
    return out;
}

QString StsAssumeRole::accountFromArn(const QString& arn)
{
    // arn:partition:service:region:account:resource
    const QStringList parts = arn.split(QLatin1Char(':'));
    return parts.size() >= 6 ? parts.at(4) : QString();
}

} // namespace bl
