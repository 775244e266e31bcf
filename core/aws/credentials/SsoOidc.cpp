#include "core/aws/credentials/SsoOidc.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace bl {

namespace {

AwsRequest jsonPost(const char* operation, const QByteArray& path, const QJsonObject& body)
{
    AwsRequest r;
    r.signingName = QStringLiteral("sso-oauth");
    r.operation = QString::fromLatin1(operation);
    r.protocol = AwsProtocol::RestJson;
    r.method = "POST";
    r.path = path;
    r.headers.append(qMakePair(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")));
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    r.sign = false;
    return r;
}

Result<QJsonObject> parseObject(const QByteArray& body, const char* operation)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        return Error::make(ErrorKind::Parse,
                           QStringLiteral("IAM Identity Center %1 answered with something that is not a JSON object")
                               .arg(QLatin1String(operation)),
                           QStringLiteral("Check the sso-oidc endpoint settings (AWS_ENDPOINT_URL_SSO_OIDC) and any "
                                          "proxy in between."));
    }
    return doc.object();
}

Error missingField(const char* operation, const char* field)
{
    return Error::make(ErrorKind::Parse,
                       QStringLiteral("IAM Identity Center %1 answered without \"%2\"")
                           .arg(QLatin1String(operation), QLatin1String(field)));
}

} // namespace

AwsRequest SsoOidc::registerClientRequest(const QString& clientName, const std::optional<QStringList>& scopes,
                                          const QStringList& grantTypes)
{
    QJsonObject o;
    o.insert(QStringLiteral("clientName"), clientName);
    o.insert(QStringLiteral("clientType"), QStringLiteral("public"));
    if (scopes && !scopes->isEmpty())
        o.insert(QStringLiteral("scopes"), QJsonArray::fromStringList(*scopes));
    if (!grantTypes.isEmpty())
        o.insert(QStringLiteral("grantTypes"), QJsonArray::fromStringList(grantTypes));
    return jsonPost("RegisterClient", "/client/register", o);
}

AwsRequest SsoOidc::deviceAuthorizationRequest(const QString& clientId, const QString& clientSecret,
                                               const QString& startUrl)
{
    QJsonObject o;
    o.insert(QStringLiteral("clientId"), clientId);
    o.insert(QStringLiteral("clientSecret"), clientSecret);
    o.insert(QStringLiteral("startUrl"), startUrl);
    return jsonPost("StartDeviceAuthorization", "/device_authorization", o);
}

AwsRequest SsoOidc::deviceTokenRequest(const QString& clientId, const QString& clientSecret, const QString& deviceCode)
{
    QJsonObject o;
    o.insert(QStringLiteral("clientId"), clientId);
    o.insert(QStringLiteral("clientSecret"), clientSecret);
    o.insert(QStringLiteral("grantType"), QLatin1String(DeviceCodeGrant));
    o.insert(QStringLiteral("deviceCode"), deviceCode);
    return jsonPost("CreateToken", "/token", o);
}

AwsRequest SsoOidc::refreshTokenRequest(const QString& clientId, const QString& clientSecret,
                                        const QString& refreshToken)
{
    QJsonObject o;
    o.insert(QStringLiteral("clientId"), clientId);
    o.insert(QStringLiteral("clientSecret"), clientSecret);
    o.insert(QStringLiteral("grantType"), QStringLiteral("refresh_token"));
    o.insert(QStringLiteral("refreshToken"), refreshToken);
    return jsonPost("CreateToken", "/token", o);
}

Result<OidcRegistration> SsoOidc::parseRegistration(const QByteArray& body)
{
    const auto o = parseObject(body, "RegisterClient");
    if (!o.ok())
        return o.error();
    OidcRegistration r;
    r.clientId = o->value(QLatin1String("clientId")).toString();
    r.clientSecret = o->value(QLatin1String("clientSecret")).toString();
    if (r.clientId.isEmpty())
        return missingField("RegisterClient", "clientId");
    if (r.clientSecret.isEmpty())
        return missingField("RegisterClient", "clientSecret");
    const QJsonValue exp = o->value(QLatin1String("clientSecretExpiresAt"));
    if (!exp.isDouble())
        return missingField("RegisterClient", "clientSecretExpiresAt");
    // Epoch seconds, unlike the milliseconds of GetRoleCredentials.
    r.clientSecretExpiresAt = QDateTime::fromSecsSinceEpoch(static_cast<qint64>(exp.toDouble()), Qt::UTC);
    return r;
}

Result<DeviceAuthorization> SsoOidc::parseDeviceAuthorization(const QByteArray& body)
{
    const auto o = parseObject(body, "StartDeviceAuthorization");
    if (!o.ok())
        return o.error();
    DeviceAuthorization d;
    d.deviceCode = o->value(QLatin1String("deviceCode")).toString();
    d.userCode = o->value(QLatin1String("userCode")).toString();
    d.verificationUri = o->value(QLatin1String("verificationUri")).toString();
    d.verificationUriComplete = o->value(QLatin1String("verificationUriComplete")).toString();
    d.expiresInSecs = o->value(QLatin1String("expiresIn")).toInt();
    d.intervalSecs = o->value(QLatin1String("interval")).toInt(5);
    if (d.intervalSecs <= 0)
        d.intervalSecs = 5;
    if (d.deviceCode.isEmpty())
        return missingField("StartDeviceAuthorization", "deviceCode");
    if (d.userCode.isEmpty())
        return missingField("StartDeviceAuthorization", "userCode");
    if (d.verificationUri.isEmpty() && d.verificationUriComplete.isEmpty())
        return missingField("StartDeviceAuthorization", "verificationUri");
    if (d.expiresInSecs <= 0)
        return missingField("StartDeviceAuthorization", "expiresIn");
    return d;
}

Result<OidcToken> SsoOidc::parseToken(const QByteArray& body)
{
    const auto o = parseObject(body, "CreateToken");
    if (!o.ok())
        return o.error();
    OidcToken t;
    t.accessToken = o->value(QLatin1String("accessToken")).toString();
    t.tokenType = o->value(QLatin1String("tokenType")).toString();
    t.expiresInSecs = o->value(QLatin1String("expiresIn")).toInt();
    t.refreshToken = o->value(QLatin1String("refreshToken")).toString();
    if (t.accessToken.isEmpty())
        return missingField("CreateToken", "accessToken");
    if (t.expiresInSecs <= 0)
        return missingField("CreateToken", "expiresIn");
    return t;
}

QString SsoOidc::oauthError(const Error& error)
{
    QString code = error.awsCode;
    if (code.endsWith(QLatin1String("Exception")))
        code.chop(9);
    // CamelCase -> snake_case; snake case passes through unchanged.
    static const QRegularExpression boundary(QStringLiteral("([a-z0-9])([A-Z])"));
    code.replace(boundary, QStringLiteral("\\1_\\2"));
    return code.toLower();
}

void SsoOidc::send(AwsHttpClient& http, const QUrl& endpoint, const AwsRequest& request, QObject* context,
                   Callback<AwsResponse> done)
{
    http.send(request, endpoint, QString(), std::nullopt, context, std::move(done));
}

} // namespace bl
