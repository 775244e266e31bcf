#pragma once
// The CLI's composition root: builds the services every command needs (clock, HTTP client, AWS config,
// credentials, session) in one explicit order and hands out references. Nothing else constructs them.

#include "core/aws/api/AwsSession.h"
#include "core/aws/base/AwsConfig.h"
#include "core/aws/credentials/CredentialsFactory.h"
#include "core/aws/http/AwsHttpClient.h"
#include "core/connect/TransportChooser.h"
#include "core/secrets/AppAccounts.h"
#include "core/secrets/KeychainSecretStore.h"
#include "core/util/Clock.h"

#include <QObject>
#include <QProcessEnvironment>

#include <memory>

namespace bl::cli {

struct GlobalOptions
{
    QString profile; // --profile (explicit: disables the environment-credentials provider)
    QString account; // --account: an app account (keys added in the desktop app); excludes --profile
    QStringList regions; // --region, repeatable where a command allows it
    bool verbose = false;
};

class CliServices : public QObject
{
    Q_OBJECT
public:
    CliServices(GlobalOptions options, QProcessEnvironment env, QObject* parent = nullptr);
    ~CliServices() override;

    // Loads the AWS configuration and builds the session of the selected profile, or of the app account given
    // with --account (its secret is read from the keychain when the first request is signed). Errors: broken
    // config, unknown profile or app account, no credentials source.
    Result<AwsSession*> session();

    const GlobalOptions& options() const { return m_options; }
    void setOptions(GlobalOptions options) { m_options = std::move(options); }
    const QProcessEnvironment& env() const { return m_env; }
    AwsHttpClient& http();
    // Options for the credentials chain and SSO login; call only after config() succeeded.
    CredentialsOptions credentialsOptions();
    const Clock& clock() const { return m_clock; }
    Result<AwsConfig> config();
    // The --account name, else the profile (--profile, AWS_PROFILE, "default").
    QString profileName() const;
    // The first --region, or the app account's / profile's / environment's region.
    QString region();
    // The app account named by --account, from the desktop app's settings. Errors: unreadable settings, no
    // such account (the hint lists those there are).
    Result<AppAccount> appAccount();

    // A chooser over session() that looks names up in the --region(s) or the profile's region, and honours
    // BASTIONLESS_DIRECT_MAP. Errors: those of session().
    Result<TransportChooser*> transportChooser(QObject* parent);

    // Prints "error: ..." and "hint: ..." on stderr and returns the exit code for it.
    static int report(const Error& error);

private:
    Result<AwsSession*> appAccountSession();

    GlobalOptions m_options;
    QProcessEnvironment m_env;
    SystemClock m_clock;
    ClockSkew m_skew;
    std::unique_ptr<AwsHttpClient> m_http;
    std::optional<Result<AwsConfig>> m_config;
    std::optional<Result<AppAccount>> m_account;
    KeychainSecretStore m_secrets;
    std::unique_ptr<AwsSession> m_session;
};

} // namespace bl::cli
