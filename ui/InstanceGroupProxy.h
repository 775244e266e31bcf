#pragma once
// The instance list as the view shows it: flat, or grouped by profile, region or VPC. It sits over the
// search-and-sort proxy, so a group holds only the instances that match the search (groups with none are
// hidden) in the proxy's sort order, and its row says how many there are ("us-east-1 — 12 instances").
// Changes from a refresh arrive as row inserts, removals and moves, so the view keeps its expansion and
// selection; only changing the grouping resets the model.

#include <QAbstractItemModel>
#include <QHash>
#include <QStringList>

#include <memory>
#include <vector>

namespace bl {

class InstanceGroupProxy : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum class Mode { None, Profile, Region, Vpc };
    enum Role {
        IsGroupRole = Qt::UserRole + 100, // true on group rows
        GroupNameRole, // the value the group's rows share ("us-east-1")
        GroupCountRole, // how many rows the group shows
    };

    explicit InstanceGroupProxy(QObject* parent = nullptr);
    ~InstanceGroupProxy() override;

    // source: rows with InstanceModel's columns and roles (the InstanceFilterProxy).
    void setSourceModel(QAbstractItemModel* source);
    QAbstractItemModel* sourceModel() const { return m_source; }

    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    static QString modeName(Mode mode); // "none", "profile", "region", "vpc": for settings
    static Mode modeFromName(const QString& name); // None for anything unknown
    static QString modeLabel(Mode mode); // "None", "Profile", "Region", "VPC"

    bool isGroup(const QModelIndex& index) const;
    QModelIndex mapToSource(const QModelIndex& index) const; // invalid for group rows
    QModelIndex mapFromSource(const QModelIndex& sourceIndex) const;
    // The first instance row in view order (inside the first group when grouped); invalid when none.
    QModelIndex firstInstance() const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    struct Group
    {
        QString name;
        QStringList keys; // InventoryEntry keys, in the source's order
    };
    struct Wanted
    {
        QString name;
        QStringList keys;
    };

    QString groupOf(int sourceRow) const;
    QList<Wanted> wanted() const;
    void rebuild();
    void sync();
    void syncKeys(const QModelIndex& parent, QStringList& current, const QStringList& target);
    bool reorder(const QList<Wanted>& target);
    Group* groupOfIndex(const QModelIndex& index) const;
    int groupRow(const Group* group) const;
    QModelIndex sourceIndexOfKey(const QString& key, int column) const;

    QAbstractItemModel* m_source = nullptr;
    Mode m_mode = Mode::None;
    std::vector<std::unique_ptr<Group>> m_groups; // sorted by name; empty in Mode::None
    QStringList m_flat; // Mode::None: the rows at the top level
    QHash<QString, int> m_sourceRow; // key -> source row, as of the last sync
    bool m_resetting = false;
};

} // namespace bl
