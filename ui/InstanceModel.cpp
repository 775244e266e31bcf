#include "ui/InstanceModel.h"

#include "core/inventory/InstanceStore.h"
#include "ui/InstancePresentation.h"

#include <QFont>
#include <QHostAddress>

#include <algorithm>

namespace bl {

namespace {

// Lifecycle order: what is usable first.
int stateOrder(InstanceState s)
{
    switch (s) {
    case InstanceState::Running:
        return 0;
    case InstanceState::Pending:
        return 1;
    case InstanceState::Stopping:
        return 2;
    case InstanceState::Stopped:
        return 3;
    case InstanceState::ShuttingDown:
        return 4;
    case InstanceState::Terminated:
        return 5;
    case InstanceState::Unknown:
        break;
    }
    return 6;
}

QVariant addressSortValue(const QString& ip)
{
    if (ip.isEmpty())
        return QVariant::fromValue<qulonglong>(~0ULL); // no address sorts last
    bool ok = false;
    const quint32 v4 = QHostAddress(ip).toIPv4Address(&ok);
    return QVariant::fromValue<qulonglong>(ok ? v4 : (~0ULL - 1));
}

} // namespace

InstanceModel::InstanceModel(InstanceStore& store, QObject* parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    connect(&m_store, &InstanceStore::reset, this, &InstanceModel::resetFromStore);
    connect(&m_store, &InstanceStore::changed, this, &InstanceModel::apply);
    resetFromStore();
}

InstanceModel::Row InstanceModel::makeRow(const InventoryEntry& entry)
{
    const Instance& i = entry.instance;
    QStringList words {i.name, i.id, i.privateIp, i.publicIp, i.ipv6, entry.source};
    for (const Tag& t : i.tags)
        words << t.key + QLatin1Char('=') + t.value;
    return Row {entry, words.join(QLatin1Char('\n')).toCaseFolded()};
}

void InstanceModel::resetFromStore()
{
    beginResetModel();
    m_rows.clear();
    for (const InventoryEntry& e : m_store.entries())
        m_rows.append(makeRow(e));
    reindex();
    endResetModel();
}

void InstanceModel::apply(const InventoryDelta& delta)
{
    if (!delta.removed.isEmpty()) {
        QList<int> rows;
        for (const QString& key : delta.removed) {
            const auto it = m_rowOf.constFind(key);
            if (it != m_rowOf.cend())
                rows.append(*it);
        }
        std::sort(rows.begin(), rows.end(), std::greater<int>());
        // Remove contiguous runs from the bottom up so the remaining row numbers stay valid.
        qsizetype i = 0;
        while (i < rows.size()) {
            const int last = rows.at(i);
            int first = last;
            while (i + 1 < rows.size() && rows.at(i + 1) == first - 1)
                first = rows.at(++i);
            ++i;
            beginRemoveRows({}, first, last);
            m_rows.remove(first, last - first + 1);
            endRemoveRows();
        }
        reindex();
    }
    QList<const InventoryEntry*> added;
    for (const QString& key : delta.added) {
        if (m_rowOf.contains(key))
            continue;
        if (const InventoryEntry* e = m_store.entry(key))
            added.append(e);
    }
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const InventoryEntry* e : std::as_const(added)) {
            m_rowOf.insert(e->key(), int(m_rows.size()));
            m_rows.append(makeRow(*e));
        }
        endInsertRows();
    }
    for (const QString& key : delta.changed) {
        const auto it = m_rowOf.constFind(key);
        const InventoryEntry* e = m_store.entry(key);
        if (it == m_rowOf.cend() || !e)
            continue;
        m_rows[*it] = makeRow(*e);
        Q_EMIT dataChanged(index(*it, 0), index(*it, ColumnCount - 1));
    }
}

void InstanceModel::reindex()
{
    m_rowOf.clear();
    m_rowOf.reserve(m_rows.size());
    for (int i = 0; i < int(m_rows.size()); ++i)
        m_rowOf.insert(m_rows.at(i).entry.key(), i);
}

int InstanceModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int InstanceModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const InventoryEntry* InstanceModel::entryAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row).entry : nullptr;
}

QModelIndex InstanceModel::indexOfKey(const QString& key, int column) const
{
    const auto it = m_rowOf.constFind(key);
    return it == m_rowOf.cend() ? QModelIndex() : index(*it, column);
}

int InstanceModel::runningCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(),
                             [](const Row& r) { return r.entry.instance.state == InstanceState::Running; }));
}

QVariant InstanceModel::display(const InventoryEntry& e, int column) const
{
    const Instance& i = e.instance;
    switch (column) {
    case Name:
        return i.name;
    case Id:
        return i.id;
    case State:
        return i.stateName.isEmpty() ? instanceStateName(i.state) : i.stateName;
    case Type:
        return i.type;
    case Platform:
        return InstancePresentation::platformText(i);
    case Profile:
        return e.source;
    case Region:
        return i.region;
    case Zone:
        return i.availabilityZone;
    case Vpc:
        return i.vpcId;
    case PrivateIp:
        return i.privateIp.isEmpty() ? i.ipv6 : i.privateIp;
    case PublicIp:
        return i.publicIp;
    case Reach:
        return InstancePresentation::reachabilityText(e);
    default:
        return {};
    }
}

QVariant InstanceModel::sortValue(const InventoryEntry& e, int column) const
{
    switch (column) {
    case State:
        return stateOrder(e.instance.state);
    case PrivateIp:
        return addressSortValue(e.instance.privateIp);
    case PublicIp:
        return addressSortValue(e.instance.publicIp);
    case Reach:
        // Reachable first, then by how many ways in.
        return (e.reach.reachable() ? 0 : 10) - int(e.reach.paths().size());
    case Name:
        // Unnamed instances after named ones.
        return e.instance.name.isEmpty() ? QStringLiteral("\uffff") + e.instance.id : e.instance.name.toCaseFolded();
    default:
        return display(e, column).toString().toCaseFolded();
    }
}

QVariant InstanceModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    const InventoryEntry& e = row.entry;
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(e, column);
    case Qt::ToolTipRole:
        if (column == Reach || column == State)
            return InstancePresentation::reachabilityTooltip(e);
        if (column == Name)
            return InstancePresentation::tagsTooltip(e.instance);
        if (column == Platform)
            return e.instance.platformDetails;
        return {};
    case Qt::ForegroundRole:
        if (column == State)
            return InstancePresentation::stateColor(e.instance.state);
        if (column == Reach) {
            const QColor c = InstancePresentation::reachabilityColor(e);
            return c.isValid() ? QVariant(c) : QVariant();
        }
        return {};
    case Qt::DecorationRole:
        if (column == State)
            return InstancePresentation::stateIcon(e.instance.state);
        return {};
    case Qt::FontRole:
        if (e.stale) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    case KeyRole:
        return e.key();
    case SearchTextRole:
        return row.searchText;
    case SortRole:
        return sortValue(e, column);
    case InstanceIdRole:
        return e.instance.id;
    case StateRole:
        return static_cast<int>(e.instance.state);
    case IsWindowsRole:
        return e.instance.isWindows();
    default:
        return {};
    }
}

QVariant InstanceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const titles[ColumnCount] = {"Name",     "Instance ID", "State",     "Type",
                                                    "Platform", "Profile",     "Region",    "Zone",
                                                    "VPC",      "Private IP",  "Public IP", "Reachability"};
    return QString::fromLatin1(titles[section]);
}

} // namespace bl
