#pragma once
// Favourites: tunnels a person saved to switch on and off later (instance, remote port, local port,
// transport). Switching one on opens it through the TunnelManager; off stops and removes that tunnel. The
// list and each one's on/off state are saved atomically (QSaveFile) as JSON, by default next to the app's
// settings file, so favourites that were on come back on with openEnabled() at the next start.

#include "core/connect/TunnelManager.h"
#include "core/util/Result.h"

#include <QHash>
#include <QList>
#include <QObject>

namespace bl {

struct Favourite
{
    QString name; // unique, chosen by the person: "prod db"
    QString instanceId;
    QString profile; // InventorySource label (a profile name or "environment"), as TunnelTarget::source
    QString region;
    quint16 remotePort = 0;
    quint16 localPort = 0; // 0: any free port
    TransportChooser::Via via = TransportChooser::Via::Auto;
    bool enabled = false; // switched on (saved, so it reopens at start)

    TunnelTarget target() const;
    // A favourite for an open tunnel; its local port is kept so bookmarks and viewers find it again.
    static Favourite fromTunnel(const ManagedTunnel& tunnel, const QString& name);
    bool operator==(const Favourite&) const = default;
};

class Favourites : public QObject
{
    Q_OBJECT
public:
    // path: the JSON file (see defaultPath()). Nothing is read until load().
    Favourites(TunnelManager& tunnels, QString path, QObject* parent = nullptr);
    ~Favourites() override;

    // <GenericConfigLocation>/<organization>/favourites.json: ~/.config/Bastionless/favourites.json
    static QString defaultPath();
    QString path() const { return m_path; }

    // Reads the file; a missing file is an empty list, a broken one an error naming it (the list stays empty).
    Result<void> load();
    // Opens every favourite saved as on (call once at start, after load()).
    void openEnabled();

    QList<Favourite> list() const { return m_list; }
    int count() const { return m_list.size(); }
    const Favourite* find(const QString& name) const;
    // A name not taken yet, from a suggestion ("web-1:3389", "web-1:3389 (2)", ...).
    QString uniqueName(const QString& suggestion) const;

    // Each of these saves at once; a failed save is returned (and the in-memory list is still changed).
    Result<void> add(const Favourite& favourite); // Usage error for an empty or taken name, or no port
    Result<void> remove(const QString& name); // switches it off first
    Result<void> setEnabled(const QString& name, bool on);
    // The tunnel a favourite that is on runs as (0 when off).
    quint64 tunnelId(const QString& name) const { return m_tunnelIds.value(name); }

Q_SIGNALS:
    void listChanged(); // added or removed (rows moved)
    void favouriteChanged(const QString& name); // switched on or off
    void saveFailed(const bl::Error& error); // also returned; for a banner when the caller is a checkbox

private:
    Result<void> save();
    void switchOn(Favourite& favourite);
    void onTunnelRemoved(quint64 id);
    int indexOf(const QString& name) const;

    TunnelManager& m_tunnels;
    QString m_path;
    QList<Favourite> m_list;
    QHash<QString, quint64> m_tunnelIds;
};

} // namespace bl
