#include "app/cli/CliServices.h"

#include "core/tunnel/DirectTransport.h"

#include "app/cli/Console.h"
#include "app/cli/ExitCodes.h"
#include "app/cli/TerminalPrompt.h"
#include "core/aws/credentials/CredentialsFactory.h"
#include "core/aws/credentials/KeychainCredentialsProvider.h"
#include "core/secrets/AppSettingsFile.h"
#include "core/util/Log.h"

#include <cstdio>

namespace bl::cli {

namespace {

// The account as the desktop app keeps it: the same settings file (AppSettingsFile), read fresh for this run.
Result<AppAccount> findAppAccount(const QString& name, SecretStore& secrets)
{
    const std::unique_ptr<QSettings> settings = AppSettingsFile::open();
    if (settings->status() != QSettings::NoError) {
        return Error::make(
            ErrorKind::Config,
            QStringLiteral("Cannot read the app's settings %1 to find app account %2").arg(settings->fileName(), name),
            QStringLiteral("Check that the file is readable and intact, or re-add the account in "
                           "Bastionless \u2192 Accounts."));
    }
    const AppAccounts accounts(*settings, secrets);
    if (std::optional<AppAccount> account = accounts.account(name))
        return *account;
    QStringList names;
    for (const AppAccount& a : accounts.accounts())
        names << a.name;
    const QString hint = names.isEmpty()
        ? QStringLiteral("No app accounts are set up. Add one in Bastionless \u2192 Accounts, or use --profile for a "
                         "profile of ~/.aws.")
        : QStringLiteral("App accounts: %1. Add more in Bastionless \u2192 Accounts; profiles of ~/.aws go with "
                         "--profile.")
              .arg(names.join(QStringLiteral(", ")));
    return Error::make(ErrorKind::Config,
                       QStringLiteral("There is no app account %1 in %2").arg(name, settings->fileName()), hint);
}

} // namespace

CliServices::CliServices(GlobalOptions options, QProcessEnvironment env, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_env(std::move(env))
{ }

CliServices::~CliServices() = default;

Result<AwsConfig> CliServices::config()
{
    if (!m_config)
        m_config = AwsConfig::load(m_env);
    return *m_config;
}

QString CliServices::profileName() const
{
    if (!m_options.account.isEmpty())
        return m_options.account;
    return resolveProfileName(m_options.profile, m_env);
}

Result<AppAccount> CliServices::appAccount()
{
    if (m_options.account.isEmpty())
        return Error::make(ErrorKind::Internal, QStringLiteral("No --account was given"));
    if (!m_account)
        m_account = findAppAccount(m_options.account, m_secrets);
    return *m_account;
}

Result<TransportChooser*> CliServices::transportChooser(QObject* parent)
{
    auto current = session();
    if (!current)
        return current.error();
    QStringList regions = m_options.regions;
    if (regions.isEmpty() && !region().isEmpty())
        regions << region();
    auto* chooser = new TransportChooser(*current.value(), regions, parent);
    chooser->setDirectAddressMap(m_env.value(QLatin1String(DirectTransport::AddressMapVariable)));
    chooser->setEnvironment(m_env);
    chooser->setPreferences(ConnectionPreferences::load(ConnectionPreferences::defaultPath(m_env)));
    return chooser;
}

QString CliServices::region()
{
    if (!m_options.regions.isEmpty())
        return m_options.regions.constFirst();
    if (!m_options.account.isEmpty()) {
        if (const Result<AppAccount> account = appAccount(); account && !account->region.isEmpty())
            return account->region;
    }
    auto cfg = config();
    return resolveRegion({}, m_env, cfg ? cfg->profile(profileName()) : std::nullopt);
}

Result<AwsSession*> CliServices::session()
{
    if (m_session)
        return m_session.get();
    if (!m_options.account.isEmpty())
        return appAccountSession();
    auto cfg = config();
    if (!cfg)
        return cfg.error();
    const QString profile = profileName();
    auto copts = credentialsOptions();
    auto provider = createCredentialsProvider(copts);
    if (!provider)
        return provider.error();
    m_session =
        std::make_unique<AwsSession>(cfg.value(), profile, region(), m_env, http(), std::move(provider.value()), this);
    return m_session.get();
}

Result<AwsSession*> CliServices::appAccountSession()
{
    const Result<AppAccount> account = appAccount();
    if (!account)
        return account.error();
    // An app account needs nothing from ~/.aws: a broken file there does not stop it, as in the app.
    const Result<AwsConfig> cfg = config();
    if (!cfg)
        qCWarning(lcCreds).noquote() << QStringLiteral("ignoring the AWS configuration files:")
                                     << cfg.error().summary();
    auto provider = std::make_unique<KeychainCredentialsProvider>(m_secrets, account->name, account->accessKeyId,
                                                                  AppAccounts::secretKey(account->name));
    m_session = std::make_unique<AwsSession>(cfg ? cfg.value() : AwsConfig(), account->name, region(), m_env, http(),
                                             std::move(provider), this);
    return m_session.get();
}

CredentialsOptions CliServices::credentialsOptions()
{
    // config() was loaded successfully before this is called; m_config keeps it alive for the options.
    CredentialsOptions copts(m_config->value(), http(), m_clock);
    copts.env = m_env;
    copts.explicitProfile = m_options.profile;
    copts.explicitRegion = m_options.regions.isEmpty() ? QString() : m_options.regions.constFirst();
    copts.mfaPrompt = TerminalPrompt::mfaPrompt();
    return copts;
}

AwsHttpClient& CliServices::http()
{
    if (!m_http) {
        auto cfg = config();
        // An app account takes its HTTP settings from the default profile, as the app does.
        const QString name = m_options.account.isEmpty() ? profileName() : resolveProfileName({}, m_env);
        const auto section = cfg ? cfg->profile(name) : std::nullopt;
        m_http = std::make_unique<AwsHttpClient>(
            HttpSettings::fromEnvironment(m_env, section ? section->value(QStringLiteral("ca_bundle")) : QString()),
            m_clock, m_skew, this);
    }
    return *m_http;
}

int CliServices::report(const Error& error)
{
    QString text = QStringLiteral("error: %1\n").arg(error.summary());
    if (!error.hint.isEmpty())
        text += QStringLiteral("hint: %1\n").arg(error.hint);
    printErr(text);
    return exitCodeFor(error);
}

} // namespace bl::cli
