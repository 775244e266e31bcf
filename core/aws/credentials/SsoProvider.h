#pragma once
// IAM Identity Center (SSO) profiles: takes the access token from ~/.aws/sso/cache (written by
// `bastionless-cli login` or `aws sso login`), refreshes it with the refresh token when fewer than 15
// minutes remain, exchanges it for role credentials (GetRoleCredentials), and shares those with the CLI
// through ~/.aws/cli/cache.

#include "core/aws/base/Endpoints.h"
#include "core/aws/credentials/CredentialsProvider.h"
#include "core/aws/credentials/JsonFileCache.h"
#include "core/aws/credentials/SsoConfig.h"
#include "core/aws/credentials/SsoTokenCache.h"
#include "core/aws/http/AwsHttpClient.h"

#include <memory>

namespace bl {

struct SsoProviderSettings
{
    SsoConfig sso;
    ResolvedEndpoint oidc; // resolveEndpoint("sso-oidc", sso_region, ...)
    ResolvedEndpoint portal; // resolveEndpoint("sso", sso_region, ...)
    QString ssoCacheDirectory; // ~/.aws/sso/cache
    QString cliCacheDirectory; // ~/.aws/cli/cache; empty = do not cache role credentials in files
};

class SsoProvider final : public CredentialsProvider
{
public:
    static constexpr qint64 RefreshWindowSecs = 15 * 60;

    SsoProvider(SsoProviderSettings settings, AwsHttpClient& http, const Clock& clock);
    ~SsoProvider() override;

    QString roleCacheKey() const;
    // The error a person sees when the login is missing or over.
    static Error loginNeeded(const QString& profileName, const QString& why);

    void fetch(QObject* context, Callback<Credentials> done) override;
    void invalidate() override;
    QString describe() const override;

private:
    struct Attempt;
    void refreshToken(std::shared_ptr<Attempt> attempt, SsoToken token);
    void getRoleCredentials(std::shared_ptr<Attempt> attempt, const QString& accessToken);

    SsoProviderSettings m_settings;
    AwsHttpClient& m_http;
    const Clock& m_clock;
    SsoTokenCache m_tokens;
    JsonFileCache m_roleCache;
    bool m_skipRoleCache = false;
    QObject m_guard; // declared last so it dies first
};

} // namespace bl
