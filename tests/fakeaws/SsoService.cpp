#include "SsoService.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace fakeaws {

namespace {

QString queryValue(const HttpRequest& request, const char* name)
{
    for (const auto& p : request.query) {
        if (p.first == name)
            return QString::fromUtf8(p.second);
    }
    return {};
}

HttpResponse jsonOk(const QJsonObject& object)
{
    HttpResponse r;
    r.contentType = QByteArrayLiteral("application/json");
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return r;
}

// Paging as the portal does it: an opaque next token (here: the index of the next item).
QPair<qsizetype, qsizetype> page(const HttpRequest& request, qsizetype total)
{
    bool ok = false;
    qsizetype start = queryValue(request, "next_token").toLongLong(&ok);
    if (!ok || start < 0 || start > total)
        start = 0;
    qsizetype max = queryValue(request, "max_result").toLongLong(&ok);
    if (!ok || max <= 0)
        max = 100;
    return {start, qMin(total, start + max)};
}

} // namespace

QList<SsoService::Route> SsoService::routes()
{
    return {
        {"POST", "/client/register", QStringLiteral("RegisterClient")},
        {"POST", "/device_authorization", QStringLiteral("StartDeviceAuthorization")},
        {"POST", "/token", QStringLiteral("CreateToken")},
        {"GET", "/device", QStringLiteral("VerifyDeviceCode")},
        {"GET", "/authorize", QStringLiteral("Authorize")},
        {"GET", "/federation/credentials", QStringLiteral("GetRoleCredentials")},
        {"GET", "/assignment/accounts", QStringLiteral("ListAccounts")},
        {"GET", "/assignment/roles", QStringLiteral("ListAccountRoles")},
        {"POST", "/logout", QStringLiteral("Logout")},
    };
}

SsoService::SsoService(Identities& identities)
    : m_identities(identities)
{
    const QString account = QLatin1String(Identities::kDefaultAccountId);
    m_accounts = {
        {account,
         QStringLiteral("fakeaws-dev"),
         QStringLiteral("dev@fakeaws.invalid"),
         {QStringLiteral("ReadOnly"), QStringLiteral("AdministratorAccess")}},
        {QStringLiteral("210987654321"),
         QStringLiteral("fakeaws-prod"),
         QStringLiteral("prod@fakeaws.invalid"),
         {QStringLiteral("ReadOnly")}},
    };
}

HttpResponse SsoService::handle(const HttpRequest& request, const CallContext& context)
{
    const QByteArray& path = request.path;
    if (path == "/client/register")
        return m_oidc.registerClient(request, context);
    if (path == "/device_authorization")
        return m_oidc.startDeviceAuthorization(request, context);
    if (path == "/token")
        return m_oidc.createToken(request, context);
    if (path == "/device")
        return m_oidc.devicePage(request, context);
    if (path == "/authorize")
        return m_oidc.authorize(request, context);
    if (auto unauthorized = checkBearer(request, context))
        return *unauthorized;
    if (path == "/federation/credentials")
        return getRoleCredentials(request, context);
    if (path == "/assignment/accounts")
        return listAccounts(request);
    if (path == "/assignment/roles")
        return listAccountRoles(request);
    if (path == "/logout") {
        m_oidc.revokeAccessToken(request.header("x-amz-sso_bearer_token"));
        return jsonOk({});
    }
    return restJsonError(404, "ResourceNotFoundException", QStringLiteral("No such resource"));
}

std::optional<HttpResponse> SsoService::checkBearer(const HttpRequest& request, const CallContext& context) const
{
    if (!m_oidc.isValidAccessToken(request.header("x-amz-sso_bearer_token"), context.now))
        return restJsonError(401, "UnauthorizedException", QStringLiteral("Session token not found or invalid"));
    return std::nullopt;
}

HttpResponse SsoService::getRoleCredentials(const HttpRequest& request, const CallContext& context)
{
    const QString roleName = queryValue(request, "role_name");
    const QString accountId = queryValue(request, "account_id");
    if (roleName.isEmpty() || accountId.isEmpty())
        return restJsonError(400, "InvalidRequestException", QStringLiteral("role_name and account_id are required"));
    const SsoAccount* account = nullptr;
    for (const SsoAccount& a : m_accounts) {
        if (a.accountId == accountId)
            account = &a;
    }
    if (!account || !account->roles.contains(roleName))
        return restJsonError(403, "ForbiddenException", QStringLiteral("No access"));

    // Identity Center's roles are named AWSReservedSSO_<permission set>_<16 hex>.
    const QByteArray suffix =
        QCryptographicHash::hash((accountId + roleName).toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
    const QString role = QStringLiteral("AWSReservedSSO_%1_%2").arg(roleName, QString::fromLatin1(suffix));
    const QString arn = QStringLiteral("arn:aws:sts::%1:assumed-role/%2/%3").arg(accountId, role, m_userName);
    const QString userId = QStringLiteral("AROA%1:%2").arg(QString::fromLatin1(suffix.toUpper()), m_userName);
    const QDateTime expiration = context.now.addSecs(m_roleCredentialLifetime);
    const Identity issued = m_identities.issueTemporary(accountId, arn, userId, expiration);
    return jsonOk({{QStringLiteral("roleCredentials"),
                    QJsonObject {{QStringLiteral("accessKeyId"), issued.accessKeyId},
                                 {QStringLiteral("secretAccessKey"), issued.secretAccessKey},
                                 {QStringLiteral("sessionToken"), issued.sessionToken},
                                 {QStringLiteral("expiration"), expiration.toMSecsSinceEpoch()}}}});
}

HttpResponse SsoService::listAccounts(const HttpRequest& request) const
{
    const auto [start, end] = page(request, m_accounts.size());
    QJsonArray list;
    for (qsizetype i = start; i < end; ++i) {
        const SsoAccount& a = m_accounts.at(i);
        list.append(QJsonObject {{QStringLiteral("accountId"), a.accountId},
                                 {QStringLiteral("accountName"), a.accountName},
                                 {QStringLiteral("emailAddress"), a.emailAddress}});
    }
    QJsonObject out {{QStringLiteral("accountList"), list}};
    out.insert(QStringLiteral("nextToken"), end < m_accounts.size() ? QJsonValue(QString::number(end)) : QJsonValue());
    return jsonOk(out);
}

HttpResponse SsoService::listAccountRoles(const HttpRequest& request) const
{
    const QString accountId = queryValue(request, "account_id");
    QStringList roles;
    for (const SsoAccount& a : m_accounts) {
        if (a.accountId == accountId)
            roles = a.roles;
    }
    const auto [start, end] = page(request, roles.size());
    QJsonArray list;
    for (qsizetype i = start; i < end; ++i)
        list.append(QJsonObject {{QStringLiteral("roleName"), roles.at(i)}, {QStringLiteral("accountId"), accountId}});
    QJsonObject out {{QStringLiteral("roleList"), list}};
    out.insert(QStringLiteral("nextToken"), end < roles.size() ? QJsonValue(QString::number(end)) : QJsonValue());
    return jsonOk(out);
}

} // namespace fakeaws
