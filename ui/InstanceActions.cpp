#include "ui/InstanceActions.h"

#include "core/connect/OsUserOverrides.h"
#include "core/inventory/InstancePower.h"
#include "core/inventory/InstanceStore.h"
#include "core/launch/TunnelProvider.h"
#include "ui/ManagedTunnels.h"

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
    QObject::connect(&m_power, &InstancePower::settled, this, &InstanceActions::onSettled);
    QObject::connect(&m_power, &InstancePower::followFailed, this, [this](const QString& key, const Error& error) {
        if (key != m_startingKey)
            return;
        m_startingKey.clear();
        Q_EMIT busyChanged();
        Q_EMIT failed(QStringLiteral("Start and connect"), error);
    });
    QObject::connect(&m_power, &InstancePower::followFailed, this, &InstanceActions::statesChanged);
}

QList<InstanceAction> InstanceActions::all()
{
    return {InstanceAction::Ssh,          InstanceAction::Rdp,         InstanceAction::Vnc,
            InstanceAction::CustomTunnel, InstanceAction::CopyCommand, InstanceAction::WindowsPassword,
            InstanceAction::Start,        InstanceAction::Stop};
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
        s.text = QStringLiteral("Tunnel to port…");
        if (!m_tunnels) {
            s.tooltip = m_connect.tunnels().unavailableReason();
            if (s.tooltip.isEmpty())
                s.tooltip = QStringLiteral("Custom tunnels come with the tunnels panel");
        } else if (!entry) {
            s.tooltip = QStringLiteral("Select an instance first");
        } else if (!entry->reach.running) {
            s.tooltip = entry->reach.reason;
        } else {
            s.enabled = true;
            s.tooltip = QStringLiteral("Open 127.0.0.1:<port> to a port of %1; it shows in the tunnels panel")
                            .arg(nameOf(*entry));
        }
        return s;
    case InstanceAction::CopyCommand:
        s.text = QStringLiteral("Copy bastionless-cli command");
        s.enabled = entry != nullptr;
        s.tooltip = entry ? commandLine(*entry) : QStringLiteral("Select an instance first");
        return s;
    case InstanceAction::WindowsPassword:
        s.text = QStringLiteral("Get Windows password…");
        if (!entry) {
            s.tooltip = QStringLiteral("Select an instance first");
        } else if (!entry->instance.isWindows()) {
            s.tooltip = QStringLiteral("Only Windows instances have an Administrator password from EC2");
        } else if (!m_connect.windowsPasswords()) {
            s.tooltip = QStringLiteral("This build has no keychain to keep the key pair's .pem in");
        } else {
            s.enabled = true;
            s.tooltip =
                QStringLiteral("Decrypt %1's Administrator password with its key pair's .pem file").arg(nameOf(*entry));
        }
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
    return ConnectService::cliCommandLine(ConnectService::defaultKind(entry.instance), entry, m_connect.viaFor(entry));
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
        connectNow(kindOf(action), *entry, what);
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
        Q_EMIT tunnelRequested(key);
        return;
    case InstanceAction::WindowsPassword:
        Q_EMIT windowsPasswordRequested(key);
        return;
    }
}

void InstanceActions::connectNow(ConnectKind kind, const InventoryEntry& entry, const QString& what)
{
    Q_EMIT notice(QStringLiteral("Connecting to %1 (%2)…").arg(nameOf(entry), ConnectService::kindName(kind)));
    m_connect.connectTo(kind, entry, this, [this, what](Result<LaunchCommand> r) {
        if (r && !r->note.isEmpty())
            Q_EMIT notice(QStringLiteral("Started: %1 — %2").arg(r->purpose, r->note));
        else if (r)
            Q_EMIT notice(QStringLiteral("Started: %1").arg(r->purpose));
        else if (r.error().kind != ErrorKind::Cancelled)
            Q_EMIT failed(what, r.error());
        else
            Q_EMIT notice(r.error().message);
    });
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

void InstanceActions::setManagedTunnels(ManagedTunnels* tunnels)
{
    m_tunnels = tunnels;
    if (!m_tunnels)
        return;
    TunnelManager& manager = m_tunnels->manager();
    QObject::connect(&manager, &TunnelManager::changed, this, &InstanceActions::busyChanged);
    QObject::connect(&manager, &TunnelManager::removed, this, &InstanceActions::busyChanged);
    QObject::connect(&m_tunnels->overrides(), &ViaOverrides::changed, this, &InstanceActions::statesChanged);
}

void InstanceActions::openTunnel(const QString& key, quint16 remotePort, quint16 localPort, TransportChooser::Via via)
{
    const InventoryEntry* entry = m_store.entry(key);
    if (!entry || !m_tunnels)
        return;
    if (remotePort == 0) {
        Q_EMIT failed(QStringLiteral("Tunnel to port — %1").arg(nameOf(*entry)),
                      Error::make(ErrorKind::Usage, QStringLiteral("Choose the instance's port to tunnel to")));
        return;
    }
    m_tunnels->openCustom(*entry, remotePort, localPort, via);
    Q_EMIT notice(QStringLiteral("Opening a tunnel to %1 port %2…").arg(nameOf(*entry)).arg(remotePort));
}

TransportChooser::Via InstanceActions::via(const QString& key) const
{
    const InventoryEntry* entry = m_store.entry(key);
    return entry ? m_connect.viaFor(*entry) : TransportChooser::Via::Auto;
}

void InstanceActions::setVia(const QString& key, TransportChooser::Via via)
{
    const InventoryEntry* entry = m_store.entry(key);
    if (!entry || !m_tunnels)
        return;
    m_tunnels->overrides().set(entry->instance.id, via);
    Q_EMIT notice(QStringLiteral("%1 is now reached by: %2").arg(nameOf(*entry), ManagedTunnels::viaLabel(via)));
}

OsUser::Choice InstanceActions::osUser(const QString& key) const
{
    const InventoryEntry* entry = m_store.entry(key);
    if (!entry)
        return {};
    return m_osUsers ? m_osUsers->choose(entry->instance) : OsUser::choose(entry->instance, {});
}

void InstanceActions::setOsUser(const QString& key, const QString& user)
{
    const InventoryEntry* entry = m_store.entry(key);
    if (!entry || !m_osUsers)
        return;
    if (Result<void> saved = m_osUsers->set(entry->instance.id, user); !saved) {
        Q_EMIT failed(QStringLiteral("Log in as"), saved.error());
        return;
    }
    const OsUser::Choice now = m_osUsers->choose(entry->instance);
    Q_EMIT notice(QStringLiteral("SSH to %1 now logs in as %2 (%3)").arg(nameOf(*entry), now.user, now.reason));
    Q_EMIT statesChanged();
}

ActionState InstanceActions::startAndConnectState(const InventoryEntry* entry) const
{
    ActionState s = state(InstanceAction::Start, entry);
    s.text = QStringLiteral("Start and connect");
    if (s.enabled) {
        const ConnectKind kind = ConnectService::defaultKind(entry->instance);
        s.tooltip = QStringLiteral("Start %1, wait until it runs, then connect with %2")
                        .arg(nameOf(*entry), ConnectService::kindName(kind));
    }
    return s;
}

void InstanceActions::startAndConnect(const QString& key)
{
    const InventoryEntry* entry = m_store.entry(key);
    if (!entry)
        return;
    const ActionState s = startAndConnectState(entry);
    const QString what = QStringLiteral("%1 — %2").arg(s.text, nameOf(*entry));
    if (!s.enabled) {
        Q_EMIT failed(what, Error::make(ErrorKind::Usage, s.tooltip));
        return;
    }
    m_startingKey = key;
    Q_EMIT busyChanged();
    m_power.start(key, this, [this, key, what](Result<void> r) {
        if (r || m_startingKey != key)
            return;
        m_startingKey.clear();
        Q_EMIT busyChanged();
        Q_EMIT failed(what, r.error());
    });
}

void InstanceActions::onSettled(const QString& key, InstanceState state)
{
    if (key != m_startingKey)
        return;
    m_startingKey.clear();
    Q_EMIT busyChanged();
    const InventoryEntry* entry = m_store.entry(key);
    if (!entry)
        return;
    const InstanceAction action = defaultAction(*entry);
    const QString what = QStringLiteral("Start and connect — %1").arg(nameOf(*entry));
    if (state != InstanceState::Running) {
        Q_EMIT failed(
            what,
            Error::make(ErrorKind::Service,
                        QStringLiteral("%1 did not start: it is %2").arg(nameOf(*entry), instanceStateName(state))));
        return;
    }
    trigger(action, key);
}

QString InstanceActions::busyText() const
{
    if (!m_startingKey.isEmpty()) {
        const InventoryEntry* entry = m_store.entry(m_startingKey);
        return QStringLiteral("Waiting for %1 to start…").arg(entry ? nameOf(*entry) : m_startingKey);
    }
    if (!m_tunnels)
        return {};
    for (const ManagedTunnel& t : m_tunnels->manager().list()) {
        if (t.state == TunnelState::Choosing || t.state == TunnelState::Connecting)
            return QStringLiteral("Opening a tunnel to %1 port %2…").arg(t.displayName()).arg(t.target.remotePort);
    }
    return {};
}

void InstanceActions::cancelBusy()
{
    if (!m_startingKey.isEmpty()) {
        // The instance keeps starting (EC2 has it); only the connection afterwards is given up.
        m_startingKey.clear();
        Q_EMIT busyChanged();
        Q_EMIT notice(QStringLiteral("Will not connect once it runs; the instance keeps starting"));
        return;
    }
    if (!m_tunnels)
        return;
    for (const ManagedTunnel& t : m_tunnels->manager().list()) {
        if (t.state == TunnelState::Choosing || t.state == TunnelState::Connecting) {
            m_tunnels->manager().remove(t.id);
            Q_EMIT notice(QStringLiteral("Cancelled the tunnel to %1").arg(t.displayName()));
            return;
        }
    }
}

} // namespace bl
