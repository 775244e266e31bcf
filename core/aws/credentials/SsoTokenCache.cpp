#include "core/aws/credentials/SsoTokenCache.h"

#include "core/aws/credentials/CacheKeys.h"
#include "core/aws/credentials/Timestamps.h"

#include <QJsonArray>

namespace bl {

namespace {

const QStringList KnownTokenFields = {
    QStringLiteral("startUrl"),
    QStringLiteral("region"),
    QStringLiteral("accessToken"),
    QStringLiteral("expiresAt"),
    QStringLiteral("clientId"),
    QStringLiteral("clientSecret"),
    QStringLiteral("registrationExpiresAt"),
    QStringLiteral("refreshToken"),
};

QString str(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key)).toString();
}

} // namespace

bool SsoToken::canRefresh(const QDateTime& nowUtc) const
{
    return !refreshToken.isEmpty() && !clientId.isEmpty() && !clientSecret.isEmpty() && registrationExpiresAt.isValid()
        && registrationExpiresAt > nowUtc;
}

QJsonObject SsoToken::toJson() const
{
    QJsonObject o = other;
    if (!startUrl.isEmpty())
        o.insert(QStringLiteral("startUrl"), startUrl);
    if (!region.isEmpty())
        o.insert(QStringLiteral("region"), region);
    o.insert(QStringLiteral("accessToken"), accessToken);
    o.insert(QStringLiteral("expiresAt"), Timestamps::formatUtc(expiresAt));
    if (!clientId.isEmpty())
        o.insert(QStringLiteral("clientId"), clientId);
    if (!clientSecret.isEmpty())
        o.insert(QStringLiteral("clientSecret"), clientSecret);
    if (registrationExpiresAt.isValid())
        o.insert(QStringLiteral("registrationExpiresAt"), Timestamps::formatUtc(registrationExpiresAt));
    if (!refreshToken.isEmpty())
        o.insert(QStringLiteral("refreshToken"), refreshToken);
    return o;
}

Result<SsoToken> SsoToken::fromJson(const QJsonObject& o)
{
    SsoToken t;
    t.accessToken = str(o, "accessToken");
    t.expiresAt = Timestamps::parseIso8601(str(o, "expiresAt"));
    if (t.accessToken.isEmpty() || !t.expiresAt.isValid()) {
        return Error::make(
            ErrorKind::Credentials,
            QStringLiteral("The SSO token cache entry has no %1")
                .arg(t.accessToken.isEmpty() ? QStringLiteral("accessToken") : QStringLiteral("valid expiresAt")),
            QStringLiteral("Log in again (`bastionless-cli login` or `aws sso login`)."));
    }
    t.startUrl = str(o, "startUrl");
    t.region = str(o, "region");
    t.refreshToken = str(o, "refreshToken");
    t.clientId = str(o, "clientId");
    t.clientSecret = str(o, "clientSecret");
    t.registrationExpiresAt = Timestamps::parseIso8601(str(o, "registrationExpiresAt"));
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!KnownTokenFields.contains(it.key()))
            t.other.insert(it.key(), it.value());
    }
    return t;
}

QJsonObject SsoRegistration::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("clientId"), clientId);
    o.insert(QStringLiteral("clientSecret"), clientSecret);
    o.insert(QStringLiteral("expiresAt"), Timestamps::formatUtc(expiresAt));
    if (scopes)
        o.insert(QStringLiteral("scopes"), QJsonArray::fromStringList(*scopes));
    return o;
}

std::optional<SsoRegistration> SsoRegistration::fromJson(const QJsonObject& o)
{
    SsoRegistration r;
    r.clientId = str(o, "clientId");
    r.clientSecret = str(o, "clientSecret");
    r.expiresAt = Timestamps::parseIso8601(str(o, "expiresAt"));
    if (r.clientId.isEmpty() || r.clientSecret.isEmpty() || !r.expiresAt.isValid())
        return std::nullopt;
    if (o.value(QLatin1String("scopes")).isArray()) {
        QStringList scopes;
        for (const QJsonValue& v : o.value(QLatin1String("scopes")).toArray())
            scopes << v.toString();
        r.scopes = scopes;
    }
    return r;
}

SsoTokenCache::SsoTokenCache(QString directory)
    : m_files(std::move(directory))
{ }

QString SsoTokenCache::tokenPath(const QString& sessionNameOrStartUrl) const
{
    return m_files.path(CacheKeys::ssoToken(sessionNameOrStartUrl));
}

Result<std::optional<SsoToken>> SsoTokenCache::readToken(const QString& sessionNameOrStartUrl) const
{
    const auto read = m_files.read(CacheKeys::ssoToken(sessionNameOrStartUrl));
    if (!read.ok()) {
        Error e = read.error();
        e.kind = ErrorKind::Credentials;
        e.hint = QStringLiteral("Log in again (`bastionless-cli login` or `aws sso login`); that rewrites the file.");
        return e;
    }
    if (!*read)
        return std::optional<SsoToken>();
    Result<SsoToken> token = SsoToken::fromJson(**read);
    if (!token.ok()) {
        Error e = token.error();
        e.message += QStringLiteral(" (%1)").arg(tokenPath(sessionNameOrStartUrl));
        return e;
    }
    return std::optional<SsoToken>(token.value());
}

Result<void> SsoTokenCache::writeToken(const QString& sessionNameOrStartUrl, const SsoToken& token) const
{
    return m_files.write(CacheKeys::ssoToken(sessionNameOrStartUrl), token.toJson());
}

std::optional<SsoRegistration> SsoTokenCache::readRegistration(const QString& registrationKey) const
{
    const auto read = m_files.read(registrationKey);
    if (!read.ok() || !*read)
        return std::nullopt;
    return SsoRegistration::fromJson(**read);
}

Result<void> SsoTokenCache::writeRegistration(const QString& registrationKey, const SsoRegistration& registration) const
{
    return m_files.write(registrationKey, registration.toJson());
}

} // namespace bl
