#include "core/connect/ConnectionPreferences.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace bl {

QString ConnectionPreferences::defaultPath(const QProcessEnvironment& env)
{
    QString base = env.value(QStringLiteral("XDG_CONFIG_HOME"));
    if (base.isEmpty())
        base = env.value(QStringLiteral("HOME"), QDir::homePath()) + QStringLiteral("/.config");
    return base + QStringLiteral("/Bastionless/Bastionless.conf");
}

ConnectionPreferences ConnectionPreferences::load(const QString& path)
{
    ConnectionPreferences prefs;
    if (!QFileInfo::exists(path))
        return prefs;
    prefs.m_path = path;
    const QSettings settings(path, QSettings::IniFormat);
    prefs.m_defaultOsUser = settings.value(defaultOsUserKey()).toString().trimmed();
    return prefs;
}

QString ConnectionPreferences::osUser(const QString& instanceId) const
{
    if (m_path.isEmpty() || instanceId.isEmpty())
        return {};
    const QSettings settings(m_path, QSettings::IniFormat);
    return settings.value(osUserKey(instanceId)).toString().trimmed();
}

QString ConnectionPreferences::via(const QString& instanceId) const
{
    if (m_path.isEmpty() || instanceId.isEmpty())
        return {};
    const QSettings settings(m_path, QSettings::IniFormat);
    return settings.value(viaKey(instanceId)).toString().trimmed();
}

} // namespace bl
