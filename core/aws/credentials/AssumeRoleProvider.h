#pragma once
// A profile with role_arn: gets the source credentials (another profile's chain or the environment), asks
// for an MFA code when mfa_serial is set, calls STS AssumeRole, and shares the result with the AWS CLI
// through ~/.aws/cli/cache/<sha1>.json (used while more than 15 minutes remain).

#include "core/aws/credentials/CredentialsProvider.h"
#include "core/aws/credentials/JsonFileCache.h"
#include "core/aws/credentials/StsAssumeRole.h"

#include <memory>

namespace bl {

struct AssumeRoleSettings
{
    QString profileName;
    AssumeRoleParams params; // an empty roleSessionName is generated per call: botocore-session-<unix secs>
    ResolvedEndpoint sts;
    QString cacheDirectory; // ~/.aws/cli/cache; empty = no file cache
};

class AssumeRoleProvider final : public CredentialsProvider
{
public:
    static constexpr qint64 CacheMinRemainingSecs = 15 * 60;

    AssumeRoleProvider(AssumeRoleSettings settings, std::unique_ptr<CredentialsProvider> source, AwsHttpClient& http,
                       const Clock& clock, MfaPrompt mfaPrompt);
    ~AssumeRoleProvider() override;

    // The AssumeRole arguments that name the CLI cache file (RoleSessionName only when configured).
    static QJsonObject cacheKeyArgs(const AssumeRoleParams& params);
    QString cacheKey() const;

    void fetch(QObject* context, Callback<Credentials> done) override;
    void invalidate() override;
    QString describe() const override;

private:
    struct Attempt;
    void withSource(std::shared_ptr<Attempt> attempt, Credentials source);
    void assume(std::shared_ptr<Attempt> attempt);

    AssumeRoleSettings m_settings;
    std::unique_ptr<CredentialsProvider> m_source;
    AwsHttpClient& m_http;
    const Clock& m_clock;
    MfaPrompt m_mfaPrompt;
    JsonFileCache m_cache;
    bool m_skipFileCache = false;
    QObject m_guard; // context for our own asynchronous steps; declared last so it dies first
};

} // namespace bl
