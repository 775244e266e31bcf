#pragma once
// The CLI's composition root: builds the services every command needs (clock, HTTP client, AWS config,
// credentials, session) in one explicit order and hands out references. Nothing else constructs them.

#include "core/aws/api/AwsSession.h"
#include "core/aws/base/AwsConfig.h"
#include "core/aws/credentials/CredentialsFactory.h"
#include "core/aws/http/AwsHttpClient.h"
#include "core/connect/TransportChooser.h"
#include "core/util/Clock.h"

#include <QObject>
#include <QProcessEnvironment>

#include <memory>

namespace bl::cli {

struct GlobalOptions
{
    QString profile; // --profile (explicit: disables the environment-credentials provider)
    QStringList regions; // --region, repeatable where a command allows it
    bool verbose = false;
};

class CliServices : public QObject
{
    Q_OBJECT
public:
    CliServices(GlobalOptions options, QProcessEnvironment env, QObject* parent = nullptr);
    ~CliServices() override;

    // Loads the AWS configuration and builds the session of the selected profile. Errors: broken config,
    // unknown profile, no credentials source.
    Result<AwsSession*> session();

    const GlobalOptions& options() const { return m_options; }
    void setOptions(GlobalOptions options) { m_options = std::move(options); }
    const QProcessEnvironment& env() const { return m_env; }
    AwsHttpClient& http();
    // Options for the credentials chain and SSO login; call only after config() succeeded.
    CredentialsOptions credentialsOptions();
    const Clock& clock() const { return m_clock; }
    Result<AwsConfig> config();
    QString profileName() const;
    // The first --region, or the profile's / environment's region.
    QString region();

    // A chooser over session() that looks names up in the --region(s) or the profile's region, and honours
    // BASTIONLESS_DIRECT_MAP. Errors: those of session().
    Result<TransportChooser*> transportChooser(QObject* parent);

    // Prints "error: ..." and "hint: ..." on stderr and returns the exit code for it.
    static int report(const Error& error);

private:
    GlobalOptions m_options;
    QProcessEnvironment m_env;
    SystemClock m_clock;
    ClockSkew m_skew;
    std::unique_ptr<AwsHttpClient> m_http;
    std::optional<Result<AwsConfig>> m_config;
    std::unique_ptr<AwsSession> m_session;
};

} // namespace bl::cli
