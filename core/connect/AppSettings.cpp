#include "core/connect/AppSettings.h"

#include <QRegularExpression>
#include <QSettings>

namespace bl {

namespace {

const QString KeyVersion = QStringLiteral("settings/version");
const QString KeyTerminal = QStringLiteral("connect/terminal");
const QString KeyRdp = QStringLiteral("connect/rdpViewer");
const QString KeyVnc = QStringLiteral("connect/vncViewer");
const QString KeyTransport = QStringLiteral("connect/transport");
const QString KeyAllRegions = QStringLiteral("inventory/allRegions");
const QString KeyRefresh = QStringLiteral("inventory/refreshIntervalSeconds");
const QString ProfilesGroup = QStringLiteral("profiles");
const QString KeyProfileAll = QStringLiteral("allRegions");
const QString KeyProfileRegions = QStringLiteral("regions");

const QRegularExpression& regionPattern()
{
    static const QRegularExpression re(QStringLiteral("^[a-z]{2}(-[a-z]+)+-[0-9]+$"));
    return re;
}

void setOrRemove(QSettings& s, const QString& key, const QString& value)
{
    if (value.isEmpty())
        s.remove(key);
    else
        s.setValue(key, value);
}

} // namespace

QStringList AppSettings::transports()
{
    return {QStringLiteral("auto"), QStringLiteral("eice"), QStringLiteral("direct"), QStringLiteral("ssm")};
}

AppSettings::AppSettings(QSettings& settings, QObject* parent)
    : QObject(parent)
    , m_settings(settings)
{
    load();
}

ProfileRegions AppSettings::regionsFor(const QString& profile) const
{
    const auto it = m_values.profileRegions.constFind(profile);
    if (it != m_values.profileRegions.constEnd())
        return *it;
    ProfileRegions r;
    r.all = m_values.allRegions;
    return r;
}

void AppSettings::load()
{
    // Version 0 (no version key) used the same keys; a later version migrates here.
    AppSettingsValues v;
    v.terminal = m_settings.value(KeyTerminal).toString();
    v.rdpViewer = m_settings.value(KeyRdp).toString();
    v.vncViewer = m_settings.value(KeyVnc).toString();
    const QString transport = m_settings.value(KeyTransport, v.defaultTransport).toString();
    if (transports().contains(transport))
        v.defaultTransport = transport;
    v.allRegions = m_settings.value(KeyAllRegions, false).toBool();
    v.refreshIntervalSeconds =
        qBound(0, m_settings.value(KeyRefresh, v.refreshIntervalSeconds).toInt(), MaxRefreshIntervalSeconds);

    m_settings.beginGroup(ProfilesGroup);
    const QStringList profiles = m_settings.childGroups();
    for (const QString& profile : profiles) {
        ProfileRegions r;
        const QVariant all = m_settings.value(profile + QLatin1Char('/') + KeyProfileAll);
        r.all = all.isValid() ? all.toBool() : v.allRegions;
        r.regions = m_settings.value(profile + QLatin1Char('/') + KeyProfileRegions).toStringList();
        r.regions.removeAll(QString());
        if (r.all)
            r.regions.clear();
        // An entry that only repeats the global default is not an override.
        if (all.isValid() || !r.regions.isEmpty())
            v.profileRegions.insert(profile, r);
    }
    m_settings.endGroup();
    m_values = v;
}

Result<void> AppSettings::validate(const AppSettingsValues& v)
{
    if (!transports().contains(v.defaultTransport))
        return Error::make(ErrorKind::Usage, QStringLiteral("\"%1\" is not a transport").arg(v.defaultTransport),
                           QStringLiteral("Choose one of: %1.").arg(transports().join(QStringLiteral(", "))));
    if (v.refreshIntervalSeconds < 0 || v.refreshIntervalSeconds > MaxRefreshIntervalSeconds)
        return Error::make(ErrorKind::Usage,
                           QStringLiteral("A refresh interval of %1 s is out of range").arg(v.refreshIntervalSeconds),
                           QStringLiteral("Use 0 (refresh by hand) up to %1 seconds.").arg(MaxRefreshIntervalSeconds));
    for (auto it = v.profileRegions.cbegin(); it != v.profileRegions.cend(); ++it) {
        if (it.key().isEmpty() || it.key().contains(QLatin1Char('/')))
            return Error::make(ErrorKind::Usage, QStringLiteral("\"%1\" is not a profile name").arg(it.key()));
        for (const QString& region : it->regions) {
            if (!regionPattern().match(region).hasMatch())
                return Error::make(ErrorKind::Usage,
                                   QStringLiteral("Profile %1: \"%2\" is not a region").arg(it.key(), region),
                                   QStringLiteral("Use region codes such as eu-west-1, or \"all\"."));
        }
    }
    return {};
}

Result<ProfileRegions> AppSettings::parseRegions(const QString& text)
{
    ProfileRegions r;
    const QString trimmed = text.trimmed();
    if (trimmed.compare(QLatin1String("all"), Qt::CaseInsensitive) == 0) {
        r.all = true;
        return r;
    }
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    const QStringList parts = trimmed.split(separators, Qt::SkipEmptyParts);
    for (const QString& part : parts) {
        const QString region = part.toLower();
        if (!regionPattern().match(region).hasMatch())
            return Error::make(ErrorKind::Usage, QStringLiteral("\"%1\" is not a region").arg(part),
                               QStringLiteral("Write \"all\", region codes such as eu-west-1, us-east-1, or nothing "
                                              "for the profile's own region."));
        if (!r.regions.contains(region))
            r.regions.append(region);
    }
    return r;
}

QString AppSettings::formatRegions(const ProfileRegions& regions)
{
    if (regions.all)
        return QStringLiteral("all");
    return regions.regions.join(QStringLiteral(", "));
}

Result<void> AppSettings::save(const AppSettingsValues& v)
{
    const Result<void> valid = validate(v);
    if (!valid.ok())
        return valid;

    m_settings.setValue(KeyVersion, Version);
    setOrRemove(m_settings, KeyTerminal, v.terminal);
    setOrRemove(m_settings, KeyRdp, v.rdpViewer);
    setOrRemove(m_settings, KeyVnc, v.vncViewer);
    m_settings.setValue(KeyTransport, v.defaultTransport);
    m_settings.setValue(KeyAllRegions, v.allRegions);
    m_settings.setValue(KeyRefresh, v.refreshIntervalSeconds);

    // Only the region keys are ours: other keys a profile group may hold stay.
    m_settings.beginGroup(ProfilesGroup);
    const QStringList existing = m_settings.childGroups();
    for (const QString& profile : existing) {
        if (!v.profileRegions.contains(profile)) {
            m_settings.remove(profile + QLatin1Char('/') + KeyProfileAll);
            m_settings.remove(profile + QLatin1Char('/') + KeyProfileRegions);
        }
    }
    for (auto it = v.profileRegions.cbegin(); it != v.profileRegions.cend(); ++it) {
        m_settings.setValue(it.key() + QLatin1Char('/') + KeyProfileAll, it->all);
        if (it->regions.isEmpty() || it->all)
            m_settings.remove(it.key() + QLatin1Char('/') + KeyProfileRegions);
        else
            m_settings.setValue(it.key() + QLatin1Char('/') + KeyProfileRegions, it->regions);
    }
    m_settings.endGroup();

    m_settings.sync();
    if (m_settings.status() != QSettings::NoError) {
        return Error::make(ErrorKind::Io,
                           QStringLiteral("Could not save the settings to %1").arg(m_settings.fileName()),
                           QStringLiteral("Check that the directory exists and is writable and that the disk is not "
                                          "full; the previous settings file is unchanged."));
    }
    m_values = v;
    Q_EMIT changed();
    return {};
}

} // namespace bl
