#include "core/aws/credentials/SsoConfig.h"

#include <tuple>

namespace bl {

bool SsoConfig::profileUsesSso(const ConfigSection& p)
{
    for (const char* key : {"sso_session", "sso_start_url", "sso_account_id", "sso_role_name"}) {
        if (p.has(QLatin1String(key)))
            return true;
    }
    return false;
}

Result<SsoConfig> SsoConfig::fromProfile(const AwsConfig& config, const QString& profileName)
{
    const std::optional<ConfigSection> profile = config.profile(profileName);
    if (!profile) {
        return Error::make(ErrorKind::Config,
                           QStringLiteral("Profile %1 does not exist in %2").arg(profileName, config.configPath()));
    }
    SsoConfig c;
    c.profileName = profileName;
    c.sessionName = profile->value(QStringLiteral("sso_session"));
    c.accountId = profile->value(QStringLiteral("sso_account_id"));
    c.roleName = profile->value(QStringLiteral("sso_role_name"));
    const QString profileUrl = profile->value(QStringLiteral("sso_start_url"));
    const QString profileRegion = profile->value(QStringLiteral("sso_region"));
    const QString where = QStringLiteral("profile %1 in %2").arg(profileName, config.configPath());

    if (!c.sessionName.isEmpty()) {
        const std::optional<ConfigSection> session = config.ssoSession(c.sessionName);
        if (!session) {
            return Error::make(ErrorKind::Config,
                               QStringLiteral("The %1 names sso_session %2, but there is no [sso-session %2] section")
                                   .arg(where, c.sessionName),
                               QStringLiteral("Add an [sso-session %1] section with sso_start_url and sso_region "
                                              "(e.g. with `aws configure sso`).")
                                   .arg(c.sessionName));
        }
        c.startUrl = session->value(QStringLiteral("sso_start_url"));
        c.ssoRegion = session->value(QStringLiteral("sso_region"));
        for (const auto& [key, profileValue, sessionValue] :
             {std::tuple {QStringLiteral("sso_start_url"), profileUrl, c.startUrl},
              std::tuple {QStringLiteral("sso_region"), profileRegion, c.ssoRegion}}) {
            if (!profileValue.isEmpty() && !sessionValue.isEmpty() && profileValue != sessionValue) {
                return Error::make(ErrorKind::Config,
                                   QStringLiteral("The %1 sets %2 = %3, but [sso-session %4] says %5")
                                       .arg(where, key, profileValue, c.sessionName, sessionValue),
                                   QStringLiteral("Remove %1 from the profile or make both the same.").arg(key));
            }
        }
        if (c.startUrl.isEmpty())
            c.startUrl = profileUrl;
        if (c.ssoRegion.isEmpty())
            c.ssoRegion = profileRegion;
        const QString scopes = session->value(QStringLiteral("sso_registration_scopes"));
        if (!scopes.isEmpty()) {
            QStringList list;
            for (const QString& s : scopes.split(QLatin1Char(','))) {
                if (!s.trimmed().isEmpty())
                    list << s.trimmed();
            }
            c.registrationScopes = list;
        }
    } else {
        c.startUrl = profileUrl;
        c.ssoRegion = profileRegion;
    }

    QStringList missing;
    if (c.startUrl.isEmpty())
        missing << QStringLiteral("sso_start_url");
    if (c.ssoRegion.isEmpty())
        missing << QStringLiteral("sso_region");
    if (!missing.isEmpty()) {
        const QString in = c.sessionName.isEmpty()
            ? where
            : QStringLiteral("[sso-session %1] in %2").arg(c.sessionName, config.configPath());
        return Error::make(ErrorKind::Config,
                           QStringLiteral("IAM Identity Center settings are incomplete: %1 missing in %2")
                               .arg(missing.join(QStringLiteral(" and ")), in),
                           QStringLiteral("Add them, or run `aws configure sso` to write the settings."));
    }
    return c;
}

Result<void> SsoConfig::requireRole() const
{
    QStringList missing;
    if (accountId.isEmpty())
        missing << QStringLiteral("sso_account_id");
    if (roleName.isEmpty())
        missing << QStringLiteral("sso_role_name");
    if (missing.isEmpty())
        return {};
    return Error::make(ErrorKind::Config,
                       QStringLiteral("Profile %1 uses IAM Identity Center but has no %2, so it cannot give "
                                      "credentials")
                           .arg(profileName, missing.join(QStringLiteral(" or "))),
                       QStringLiteral("Add sso_account_id and sso_role_name to the profile (the account and "
                                      "permission set to use)."));
}

} // namespace bl
