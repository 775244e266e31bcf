#include "app/cli/CliServices.h"

#include "core/tunnel/DirectTransport.h"

#include "app/cli/Console.h"
#include "app/cli/ExitCodes.h"
#include "app/cli/TerminalPrompt.h"
#include "core/aws/credentials/CredentialsFactory.h"

#include <cstdio>

namespace bl::cli {

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
    return resolveProfileName(m_options.profile, m_env);
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
    auto cfg = config();
    return resolveRegion({}, m_env, cfg ? cfg->profile(profileName()) : std::nullopt);
}

Result<AwsSession*> CliServices::session()
{
    if (m_session)
        return m_session.get();
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
        const auto section = cfg ? cfg->profile(profileName()) : std::nullopt;
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
