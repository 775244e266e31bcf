#include "app/gui/GuiServices.h"

#include "app/gui/GuiSettings.h"
#include "core/aws/credentials/CredentialsFactory.h"
#include "core/aws/credentials/KeychainCredentialsProvider.h"
#include "core/tunnel/DirectTransport.h"
#include "core/util/Log.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>

namespace bl {

GuiServices::GuiServices(QProcessEnvironment env, const GuiSettings& settings, GuiOptions options, QObject* parent)
    : QObject(parent)
    , m_env(std::move(env))
    , m_options(options)
    , m_guiSettings(settings)
    , m_power(m_store)
    , m_tunnelManager([this](const QString& source) { return sessionFor(source); })
    , m_favourites(m_tunnelManager,
                   options.favouritesPath.isEmpty() ? Favourites::defaultPath() : options.favouritesPath)
    , m_managed(m_tunnelManager, m_overrides, &m_favourites)
    , m_windowsPasswords(m_secrets, [this](const QString& source) { return sessionFor(source); })
    , m_connect(m_launcher, m_managed, settings.connectSettings(defaultCliProgram()))
    , m_actions(m_store, m_connect, m_power)
{
    m_tunnelManager.setDirectAddressMap(m_env.value(QLatin1String(DirectTransport::AddressMapVariable)));
    settings.loadOverrides(m_overrides);
    settings.keepOverrides(m_overrides);
    m_connect.setViaOverrides(&m_overrides);
    m_connect.setWindowsPasswords(&m_windowsPasswords);
    m_actions.setManagedTunnels(&m_managed);

    m_appAccounts = std::make_unique<AppAccounts>(settings.settings(), m_secrets);
    m_appSettings = std::make_unique<AppSettings>(settings.settings());
    m_osUsers = std::make_unique<OsUserOverrides>(settings.settings());
    m_actions.setOsUserOverrides(m_osUsers.get());
    m_accountsModel = std::make_unique<AccountsModel>(m_appAccounts.get());
    auto config = AwsConfig::load(m_env);
    if (config)
        m_config = std::move(*config);
    else
        m_configProblems.append(
            {QStringLiteral("AWS configuration"), {}, QStringLiteral("Reading the config files"), config.error()});
    m_accountsModel->setConfig(m_config, m_env);

    const auto defaultProfile = m_config.profile(resolveProfileName({}, m_env));
    m_http = std::make_unique<AwsHttpClient>(
        HttpSettings::fromEnvironment(m_env,
                                      defaultProfile ? defaultProfile->value(QStringLiteral("ca_bundle")) : QString()),
        m_clock, m_skew);

    QList<InventoryError> problems = m_configProblems;
    const QList<InventorySource> sources = buildSources(problems);
    m_store.setSources(sources);
    m_store.setSetupErrors(problems);
    m_store.setRefreshInterval(settings.refreshIntervalSeconds() * 1000);
    // Accounts added or removed in the app, and settings saved in the dialog, take effect at once.
    connect(m_appAccounts.get(), &AppAccounts::changed, this, &GuiServices::reloadSources);
    connect(m_appSettings.get(), &AppSettings::changed, this, [this] {
        applySettings();
        reloadSources();
    });

    if (Result<void> loaded = m_favourites.load(); !loaded)
        qCWarning(lcConnect).noquote() << loaded.error().toString();
    // Favourites left on reopen once the event loop runs, after the window exists to show them.
    QTimer::singleShot(0, &m_favourites, [this] { m_favourites.openEnabled(); });
}

GuiServices::~GuiServices() = default;

void GuiServices::applySettings()
{
    m_connect.setSettings(m_guiSettings.connectSettings(defaultCliProgram()));
    m_store.setRefreshInterval(m_guiSettings.refreshIntervalSeconds() * 1000);
}

void GuiServices::reloadSources()
{
    // Sessions stay alive: open tunnels may still use them. Only the store's list of sources changes.
    QList<InventoryError> problems = m_configProblems;
    m_store.setSources(buildSources(problems));
    m_store.setSetupErrors(problems);
    m_store.refresh();
}

Result<std::unique_ptr<SsoLogin>> GuiServices::ssoLogin(const QString& profile)
{
    CredentialsOptions options(m_config, *m_http, m_clock);
    options.env = m_env;
    options.explicitProfile = profile;
    return createSsoLogin(options);
}

QList<InventorySource> GuiServices::buildSources(QList<InventoryError>& problems)
{
    QList<InventorySource> sources;
    auto add = [&](const QString& label, const QString& cliProfile, const QString& profileName,
                   std::unique_ptr<CredentialsProvider> provider, QString region = {}, QString cliAccount = {}) {
        if (region.isEmpty())
            region = resolveRegion({}, m_env, m_config.profile(profileName));
        m_sessions.push_back(
            std::make_unique<AwsSession>(m_config, profileName, region, m_env, *m_http, std::move(provider)));
        m_sessionsByLabel.insert(label, m_sessions.back().get());
        InventorySource s;
        s.session = m_sessions.back().get();
        s.label = label;
        s.cliProfile = cliProfile;
        s.cliAccount = cliAccount;
        // Without a region of its own a profile is searched everywhere: we cannot guess where its instances are.
        const ProfileRegions chosen = m_appSettings->regionsFor(label);
        const bool everywhere =
            m_options.allRegions || chosen.all || m_guiSettings.allRegions(label) || region.isEmpty();
        s.regions = everywhere ? QStringList() : (chosen.regions.isEmpty() ? QStringList {region} : chosen.regions);
        if (!cliAccount.isEmpty())
            m_accountSources.insert(label, s);
        sources.append(s);
    };

    CredentialsOptions base(m_config, *m_http, m_clock);
    base.env = m_env;
    base.mfaPrompt = m_mfa.prompt();
    if (!m_env.value(QStringLiteral("AWS_ACCESS_KEY_ID")).isEmpty()
        && !m_env.value(QStringLiteral("AWS_SECRET_ACCESS_KEY")).isEmpty()) {
        // No explicit profile: the chain starts with the environment's keys, as the CLI does without --profile.
        auto provider = createCredentialsProvider(base);
        if (provider)
            add(QStringLiteral("environment"), {}, resolveProfileName({}, m_env), std::move(*provider));
        else
            problems.append(
                {QStringLiteral("environment"), {}, QStringLiteral("Reading credentials"), provider.error()});
    }
    for (const QString& name : m_config.profileNames()) {
        CredentialsOptions options = base;
        options.explicitProfile = name;
        auto provider = createCredentialsProvider(options);
        if (provider) {
            add(name, name, name, std::move(*provider));
        } else if (provider.error().kind == ErrorKind::Config) {
            // A broken profile is worth a line in the banner; one that simply holds no credentials
            // (only a region, say) is not.
            problems.append({name, {}, QStringLiteral("Reading the profile"), provider.error()});
        }
    }
    // Access keys added in the app: the secret comes from the keychain when first needed.
    const QList<AppAccount> accounts = m_appAccounts->accounts();
    // A removed account is forgotten, so one added again under its name (a corrected secret, say) gets a session of
    // its own instead of the old one with the secret it had read. Its old session stays alive for open tunnels.
    for (auto it = m_accountSources.begin(); it != m_accountSources.end();) {
        const bool present =
            std::any_of(accounts.cbegin(), accounts.cend(), [&](const AppAccount& a) { return a.name == it.key(); });
        it = present ? std::next(it) : m_accountSources.erase(it);
    }
    for (const AppAccount& account : accounts) {
        // Built before: keep its session (and the secret it already read from the keychain).
        if (const auto known = m_accountSources.constFind(account.name);
            known != m_accountSources.cend() && !m_config.profileNames().contains(account.name)) {
            sources.append(*known);
            continue;
        }
        add(account.name, {}, account.name,
            std::make_unique<KeychainCredentialsProvider>(m_secrets, account.name, account.accessKeyId,
                                                          AppAccounts::secretKey(account.name)),
            account.region, account.name);
    }
    return sources;
}

QString GuiServices::defaultCliProgram()
{
    const QString dir = QCoreApplication::applicationDirPath();
    for (const QString& candidate :
         {dir + QStringLiteral("/bastionless-cli"), dir + QStringLiteral("/../cli/bastionless-cli")}) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable())
            return info.canonicalFilePath();
    }
    return QStringLiteral("bastionless-cli");
}

} // namespace bl
