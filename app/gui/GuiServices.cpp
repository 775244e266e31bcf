#include "app/gui/GuiServices.h"

#include "app/gui/GuiSettings.h"
#include "core/aws/credentials/CredentialsFactory.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace bl {

GuiServices::GuiServices(QProcessEnvironment env, const GuiSettings& settings, GuiOptions options, QObject* parent)
    : QObject(parent)
    , m_env(std::move(env))
    , m_options(options)
    , m_power(m_store)
    , m_connect(m_launcher, m_tunnels, settings.connectSettings(defaultCliProgram()))
    , m_actions(m_store, m_connect, m_power)
{
    QList<InventoryError> problems;
    auto config = AwsConfig::load(m_env);
    if (config)
        m_config = std::move(*config);
    else
        problems.append(
            {QStringLiteral("AWS configuration"), {}, QStringLiteral("Reading the config files"), config.error()});

    const auto defaultProfile = m_config.profile(resolveProfileName({}, m_env));
    m_http = std::make_unique<AwsHttpClient>(
        HttpSettings::fromEnvironment(m_env,
                                      defaultProfile ? defaultProfile->value(QStringLiteral("ca_bundle")) : QString()),
        m_clock, m_skew);

    const QList<InventorySource> sources = buildSources(settings, problems);
    m_store.setSources(sources);
    m_store.setSetupErrors(problems);
    m_store.setRefreshInterval(settings.refreshIntervalSeconds() * 1000);
}

GuiServices::~GuiServices() = default;

QList<InventorySource> GuiServices::buildSources(const GuiSettings& settings, QList<InventoryError>& problems)
{
    QList<InventorySource> sources;
    auto add = [&](const QString& label, const QString& cliProfile, const QString& profileName,
                   std::unique_ptr<CredentialsProvider> provider) {
        const QString region = resolveRegion({}, m_env, m_config.profile(profileName));
        m_sessions.push_back(
            std::make_unique<AwsSession>(m_config, profileName, region, m_env, *m_http, std::move(provider)));
        InventorySource s;
        s.session = m_sessions.back().get();
        s.label = label;
        s.cliProfile = cliProfile;
        // Without a region of its own a profile is searched everywhere: we cannot guess where its instances are.
        const bool everywhere = m_options.allRegions || settings.allRegions(label) || region.isEmpty();
        s.regions = everywhere ? QStringList() : QStringList {region};
        sources.append(s);
    };

    CredentialsOptions base(m_config, *m_http, m_clock);
    base.env = m_env;
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
