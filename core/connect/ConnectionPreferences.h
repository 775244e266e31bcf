#pragma once
// The person's connection choices that the CLI and the desktop app share, kept in the app's settings file
// ($XDG_CONFIG_HOME/Bastionless/Bastionless.conf, the file QSettings uses for the app): the default OS user,
// and per instance an OS user and a transport ("auto", "eice", "direct", "ssm"). Read-only here; the app's
// settings dialog and instance menu write them.

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
};

} // namespace bl
