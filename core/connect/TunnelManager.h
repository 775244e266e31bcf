#pragma once
// TunnelManager: the desktop app's long-lived tunnels. Each one is 127.0.0.1:<local port> -> (instance, remote
// port) over the transport TransportChooser picks ("auto", or the per-instance override the caller passes),
// with its state, the transport and why it was chosen, and the listener's counters, for the tunnels panel, the
// tray and favourites. GUI-free; it owns the choosers, transports and listeners; tunnels outlive any window.
//
// State machine of one tunnel:
//   Choosing     resolving the instance and picking a transport (network calls; cancel with stop()/remove())
//   Connecting   transport chosen, the local listener is being opened (brief)
//   Up           listening; every local connection is carried over the transport
//   Reconnecting the last connection through it failed (error() says why); the next local connection tries again,
//                and the tunnel is Up again as soon as one gets through
//   Failed       could not choose a transport or listen (a local port in use names the port); error() says why
//   Stopped      stop() was called; restart() opens it again on the same local port
// restart() on any state goes back to Choosing. remove() stops and forgets it.

#include "core/connect/TransportChooser.h"
#include "core/tunnel/TunnelListener.h"
#include "core/util/Result.h"

#include <QDateTime>
#include <QList>
#include <QObject>

#include <functional>
#include <map>
#include <memory>

namespace bl {

class AwsSession;

// What to tunnel to. source picks the AwsSession (an InventorySource label: a profile name or "environment").
struct TunnelTarget
{
    QString instanceId;
    QString instanceName; // for people; filled in once the instance is resolved
    QString source;
    QString region; // where the instance is; empty: every region of the session
    Instance instance; // optional: when instance.id is set (the inventory's entry) no lookup is needed
    quint16 remotePort = 0;
    quint16 localPort = 0; // 0: any free port
    TransportChooser::Via via = TransportChooser::Via::Auto;
};

enum class TunnelState { Choosing, Connecting, Up, Reconnecting, Failed, Stopped };

// A snapshot of one tunnel, as list()/tunnel() return it.
struct ManagedTunnel
{
    quint64 id = 0;
    TunnelTarget target;
    TunnelState state = TunnelState::Choosing;
    Error error; // Failed / Reconnecting: why
    QString transportLabel; // "direct TCP to 10.0.1.5:3389 (i-...)", "EC2 Instance Connect Endpoint ..."
    QString transportReason; // why that transport: "VPC vpc-1 has endpoint eice-1 and port 22 is allowed"
    quint16 localPort = 0; // bound port once Up (else the requested one)
    TunnelStats stats; // open connections, bytes each way, current rates
    QDateTime upSince; // when it last came Up (invalid before)

    bool isActive() const { return state != TunnelState::Failed && state != TunnelState::Stopped; }
    QString displayName() const; // "web-1 (i-0abc)" or the id
};

QString tunnelStateName(TunnelState state); // "choosing", "connecting", "up", "reconnecting", "failed", "stopped"
QString viaName(TransportChooser::Via via); // "auto", "eice", "direct": what --via and parseVia() take

class TunnelManager : public QObject
{
    Q_OBJECT
public:
    // Returns the session for a source label, or nullptr when there is none (the tunnel then fails, saying so).
    using SessionLookup = std::function<AwsSession*(const QString& source)>;

    explicit TunnelManager(SessionLookup sessions, QObject* parent = nullptr);
    ~TunnelManager() override;

    // BASTIONLESS_DIRECT_MAP spec handed to every chooser (tests send direct TCP to local stand-ins).
    void setDirectAddressMap(const QString& spec) { m_directMap = spec; }

    // Starts a tunnel (state Choosing) and returns its id at once; added() is emitted before this returns.
    // Progress comes through changed(id); failures also through tunnelFailed(id, error).
    quint64 open(const TunnelTarget& target);
    void stop(quint64 id); // closes the listener (connections end gracefully); state Stopped
    void restart(quint64 id); // stop, then choose again and listen on the same local port
    void remove(quint64 id); // stop and forget: removed(id)
    void stopAll();
    // Before the program exits: asks every tunnel's transport to end what it keeps open on the far side (a Session
    // Manager session: TerminateSession), then stops them all and calls done, from the event loop, while context
    // lives, after TunnelTransport::ShutdownTimeoutMs at the latest.
    void shutdownAll(QObject* context, std::function<void()> done);

    QList<quint64> ids() const; // in the order they were opened
    QList<ManagedTunnel> list() const;
    const ManagedTunnel* tunnel(quint64 id) const; // nullptr when unknown; valid until the next event
    // The Up (or Reconnecting) tunnel to (source, instance, remote port), if there is one: to reuse it.
    quint64 findActive(const QString& source, const QString& instanceId, quint16 remotePort) const;

    // What auto (or via) would choose for target, without opening anything: label and reason, for the
    // instance's detail line. done runs once from the event loop while context lives.
    void explain(const TunnelTarget& target, QObject* context, Callback<QPair<QString, QString>> done);

Q_SIGNALS:
    void added(quint64 id);
    void changed(quint64 id); // state, transport, port or counters changed
    void removed(quint64 id);
    void tunnelUp(quint64 id, quint16 localPort); // each time it reaches Up from Choosing/Connecting
    void tunnelFailed(quint64 id, const bl::Error& error); // entered Failed (for tray notifications)

private:
    struct Slot;
    void choose(quint64 id);
    void onChosen(quint64 id, quint64 generation, Result<TransportChooser::Choice> choice);
    void teardown(Slot& slot);
    void setState(quint64 id, TunnelState state, const Error& error = {});
    TransportChooser* makeChooser(const TunnelTarget& target, QObject* parent, Error& error);

    SessionLookup m_sessions;
    QString m_directMap;
    std::map<quint64, std::unique_ptr<Slot>> m_slots;
    quint64 m_nextId = 1;
};

} // namespace bl
