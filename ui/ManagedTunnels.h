#pragma once
// ManagedTunnels: the app's TunnelProvider over TunnelManager, so the RDP and VNC actions open real tunnels
// (reusing one already up to the same instance and port), with the transport "auto" chooses unless the
// person overrode it for that instance (ViaOverrides). It is also what the window reaches the tunnels
// through: custom tunnels, favourites, and the transport line of the selected instance. No widgets.

#include "core/connect/Favourites.h"
#include "core/connect/TunnelManager.h"
#include "core/connect/ViaOverrides.h"
#include "core/launch/TunnelProvider.h"

#include <QHash>
#include <QSet>

namespace bl {

class ManagedTunnels final : public QObject, public TunnelProvider
{
    Q_OBJECT
public:
    // favourites may be null (no favourites list in the panel).
    ManagedTunnels(TunnelManager& manager, ViaOverrides& overrides, Favourites* favourites, QObject* parent = nullptr);

    TunnelManager& manager() { return m_manager; }
    ViaOverrides& overrides() { return m_overrides; }
    Favourites* favourites() { return m_favourites; }

    QString unavailableReason() const override { return {}; }
    void open(const InventoryEntry& entry, int remotePort, QObject* context, Callback<quint16> done) override;

    // A tunnel of the person's choosing; returns its id (progress and failure through the manager's signals).
    quint64 openCustom(const InventoryEntry& entry, quint16 remotePort, quint16 localPort, TransportChooser::Via via);
    static TunnelTarget targetFor(const InventoryEntry& entry, quint16 remotePort, TransportChooser::Via via);

    // The transports a person can pick, "auto" first: whatever TransportChooser::parseVia accepts.
    static QList<TransportChooser::Via> viaChoices();
    static QString viaLabel(TransportChooser::Via via); // "Automatic", "EC2 Instance Connect Endpoint", ...

    // What the entry's connection (port 3389 for Windows, 22 otherwise) would go over and why: "direct TCP to
    // ... — because ...". Asked once per instance, port and transport, then cached. done runs from the event loop;
    // while the same question is already being asked, done is not called (the first caller's is).
    void explain(const InventoryEntry& entry, QObject* context, std::function<void(const QString&)> done);
    // The cached answer, empty when not asked yet.
    QString cachedExplanation(const InventoryEntry& entry) const;

private:
    QString explanationKey(const InventoryEntry& entry) const;

    TunnelManager& m_manager;
    ViaOverrides& m_overrides;
    Favourites* m_favourites;
    QHash<QString, QString> m_explained;
    QSet<QString> m_explaining;
};

} // namespace bl
