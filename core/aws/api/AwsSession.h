#pragma once
// One profile's view of AWS: its configuration, credentials provider, default region and endpoints.
// Service clients (Ec2Client, SsmClient, ...) call through a session; the session resolves the endpoint
// and the credentials, sends through the shared AwsHttpClient, and on an expired-token answer forgets the
// cached credentials and tries once more.

#include "core/aws/base/AwsConfig.h"
#include "core/aws/base/Endpoints.h"
#include "core/aws/credentials/CredentialsProvider.h"
#include "core/aws/http/AwsHttpClient.h"

#include <QObject>
#include <QProcessEnvironment>

#include <memory>

namespace bl {

class AwsSession : public QObject
{
    Q_OBJECT
public:
    AwsSession(AwsConfig config, QString profileName, QString region, QProcessEnvironment env, AwsHttpClient& http,
               std::unique_ptr<CredentialsProvider> credentials, QObject* parent = nullptr);
    ~AwsSession() override;

    QString profileName() const { return m_profileName; }
    QString defaultRegion() const { return m_region; } // may be empty when nothing configures one
    const AwsConfig& config() const { return m_config; }
    std::optional<ConfigSection> profile() const { return m_config.profile(m_profileName); }
    const QProcessEnvironment& env() const { return m_env; }
    AwsHttpClient& http() { return m_http; }
    CredentialsProvider& credentials() { return *m_credentials; }
    bool fips() const;

    Result<ResolvedEndpoint> endpoint(const QString& serviceId, const QString& region) const;

    // region empty = defaultRegion(). See class comment.
    void call(const QString& serviceId, const QString& region, const AwsRequest& request, QObject* context,
              Callback<AwsResponse> done);

private:
    void send(const QString& serviceId, const QString& region, const AwsRequest& request, QObject* context,
              Callback<AwsResponse> done, bool mayRetryExpired);

    AwsConfig m_config;
    QString m_profileName;
    QString m_region;
    QProcessEnvironment m_env;
    AwsHttpClient& m_http;
    std::unique_ptr<CredentialsProvider> m_credentials;
};

} // namespace bl
