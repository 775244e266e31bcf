#pragma once
// TunnelsModel: one row per tunnel of the TunnelManager (instance, transport, local and remote port, open
// connections, bytes each way, current rate, uptime, state with the reason), updated in place from its
// signals, for the tunnels panel. Uptime ticks once a second while a tunnel is up.

#include "core/connect/TunnelManager.h"

#include <QAbstractTableModel>

class QTimer;

namespace bl {

class TunnelsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Instance,
        Transport,
        LocalPort,
        RemotePort,
        Connections,
        Sent,
        Received,
        Rate,
        Uptime,
        State,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole + 1, StateRole };

    explicit TunnelsModel(TunnelManager& manager, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    quint64 idAt(int row) const { return m_ids.value(row); }
    int rowOf(quint64 id) const { return static_cast<int>(m_ids.indexOf(id)); }

    static QString formatBytes(qint64 bytes); // "1.2 MB"
    static QString formatDuration(qint64 seconds); // "1:02:03", "4:05"

private:
    void onAdded(quint64 id);
    void onChanged(quint64 id);
    void onRemoved(quint64 id);
    void tick();

    TunnelManager& m_manager;
    QList<quint64> m_ids;
    QTimer* m_uptime;
};

} // namespace bl
