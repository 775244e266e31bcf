#include "ui/FavouritesModel.h"

namespace bl {

FavouritesModel::FavouritesModel(Favourites& favourites, QObject* parent)
    : QAbstractListModel(parent)
    , m_favourites(favourites)
    , m_rows(favourites.list())
{
    connect(&m_favourites, &Favourites::listChanged, this, [this] {
        beginResetModel();
        m_rows = m_favourites.list();
        endResetModel();
    });
    connect(&m_favourites, &Favourites::favouriteChanged, this, [this](const QString& name) {
        for (int row = 0; row < m_rows.size(); ++row) {
            if (m_rows.at(row).name != name)
                continue;
            if (const Favourite* f = m_favourites.find(name))
                m_rows[row] = *f;
            Q_EMIT dataChanged(index(row), index(row));
        }
    });
}

int FavouritesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant FavouritesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Favourite& f = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("%1 — %2 port %3 → 127.0.0.1:%4")
            .arg(f.name, f.instanceId)
            .arg(f.remotePort)
            .arg(f.localPort == 0 ? QStringLiteral("any") : QString::number(f.localPort));
    case Qt::ToolTipRole:
        return QStringLiteral("Profile %1, region %2, transport %3. Tick to open the tunnel, untick to close it.")
            .arg(f.profile, f.region, viaName(f.via));
    case Qt::CheckStateRole:
        return f.enabled ? Qt::Checked : Qt::Unchecked;
    case NameRole:
        return f.name;
    default:
        return {};
    }
}

bool FavouritesModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::CheckStateRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    const bool on = value.toInt() == Qt::Checked;
    // A failed save is reported by Favourites::saveFailed; the switch itself happened.
    static_cast<void>(m_favourites.setEnabled(m_rows.at(index.row()).name, on));
    return true;
}

Qt::ItemFlags FavouritesModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable;
}

} // namespace bl
