#include "ui/MainWindow.h"

#include "core/inventory/InstanceStore.h"
#include "ui/ErrorBanner.h"
#include "ui/Icons.h"
#include "ui/InstanceFilterProxy.h"
#include "ui/InstanceGroupProxy.h"
#include "ui/InstanceModel.h"
#include "ui/InstancePresentation.h"
#include "ui/InstanceView.h"
#include "ui/ManagedTunnels.h"
#include "ui/OsUserMenu.h"
#include "ui/SearchField.h"
#include "ui/TunnelPortDialog.h"
#include "ui/TunnelsPanel.h"
#include "ui/WindowsPasswordDialog.h"

#include <QAction>
#include <QActionGroup>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace bl {

namespace {

const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
const QString kColumnsKey = QStringLiteral("mainWindow/columns");
const QString kGroupByKey = QStringLiteral("mainWindow/groupBy");

QString actionObjectName(InstanceAction a)
{
    switch (a) {
    case InstanceAction::Ssh:
        return QStringLiteral("actionSsh");
    case InstanceAction::Rdp:
        return QStringLiteral("actionRdp");
    case InstanceAction::Vnc:
        return QStringLiteral("actionVnc");
    case InstanceAction::CustomTunnel:
        return QStringLiteral("actionTunnel");
    case InstanceAction::CopyCommand:
        return QStringLiteral("actionCopyCommand");
    case InstanceAction::WindowsPassword:
        return QStringLiteral("actionWindowsPassword");
    case InstanceAction::Start:
        return QStringLiteral("actionStart");
    case InstanceAction::Stop:
        return QStringLiteral("actionStop");
    }
    return {};
}

QString toolbarText(InstanceAction a)
{
    switch (a) {
    case InstanceAction::Ssh:
        return QStringLiteral("SSH");
    case InstanceAction::Rdp:
        return QStringLiteral("RDP");
    case InstanceAction::Vnc:
        return QStringLiteral("VNC");
    case InstanceAction::Start:
        return QStringLiteral("Start");
    case InstanceAction::Stop:
        return QStringLiteral("Stop");
    default:
        return {};
    }
}

QIcon actionIcon(InstanceAction a)
{
    switch (a) {
    case InstanceAction::Ssh:
        return Icons::terminal();
    case InstanceAction::Rdp:
        return Icons::remoteDesktop();
    case InstanceAction::Vnc:
        return Icons::vnc();
    case InstanceAction::Start:
        return Icons::start();
    case InstanceAction::Stop:
        return Icons::stop();
    default:
        return {};
    }
}

} // namespace

MainWindow::MainWindow(InstanceStore& store, InstanceActions& actions, QWidget* parent)
    : QMainWindow(parent)
    , m_store(store)
    , m_actions(actions)
    , m_model(new InstanceModel(store, this))
    , m_proxy(new InstanceFilterProxy(this))
    , m_groups(new InstanceGroupProxy(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Bastionless"));
    setWindowIcon(Icons::app());
    m_proxy->setSourceModel(m_model);
    m_groups->setSourceModel(m_proxy);

    buildToolBar();
    buildCentral();
    buildStatusBar();
    buildTunnelsPanel();
    restoreLayout();

    connect(&m_store, &InstanceStore::errorsChanged, this, [this] { m_banner->setErrors(m_store.errors()); });
    connect(&m_store, &InstanceStore::refreshStarted, this, [this] {
        m_progress->setRange(0, 0);
        m_progress->show();
        updatePlaceholder();
    });
    connect(&m_store, &InstanceStore::progress, this, [this](int done, int total) {
        m_progress->setRange(0, qMax(total, 0));
        m_progress->setValue(done);
        m_progress->setFormat(QStringLiteral("%1/%2 regions").arg(done).arg(total));
    });
    connect(&m_store, &InstanceStore::refreshFinished, this, [this] {
        m_progress->hide();
        // Something selected from the start, so Enter connects without a click first.
        if (!m_view->currentIndex().isValid() && m_proxy->rowCount() > 0)
            m_view->setCurrentIndex(m_groups->firstInstance());
        updateStatus();
        updatePlaceholder();
    });
    m_statusTimer = new QTimer(this);
    m_statusTimer->setSingleShot(true);
    m_statusTimer->setInterval(0);
    connect(m_statusTimer, &QTimer::timeout, this, [this] {
        updateStatus();
        updateDetails();
    });
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, m_statusTimer, qOverload<>(&QTimer::start));
    connect(m_model, &QAbstractItemModel::modelReset, m_statusTimer, qOverload<>(&QTimer::start));
    connect(m_model, &QAbstractItemModel::dataChanged, m_statusTimer, qOverload<>(&QTimer::start));
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &MainWindow::updatePlaceholder);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updatePlaceholder);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::updatePlaceholder);

    connect(&m_actions, &InstanceActions::failed, this, &MainWindow::showFailure);
    connect(&m_actions, &InstanceActions::notice, this,
            [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    connect(&m_actions, &InstanceActions::copyRequested, this,
            [](const QString& text) { QGuiApplication::clipboard()->setText(text); });
    connect(&m_actions, &InstanceActions::stopRequested, this, &MainWindow::askToStop);
    connect(&m_actions, &InstanceActions::statesChanged, this, &MainWindow::updateDetails);
    connect(&m_actions, &InstanceActions::tunnelRequested, this, &MainWindow::askForTunnel);
    connect(&m_actions, &InstanceActions::windowsPasswordRequested, this, [this](const QString& key) {
        const InventoryEntry* entry = m_store.entry(key);
        WindowsPasswords* passwords = m_actions.connectService().windowsPasswords();
        if (!entry || !passwords)
            return;
        auto* dialog = new WindowsPasswordDialog(*passwords, *entry, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    connect(&m_actions, &InstanceActions::busyChanged, this, &MainWindow::updateBusy);

    m_banner->setErrors(m_store.errors());
    updateDetails();
    updateStatus();
    updatePlaceholder();
}

MainWindow::~MainWindow() = default;

void MainWindow::addAppActions(const QList<QAction*>& actions)
{
    QToolBar* bar = findChild<QToolBar*>(QStringLiteral("mainToolBar"));
    if (!bar)
        return;
    auto* spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    for (QAction* action : actions) {
        bar->addAction(action);
        addAction(action); // shortcuts work wherever the focus is
    }
}

void MainWindow::buildToolBar()
{
    QToolBar* bar = addToolBar(QStringLiteral("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(20, 20));

    m_refresh = bar->addAction(Icons::refresh(), QStringLiteral("Refresh"));
    m_refresh->setObjectName(QStringLiteral("actionRefresh"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setToolTip(QStringLiteral("List the instances of every profile again (F5)"));
    connect(m_refresh, &QAction::triggered, &m_store, &InstanceStore::refresh);
    bar->addSeparator();

    for (const InstanceAction a :
         {InstanceAction::Ssh, InstanceAction::Rdp, InstanceAction::Vnc, InstanceAction::Start, InstanceAction::Stop}) {
        if (a == InstanceAction::Start)
            bar->addSeparator();
        QAction* action = bar->addAction(actionIcon(a), toolbarText(a));
        action->setObjectName(actionObjectName(a));
        connect(action, &QAction::triggered, this, [this, a] {
            if (const QString key = currentKey(); !key.isEmpty())
                m_actions.trigger(a, key);
        });
        m_toolbarActions.insert(a, action);
    }

    // The rest of what the context menu offers, for people who work from the toolbar or the keyboard (Alt+M).
    auto* more = new QMenu(this);
    more->setObjectName(QStringLiteral("moreMenu"));
    more->setToolTipsVisible(true);
    for (const InstanceAction a :
         {InstanceAction::CustomTunnel, InstanceAction::CopyCommand, InstanceAction::WindowsPassword}) {
        QAction* action = more->addAction(m_actions.state(a, nullptr).text);
        action->setObjectName(actionObjectName(a) + QStringLiteral("More"));
        connect(action, &QAction::triggered, this, [this, a] {
            if (const QString key = currentKey(); !key.isEmpty())
                m_actions.trigger(a, key);
        });
        m_toolbarActions.insert(a, action);
    }
    auto* moreButton = new QToolButton(bar);
    moreButton->setObjectName(QStringLiteral("moreButton"));
    moreButton->setText(QStringLiteral("&More"));
    moreButton->setToolTip(QStringLiteral("Tunnel to a port, copy the command, get the Windows password"));
    moreButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    // popup(), not QToolButton's own menu handling, which runs the menu in a nested event loop.
    connect(moreButton, &QToolButton::clicked, more,
            [more, moreButton] { more->popup(moreButton->mapToGlobal(QPoint(0, moreButton->height()))); });
    bar->addWidget(moreButton);

    auto* find = new QAction(this);
    find->setObjectName(QStringLiteral("actionFind"));
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    addAction(find);

    buildGroupBy(bar);
}

void MainWindow::buildGroupBy(QToolBar* bar)
{
    bar->addSeparator();
    auto* label = new QLabel(QStringLiteral("&Group by:"), bar);
    m_groupBy = new QComboBox(bar);
    m_groupBy->setObjectName(QStringLiteral("groupByCombo"));
    m_groupBy->setToolTip(QStringLiteral("Show the instances in groups (Alt+G)"));
    for (const auto mode : {InstanceGroupProxy::Mode::None, InstanceGroupProxy::Mode::Profile,
                            InstanceGroupProxy::Mode::Region, InstanceGroupProxy::Mode::Vpc})
        m_groupBy->addItem(InstanceGroupProxy::modeLabel(mode), static_cast<int>(mode));
    label->setBuddy(m_groupBy);
    label->setContentsMargins(6, 0, 4, 0);
    bar->addWidget(label);
    bar->addWidget(m_groupBy);
    connect(m_groupBy, &QComboBox::activated, this, [this](int index) {
        const int mode = m_groupBy->itemData(index).toInt();
        applyGroupMode(mode);
        QSettings().setValue(kGroupByKey, InstanceGroupProxy::modeName(static_cast<InstanceGroupProxy::Mode>(mode)));
    });
}

void MainWindow::applyGroupMode(int mode)
{
    const QString key = currentKey();
    const auto m = static_cast<InstanceGroupProxy::Mode>(mode);
    m_groups->setMode(m);
    m_view->setGrouped(m != InstanceGroupProxy::Mode::None);
    if (const int at = m_groupBy->findData(mode); at >= 0)
        m_groupBy->setCurrentIndex(at);
    expandGroups(0, m_groups->rowCount() - 1);
    // The selection survives a change of grouping.
    if (const QModelIndex source = m_proxy->mapFromSource(m_model->indexOfKey(key));
        !key.isEmpty() && source.isValid()) {
        m_view->setCurrentIndex(viewIndex(source));
        m_view->scrollTo(m_view->currentIndex());
    }
}

void MainWindow::expandGroups(int first, int last)
{
    if (m_groups->mode() == InstanceGroupProxy::Mode::None)
        return;
    for (int row = first; row <= last; ++row) {
        m_view->setFirstColumnSpanned(row, {}, true);
        m_view->expand(m_groups->index(row, 0));
    }
}

QModelIndex MainWindow::viewIndex(const QModelIndex& proxyIndex) const
{
    return m_groups->mapFromSource(proxyIndex);
}

void MainWindow::buildCentral()
{
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 6, 8, 0);
    layout->setSpacing(6);

    m_banner = new ErrorBanner(central);
    m_search = new SearchField(central);
    m_search->setObjectName(QStringLiteral("searchField"));
    m_view = new InstanceView(central);
    m_view->setObjectName(QStringLiteral("instanceView"));
    m_view->setModel(m_groups);
    m_view->sortByColumn(InstanceModel::Name, Qt::AscendingOrder);
    m_details = new QLabel(central);
    m_details->setObjectName(QStringLiteral("instanceDetails"));
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setMinimumWidth(100);
    m_details->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    layout->addWidget(m_banner);
    layout->addWidget(m_search);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_details);
    setCentralWidget(central);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setSearchText(text);
        updateStatus();
        updatePlaceholder();
    });
    connect(m_search, &SearchField::leaveRequested, this, &MainWindow::focusList);
    connect(m_view, &InstanceView::typed, this, [this](const QString& text) {
        m_search->setFocus(Qt::OtherFocusReason);
        m_search->setText(m_search->text() + text);
    });
    connect(m_view, &InstanceView::escapePressed, m_search, &QLineEdit::clear);
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        // A group is not an instance: Enter or double-click opens or closes it.
        if (m_groups->isGroup(index)) {
            const QModelIndex group = index.siblingAtColumn(0);
            m_view->setExpanded(group, !m_view->isExpanded(group));
            return;
        }
        m_actions.triggerDefault(index.data(InstanceModel::KeyRole).toString());
    });
    // Groups that appear with a refresh or a search start open, like the others.
    connect(m_groups, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex& parent, int first, int last) {
        if (!parent.isValid())
            expandGroups(first, last);
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &MainWindow::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::updateDetails);
    m_view->header()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view->header(), &QWidget::customContextMenuRequested, this, &MainWindow::showColumnMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateDetails);
}

void MainWindow::buildStatusBar()
{
    m_counts = new QLabel(this);
    m_counts->setObjectName(QStringLiteral("statusCounts"));
    m_refreshed = new QLabel(this);
    m_refreshed->setObjectName(QStringLiteral("statusRefreshed"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("refreshProgress"));
    m_progress->setMaximumWidth(160);
    m_progress->setTextVisible(true);
    m_progress->hide();
    // Slow steps (choosing a transport, opening a tunnel, waiting for an instance to start) with a Cancel.
    m_busyText = new QLabel(this);
    m_busyText->setObjectName(QStringLiteral("progressText"));
    m_busyProgress = new QProgressBar(this);
    m_busyProgress->setObjectName(QStringLiteral("progressBusy"));
    m_busyProgress->setRange(0, 0);
    m_busyProgress->setMaximumWidth(100);
    m_busyCancel = new QPushButton(QStringLiteral("Cancel"), this);
    m_busyCancel->setObjectName(QStringLiteral("progressCancel"));
    connect(m_busyCancel, &QPushButton::clicked, &m_actions, &InstanceActions::cancelBusy);
    for (QWidget* w : std::initializer_list<QWidget*> {m_busyText, m_busyProgress, m_busyCancel}) {
        statusBar()->addPermanentWidget(w);
        w->hide();
    }
    statusBar()->addPermanentWidget(m_counts);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_refreshed);
}

void MainWindow::buildTunnelsPanel()
{
    ManagedTunnels* tunnels = m_actions.managedTunnels();
    if (!tunnels)
        return;
    m_tunnelsPanel = new TunnelsPanel(tunnels->manager(), tunnels->favourites(), this);
    addDockWidget(Qt::BottomDockWidgetArea, m_tunnelsPanel);
    connect(m_tunnelsPanel, &TunnelsPanel::failed, this, &MainWindow::showFailure);
    connect(m_tunnelsPanel, &TunnelsPanel::notice, this,
            [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    // A tunnel that opens shows itself, even when the panel was closed.
    connect(&tunnels->manager(), &TunnelManager::added, m_tunnelsPanel, &QWidget::show);
    connect(&tunnels->manager(), &TunnelManager::tunnelUp, this, [this, tunnels](quint64 id, quint16 port) {
        if (const ManagedTunnel* t = tunnels->manager().tunnel(id))
            statusBar()->showMessage(QStringLiteral("Tunnel up: 127.0.0.1:%1 → %2 port %3")
                                         .arg(port)
                                         .arg(t->displayName())
                                         .arg(t->target.remotePort),
                                     10000);
    });
    connect(&tunnels->manager(), &TunnelManager::tunnelFailed, this, [this, tunnels](quint64 id, const Error& e) {
        if (const ManagedTunnel* t = tunnels->manager().tunnel(id))
            statusBar()->showMessage(QStringLiteral("Tunnel to %1 failed: %2").arg(t->displayName(), e.message), 15000);
    });
    QAction* toggle = m_tunnelsPanel->toggleViewAction();
    toggle->setObjectName(QStringLiteral("actionShowTunnels"));
    toggle->setText(QStringLiteral("Tunnels"));
    toggle->setIcon(Icons::remoteDesktop());
    toggle->setToolTip(QStringLiteral("Show or hide the tunnels panel"));
    if (auto* bar = findChild<QToolBar*>(QStringLiteral("mainToolBar"))) {
        bar->addSeparator();
        bar->addAction(toggle);
    }
}

void MainWindow::addTunnelMenuItems(QMenu& menu, const QString& key)
{
    const InventoryEntry* entry = m_store.entry(key);
    if (!m_actions.managedTunnels() || !entry)
        return;
    menu.addSeparator();
    const ActionState s = m_actions.startAndConnectState(entry);
    QAction* startConnect = menu.addAction(Icons::start(), s.text);
    startConnect->setObjectName(QStringLiteral("actionStartConnect"));
    startConnect->setEnabled(s.enabled);
    startConnect->setToolTip(s.tooltip);
    connect(startConnect, &QAction::triggered, this, [this, key] { m_actions.startAndConnect(key); });

    QMenu* transport = menu.addMenu(QStringLiteral("Transport"));
    transport->setObjectName(QStringLiteral("menuTransport"));
    transport->setToolTipsVisible(true);
    auto* group = new QActionGroup(transport);
    const TransportChooser::Via current = m_actions.via(key);
    for (const TransportChooser::Via via : ManagedTunnels::viaChoices()) {
        QAction* a = transport->addAction(ManagedTunnels::viaLabel(via));
        a->setObjectName(QStringLiteral("via_%1").arg(viaName(via)));
        a->setCheckable(true);
        a->setChecked(via == current);
        a->setToolTip(via == TransportChooser::Via::Auto
                          ? QStringLiteral("Let Bastionless choose, as the command line's --via auto does")
                          : QStringLiteral("Always use this transport for this instance (--via %1)").arg(viaName(via)));
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, key, via] { m_actions.setVia(key, via); });
    }
}

void MainWindow::askForTunnel(const QString& key)
{
    const InventoryEntry* entry = m_store.entry(key);
    if (!entry)
        return;
    const QString name = entry->instance.name.isEmpty() ? entry->instance.id : entry->instance.name;
    auto* dialog = new TunnelPortDialog(name, m_actions.via(key), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &TunnelPortDialog::tunnelWanted, this,
            [this, key](quint16 remote, quint16 local, TransportChooser::Via via) {
                m_actions.openTunnel(key, remote, local, via);
            });
    dialog->open();
}

void MainWindow::updateBusy()
{
    const QString text = m_actions.busyText();
    m_busyText->setText(text);
    for (QWidget* w : std::initializer_list<QWidget*> {m_busyText, m_busyProgress, m_busyCancel})
        w->setVisible(!text.isEmpty());
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    // Defaults sized for the longest usual value (ids, ap-southeast-2a, vpc-0123456789abcdef0), and the
    // reachability column next to the state, where the eye looks first.
    static const int widths[InstanceModel::ColumnCount] = {145, 150, 118, 85, 75, 100, 105, 110, 172, 95, 110, 160};
    QHeaderView* header = m_view->header();
    for (int c = 0; c < InstanceModel::ColumnCount; ++c)
        header->resizeSection(c, widths[c]);
    header->moveSection(header->visualIndex(InstanceModel::Reach), header->visualIndex(InstanceModel::State) + 1);
    if (!restoreGeometry(settings.value(kGeometryKey).toByteArray()))
        resize(1360, 760);
    // The instance list stays the main thing; a saved layout overrides this.
    if (m_tunnelsPanel)
        resizeDocks({m_tunnelsPanel}, {240}, Qt::Vertical);
    const bool restored = restoreState(settings.value(kStateKey).toByteArray());
    // First start: an empty panel would only take room from the list; it shows itself when a tunnel opens, and the
    // toolbar's Tunnels button brings it back.
    if (!restored && m_tunnelsPanel && m_actions.managedTunnels()->manager().ids().isEmpty()
        && m_actions.managedTunnels()->favourites()->count() == 0)
        m_tunnelsPanel->hide();
    m_view->header()->restoreState(settings.value(kColumnsKey).toByteArray());
    // One source: every row would say the same profile.
    m_view->header()->setSectionHidden(InstanceModel::Profile, m_store.sources().size() <= 1);
    applyGroupMode(static_cast<int>(InstanceGroupProxy::modeFromName(settings.value(kGroupByKey).toString())));
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    settings.setValue(kColumnsKey, m_view->header()->saveState());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}

QString MainWindow::currentKey() const
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid() || !m_view->selectionModel()->isRowSelected(current.row(), current.parent()))
        return {};
    return current.data(InstanceModel::KeyRole).toString();
}

bool MainWindow::selectInstance(const QString& nameOrId)
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex name = m_proxy->index(row, InstanceModel::Name);
        const QModelIndex id = m_proxy->index(row, InstanceModel::Id);
        if (name.data().toString() == nameOrId || id.data().toString() == nameOrId) {
            const QModelIndex shown = viewIndex(name);
            m_view->setCurrentIndex(shown);
            // Centred: rows or detail lines that appear right after this must not push it out of sight.
            m_view->scrollTo(shown, QAbstractItemView::PositionAtCenter);
            return true;
        }
    }
    return false;
}

void MainWindow::focusList()
{
    m_view->setFocus(Qt::OtherFocusReason);
    if (!m_view->currentIndex().isValid() && m_proxy->rowCount() > 0)
        m_view->setCurrentIndex(m_groups->firstInstance());
}

void MainWindow::updateActions()
{
    const InventoryEntry* entry = m_store.entry(currentKey());
    const QModelIndex current = m_view->currentIndex();
    const bool onGroup = !entry && m_groups->isGroup(current);
    for (auto it = m_toolbarActions.cbegin(); it != m_toolbarActions.cend(); ++it) {
        ActionState s = m_actions.state(it.key(), entry);
        if (onGroup)
            s.tooltip = QStringLiteral("“%1” is a group, not an instance: select one of its instances")
                            .arg(current.data(InstanceGroupProxy::GroupNameRole).toString());
        it.value()->setEnabled(s.enabled);
        it.value()->setToolTip(s.tooltip);
    }
}

void MainWindow::updateDetails()
{
    const InventoryEntry* entry = m_store.entry(currentKey());
    if (!entry) {
        m_details->setText(QStringLiteral("Select an instance to see how it can be reached. Enter or double-click "
                                          "connects: SSH for Linux, RDP for Windows."));
        m_details->setStyleSheet({});
    } else {
        QString text = InstancePresentation::summary(*entry);
        if (ManagedTunnels* tunnels = m_actions.managedTunnels(); tunnels && entry->reach.running) {
            const QString explained = tunnels->cachedExplanation(*entry);
            if (!explained.isEmpty()) {
                text += QStringLiteral("\n") + explained;
            } else {
                const QString key = entry->key();
                tunnels->explain(*entry, m_details, [this, key](const QString&) {
                    if (currentKey() == key)
                        updateDetails();
                });
            }
        }
        m_details->setText(text);
        const bool problem = entry->reach.running && !entry->reach.reachable() && !entry->reach.reason.isEmpty();
        m_details->setStyleSheet(problem ? QStringLiteral("color: #b71c1c;") : QString());
    }
    m_details->setToolTip(m_details->text());
    updateActions();
}

void MainWindow::updateStatus()
{
    const int total = m_model->rowCount();
    QString counts = QStringLiteral("%1 instances, %2 running").arg(total).arg(m_model->runningCount());
    if (!m_proxy->searchText().isEmpty())
        counts = QStringLiteral("%1 of %2").arg(m_proxy->rowCount()).arg(counts);
    m_counts->setText(counts);
    if (m_store.hasLoaded()) {
        m_refreshed->setText(QStringLiteral("  Refreshed at %1")
                                 .arg(QLocale().toString(m_store.lastRefresh().time(), QLocale::ShortFormat)));
    }
    updateActions();
}

void MainWindow::updatePlaceholder()
{
    QString text;
    if (m_model->rowCount() > 0) {
        if (m_proxy->rowCount() == 0)
            text =
                QStringLiteral("No instance matches “%1”.\nPress Esc to clear the search.").arg(m_proxy->searchText());
    } else if (m_store.sources().isEmpty()) {
        text = QStringLiteral("No AWS credentials found.\nConfigure a profile with `aws configure` (or `aws configure "
                              "sso`), or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then start Bastionless "
                              "again.");
    } else if (m_store.isRefreshing() || !m_store.hasLoaded()) {
        text = QStringLiteral("Listing instances…");
    } else if (!m_store.errors().isEmpty()) {
        text = QStringLiteral("No instances could be listed: see the problems above.");
    } else {
        text = QStringLiteral("No instances in the profiles and regions searched.\nPress F5 to look again.");
    }
    m_view->setPlaceholderText(text);
}

void MainWindow::showContextMenu(const QPoint& pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return;
    m_view->setCurrentIndex(index);
    const QString key = index.data(InstanceModel::KeyRole).toString();
    const InventoryEntry* entry = m_store.entry(key);
    if (!entry)
        return;

    auto* menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("instanceContextMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->setToolTipsVisible(true);
    const InstanceAction preferred = m_actions.defaultAction(*entry);
    for (const InstanceAction a : InstanceActions::all()) {
        if (a == InstanceAction::WindowsPassword && !entry->instance.isWindows())
            continue;
        if (a == InstanceAction::CustomTunnel || a == InstanceAction::Start)
            menu->addSeparator();
        const ActionState s = m_actions.state(a, entry);
        QAction* action = menu->addAction(actionIcon(a), s.text);
        action->setObjectName(actionObjectName(a));
        action->setEnabled(s.enabled);
        action->setToolTip(s.tooltip);
        if (a == preferred) {
            QFont bold = action->font();
            bold.setBold(true);
            action->setFont(bold);
        }
        connect(action, &QAction::triggered, this, [this, a, key] { m_actions.trigger(a, key); });
    }
    addTunnelMenuItems(*menu, key);
    if (m_actions.osUserOverrides())
        menu->addMenu(new OsUserMenu(m_actions, *entry, this, menu));
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

void MainWindow::showColumnMenu(const QPoint& pos)
{
    auto* menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("columnMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    QHeaderView* header = m_view->header();
    for (int c = 0; c < InstanceModel::ColumnCount; ++c) {
        QAction* toggle = menu->addAction(m_model->headerData(c, Qt::Horizontal).toString());
        toggle->setCheckable(true);
        toggle->setChecked(!header->isSectionHidden(c));
        toggle->setEnabled(c != InstanceModel::Name); // something must stay to click on
        connect(toggle, &QAction::toggled, header, [header, c](bool on) { header->setSectionHidden(c, !on); });
    }
    menu->popup(header->mapToGlobal(pos));
}

void MainWindow::showFailure(const QString& what, const Error& error)
{
    if (m_failureBox)
        m_failureBox->close();
    auto* box = new QMessageBox(QMessageBox::Warning, what, error.message, QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("actionErrorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(error.hint);
    box->setWindowModality(Qt::WindowModal);
    m_failureBox = box;
    box->open();
}

void MainWindow::askToStop(const QString& key, const QString& name)
{
    auto* box = new QMessageBox(QMessageBox::Question, QStringLiteral("Stop instance"),
                                QStringLiteral("Stop %1?").arg(name), QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("stopConfirmBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(QStringLiteral("Connections to it will end. Unless it has an Elastic IP, its public IP "
                                           "address changes when it starts again."));
    QPushButton* stop = box->addButton(QStringLiteral("Stop"), QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(stop, &QPushButton::clicked, this, [this, key] { m_actions.confirmStop(key); });
    box->open();
}

} // namespace bl
