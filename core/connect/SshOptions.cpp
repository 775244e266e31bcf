#include "core/connect/SshOptions.h"

#include <QDir>
#include <QFileInfo>

namespace bl {

QString SshOptions::knownHostsPath(const QProcessEnvironment& env)
{
    QString base = env.value(QStringLiteral("XDG_DATA_HOME"));
    if (base.isEmpty())
        base = env.value(QStringLiteral("HOME"), QDir::homePath()) + QStringLiteral("/.local/share");
    return base + QStringLiteral("/bastionless/known_hosts");
}

QStringList SshOptions::tunnelArguments(const QString& instanceId, const QString& knownHosts, const QString& keyPath,
                                        quint16 port, const QString& osUser)
{
    QDir().mkpath(QFileInfo(knownHosts).path());
    const QLatin1String o("-o");
    return {o, QStringLiteral("HostKeyAlias=") + instanceId, o, QStringLiteral("UserKnownHostsFile=") + knownHosts, o,
            QStringLiteral("StrictHostKeyChecking=accept-new"),
            // Debian's /etc/ssh/ssh_config hashes names; KnownHosts (and people) must read them.
            o, QStringLiteral("HashKnownHosts=no"), o, QStringLiteral("IdentitiesOnly=yes"), QStringLiteral("-i"),
            keyPath, QStringLiteral("-p"), QString::number(port), QStringLiteral("-l"), osUser};
}

} // namespace bl
