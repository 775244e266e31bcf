#include "OidcService.h"

#include "Identities.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimeZone>
#include <QUrl>

namespace fakeaws {

namespace {

const char* const kUrlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const QString kDeviceGrant = QStringLiteral("urn:ietf:params:oauth:grant-type:device_code");

// OIDC errors carry the OAuth code twice: the exception name in x-amzn-ErrorType and the snake-case `error`.
HttpResponse oidcError(int status, const QByteArray& type, const char* error, const QString& description)
{
    HttpResponse r;
    r.status = status;
    r.contentType = QByteArrayLiteral("application/json");
    r.headers.append({QByteArrayLiteral("x-amzn-ErrorType"), type});
    r.body = QJsonDocument(QJsonObject {{QStringLiteral("error"), QLatin1String(error)},
                                        {QStringLiteral("error_description"), description}})
                 .toJson(QJsonDocument::Compact);
    return r;
}

HttpResponse invalidRequest(const QString& description)
{
    return oidcError(400, "InvalidRequestException", "invalid_request", description);
}

HttpResponse jsonOk(const QJsonObject& object)
{
    HttpResponse r;
    r.contentType = QByteArrayLiteral("application/json");
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return r;
}

HttpResponse htmlPage(int status, const QString& title, const QString& text)
{
    HttpResponse r;
    r.status = status;
    r.contentType = QByteArrayLiteral("text/html; charset=utf-8");
    r.body = QByteArrayLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>") + xmlEscape(title)
        + QByteArrayLiteral("</title></head>\n<body style=\"font-family: sans-serif; margin: 3em\">\n<h1>")
        + xmlEscape(title) + QByteArrayLiteral("</h1>\n<p>") + xmlEscape(text)
        + QByteArrayLiteral("</p>\n<p><small>fakeaws - local AWS emulator</small></p>\n</body></html>\n");
    return r;
}

std::optional<QJsonObject> jsonBody(const HttpRequest& request)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

QStringList stringList(const QJsonValue& value)
{
    QStringList out;
    for (const QJsonValue& v : value.toArray())
        out.append(v.toString());
    return out;
}

QString queryValue(const HttpRequest& request, const char* name)
{
    for (const auto& p : request.query) {
        if (p.first == name)
            return QString::fromUtf8(p.second);
    }
    return {};
}

QString s256(const QString& verifier)
{
    const QByteArray digest = QCryptographicHash::hash(verifier.toUtf8(), QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// Loopback redirect URIs match whatever the port (RFC 8252 §7.3): the CLI registers one without a port.
bool sameRedirect(const QString& registered, const QString& requested)
{
    QUrl a(registered), b(requested);
    if (a.host() == QLatin1String("127.0.0.1") || a.host() == QLatin1String("localhost")) {
        a.setPort(-1);
        b.setPort(-1);
    }
    return a == b;
}

} // namespace

const OidcService::Client* OidcService::authenticate(const QJsonObject& body, HttpResponse* error) const
{
    const auto it = m_clients.constFind(body.value(QStringLiteral("clientId")).toString());
    if (it == m_clients.cend() || it->secret != body.value(QStringLiteral("clientSecret")).toString()) {
        *error = oidcError(401, "InvalidClientException", "invalid_client",
                           QStringLiteral("Invalid client id or client secret provided"));
        return nullptr;
    }
    return &*it;
}

HttpResponse OidcService::registerClient(const HttpRequest& request, const CallContext& context)
{
    const std::optional<QJsonObject> body = jsonBody(request);
    if (!body)
        return invalidRequest(QStringLiteral("The request body is not a JSON object"));
    if (body->value(QStringLiteral("clientName")).toString().isEmpty())
        return invalidRequest(QStringLiteral("clientName is required"));
    if (body->value(QStringLiteral("clientType")).toString() != QLatin1String("public"))
        return oidcError(400, "InvalidClientMetadataException", "invalid_client_metadata",
                         QStringLiteral("clientType must be \"public\""));

    Client client;
    client.secret = Identities::randomString(320, kUrlSafe);
    client.scopes = stringList(body->value(QStringLiteral("scopes")));
    client.grantTypes = stringList(body->value(QStringLiteral("grantTypes")));
    client.redirectUris = stringList(body->value(QStringLiteral("redirectUris")));
    client.secretExpiresAt = context.now.addDays(90);
    const QString clientId = Identities::randomString(22, kUrlSafe);
    m_clients.insert(clientId, client);
    return jsonOk({{QStringLiteral("clientId"), clientId},
                   {QStringLiteral("clientSecret"), client.secret},
                   {QStringLiteral("clientIdIssuedAt"), context.now.toSecsSinceEpoch()},
                   {QStringLiteral("clientSecretExpiresAt"), client.secretExpiresAt.toSecsSinceEpoch()}});
}

QString OidcService::newUserCode() const
{
    static const char letters[] = "BCDFGHJKLMNPQRSTVWXZ";
    QString code;
    for (int i = 0; i < 9; ++i)
        code.append(i == 4 ? QLatin1Char('-') : QLatin1Char(letters[QRandomGenerator::global()->bounded(20)]));
    return code;
}

HttpResponse OidcService::startDeviceAuthorization(const HttpRequest& request, const CallContext& context)
{
    const std::optional<QJsonObject> body = jsonBody(request);
    if (!body)
        return invalidRequest(QStringLiteral("The request body is not a JSON object"));
    HttpResponse error;
    if (!authenticate(*body, &error))
        return error;
    if (body->value(QStringLiteral("startUrl")).toString().isEmpty())
        return invalidRequest(QStringLiteral("startUrl is required"));

    DeviceAuth auth;
    auth.clientId = body->value(QStringLiteral("clientId")).toString();
    auth.userCode = newUserCode();
    auth.expiresAt = context.now.addSecs(m_deviceCodeLifetime);
    const QString deviceCode = Identities::randomString(48, kUrlSafe);
    m_deviceCodes.insert(deviceCode, auth);
    const QString uri = m_baseUrl + QStringLiteral("/device");
    return jsonOk({{QStringLiteral("deviceCode"), deviceCode},
                   {QStringLiteral("userCode"), auth.userCode},
                   {QStringLiteral("verificationUri"), uri},
                   {QStringLiteral("verificationUriComplete"), uri + QStringLiteral("?user_code=") + auth.userCode},
                   {QStringLiteral("expiresIn"), m_deviceCodeLifetime},
                   {QStringLiteral("interval"), m_pollInterval}});
}

HttpResponse OidcService::createToken(const HttpRequest& request, const CallContext& context)
{
    const std::optional<QJsonObject> body = jsonBody(request);
    if (!body)
        return invalidRequest(QStringLiteral("The request body is not a JSON object"));
    HttpResponse error;
    if (!authenticate(*body, &error))
        return error;
    const QString clientId = body->value(QStringLiteral("clientId")).toString();
    const QString grantType = body->value(QStringLiteral("grantType")).toString();
    if (grantType.isEmpty())
        return invalidRequest(QStringLiteral("grantType is required"));
    if (grantType == kDeviceGrant)
        return deviceCodeGrant(*body, clientId, context.now);
    if (grantType == QLatin1String("refresh_token"))
        return refreshTokenGrant(*body, clientId, context.now);
    if (grantType == QLatin1String("authorization_code"))
        return authorizationCodeGrant(*body, clientId, context.now);
    return oidcError(400, "UnsupportedGrantTypeException", "unsupported_grant_type",
                     QStringLiteral("Unsupported grant type: %1").arg(grantType));
}

HttpResponse OidcService::deviceCodeGrant(const QJsonObject& body, const QString& clientId, const QDateTime& now)
{
    const QString deviceCode = body.value(QStringLiteral("deviceCode")).toString();
    const auto it = m_deviceCodes.find(deviceCode);
    if (it == m_deviceCodes.end() || it->clientId != clientId)
        return oidcError(400, "InvalidGrantException", "invalid_grant", QStringLiteral("Invalid device code provided"));
    if (now >= it->expiresAt)
        return oidcError(400, "ExpiredTokenException", "expired_token", QStringLiteral("Device code has expired"));
    if (it->denied)
        return oidcError(400, "AccessDeniedException", "access_denied",
                         QStringLiteral("The user denied the authorization request"));
    if (m_slowDowns > 0) {
        --m_slowDowns;
        return oidcError(400, "SlowDownException", "slow_down", QStringLiteral("Client is polling too fast"));
    }
    if (!it->approved)
        return oidcError(400, "AuthorizationPendingException", "authorization_pending",
                         QStringLiteral("Authorization is still pending"));
    m_deviceCodes.erase(it);
    const bool withRefresh = m_clients.value(clientId).grantTypes.contains(QLatin1String("refresh_token"));
    return issueTokens(clientId, now, withRefresh);
}

HttpResponse OidcService::refreshTokenGrant(const QJsonObject& body, const QString& clientId, const QDateTime& now)
{
    const QString refreshToken = body.value(QStringLiteral("refreshToken")).toString();
    const auto it = m_refreshTokens.find(refreshToken);
    if (refreshToken.isEmpty() || it == m_refreshTokens.end() || it.value() != clientId)
        return oidcError(400, "InvalidGrantException", "invalid_grant",
                         QStringLiteral("Invalid refresh token provided"));
    m_refreshTokens.erase(it); // rotated, as Identity Center does
    return issueTokens(clientId, now, true);
}

HttpResponse OidcService::authorizationCodeGrant(const QJsonObject& body, const QString& clientId, const QDateTime& now)
{
    const auto it = m_authCodes.find(body.value(QStringLiteral("code")).toString());
    if (it == m_authCodes.end() || it->clientId != clientId || now >= it->expiresAt)
        return oidcError(400, "InvalidGrantException", "invalid_grant",
                         QStringLiteral("Invalid authorization code provided"));
    const AuthCode code = *it;
    m_authCodes.erase(it);
    if (body.value(QStringLiteral("redirectUri")).toString() != code.redirectUri)
        return oidcError(400, "InvalidGrantException", "invalid_grant", QStringLiteral("redirectUri does not match"));
    if (s256(body.value(QStringLiteral("codeVerifier")).toString()) != code.challenge)
        return oidcError(400, "InvalidGrantException", "invalid_grant",
                         QStringLiteral("codeVerifier does not match the code challenge"));
    return issueTokens(clientId, now, true);
}

HttpResponse OidcService::issueTokens(const QString& clientId, const QDateTime& now, bool withRefresh)
{
    const QString accessToken = QStringLiteral("aoa") + Identities::randomString(250, kUrlSafe);
    m_accessTokens.insert(accessToken, now.addSecs(m_accessTokenLifetime));
    ++m_issuedTokens;
    QJsonObject out {{QStringLiteral("accessToken"), accessToken},
                     {QStringLiteral("tokenType"), QStringLiteral("Bearer")},
                     {QStringLiteral("expiresIn"), m_accessTokenLifetime}};
    if (withRefresh) {
        const QString refreshToken = QStringLiteral("aor") + Identities::randomString(250, kUrlSafe);
        m_refreshTokens.insert(refreshToken, clientId);
        out.insert(QStringLiteral("refreshToken"), refreshToken);
    }
    return jsonOk(out);
}

HttpResponse OidcService::devicePage(const HttpRequest& request, const CallContext& context)
{
    const QString userCode = queryValue(request, "user_code").trimmed().toUpper();
    if (userCode.isEmpty()) {
        HttpResponse form = htmlPage(200, QStringLiteral("Authorize request"), QStringLiteral("Enter the code shown."));
        form.body.replace("</body>",
                          "<form method=\"get\" action=\"/device\"><input name=\"user_code\" placeholder=\"XXXX-XXXX\">"
                          "<button type=\"submit\">Approve</button></form>\n</body>");
        return form;
    }
    DeviceAuth* auth = pendingByUserCode(userCode);
    if (!auth)
        return htmlPage(404, QStringLiteral("Unknown code"),
                        QStringLiteral("The code %1 is not pending. Start the login again.").arg(userCode));
    if (context.now >= auth->expiresAt)
        return htmlPage(400, QStringLiteral("Code expired"),
                        QStringLiteral("The code %1 has expired. Start the login again.").arg(userCode));
    auth->approved = true;
    return htmlPage(
        200, QStringLiteral("Request approved"),
        QStringLiteral("Code %1 approved. You can close this window and return to the application.").arg(userCode));
}

HttpResponse OidcService::authorize(const HttpRequest& request, const CallContext& context)
{
    const QString clientId = queryValue(request, "client_id");
    const QString redirectUri = queryValue(request, "redirect_uri");
    const auto client = m_clients.constFind(clientId);
    if (client == m_clients.cend())
        return htmlPage(400, QStringLiteral("Invalid client"), QStringLiteral("Unknown client_id."));
    bool redirectOk = false;
    for (const QString& registered : client->redirectUris)
        redirectOk = redirectOk || sameRedirect(registered, redirectUri);
    if (!redirectOk)
        return htmlPage(400, QStringLiteral("Invalid redirect"), QStringLiteral("redirect_uri is not registered."));
    if (queryValue(request, "response_type") != QLatin1String("code")
        || queryValue(request, "code_challenge_method") != QLatin1String("S256")
        || queryValue(request, "code_challenge").isEmpty())
        return htmlPage(400, QStringLiteral("Invalid request"),
                        QStringLiteral("response_type=code and an S256 code_challenge are required."));

    const QString code = Identities::randomString(40, kUrlSafe);
    m_authCodes.insert(code, {clientId, redirectUri, queryValue(request, "code_challenge"), context.now.addSecs(600)});
    QByteArray location = redirectUri.toUtf8() + (redirectUri.contains(QLatin1Char('?')) ? '&' : '?')
        + "code=" + code.toLatin1() + "&state=" + QUrl::toPercentEncoding(queryValue(request, "state"));
    HttpResponse r = htmlPage(302, QStringLiteral("Signed in"), QStringLiteral("Returning to the application."));
    r.headers.append({QByteArrayLiteral("Location"), location});
    return r;
}

OidcService::DeviceAuth* OidcService::pendingByUserCode(const QString& userCode)
{
    for (DeviceAuth& auth : m_deviceCodes) {
        if (auth.userCode == userCode)
            return &auth;
    }
    return nullptr;
}

bool OidcService::approve(const QString& userCode)
{
    DeviceAuth* auth = pendingByUserCode(userCode);
    if (!auth)
        return false;
    auth->approved = true;
    return true;
}

int OidcService::approveAllPending()
{
    int n = 0;
    for (DeviceAuth& auth : m_deviceCodes) {
        if (!auth.approved && !auth.denied) {
            auth.approved = true;
            ++n;
        }
    }
    return n;
}

bool OidcService::deny(const QString& userCode)
{
    DeviceAuth* auth = pendingByUserCode(userCode);
    if (!auth)
        return false;
    auth->denied = true;
    return true;
}

QStringList OidcService::pendingUserCodes() const
{
    QStringList out;
    for (const DeviceAuth& auth : m_deviceCodes) {
        if (!auth.approved && !auth.denied)
            out.append(auth.userCode);
    }
    return out;
}

void OidcService::expireAccessTokens()
{
    const QDateTime past = QDateTime::fromSecsSinceEpoch(0, QTimeZone::utc());
    for (QDateTime& expiry : m_accessTokens)
        expiry = past;
}

void OidcService::expireDeviceCodes()
{
    const QDateTime past = QDateTime::fromSecsSinceEpoch(0, QTimeZone::utc());
    for (DeviceAuth& auth : m_deviceCodes)
        auth.expiresAt = past;
}

void OidcService::revokeRefreshTokens()
{
    m_refreshTokens.clear();
}

bool OidcService::isValidAccessToken(const QByteArray& token, const QDateTime& now) const
{
    const auto it = m_accessTokens.constFind(QString::fromUtf8(token));
    return it != m_accessTokens.cend() && now < it.value();
}

} // namespace fakeaws
