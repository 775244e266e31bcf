#pragma once
// How Bastionless runs the system ssh against an instance reached through a local tunnel: its own known_hosts
// file with host keys keyed on the instance id (HostKeyAlias), first use recorded and a change refused, only
// the ephemeral key offered. Shared by `bastionless-cli ssh`, the ssh -L forward for ports EICE cannot reach
// and the desktop app.

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace bl {

class SshOptions
{
public:
    // $XDG_DATA_HOME/bastionless/known_hosts (default ~/.local/share/bastionless/known_hosts).
    static QString knownHostsPath(const QProcessEnvironment& env);

    // -o options, -i key, -p port and -l user for `ssh ... 127.0.0.1` through a tunnel listening on port.
    // Creates the known_hosts directory when missing.
    static QStringList tunnelArguments(const QString& instanceId, const QString& knownHosts, const QString& keyPath,
                                       quint16 port, const QString& osUser);
};

} // namespace bl
