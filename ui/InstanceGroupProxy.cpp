#include "ui/InstanceGroupProxy.h"

#include "ui/InstanceModel.h"

#include <QFont>
#include <QSet>

#include <algorithm>

namespace bl {

namespace {

bool groupLess(const QString& a, const QString& b)
{
    const int c = QString::compare(a, b, Qt::CaseInsensitive);
    return c != 0 ? c < 0 : a < b;
}

QString countText(int n)
{
    return n == 1 ? QStringLiteral("1 instance") : QStringLiteral("%1 instances").arg(n);
}

} // namespace

InstanceGroupProxy::InstanceGroupProxy(QObject* parent)
    : QAbstractItemModel(parent)
{ }

InstanceGroupProxy::~InstanceGroupProxy() = default;

void InstanceGroupProxy::setSourceModel(QAbstractItemModel* source)
{
    beginResetModel();
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    if (m_source) {
        connect(m_source, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
            beginResetModel();
            m_resetting = true;
        });
        connect(m_source, &QAbstractItemModel::modelReset, this, [this] {
            rebuild();
            m_resetting = false;
            endResetModel();
        });
        for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(m_source, signal, this, &InstanceGroupProxy::sync);
        connect(m_source, &QAbstractItemModel::rowsMoved, this, &InstanceGroupProxy::sync);
        connect(m_source, &QAbstractItemModel::layoutChanged, this, &InstanceGroupProxy::sync);
        connect(m_source, &QAbstractItemModel::headerDataChanged, this, &QAbstractItemModel::headerDataChanged);
        connect(m_source, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                    // A changed profile, region or VPC moves a row to another group: restructure first.
                    bool moved = false;
                    for (int row = topLeft.row(); row <= bottomRight.row() && !moved && m_mode != Mode::None; ++row) {
                        const QModelIndex at = mapFromSource(m_source->index(row, 0));
                        moved = !at.isValid() || m_groups[size_t(at.parent().row())]->name != groupOf(row);
                    }
                    if (moved)
                        sync();
                    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
                        const QModelIndex at = mapFromSource(m_source->index(row, 0));
                        if (at.isValid())
                            Q_EMIT dataChanged(index(at.row(), topLeft.column(), at.parent()),
                                               index(at.row(), bottomRight.column(), at.parent()));
                    }
                });
    }
    rebuild();
    endResetModel();
}

void InstanceGroupProxy::setMode(Mode mode)
{
    if (mode == m_mode)
        return;
    beginResetModel();
    m_mode = mode;
    rebuild();
    endResetModel();
}

QString InstanceGroupProxy::modeName(Mode mode)
{
    switch (mode) {
    case Mode::None:
        return QStringLiteral("none");
    case Mode::Profile:
        return QStringLiteral("profile");
    case Mode::Region:
        return QStringLiteral("region");
    case Mode::Vpc:
        return QStringLiteral("vpc");
    }
    return {};
}

InstanceGroupProxy::Mode InstanceGroupProxy::modeFromName(const QString& name)
{
    for (const Mode m : {Mode::Profile, Mode::Region, Mode::Vpc}) {
        if (name == modeName(m))
            return m;
    }
    return Mode::None;
}

QString InstanceGroupProxy::modeLabel(Mode mode)
{
    switch (mode) {
    case Mode::None:
        return QStringLiteral("None");
    case Mode::Profile:
        return QStringLiteral("Profile");
    case Mode::Region:
        return QStringLiteral("Region");
    case Mode::Vpc:
        return QStringLiteral("VPC");
    }
    return {};
}

QString InstanceGroupProxy::groupOf(int sourceRow) const
{
    int column = InstanceModel::Region;
    QString none = QStringLiteral("No region");
    if (m_mode == Mode::Profile) {
        column = InstanceModel::Profile;
        none = QStringLiteral("No profile");
    } else if (m_mode == Mode::Vpc) {
        column = InstanceModel::Vpc;
        none = QStringLiteral("No VPC");
    }
    const QString value = m_source->index(sourceRow, column).data().toString();
    return value.isEmpty() ? none : value;
}

QList<InstanceGroupProxy::Wanted> InstanceGroupProxy::wanted() const
{
    QList<Wanted> result;
    if (!m_source)
        return result;
    const int rows = m_source->rowCount();
    if (m_mode == Mode::None) {
        Wanted all;
        for (int row = 0; row < rows; ++row)
            all.keys << m_source->index(row, 0).data(InstanceModel::KeyRole).toString();
        result << all;
        return result;
    }
    QHash<QString, int> at;
    for (int row = 0; row < rows; ++row) {
        const QString name = groupOf(row);
        int i = at.value(name, -1);
        if (i < 0) {
            i = int(result.size());
            at.insert(name, i);
            result.append(Wanted {name, {}});
        }
        result[i].keys << m_source->index(row, 0).data(InstanceModel::KeyRole).toString();
    }
    std::sort(result.begin(), result.end(), [](const Wanted& a, const Wanted& b) { return groupLess(a.name, b.name); });
    return result;
}

void InstanceGroupProxy::rebuild()
{
    m_groups.clear();
    m_flat.clear();
    m_sourceRow.clear();
    if (!m_source)
        return;
    for (int row = 0; row < m_source->rowCount(); ++row)
        m_sourceRow.insert(m_source->index(row, 0).data(InstanceModel::KeyRole).toString(), row);
    const QList<Wanted> target = wanted();
    if (m_mode == Mode::None) {
        m_flat = target.isEmpty() ? QStringList() : target.constFirst().keys;
        return;
    }
    for (const Wanted& w : target)
        m_groups.push_back(std::make_unique<Group>(Group {w.name, w.keys}));
}

void InstanceGroupProxy::sync()
{
    if (m_resetting || !m_source)
        return;
    m_sourceRow.clear();
    for (int row = 0; row < m_source->rowCount(); ++row)
        m_sourceRow.insert(m_source->index(row, 0).data(InstanceModel::KeyRole).toString(), row);
    const QList<Wanted> target = wanted();

    if (m_mode == Mode::None) {
        syncKeys({}, m_flat, target.isEmpty() ? QStringList() : target.constFirst().keys);
        reorder(target);
        return;
    }

    // Groups that lost every row go; new ones come with their rows. Both lists are in name order.
    QSet<QString> names;
    for (const Wanted& w : target)
        names.insert(w.name);
    for (int g = int(m_groups.size()) - 1; g >= 0; --g) {
        if (names.contains(m_groups[size_t(g)]->name))
            continue;
        beginRemoveRows({}, g, g);
        std::unique_ptr<Group> dead = std::move(m_groups[size_t(g)]);
        m_groups.erase(m_groups.begin() + g);
        endRemoveRows();
    }
    QList<int> counts;
    for (int i = 0; i < target.size(); ++i) {
        if (size_t(i) < m_groups.size() && m_groups[size_t(i)]->name == target.at(i).name) {
            counts << int(m_groups[size_t(i)]->keys.size());
            continue;
        }
        beginInsertRows({}, i, i);
        m_groups.insert(m_groups.begin() + i, std::make_unique<Group>(Group {target.at(i).name, target.at(i).keys}));
        endInsertRows();
        counts << -1;
    }
    for (int i = 0; i < target.size(); ++i)
        syncKeys(index(i, 0), m_groups[size_t(i)]->keys, target.at(i).keys);
    reorder(target);
    for (int i = 0; i < target.size(); ++i) {
        if (counts.at(i) != int(m_groups[size_t(i)]->keys.size()))
            Q_EMIT dataChanged(index(i, 0), index(i, 0));
    }
}

void InstanceGroupProxy::syncKeys(const QModelIndex& parent, QStringList& current, const QStringList& target)
{
    const QSet<QString> want(target.cbegin(), target.cend());
    for (int r = int(current.size()) - 1; r >= 0; --r) {
        if (want.contains(current.at(r)))
            continue;
        const int last = r;
        while (r > 0 && !want.contains(current.at(r - 1)))
            --r;
        beginRemoveRows(parent, r, last);
        current.remove(r, last - r + 1);
        endRemoveRows();
    }
    // New rows go where the target has them when the rest is in order; reorder() fixes anything else.
    QSet<QString> have(current.cbegin(), current.cend());
    for (int i = 0; i < target.size(); ++i) {
        if (have.contains(target.at(i)))
            continue;
        int end = i + 1;
        while (end < target.size() && !have.contains(target.at(end)))
            ++end;
        const int at = qMin(i, int(current.size()));
        beginInsertRows(parent, at, at + end - i - 1);
        for (int k = i; k < end; ++k) {
            current.insert(at + k - i, target.at(k));
            have.insert(target.at(k));
        }
        endInsertRows();
        i = end - 1;
    }
}

bool InstanceGroupProxy::reorder(const QList<Wanted>& target)
{
    bool differs = false;
    if (m_mode == Mode::None) {
        differs = !target.isEmpty() && m_flat != target.constFirst().keys;
    } else {
        for (int i = 0; i < target.size() && !differs; ++i)
            differs = m_groups[size_t(i)]->keys != target.at(i).keys;
    }
    if (!differs)
        return false;

    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    // New rows by key, per list (the flat list is the one with no group).
    QHash<const Group*, QHash<QString, int>> newRow;
    for (int i = 0; i < target.size(); ++i) {
        const Group* g = m_mode == Mode::None ? nullptr : m_groups[size_t(i)].get();
        QHash<QString, int>& rows = newRow[g];
        for (int r = 0; r < target.at(i).keys.size(); ++r)
            rows.insert(target.at(i).keys.at(r), r);
    }
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    to.reserve(from.size());
    for (const QModelIndex& idx : from) {
        Group* g = groupOfIndex(idx);
        const bool instanceRow = g || m_mode == Mode::None;
        if (!instanceRow) {
            to << idx; // group rows keep their place
            continue;
        }
        const QStringList& keys = g ? g->keys : m_flat;
        const int row = newRow.value(g).value(keys.value(idx.row()), -1);
        to << (row < 0 ? QModelIndex() : createIndex(row, idx.column(), g));
    }
    if (m_mode == Mode::None) {
        m_flat = target.constFirst().keys;
    } else {
        for (int i = 0; i < target.size(); ++i)
            m_groups[size_t(i)]->keys = target.at(i).keys;
    }
    changePersistentIndexList(from, to);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    return true;
}

InstanceGroupProxy::Group* InstanceGroupProxy::groupOfIndex(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<Group*>(index.internalPointer()) : nullptr;
}

int InstanceGroupProxy::groupRow(const Group* group) const
{
    for (size_t i = 0; i < m_groups.size(); ++i) {
        if (m_groups[i].get() == group)
            return int(i);
    }
    return -1;
}

bool InstanceGroupProxy::isGroup(const QModelIndex& index) const
{
    return index.isValid() && index.model() == this && m_mode != Mode::None && !groupOfIndex(index);
}

QModelIndex InstanceGroupProxy::sourceIndexOfKey(const QString& key, int column) const
{
    const int row = m_sourceRow.value(key, -1);
    if (!m_source || row < 0 || row >= m_source->rowCount())
        return {};
    return m_source->index(row, column);
}

QModelIndex InstanceGroupProxy::mapToSource(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this || isGroup(index))
        return {};
    const Group* g = groupOfIndex(index);
    const QStringList& keys = g ? g->keys : m_flat;
    return sourceIndexOfKey(keys.value(index.row()), index.column());
}

QModelIndex InstanceGroupProxy::mapFromSource(const QModelIndex& sourceIndex) const
{
    if (!sourceIndex.isValid() || sourceIndex.model() != m_source)
        return {};
    const QString key = sourceIndex.siblingAtColumn(0).data(InstanceModel::KeyRole).toString();
    if (m_mode == Mode::None) {
        const int row = int(m_flat.indexOf(key));
        return row < 0 ? QModelIndex() : createIndex(row, sourceIndex.column(), nullptr);
    }
    for (const auto& g : m_groups) {
        if (const int row = int(g->keys.indexOf(key)); row >= 0)
            return createIndex(row, sourceIndex.column(), g.get());
    }
    return {};
}

QModelIndex InstanceGroupProxy::firstInstance() const
{
    if (m_mode == Mode::None)
        return m_flat.isEmpty() ? QModelIndex() : createIndex(0, 0, nullptr);
    for (const auto& g : m_groups) {
        if (!g->keys.isEmpty())
            return createIndex(0, 0, g.get());
    }
    return {};
}

QModelIndex InstanceGroupProxy::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= columnCount(parent) || row >= rowCount(parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, nullptr);
    return createIndex(row, column, m_groups[size_t(parent.row())].get());
}

QModelIndex InstanceGroupProxy::parent(const QModelIndex& child) const
{
    const Group* g = groupOfIndex(child);
    if (!g)
        return {};
    const int row = groupRow(g);
    return row < 0 ? QModelIndex() : createIndex(row, 0, nullptr);
}

int InstanceGroupProxy::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return m_mode == Mode::None ? int(m_flat.size()) : int(m_groups.size());
    if (parent.column() != 0 || !isGroup(parent) || size_t(parent.row()) >= m_groups.size())
        return 0;
    return int(m_groups[size_t(parent.row())]->keys.size());
}

int InstanceGroupProxy::columnCount(const QModelIndex&) const
{
    return m_source ? m_source->columnCount() : 0;
}

QVariant InstanceGroupProxy::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    if (!isGroup(index)) {
        if (role == IsGroupRole)
            return false;
        return mapToSource(index).data(role);
    }
    const Group& g = *m_groups[size_t(index.row())];
    const int count = int(g.keys.size());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == 0)
            return QStringLiteral("%1 — %2").arg(g.name, countText(count));
        return {};
    case Qt::ToolTipRole:
        return QStringLiteral("%1: %2 shown. Enter or double-click opens or closes the group.")
            .arg(g.name, countText(count));
    case Qt::FontRole: {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    case IsGroupRole:
        return true;
    case GroupNameRole:
        return g.name;
    case GroupCountRole:
        return count;
    case InstanceModel::SortRole:
        return g.name;
    default:
        return {};
    }
}

QVariant InstanceGroupProxy::headerData(int section, Qt::Orientation orientation, int role) const
{
    return m_source ? m_source->headerData(section, orientation, role) : QVariant();
}

Qt::ItemFlags InstanceGroupProxy::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (isGroup(index))
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const QModelIndex source = mapToSource(index);
    return source.isValid() ? source.flags() : Qt::NoItemFlags;
}

void InstanceGroupProxy::sort(int column, Qt::SortOrder order)
{
    if (m_source)
        m_source->sort(column, order);
}

} // namespace bl
