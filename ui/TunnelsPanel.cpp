#include "ui/TunnelsPanel.h"

#include "core/connect/Favourites.h"
#include "ui/FavouritesModel.h"
#include "ui/TunnelsModel.h"

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace bl {

namespace {

QToolButton* buttonFor(QAction* action, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setObjectName(action->objectName() + QStringLiteral("Button"));
    return button;
}

} // namespace

TunnelsPanel::TunnelsPanel(TunnelManager& manager, Favourites* favourites, QWidget* parent)
    : QDockWidget(QStringLiteral("Tunnels"), parent)
    , m_manager(manager)
    , m_favourites(favourites)
    , m_model(new TunnelsModel(manager, this))
{
    setObjectName(QStringLiteral("tunnelsPanel"));
    setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(6, 4, 6, 4);

    m_view = new QTableView(body);
    m_view->setObjectName(QStringLiteral("tunnelsView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    static const int widths[TunnelsModel::ColumnCount] = {240, 300, 75, 85, 50, 75, 75, 120, 65, 120};
    for (int c = 0; c < TunnelsModel::ColumnCount; ++c)
        m_view->setColumnWidth(c, widths[c]);

    m_stop = new QAction(QStringLiteral("Stop"), this);
    m_stop->setObjectName(QStringLiteral("tunnelStop"));
    m_stop->setToolTip(QStringLiteral("Close the local port; open connections end"));
    m_restart = new QAction(QStringLiteral("Restart"), this);
    m_restart->setObjectName(QStringLiteral("tunnelRestart"));
    m_restart->setToolTip(QStringLiteral("Choose the transport again and listen on the same local port"));
    m_remove = new QAction(QStringLiteral("Remove"), this);
    m_remove->setObjectName(QStringLiteral("tunnelRemove"));
    m_remove->setToolTip(QStringLiteral("Stop the tunnel and take it off this list"));
    m_save = new QAction(QStringLiteral("Save as favourite"), this);
    m_save->setObjectName(QStringLiteral("tunnelSaveFavourite"));
    m_save->setToolTip(QStringLiteral("Keep this instance, port and transport to switch on again later"));
    m_save->setVisible(m_favourites != nullptr);

    auto* buttons = new QHBoxLayout;
    for (QAction* a : {m_stop, m_restart, m_remove, m_save})
        buttons->addWidget(buttonFor(a, body));
    buttons->addStretch(1);
    layout->addLayout(buttons);
    layout->addWidget(m_view, 3);
    m_view->setMinimumHeight(80);

    connect(m_stop, &QAction::triggered, this, [this] { m_manager.stop(currentTunnel()); });
    connect(m_restart, &QAction::triggered, this, [this] { m_manager.restart(currentTunnel()); });
    connect(m_remove, &QAction::triggered, this, [this] { m_manager.remove(currentTunnel()); });
    connect(m_save, &QAction::triggered, this, &TunnelsPanel::saveFavourite);

    if (m_favourites) {
        auto* label = new QLabel(QStringLiteral("Favourites (tick to open, untick to close):"), body);
        m_favouritesModel = new FavouritesModel(*m_favourites, this);
        m_favouritesView = new QListView(body);
        m_favouritesView->setObjectName(QStringLiteral("favouritesView"));
        m_favouritesView->setModel(m_favouritesModel);
        m_favouritesView->setMinimumHeight(48);
        m_removeFavourite = new QAction(QStringLiteral("Delete favourite"), this);
        m_removeFavourite->setObjectName(QStringLiteral("favouriteRemove"));
        connect(m_removeFavourite, &QAction::triggered, this, &TunnelsPanel::removeFavourite);
        auto* row = new QHBoxLayout;
        row->addWidget(label, 1);
        row->addWidget(buttonFor(m_removeFavourite, body));
        layout->addLayout(row);
        layout->addWidget(m_favouritesView, 1);
        connect(m_favourites, &Favourites::saveFailed, this,
                [this](const Error& e) { Q_EMIT failed(QStringLiteral("Saving favourites"), e); });
        connect(m_favouritesView->selectionModel(), &QItemSelectionModel::currentChanged, this,
                &TunnelsPanel::updateButtons);
    }
    setWidget(body);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TunnelsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &TunnelsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex&, int first) {
        // The newest tunnel selected: it is the one the person just asked for.
        m_view->setCurrentIndex(m_model->index(first, 0));
        updateButtons();
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &TunnelsPanel::updateButtons);
    updateButtons();
}

quint64 TunnelsPanel::currentTunnel() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? m_model->idAt(current.row()) : 0;
}

void TunnelsPanel::updateButtons()
{
    const ManagedTunnel* t = m_manager.tunnel(currentTunnel());
    m_stop->setEnabled(t && t->isActive());
    m_restart->setEnabled(t != nullptr);
    m_remove->setEnabled(t != nullptr);
    m_save->setEnabled(t != nullptr && !t->target.instanceId.isEmpty());
    if (m_removeFavourite)
        m_removeFavourite->setEnabled(m_favouritesView->currentIndex().isValid());
}

void TunnelsPanel::saveFavourite()
{
    const ManagedTunnel* t = m_manager.tunnel(currentTunnel());
    if (!t || !m_favourites)
        return;
    const QString suggestion =
        QStringLiteral("%1:%2")
            .arg(t->target.instanceName.isEmpty() ? t->target.instanceId : t->target.instanceName)
            .arg(t->target.remotePort);
    Favourite f = Favourite::fromTunnel(*t, m_favourites->uniqueName(suggestion));
    if (Result<void> added = m_favourites->add(f); !added) {
        Q_EMIT failed(QStringLiteral("Save as favourite"), added.error());
        return;
    }
    Q_EMIT notice(QStringLiteral("Saved favourite “%1”").arg(f.name));
}

void TunnelsPanel::removeFavourite()
{
    const QModelIndex current = m_favouritesView->currentIndex();
    if (!current.isValid())
        return;
    const QString name = current.data(FavouritesModel::NameRole).toString();
    if (Result<void> removed = m_favourites->remove(name); !removed)
        Q_EMIT failed(QStringLiteral("Delete favourite"), removed.error());
}

} // namespace bl
