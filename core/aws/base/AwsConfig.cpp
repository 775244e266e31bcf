#include "core/aws/base/AwsConfig.h"

#include "core/aws/base/IniParser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace bl {

namespace {

// shlex.split as botocore applies it to "[profile NAME]": whitespace separates words, quotes group them,
// a backslash escapes outside single quotes. nullopt for an unterminated quote.
std::optional<QStringList> shellSplit(const QString& text)
{
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (!quote.isNull()) {
            if (c == quote) {
                quote = QChar();
            } else if (c == QLatin1Char('\\') && quote == QLatin1Char('"') && i + 1 < text.size()
                       && (text.at(i + 1) == QLatin1Char('"') || text.at(i + 1) == QLatin1Char('\\'))) {
                word.append(text.at(++i));
            } else {
                word.append(c);
            }
        } else if (c.isSpace()) {
            if (inWord)
                words.append(word);
            word.clear();
            inWord = false;
        } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            quote = c;
            inWord = true;
        } else if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            word.append(text.at(++i));
            inWord = true;
        } else {
            word.append(c);
            inWord = true;
        }
    }
    if (!quote.isNull())
        return std::nullopt;
    if (inWord)
        words.append(word);
    return words;
}

// "[profile NAME]" -> NAME when the header splits into exactly the prefix and one name; else empty (ignored).
QString prefixedName(const QString& header, const QString& prefix)
{
    const auto words = shellSplit(header);
    if (!words || words->size() != 2 || words->at(0) != prefix)
        return {};
    return words->at(1);
}

void mergeSection(QMap<QString, ConfigSection>& into, const QString& name, const IniSection& section,
                  const QString& file)
{
    if (name.isEmpty())
        return;
    auto it = into.find(name);
    if (it == into.end()) {
        ConfigSection s;
        s.name = name;
        s.file = file;
        s.line = section.line;
        it = into.insert(name, s);
    }
    // A repeated section adds to the first one; later keys win.
    for (auto v = section.values.cbegin(); v != section.values.cend(); ++v) {
        it->values.insert(v.key(), v.value());
        it->nested.remove(v.key());
    }
    for (auto n = section.nested.cbegin(); n != section.nested.cend(); ++n) {
        it->nested.insert(n.key(), n.value());
        it->values.remove(n.key());
    }
}

bool isTrue(const QString& value)
{
    const QString v = value.trimmed().toLower();
    return v == QLatin1String("true") || v == QLatin1String("1") || v == QLatin1String("yes");
}

QString envValue(const QProcessEnvironment& env, const QString& name)
{
    return env.value(name).trimmed();
}

Result<QByteArray> readOptionalFile(const QString& path, const QString& envName)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QByteArray();
    const QString hint =
        QStringLiteral("Make the file readable by your user (e.g. chmod 600), or point %1 at another file.")
            .arg(envName);
    if (info.isDir())
        return Error::make(ErrorKind::Config, QStringLiteral("Cannot read %1: it is a directory").arg(path), hint);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::make(ErrorKind::Config, QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()), hint);
    return file.readAll();
}

} // namespace

QString profileKindName(ProfileKind kind)
{
    switch (kind) {
    case ProfileKind::StaticKeys:
        return QStringLiteral("keys");
    case ProfileKind::AssumeRole:
        return QStringLiteral("role");
    case ProfileKind::Sso:
        return QStringLiteral("SSO");
    case ProfileKind::Process:
        return QStringLiteral("process");
    case ProfileKind::WebIdentity:
        return QStringLiteral("web identity");
    case ProfileKind::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

Result<AwsConfig> AwsConfig::load(const QProcessEnvironment& env)
{
    const QString configEnv = QStringLiteral("AWS_CONFIG_FILE");
    const QString credentialsEnv = QStringLiteral("AWS_SHARED_CREDENTIALS_FILE");
    QString configPath = envValue(env, configEnv);
    QString credentialsPath = envValue(env, credentialsEnv);
    configPath = expandPath(configPath.isEmpty() ? QStringLiteral("~/.aws/config") : configPath, env);
    credentialsPath =
        expandPath(credentialsPath.isEmpty() ? QStringLiteral("~/.aws/credentials") : credentialsPath, env);

    const Result<QByteArray> configText = readOptionalFile(configPath, configEnv);
    if (!configText)
        return configText.error();
    const Result<QByteArray> credentialsText = readOptionalFile(credentialsPath, credentialsEnv);
    if (!credentialsText)
        return credentialsText.error();
    return fromText(*configText, *credentialsText, configPath, credentialsPath);
}

Result<AwsConfig> AwsConfig::fromText(const QByteArray& configText, const QByteArray& credentialsText,
                                      const QString& configName, const QString& credentialsName)
{
    const auto configSections = IniParser::parse(configText, configName);
    if (!configSections)
        return configSections.error();
    const auto credentialSections = IniParser::parse(credentialsText, credentialsName);
    if (!credentialSections)
        return credentialSections.error();

    AwsConfig config;
    config.m_configPath = configName;
    config.m_credentialsPath = credentialsName;
    for (const IniSection& section : *configSections) {
        const QString& header = section.header;
        // Anything else (e.g. "[name]" without "profile ", "[profilefoo]") is not a profile in this file.
        if (header == QLatin1String("default"))
            mergeSection(config.m_configProfiles, header, section, configName);
        else if (header.startsWith(QLatin1String("profile")))
            mergeSection(config.m_configProfiles, prefixedName(header, QStringLiteral("profile")), section, configName);
        else if (header.startsWith(QLatin1String("sso-session")))
            mergeSection(config.m_ssoSessions, prefixedName(header, QStringLiteral("sso-session")), section,
                         configName);
        else if (header.startsWith(QLatin1String("services")))
            mergeSection(config.m_services, prefixedName(header, QStringLiteral("services")), section, configName);
    }
    for (const IniSection& section : *credentialSections)
        mergeSection(config.m_credentialProfiles, section.header, section, credentialsName);
    return config;
}

QStringList AwsConfig::profileNames() const
{
    QStringList names = m_configProfiles.keys() + m_credentialProfiles.keys();
    names.removeDuplicates();
    std::sort(names.begin(), names.end());
    const QString def = QStringLiteral("default");
    if (names.removeOne(def))
        names.prepend(def);
    return names;
}

std::optional<ConfigSection> AwsConfig::profile(const QString& name) const
{
    const auto cfg = m_configProfiles.constFind(name);
    const auto creds = m_credentialProfiles.constFind(name);
    const bool inConfig = cfg != m_configProfiles.cend();
    const bool inCredentials = creds != m_credentialProfiles.cend();
    if (!inConfig && !inCredentials)
        return std::nullopt;
    ConfigSection merged = inConfig ? *cfg : *creds;
    if (inConfig && inCredentials) {
        for (auto v = creds->values.cbegin(); v != creds->values.cend(); ++v) {
            merged.values.insert(v.key(), v.value());
            merged.nested.remove(v.key());
        }
        for (auto n = creds->nested.cbegin(); n != creds->nested.cend(); ++n) {
            merged.nested.insert(n.key(), n.value());
            merged.values.remove(n.key());
        }
    }
    return merged;
}

std::optional<ConfigSection> AwsConfig::ssoSession(const QString& name) const
{
    const auto it = m_ssoSessions.constFind(name);
    if (it == m_ssoSessions.cend())
        return std::nullopt;
    return *it;
}

std::optional<ConfigSection> AwsConfig::services(const QString& name) const
{
    const auto it = m_services.constFind(name);
    if (it == m_services.cend())
        return std::nullopt;
    return *it;
}

ProfileKind AwsConfig::profileKind(const QString& name) const
{
    const auto merged = profile(name);
    if (!merged)
        return ProfileKind::Unknown;
    const ConfigSection& p = *merged;
    // Same order as botocore's provider chain (§2.2): the first provider that would fire names the kind.
    if (p.has(QStringLiteral("role_arn")) && !p.has(QStringLiteral("web_identity_token_file")))
        return ProfileKind::AssumeRole;
    if (p.has(QStringLiteral("web_identity_token_file")))
        return ProfileKind::WebIdentity;
    if (p.has(QStringLiteral("sso_account_id")) && p.has(QStringLiteral("sso_role_name"))
        && (p.has(QStringLiteral("sso_session")) || p.has(QStringLiteral("sso_start_url"))))
        return ProfileKind::Sso;
    if (m_credentialProfiles.value(name).has(QStringLiteral("aws_access_key_id")))
        return ProfileKind::StaticKeys;
    if (p.has(QStringLiteral("credential_process")))
        return ProfileKind::Process;
    if (p.has(QStringLiteral("aws_access_key_id")))
        return ProfileKind::StaticKeys;
    return ProfileKind::Unknown;
}

QString expandPath(const QString& path, const QProcessEnvironment& env)
{
    QString out = path;
    if (out == QLatin1String("~") || out.startsWith(QLatin1String("~/"))) {
        QString home = env.value(QStringLiteral("HOME"));
        if (home.isEmpty())
            home = QDir::homePath();
        out = home + out.mid(1);
    }

    // $VAR and ${VAR}; unknown variables stay as written, like os.path.expandvars.
    QString result;
    qsizetype i = 0;
    while (i < out.size()) {
        const QChar c = out.at(i);
        if (c != QLatin1Char('$') || i + 1 >= out.size()) {
            result.append(c);
            ++i;
            continue;
        }
        const bool braced = out.at(i + 1) == QLatin1Char('{');
        qsizetype start = i + (braced ? 2 : 1);
        qsizetype end = start;
        while (end < out.size() && (out.at(end).isLetterOrNumber() || out.at(end) == QLatin1Char('_')))
            ++end;
        const bool closed = !braced || (end < out.size() && out.at(end) == QLatin1Char('}'));
        const QString name = out.mid(start, end - start);
        if (name.isEmpty() || !closed || !env.contains(name)) {
            result.append(c);
            ++i;
            continue;
        }
        result.append(env.value(name));
        i = braced ? end + 1 : end;
    }
    return result;
}

QString resolveProfileName(const QString& explicitProfile, const QProcessEnvironment& env)
{
    for (const QString& candidate : {explicitProfile.trimmed(), envValue(env, QStringLiteral("AWS_PROFILE")),
                                     envValue(env, QStringLiteral("AWS_DEFAULT_PROFILE"))}) {
        if (!candidate.isEmpty())
            return candidate;
    }
    return QStringLiteral("default");
}

QString resolveRegion(const QString& explicitRegion, const QProcessEnvironment& env,
                      const std::optional<ConfigSection>& profile)
{
    for (const QString& candidate : {explicitRegion.trimmed(), envValue(env, QStringLiteral("AWS_REGION")),
                                     envValue(env, QStringLiteral("AWS_DEFAULT_REGION"))}) {
        if (!candidate.isEmpty())
            return candidate;
    }
    return profile ? profile->value(QStringLiteral("region")) : QString();
}

bool useFips(const QProcessEnvironment& env, const std::optional<ConfigSection>& profile)
{
    // Like botocore, a set environment variable decides even when it says false.
    const QString fromEnv = envValue(env, QStringLiteral("AWS_USE_FIPS_ENDPOINT"));
    if (!fromEnv.isEmpty())
        return isTrue(fromEnv);
    return profile && isTrue(profile->value(QStringLiteral("use_fips_endpoint")));
}

} // namespace bl
