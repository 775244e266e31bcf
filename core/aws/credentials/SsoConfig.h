#pragma once
// What a profile says about IAM Identity Center (PROTOCOLS.md §2.6): modern (sso_session = NAME plus an
// [sso-session NAME] block) or legacy (sso_start_url and sso_region in the profile), plus the account and
// role whose credentials the profile stands for.

#include "core/aws/base/AwsConfig.h"

#include <QStringList>

#include <optional>

namespace bl {

class SsoConfig
{
public:
    QString profileName;
    QString sessionName; // empty: legacy configuration
    QString startUrl;
    QString ssoRegion;
    std::optional<QStringList> registrationScopes;
    QString accountId; // may be empty in a login-only profile
    QString roleName;

    bool isLegacy() const { return sessionName.isEmpty(); }
    // What names the token cache file: the session name, or the start URL for legacy profiles.
    QString tokenKey() const { return isLegacy() ? startUrl : sessionName; }

    // True when the profile has any of sso_session, sso_start_url, sso_account_id, sso_role_name.
    static bool profileUsesSso(const ConfigSection& profile);
    // Reads and checks the profile's SSO settings (missing [sso-session], missing start URL or region,
    // profile/session disagreeing): Config errors naming the keys. Account and role are not required here.
    static Result<SsoConfig> fromProfile(const AwsConfig& config, const QString& profileName);
    // Config error when sso_account_id or sso_role_name is missing (the profile can log in but not give
    // credentials).
    Result<void> requireRole() const;
};

} // namespace bl
