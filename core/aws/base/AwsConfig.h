#pragma once
// The shared AWS configuration: ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE /
// AWS_SHARED_CREDENTIALS_FILE), parsed the way the AWS CLI v2 parses them (PROTOCOLS.md §2.3), plus
// profile-name and region resolution. Pure data: reading the files is the only I/O.

#include "core/util/Result.h"

#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace bl {

// One key = value map with nested blocks ("s3 =\n  addressing_style = path").
struct ConfigSection
{
    QString name; // profile / sso-session / services name
    QMap<QString, QString> values; // lower-cased keys, values trimmed
    QMap<QString, QMap<QString, QString>> nested; // key -> sub-map
    QString file; // where it came from, for messages
    int line = 0;

    QString value(const QString& key) const { return values.value(key); }
    bool has(const QString& key) const { return values.contains(key) && !values.value(key).isEmpty(); }
};

enum class ProfileKind { StaticKeys, AssumeRole, Sso, Process, WebIdentity, Unknown };
QString profileKindName(ProfileKind kind); // "keys", "role", "SSO", "process", ...

class AwsConfig
{
public:
    // Reads the files named by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/...; '~' and
    // $VAR expanded). Absent files are fine; an unreadable file or a line that cannot be parsed is an
    // ErrorKind::Config error naming file and line.
    static Result<AwsConfig> load(const QProcessEnvironment& env);
    // From text (tests). fileNames are only used in messages.
    static Result<AwsConfig> fromText(const QByteArray& configText, const QByteArray& credentialsText,
                                      const QString& configName = QStringLiteral("config"),
                                      const QString& credentialsName = QStringLiteral("credentials"));

    QStringList profileNames() const; // union of both files, sorted, "default" first if present
    // The merged profile (credentials-file keys overlay config-file keys); nullopt if neither file has it.
    std::optional<ConfigSection> profile(const QString& name) const;
    std::optional<ConfigSection> ssoSession(const QString& name) const;
    std::optional<ConfigSection> services(const QString& name) const; // [services NAME]; nested per service id
    ProfileKind profileKind(const QString& name) const;

    QString configPath() const { return m_configPath; }
    QString credentialsPath() const { return m_credentialsPath; }

private:
    QMap<QString, ConfigSection> m_configProfiles;
    QMap<QString, ConfigSection> m_credentialProfiles;
    QMap<QString, ConfigSection> m_ssoSessions;
    QMap<QString, ConfigSection> m_services;
    QString m_configPath;
    QString m_credentialsPath;
};

// Expands a leading "~" and $VAR / ${VAR} with env (HOME from env).
QString expandPath(const QString& path, const QProcessEnvironment& env);

// Profile name: explicit (--profile) > AWS_PROFILE > AWS_DEFAULT_PROFILE > "default".
QString resolveProfileName(const QString& explicitProfile, const QProcessEnvironment& env);

// Region: explicit (--region) > AWS_REGION > AWS_DEFAULT_REGION > profile "region" > empty.
QString resolveRegion(const QString& explicitRegion, const QProcessEnvironment& env,
                      const std::optional<ConfigSection>& profile);

// True for "true"/"1"/"yes" in env or profile key (AWS_USE_FIPS_ENDPOINT / use_fips_endpoint).
bool useFips(const QProcessEnvironment& env, const std::optional<ConfigSection>& profile);

} // namespace bl
