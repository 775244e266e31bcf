#pragma once
// The file names the AWS CLI uses for its credential and token caches (PROTOCOLS.md §2.4, §2.6). Matching
// them lets `aws` and Bastionless share one login and one set of cached role credentials.

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace bl {

class CacheKeys
{
public:
    // ~/.aws/cli/cache key for AssumeRole: SHA-1 of json.dumps(args, sort_keys=True), where args are the
    // AssumeRole parameters without an auto-generated RoleSessionName; ':' and '/' become '_'.
    static QString assumeRole(const QJsonObject& args);
    // ~/.aws/sso/cache token key: SHA-1 of the sso-session name (modern) or the start URL (legacy).
    static QString ssoToken(const QString& sessionNameOrStartUrl);
    // ~/.aws/sso/cache client registration key; absent scopes / session name are JSON null.
    static QString ssoRegistration(const QString& startUrl, const QString& region,
                                   const std::optional<QStringList>& scopes, const QString& sessionName);
    // ~/.aws/cli/cache key for SSO role credentials: compact sorted JSON of accountId, roleName and
    // sessionName (modern) or startUrl (legacy, when sessionName is empty).
    static QString ssoRoleCredentials(const QString& accountId, const QString& roleName, const QString& sessionName,
                                      const QString& startUrl);
};

} // namespace bl
