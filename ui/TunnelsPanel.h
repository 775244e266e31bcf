#pragma once
// TunnelsPanel: the dock that lists every tunnel (TunnelsModel) with Stop, Restart, Remove and "Save as
// favourite", and the favourites with a checkbox each to switch them on and off. It forwards intentions to
// TunnelManager and Favourites; errors go to the window through failed().

#include "core/util/Result.h"

#include <QDockWidget>

class QAction;
class QListView;
class QTableView;

namespace bl {

class Favourites;
class FavouritesModel;
class TunnelManager;
class TunnelsModel;

class TunnelsPanel : public QDockWidget
{
    Q_OBJECT
public:
    // favourites may be null: no favourites list.
    TunnelsPanel(TunnelManager& manager, Favourites* favourites, QWidget* parent = nullptr);

    TunnelsModel& model() { return *m_model; }
    quint64 currentTunnel() const; // 0 when none is selected

Q_SIGNALS:
    void failed(const QString& what, const bl::Error& error);
    void notice(const QString& text);

private:
    void updateButtons();
    void saveFavourite();
    void removeFavourite();

    TunnelManager& m_manager;
    Favourites* m_favourites;
    TunnelsModel* m_model;
    FavouritesModel* m_favouritesModel = nullptr;
    QTableView* m_view;
    QListView* m_favouritesView = nullptr;
    QAction* m_stop;
    QAction* m_restart;
    QAction* m_remove;
    QAction* m_save;
    QAction* m_removeFavourite = nullptr;
};

} // namespace bl
