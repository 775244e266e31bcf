#include "ui/InstanceActions.h"

#include "core/inventory/InstancePower.h"
#include "core/inventory/InstanceStore.h"
#include "ui/TunnelProvider.h"

namespace bl {

namespace {

QString nameOf(const InventoryEntry& e)
{
    return e.instance.name.isEmpty() ? e.instance.id : e.instance.name;
}

ConnectKind kindOf(InstanceAction action)
{
    switch (action) {
    case InstanceAction::Rdp:
        return ConnectKind::Rdp;
    case InstanceAction::Vnc:
        return ConnectKind::Vnc;
    default:
        return ConnectKind::Ssh;
    }
}

} // namespace

InstanceActions::InstanceActions(InstanceStore& store, ConnectService& connect, InstancePower& power, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_connect(connect)
    , m_power(power)
{
    QObject::connect(&m_connect, &ConnectService::launched, this, &InstanceActions::launched);
    QObject::connect(&m_power, &InstancePower::settled, this, &InstanceActions::statesChanged);
    QObject::connect(&m_power, &InstancePower::followFailed, this, &InstanceActions::statesChanged);
}

QList<InstanceAction> InstanceActions::all()
{
    return {InstanceAction::Ssh,         InstanceAction::Rdp,   InstanceAction::Vnc, InstanceAction::CustomTunnel,
            InstanceAction::CopyCommand, InstanceAction::Start, InstanceAction::Stop};
}

InstanceAction InstanceActions::defaultAction(const InventoryEntry& entry) const
{
    return ConnectService::defaultKind(entry.instance) == ConnectKind::Rdp ? InstanceAction::Rdp : InstanceAction::Ssh;
}

ActionState InstanceActions::connectState(ConnectKind kind, const InventoryEntry* entry) const
{
    ActionState s;
    const QString name = ConnectService::kindName(kind);
    s.text = kind == ConnectKind::Ssh ? QStringLiteral("SSH in a terminal") : QStringLiteral("%1 viewer").arg(name);
    if (!entry) {
        s.tooltip = QStringLiteral("Select an instance first");
        return s;
    }
    const Reachability& r = entry->reach;
    if (ConnectService::needsTunnel(kind)) {
        if (const QString why = m_connect.tunnels().unavailableReason(); !why.isEmpty()) {
            s.tooltip = why;
            return s;
        }
    }
    if (!r.running) {
        s.tooltip = r.reason;
        return s;
    }
    // Unknown paths (a check failed) do not block: the connection itself will say what is wrong.
    if (!r.hasPath() && !r.reason.isEmpty()) {
        s.tooltip = r.reason;
        return s;
    }
    s.enabled = true;
    s.tooltip = kind == ConnectKind::Ssh
        ? QStringLiteral("Open a terminal running: %1").arg(ConnectService::cliCommandLine(kind, *entry))
        : QStringLiteral("Open a tunnel to port %1 and start the %2 viewer")
              .arg(kind == ConnectKind::Rdp ? ConnectService::rdpPort : ConnectService::vncPort)
              .arg(name);
    return s;
}

ActionState InstanceActions::state(InstanceAction action, const InventoryEntry* entry) const
{
    ActionState s;
    switch (action) {
    case InstanceAction::Ssh:
    case InstanceAction::Rdp:
    case InstanceAction::Vnc:
        return connectState(kindOf(action), entry);
    case InstanceAction::CustomTunnel:
        s.text = QStringLiteral("Tunnel to a custom port…");
        // Needs the port dialog that comes with the tunnels panel; disabled with the reason until then.
        s.tooltip = m_connect.tunnels().unavailableReason();
        if (s.tooltip.isEmpty())
            s.tooltip = QStringLiteral("Custom tunnels come with the tunnels panel");
        return s;
    case InstanceAction::CopyCommand:
        s.text = QStringLiteral("Copy bastionless-cli command");
        s.enabled = entry != nullptr;
        s.tooltip = entry ? commandLine(*entry) : QStringLiteral("Select an instance first");
        return s;
    case InstanceAction::Start:
    case InstanceAction::Stop: {
        const bool start = action == InstanceAction::Start;
        s.text = start ? QStringLiteral("Start instance") : QStringLiteral("Stop instance…");
        const InstanceState wanted = start ? InstanceState::Stopped : InstanceState::Running;
        if (!entry) {
            s.tooltip = QStringLiteral("Select an instance first");
        } else if (m_power.isFollowing(entry->key())) {
            s.tooltip =
                QStringLiteral("%1 is %2; wait until it settles").arg(nameOf(*entry), entry->instance.stateName);
        } else if (entry->instance.state != wanted) {
            s.tooltip =
                QStringLiteral("Only a %1 instance can be %2")
                    .arg(instanceStateName(wanted), start ? QStringLiteral("started") : QStringLiteral("stopped"));
        } else {
            s.enabled = true;
            s.tooltip = start ? QStringLiteral("Start %1").arg(nameOf(*entry))
                              : QStringLiteral("Stop %1 (asks first)").arg(nameOf(*entry));
        }
        return s;
    }
    }
    return s;
}

QString InstanceActions::commandLine(const InventoryEntry& entry) const
{
    return ConnectService::cliCommandLine(ConnectService::defaultKind(entry.instance), entry);
}

void InstanceActions::triggerDefault(const QString& key)
{
    if (const InventoryEntry* e = m_store.entry(key))
        trigger(defaultAction(*e), key);
}

void InstanceActions::trigger(InstanceAction action, const QString& key)
{
    const InventoryEntry* entry = m_store.entry(key);
    if (!entry)
        return;
    const ActionState s = state(action, entry);
    const QString what = QStringLiteral("%1 — %2").arg(s.text, nameOf(*entry));
    if (!s.enabled) {
        Q_EMIT failed(what, Error::make(ErrorKind::Usage, s.tooltip));
        return;
    }
    switch (action) {
    case InstanceAction::Ssh:
    case InstanceAction::Rdp:
    case InstanceAction::Vnc: {
        const ConnectKind kind = kindOf(action);
        Q_EMIT notice(QStringLiteral("Connecting to %1 (%2)…").arg(nameOf(*entry), ConnectService::kindName(kind)));
        m_connect.connectTo(kind, *entry, this, [this, what](Result<LaunchCommand> r) {
            if (r)
                Q_EMIT notice(QStringLiteral("Started: %1").arg(r->purpose));
            else
                Q_EMIT failed(what, r.error());
        });
        return;
    }
    case InstanceAction::CopyCommand:
        Q_EMIT copyRequested(commandLine(*entry));
        Q_EMIT notice(QStringLiteral("Copied: %1").arg(commandLine(*entry)));
        return;
    case InstanceAction::Start:
        m_power.start(key, this, [this, what, name = nameOf(*entry)](Result<void> r) {
            if (r)
                Q_EMIT notice(QStringLiteral("Starting %1…").arg(name));
            else
                Q_EMIT failed(what, r.error());
        });
        return;
    case InstanceAction::Stop:
        Q_EMIT stopRequested(key, nameOf(*entry));
        return;
    case InstanceAction::CustomTunnel:
        return;
    }
}

void InstanceActions::confirmStop(const QString& key)
{
    const InventoryEntry* entry = m_store.entry(key);
    if (!entry)
        return;
    m_power.stop(key, this, [this, name = nameOf(*entry)](Result<void> r) {
        if (r)
            Q_EMIT notice(QStringLiteral("Stopping %1…").arg(name));
        else
            Q_EMIT failed(QStringLiteral("Stop instance — %1").arg(name), r.error());
    });
}

} // namespace bl
