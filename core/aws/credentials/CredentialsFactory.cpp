#include "core/aws/credentials/CredentialsFactory.h"

#include "core/aws/base/Endpoints.h"
#include "core/aws/credentials/AssumeRoleProvider.h"
#include "core/aws/credentials/CachingProvider.h"
#include "core/aws/credentials/EnvironmentProvider.h"
#include "core/aws/credentials/SsoLogin.h"
#include "core/aws/credentials/SsoProvider.h"
#include "core/aws/credentials/StaticProvider.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace bl {

namespace {

using ProviderPtr = std::unique_ptr<CredentialsProvider>;

const QString NoImdsNote = QStringLiteral("Bastionless is a desktop app: it does not use EC2 instance metadata or "
                                          "container credentials.");

QString homeOf(const CredentialsOptions& o)
{
    if (!o.homeDirectory.isEmpty())
        return o.homeDirectory;
    const QString home = o.env.value(QStringLiteral("HOME"));
    return home.isEmpty() ? QDir::homePath() : home;
}

ProviderPtr cached(ProviderPtr p, const Clock& clock)
{
    return std::make_unique<CachingProvider>(std::move(p), clock);
}

// Walks one profile's configuration and builds its provider; remembers the profiles on the current path
// of source_profile links to detect loops.
class ChainBuilder
{
public:
    explicit ChainBuilder(const CredentialsOptions& o)
        : m_o(o)
    { }

    Result<ProviderPtr> build()
    {
        const QString name = resolveProfileName(m_o.explicitProfile, m_o.env);
        if (m_o.explicitProfile.isEmpty() && EnvironmentProvider::applies(m_o.env))
            return cached(std::make_unique<EnvironmentProvider>(m_o.env, m_o.clock), m_o.clock);

        const std::optional<ConfigSection> profile = m_o.config.profile(name);
        const bool named = !m_o.explicitProfile.isEmpty() || name != QLatin1String("default");
        if (!profile) {
            if (named)
                return missingProfile(name);
            return noCredentials(name);
        }
        QStringList path;
        Result<ProviderPtr> p = profileChain(name, *profile, path, true);
        if (!p.ok())
            return p.error();
        if (!*p)
            return noCredentials(name);
        return cached(std::move(p.value()), m_o.clock);
    }

    // The chain for one profile, environment excluded. nullptr when nothing in the profile gives credentials.
    Result<ProviderPtr> profileChain(const QString& name, const ConfigSection& p, QStringList& path, bool allowRole)
    {
        if (p.has(QStringLiteral("web_identity_token_file"))) {
            return Error::make(ErrorKind::Config,
                               QStringLiteral("Profile %1 uses web_identity_token_file, which Bastionless does not "
                                              "support")
                                   .arg(name),
                               QStringLiteral("Use a profile with keys, a role with a source_profile, IAM Identity "
                                              "Center or credential_process."));
        }
        if (allowRole && p.has(QStringLiteral("role_arn")))
            return assumeRole(name, p, path);
        if (SsoConfig::profileUsesSso(p))
            return sso(name);

        const bool keys = StaticProvider::hasKeys(p);
        const bool keysInCredentialsFile = keys && keysComeFromCredentialsFile(name);
        if (keysInCredentialsFile)
            return staticKeys(name, p, m_o.config.credentialsPath());
        if (p.has(QStringLiteral("credential_process")))
            return process(name, p);
        if (keys)
            return staticKeys(name, p, m_o.config.configPath());
        return ProviderPtr();
    }

private:
    Result<ProviderPtr> staticKeys(const QString& name, const ConfigSection& p, const QString& file)
    {
        Result<Credentials> c = StaticProvider::fromSection(p, name, file);
        if (!c.ok())
            return c.error();
        return ProviderPtr(std::make_unique<StaticProvider>(
            c.value(), QStringLiteral("profile %1: static keys in %2").arg(name, file)));
    }

    Result<ProviderPtr> process(const QString& name, const ConfigSection& p)
    {
        Result<QStringList> argv = ProcessProvider::splitCommandLine(p.value(QStringLiteral("credential_process")));
        if (!argv.ok()) {
            Error e = argv.error();
            e.message = QStringLiteral("Profile %1: %2").arg(name, e.message);
            return e;
        }
        return ProviderPtr(std::make_unique<ProcessProvider>(argv.value(), name, m_o.env, m_o.processTimeoutMs));
    }

    Result<ProviderPtr> sso(const QString& name)
    {
        Result<SsoConfig> c = SsoConfig::fromProfile(m_o.config, name);
        if (!c.ok())
            return c.error();
        const Result<void> role = c->requireRole();
        if (!role.ok())
            return role.error();
        const std::optional<ConfigSection> profile = m_o.config.profile(name);
        Result<ResolvedEndpoint> oidc =
            resolveEndpoint(QStringLiteral("sso-oidc"), c->ssoRegion, m_o.config, profile, m_o.env);
        if (!oidc.ok())
            return oidc.error();
        Result<ResolvedEndpoint> portal =
            resolveEndpoint(QStringLiteral("sso"), c->ssoRegion, m_o.config, profile, m_o.env);
        if (!portal.ok())
            return portal.error();
        SsoProviderSettings s;
        s.sso = c.value();
        s.oidc = oidc.value();
        s.portal = portal.value();
        s.ssoCacheDirectory = ssoCacheDirectory(m_o);
        s.cliCacheDirectory = m_o.writeCliCache ? cliCacheDirectory(m_o) : QString();
        return ProviderPtr(std::make_unique<SsoProvider>(std::move(s), m_o.http, m_o.clock));
    }

    Result<ProviderPtr> assumeRole(const QString& name, const ConfigSection& p, QStringList& path)
    {
        path.append(name);
        const QString where = QStringLiteral("Profile %1 (%2)").arg(name, p.file);
        const QString sourceProfile = p.value(QStringLiteral("source_profile"));
        const QString credentialSource = p.value(QStringLiteral("credential_source"));
        if (!sourceProfile.isEmpty() && !credentialSource.isEmpty()) {
            return Error::make(ErrorKind::Config,
                               QStringLiteral("%1 sets both source_profile and credential_source").arg(where),
                               QStringLiteral("Keep exactly one of them."));
        }
        if (sourceProfile.isEmpty() && credentialSource.isEmpty()) {
            return Error::make(
                ErrorKind::Config,
                QStringLiteral("%1 has role_arn but neither source_profile nor credential_source").arg(where),
                QStringLiteral("Add source_profile = <profile with the credentials that may assume "
                               "the role>, or credential_source = Environment."));
        }

        ProviderPtr source;
        if (!credentialSource.isEmpty()) {
            if (credentialSource == QLatin1String("Environment")) {
                source = std::make_unique<EnvironmentProvider>(m_o.env, m_o.clock);
            } else if (credentialSource == QLatin1String("Ec2InstanceMetadata")
                       || credentialSource == QLatin1String("EcsContainer")) {
                return Error::make(ErrorKind::Config,
                                   QStringLiteral("%1 uses credential_source = %2, which is not available here")
                                       .arg(where, credentialSource),
                                   NoImdsNote
                                       + QStringLiteral(" Use source_profile or credential_source = "
                                                        "Environment."));
            } else {
                return Error::make(
                    ErrorKind::Config,
                    QStringLiteral("%1 has an unknown credential_source \"%2\"").arg(where, credentialSource),
                    QStringLiteral("Valid here: Environment (or use source_profile)."));
            }
        } else {
            Result<ProviderPtr> s = sourceFor(name, sourceProfile, path);
            if (!s.ok())
                return s.error();
            source = std::move(s.value());
        }

        AssumeRoleSettings s;
        s.profileName = name;
        s.params.roleArn = p.value(QStringLiteral("role_arn"));
        s.params.roleSessionName = p.value(QStringLiteral("role_session_name"));
        s.params.externalId = p.value(QStringLiteral("external_id"));
        s.params.serialNumber = p.value(QStringLiteral("mfa_serial"));
        const QString duration = p.value(QStringLiteral("duration_seconds"));
        if (!duration.isEmpty()) {
            bool ok = false;
            const int secs = duration.toInt(&ok);
            if (!ok) {
                return Error::make(
                    ErrorKind::Config,
                    QStringLiteral("%1: duration_seconds \"%2\" is not a whole number").arg(where, duration),
                    QStringLiteral("Use a number of seconds between 900 and 43200."));
            }
            s.params.durationSeconds = secs;
        }
        QString region = resolveRegion(m_o.explicitRegion, m_o.env, p);
        if (region.isEmpty())
            region = QStringLiteral("us-east-1");
        Result<ResolvedEndpoint> sts = resolveEndpoint(QStringLiteral("sts"), region, m_o.config, p, m_o.env);
        if (!sts.ok())
            return sts.error();
        s.sts = sts.value();
        s.cacheDirectory = m_o.writeCliCache ? cliCacheDirectory(m_o) : QString();
        path.removeLast();
        return ProviderPtr(std::make_unique<AssumeRoleProvider>(std::move(s), cached(std::move(source), m_o.clock),
                                                                m_o.http, m_o.clock, m_o.mfaPrompt));
    }

    // botocore's rules: a source with static keys (or without role_arn) gives its credentials through its
    // own chain, without assuming its role; otherwise its role is assumed in turn. A profile may name itself
    // only when it has static keys.
    Result<ProviderPtr> sourceFor(const QString& parent, const QString& sourceName, QStringList& path)
    {
        const std::optional<ConfigSection> src = m_o.config.profile(sourceName);
        if (!src) {
            Error e = Error::make(ErrorKind::Config,
                                  QStringLiteral("Profile %1 names source_profile %2, which exists in neither %3 nor "
                                                 "%4")
                                      .arg(parent, sourceName, m_o.config.configPath(), m_o.config.credentialsPath()));
            e.hint = availableProfilesHint();
            return e;
        }
        const bool staticKeys = StaticProvider::hasKeys(*src);
        if (path.contains(sourceName) && !(sourceName == parent && staticKeys)) {
            QStringList loop = path.mid(path.indexOf(sourceName));
            loop.append(sourceName);
            return Error::make(
                ErrorKind::Config,
                QStringLiteral("The source_profile settings form a loop: %1").arg(loop.join(QStringLiteral(" -> "))),
                QStringLiteral("Point one of these profiles at a profile with credentials (keys, IAM "
                               "Identity Center or credential_process). A profile may be its own "
                               "source_profile only when it has static keys."));
        }
        Result<ProviderPtr> chain = (staticKeys || !src->has(QStringLiteral("role_arn")))
            ? profileChain(sourceName, *src, path, false)
            : assumeRole(sourceName, *src, path);
        if (!chain.ok())
            return chain.error();
        if (!*chain) {
            return Error::make(
                ErrorKind::Config,
                QStringLiteral("Profile %1 names source_profile %2, which has no credentials").arg(parent, sourceName),
                QStringLiteral("Give profile %1 keys, IAM Identity Center settings, a "
                               "credential_process or a role of its own.")
                    .arg(sourceName));
        }
        return chain;
    }

    // The merged profile cannot say which file its keys came from; botocore puts credentials-file keys
    // ahead of credential_process and config-file keys after it, so look at the credentials file itself.
    bool keysComeFromCredentialsFile(const QString& name)
    {
        if (!m_credentialsLoaded) {
            m_credentialsLoaded = true;
            QFile f(m_o.config.credentialsPath());
            if (f.open(QIODevice::ReadOnly)) {
                Result<AwsConfig> only =
                    AwsConfig::fromText(QByteArray(), f.readAll(), QString(), m_o.config.credentialsPath());
                if (only.ok())
                    m_credentialsOnly = only.value();
            } else if (QFileInfo::exists(m_o.config.configPath())) {
                m_credentialsOnly = AwsConfig(); // no credentials file at all
            }
        }
        // Configuration built from text (tests) has no files to look at: treat keys as credentials-file keys.
        if (!m_credentialsOnly)
            return true;
        const std::optional<ConfigSection> c = m_credentialsOnly->profile(name);
        return c && StaticProvider::hasKeys(*c);
    }

    QString availableProfilesHint() const
    {
        const QStringList names = m_o.config.profileNames();
        if (names.isEmpty()) {
            return QStringLiteral("No profiles are configured. Create one with `aws configure --profile NAME` or "
                                  "`aws configure sso`.");
        }
        return QStringLiteral("Available profiles: %1. Choose one with --profile or AWS_PROFILE.")
            .arg(names.join(QStringLiteral(", ")));
    }

    Error missingProfile(const QString& name) const
    {
        const QString from = m_o.explicitProfile.isEmpty()
            ? (m_o.env.value(QStringLiteral("AWS_PROFILE")).isEmpty() ? QStringLiteral(" (from AWS_DEFAULT_PROFILE)")
                                                                      : QStringLiteral(" (from AWS_PROFILE)"))
            : QString();
        Error e = Error::make(ErrorKind::Config,
                              QStringLiteral("Profile %1%2 exists in neither %3 nor %4")
                                  .arg(name, from, m_o.config.configPath(), m_o.config.credentialsPath()));
        e.hint = availableProfilesHint();
        return e;
    }

    Error noCredentials(const QString& name) const
    {
        const bool exists = m_o.config.profile(name).has_value();
        const QString why = exists
            ? QStringLiteral("profile %1 has no keys, role, IAM Identity Center settings or credential_process")
                  .arg(name)
            : QStringLiteral("there is no AWS_ACCESS_KEY_ID in the environment and no profile %1 in %2 or %3")
                  .arg(name, m_o.config.configPath(), m_o.config.credentialsPath());
        QString hint = QStringLiteral("Configure a profile (`aws configure` or `aws configure sso`), set AWS_PROFILE "
                                      "to a profile that has credentials, or run `bastionless-cli login` for IAM "
                                      "Identity Center. ");
        const QStringList names = m_o.config.profileNames();
        if (!names.isEmpty())
            hint += QStringLiteral("Available profiles: %1. ").arg(names.join(QStringLiteral(", ")));
        return Error::make(ErrorKind::Credentials, QStringLiteral("No AWS credentials found: %1").arg(why),
                           hint + NoImdsNote);
    }

    const CredentialsOptions& m_o;
    bool m_credentialsLoaded = false;
    std::optional<AwsConfig> m_credentialsOnly;
};

} // namespace

QString cliCacheDirectory(const CredentialsOptions& options)
{
    return QDir(homeOf(options)).filePath(QStringLiteral(".aws/cli/cache"));
}

QString ssoCacheDirectory(const CredentialsOptions& options)
{
    return QDir(homeOf(options)).filePath(QStringLiteral(".aws/sso/cache"));
}

Result<std::unique_ptr<CredentialsProvider>> createCredentialsProvider(const CredentialsOptions& options)
{
    return ChainBuilder(options).build();
}

Result<std::unique_ptr<SsoLogin>> createSsoLogin(const CredentialsOptions& options)
{
    const QString name = resolveProfileName(options.explicitProfile, options.env);
    const std::optional<ConfigSection> profile = options.config.profile(name);
    if (!profile) {
        Error e = Error::make(ErrorKind::Config,
                              QStringLiteral("Profile %1 exists in neither %2 nor %3")
                                  .arg(name, options.config.configPath(), options.config.credentialsPath()));
        const QStringList names = options.config.profileNames();
        if (!names.isEmpty())
            e.hint = QStringLiteral("Available profiles: %1.").arg(names.join(QStringLiteral(", ")));
        return e;
    }
    if (!SsoConfig::profileUsesSso(*profile)) {
        return Error::make(
            ErrorKind::Config,
            QStringLiteral("Profile %1 has no IAM Identity Center (SSO) settings to log in with").arg(name),
            QStringLiteral("Add sso_session (with an [sso-session] section) or sso_start_url and "
                           "sso_region to the profile, e.g. with `aws configure sso`."));
    }
    Result<SsoConfig> c = SsoConfig::fromProfile(options.config, name);
    if (!c.ok())
        return c.error();
    Result<ResolvedEndpoint> oidc =
        resolveEndpoint(QStringLiteral("sso-oidc"), c->ssoRegion, options.config, profile, options.env);
    if (!oidc.ok())
        return oidc.error();
    return std::make_unique<SsoLogin>(c.value(), oidc.value(), ssoCacheDirectory(options), options.http, options.clock);
}

} // namespace bl
