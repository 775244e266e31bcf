#pragma once
// ~/.aws/sso/cache, read and written exactly like the AWS CLI (PROTOCOLS.md §2.6): the access-token file
// named by the SHA-1 of the sso-session name (modern) or start URL (legacy), and the OIDC client
// registration file, so that `aws sso login` and `bastionless-cli login` share one login.

#include "core/aws/credentials/JsonFileCache.h"

#include <QDateTime>
#include <QStringList>

#include <optional>

namespace bl {

struct SsoToken
{
    QString startUrl;
    QString region;
    QString accessToken;
    QDateTime expiresAt;
    QString refreshToken;
    QString clientId;
    QString clientSecret;
    QDateTime registrationExpiresAt;
    QJsonObject other; // fields we do not know, kept when the file is rewritten

    // A refresh_token grant is possible: refresh token, client id/secret and an unexpired registration.
    bool canRefresh(const QDateTime& nowUtc) const;
    QJsonObject toJson() const;
    // Requires accessToken and expiresAt.
    static Result<SsoToken> fromJson(const QJsonObject& o);
};

struct SsoRegistration
{
    QString clientId;
    QString clientSecret;
    QDateTime expiresAt;
    std::optional<QStringList> scopes;

    QJsonObject toJson() const;
    static std::optional<SsoRegistration> fromJson(const QJsonObject& o);
};

class SsoTokenCache
{
public:
    explicit SsoTokenCache(QString directory);

    QString directory() const { return m_files.directory(); }
    // key = sso-session name (modern) or start URL (legacy)
    QString tokenPath(const QString& sessionNameOrStartUrl) const;
    // nullopt when there is no file; an Error when it exists but cannot be used.
    Result<std::optional<SsoToken>> readToken(const QString& sessionNameOrStartUrl) const;
    Result<void> writeToken(const QString& sessionNameOrStartUrl, const SsoToken& token) const;

    std::optional<SsoRegistration> readRegistration(const QString& registrationKey) const;
    Result<void> writeRegistration(const QString& registrationKey, const SsoRegistration& registration) const;

private:
    JsonFileCache m_files;
};

} // namespace bl
