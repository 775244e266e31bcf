#pragma once
// A flat table of the InstanceStore's entries, one row per (source, instance). Rows are added, removed and
// updated in place from the store's deltas, so selection and scroll position survive a refresh.
// Grouping by profile, region or VPC is InstanceGroupProxy's, over the search proxy.

#include "core/inventory/InventoryTypes.h"

#include <QAbstractTableModel>
#include <QHash>

namespace bl {

class InstanceStore;

class InstanceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Name,
        Id,
        State,
        Type,
        Platform,
        Profile,
        Region,
        Zone,
        Vpc,
        PrivateIp,
        PublicIp,
        Reach,
        ColumnCount
    };
    enum Role {
        KeyRole = Qt::UserRole + 1, // InventoryEntry::key()
        SearchTextRole, // lower-case name, id, addresses and tags: what search-as-you-type looks through
        SortRole, // a value that sorts naturally (addresses numerically, states by lifecycle)
        InstanceIdRole,
        StateRole, // int(InstanceState)
        IsWindowsRole,
    };

    explicit InstanceModel(InstanceStore& store, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const InventoryEntry* entryAt(int row) const;
    QModelIndex indexOfKey(const QString& key, int column = 0) const;
    int runningCount() const;

private:
    struct Row
    {
        InventoryEntry entry;
        QString searchText;
    };
    static Row makeRow(const InventoryEntry& entry);
    void resetFromStore();
    void apply(const InventoryDelta& delta);
    void reindex();
    QVariant display(const InventoryEntry& e, int column) const;
    QVariant sortValue(const InventoryEntry& e, int column) const;

    InstanceStore& m_store;
    QList<Row> m_rows;
    QHash<QString, int> m_rowOf;
};

} // namespace bl
