#pragma once
// Builds the credentials provider for a profile in botocore's order (PROTOCOLS.md §2.2): environment
// (unless --profile), assume role, IAM Identity Center, credentials-file keys, credential_process,
// config-file keys. Source profiles of roles are resolved through the same chain with the environment
// disabled. Instance metadata and container credentials are deliberately absent: this is a desktop app.

#include "core/aws/base/AwsConfig.h"
#include "core/aws/credentials/CredentialsProvider.h"
#include "core/aws/credentials/ProcessProvider.h"
#include "core/util/Clock.h"

#include <QProcessEnvironment>

#include <memory>

namespace bl {

class AwsHttpClient;
class SsoLogin;

struct CredentialsOptions
{
    CredentialsOptions(const AwsConfig& cfg, AwsHttpClient& httpClient, const Clock& clk)
        : config(cfg)
        , http(httpClient)
        , clock(clk)
    { }

    const AwsConfig& config;
    AwsHttpClient& http;
    const Clock& clock;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QString explicitProfile; // --profile: wins over AWS_PROFILE and disables the environment provider
    QString explicitRegion; // --region: where STS is called (else AWS_REGION, the profile's region, us-east-1)
    MfaPrompt mfaPrompt; // empty: MFA roles fail with an explanation
    QString homeDirectory; // holds .aws/cli/cache and .aws/sso/cache; empty = HOME from env
    int processTimeoutMs = ProcessProvider::DefaultTimeoutMs;
    bool writeCliCache = true; // share assumed-role and SSO role credentials through ~/.aws/cli/cache
};

// The provider for the profile the options select (cached; refreshes before expiry). Errors: Config for a
// named profile that does not exist or a broken profile (cycle, missing source, bad settings);
// Credentials when nothing provides credentials.
Result<std::unique_ptr<CredentialsProvider>> createCredentialsProvider(const CredentialsOptions& options);

// A device-flow login for the selected profile's IAM Identity Center settings (sso_session or legacy).
Result<std::unique_ptr<SsoLogin>> createSsoLogin(const CredentialsOptions& options);

// <home>/.aws/cli/cache and <home>/.aws/sso/cache for these options.
QString cliCacheDirectory(const CredentialsOptions& options);
QString ssoCacheDirectory(const CredentialsOptions& options);

} // namespace bl
