#include "core/connect/ConnectionPreferences.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace bl {

namespace {

// The ids under a group ("instances/<id>/...", "transport/<id>"); the keys themselves come from the key functions.
QStringList idsUnder(QSettings& settings, const QString& group, bool groups)
{
    settings.beginGroup(group);
    QStringList ids = groups ? settings.childGroups() : settings.childKeys();
    settings.endGroup();
    return ids;
}

} // namespace

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
    prefs.m_path = path;
    prefs.reload();
    return prefs;
}

void ConnectionPreferences::reload()
{
    m_defaultOsUser.clear();
    m_osUsers.clear();
    m_via.clear();
    if (m_path.isEmpty() || !QFileInfo::exists(m_path))
        return;
    QSettings settings(m_path, QSettings::IniFormat);
    m_defaultOsUser = settings.value(defaultOsUserKey()).toString().trimmed();
    for (const QString& id : idsUnder(settings, QStringLiteral("instances"), true)) {
        const QString user = settings.value(osUserKey(id)).toString().trimmed();
        if (!user.isEmpty())
            m_osUsers.insert(id, user);
    }
    for (const QString& id : idsUnder(settings, QStringLiteral("transport"), false)) {
        const QString via = settings.value(viaKey(id)).toString().trimmed();
        if (!via.isEmpty())
            m_via.insert(id, via);
    }
}

QString ConnectionPreferences::osUser(const QString& instanceId) const
{
    return m_osUsers.value(instanceId);
}

QString ConnectionPreferences::via(const QString& instanceId) const
{
    return m_via.value(instanceId);
}

} // namespace bl
