#pragma once
// FavouritesModel: the saved favourites as a checkable list (checked = switched on), for the tunnels panel.
// Checking a row switches the favourite on through Favourites, which opens its tunnel.

#include "core/connect/Favourites.h"

#include <QAbstractListModel>

namespace bl {

class FavouritesModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { NameRole = Qt::UserRole + 1 };

    explicit FavouritesModel(Favourites& favourites, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    Favourites& m_favourites;
    QList<Favourite> m_rows; // a copy, so rows change only between begin/endResetModel
};

} // namespace bl
