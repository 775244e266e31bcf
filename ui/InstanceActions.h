#pragma once
// What can be done to an instance and whether it can be done now, with the reason when not: the one place
// the toolbar, the context menu and the keyboard ask. Triggering an action goes to ConnectService or
// InstancePower; results come back as signals the window turns into a status line or a non-modal message.
// No widgets here, so the rules are testable without a window.

#include "core/connect/OsUser.h"
#include "core/inventory/InventoryTypes.h"
#include "core/launch/ConnectService.h"

#include <QObject>

namespace bl {

class InstancePower;
class InstanceStore;
class ManagedTunnels;
class OsUserOverrides;

enum class InstanceAction { Ssh, Rdp, Vnc, CustomTunnel, CopyCommand, WindowsPassword, Start, Stop };

struct ActionState
{
    bool enabled = false;
    QString text; // menu text
    QString tooltip; // why it is disabled, or what it does
};

class InstanceActions : public QObject
{
    Q_OBJECT
public:
    InstanceActions(InstanceStore& store, ConnectService& connect, InstancePower& power, QObject* parent = nullptr);

    static QList<InstanceAction> all();
    // entry null: nothing selected.
    ActionState state(InstanceAction action, const InventoryEntry* entry) const;
    // Default for an entry: SSH for Linux, RDP for Windows.
    InstanceAction defaultAction(const InventoryEntry& entry) const;

    // key: InventoryEntry::key(). Disabled actions do nothing but say why (failed()).
    void trigger(InstanceAction action, const QString& key);
    void triggerDefault(const QString& key);
    // The `bastionless-cli` line for the entry's default action (with `--via` when overridden).
    QString commandLine(const InventoryEntry& entry) const;

    // In-app tunnels (custom tunnels, transport overrides, start-then-connect, progress); null: none.
    void setManagedTunnels(ManagedTunnels* tunnels);
    ManagedTunnels* managedTunnels() const { return m_tunnels; }
    ConnectService& connectService() const { return m_connect; }
    // A custom tunnel from the "Tunnel to port…" dialog; the new tunnel shows in the tunnels panel.
    void openTunnel(const QString& key, quint16 remotePort, quint16 localPort, TransportChooser::Via via);
    // The transport override of the entry's instance (Auto: the chooser decides).
    TransportChooser::Via via(const QString& key) const;
    void setVia(const QString& key, TransportChooser::Via via);
    // Per-instance login users ("Log in as…"), written where bastionless-cli reads them; null: not offered.
    void setOsUserOverrides(OsUserOverrides* users) { m_osUsers = users; }
    OsUserOverrides* osUserOverrides() const { return m_osUsers; }
    // Who SSH logs in as for the entry and why ("ubuntu", "guessed from the image (Ubuntu)"); empty user: unknown.
    OsUser::Choice osUser(const QString& key) const;
    // Empty user returns to automatic; failed() says why a name was refused or could not be saved.
    void setOsUser(const QString& key, const QString& user);

    // Starts a stopped instance, waits until it runs, then connects the default way; cancelBusy() gives up.
    ActionState startAndConnectState(const InventoryEntry* entry) const;
    void startAndConnect(const QString& key);

    // The slow step under way, for a progress line with a Cancel button ("Opening a tunnel to web-1…",
    // "Waiting for web-1 to start…"); empty when nothing is. cancelBusy() cancels it.
    QString busyText() const;
    void cancelBusy();

Q_SIGNALS:
    void launched(const bl::LaunchCommand& command);
    void failed(const QString& what, const bl::Error& error);
    void notice(const QString& text); // a short status line
    void copyRequested(const QString& text); // the window owns the clipboard
    void stopRequested(const QString& key, const QString& instanceName); // stopping is a decision: ask first
    void statesChanged(); // what state() answers may have changed (an instance settled)
    void tunnelRequested(const QString& key); // "Tunnel to port…": the window asks for the ports
    // "Get Windows password…": the window shows the dialog over m_connect's WindowsPasswords.
    void windowsPasswordRequested(const QString& key);
    void busyChanged(); // busyText() may have changed

public Q_SLOTS:
    void confirmStop(const QString& key);

private:
    ActionState connectState(ConnectKind kind, const InventoryEntry* entry) const;
    void onSettled(const QString& key, InstanceState state);
    void connectNow(ConnectKind kind, const InventoryEntry& entry, const QString& what);

    InstanceStore& m_store;
    ConnectService& m_connect;
    InstancePower& m_power;
    ManagedTunnels* m_tunnels = nullptr;
    OsUserOverrides* m_osUsers = nullptr;
    QString m_startingKey; // start-then-connect under way
};

} // namespace bl
