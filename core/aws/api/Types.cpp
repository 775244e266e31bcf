#include "core/aws/api/Types.h"

namespace bl {

InstanceState instanceStateFromName(const QString& name)
{
    static const QList<QPair<QLatin1String, InstanceState>> names = {
        {QLatin1String("pending"), InstanceState::Pending},
        {QLatin1String("running"), InstanceState::Running},
        {QLatin1String("shutting-down"), InstanceState::ShuttingDown},
        {QLatin1String("terminated"), InstanceState::Terminated},
        {QLatin1String("stopping"), InstanceState::Stopping},
        {QLatin1String("stopped"), InstanceState::Stopped},
    };
    for (const auto& [n, state] : names) {
        if (name.compare(n, Qt::CaseInsensitive) == 0)
            return state;
    }
    return InstanceState::Unknown;
}

InstanceState instanceStateFromCode(int code)
{
    switch (code & 0xFF) {
    case 0:
        return InstanceState::Pending;
    case 16:
        return InstanceState::Running;
    case 32:
        return InstanceState::ShuttingDown;
    case 48:
        return InstanceState::Terminated;
    case 64:
        return InstanceState::Stopping;
    case 80:
        return InstanceState::Stopped;
    default:
        return InstanceState::Unknown;
    }
}

QString instanceStateName(InstanceState state)
{
    switch (state) {
    case InstanceState::Pending:
        return QStringLiteral("pending");
    case InstanceState::Running:
        return QStringLiteral("running");
    case InstanceState::ShuttingDown:
        return QStringLiteral("shutting-down");
    case InstanceState::Terminated:
        return QStringLiteral("terminated");
    case InstanceState::Stopping:
        return QStringLiteral("stopping");
    case InstanceState::Stopped:
        return QStringLiteral("stopped");
    case InstanceState::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString Instance::tag(const QString& key) const
{
    for (const Tag& t : tags) {
        if (t.key == key)
            return t.value;
    }
    return {};
}

bool InstanceConnectEndpoint::isUsable() const
{
    return state == QLatin1String("create-complete") || state == QLatin1String("update-in-progress")
        || state == QLatin1String("update-failed") || state == QLatin1String("update-complete");
}

bool SecurityGroupRule::coversTcpPort(int port) const
{
    if (allProtocols())
        return true;
    if (protocol != QLatin1String("tcp") && protocol != QLatin1String("6"))
        return false;
    if (fromPort < 0 && toPort < 0)
        return true;
    return port >= fromPort && port <= toPort;
}

} // namespace bl
