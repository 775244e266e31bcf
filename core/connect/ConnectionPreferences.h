#pragma once
// The person's connection choices that the CLI and the desktop app share, kept in the app's settings file
// ($XDG_CONFIG_HOME/Bastionless/Bastionless.conf, the file QSettings uses for the app): the default OS user,
// and per instance an OS user and a transport ("auto", "eice", "direct", "ssm"). Read-only here; the app's
// settings dialog and instance menu write them (OsUserOverrides, ViaOverrides). The file is read once, by load():
// the CLI is one-shot, so each run sees what the app last wrote; a long-lived holder calls reload() after a write.

#include <QHash>
#include <QProcessEnvironment>
#include <QString>

namespace bl {

class ConnectionPreferences
{
public:
    // The settings file for this environment (XDG_CONFIG_HOME, else HOME/.config).
    static QString defaultPath(const QProcessEnvironment& env);
    // Reads path; a missing file means no preferences.
    static ConnectionPreferences load(const QString& path);
    // Reads the same file again (it may have appeared, changed or gone since).
    void reload();

    // Keys, for the writers.
    static QString defaultOsUserKey() { return QStringLiteral("connect/osUser"); }
    static QString osUserKey(const QString& instanceId)
    {
        return QStringLiteral("instances/%1/osUser").arg(instanceId);
    }
    static QString viaKey(const QString& instanceId) { return QStringLiteral("transport/%1").arg(instanceId); }

    QString defaultOsUser() const { return m_defaultOsUser; }
    QString osUser(const QString& instanceId) const;
    QString via(const QString& instanceId) const; // empty: none set

private:
    QString m_path;
    QString m_defaultOsUser;
    QHash<QString, QString> m_osUsers; // instance id -> user
    QHash<QString, QString> m_via; // instance id -> transport name
};

} // namespace bl
