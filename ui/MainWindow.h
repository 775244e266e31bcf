#pragma once
// The instance browser: toolbar (refresh with progress, SSH, RDP, VNC, start, stop), the search box, the
// list, the error banner, the status bar (with progress and Cancel for slow steps) and the tunnels dock. It only shows
// things and forwards intentions: what an action does and whether it is allowed is InstanceActions' business, the data
// is InstanceStore's. Column layout, grouping and window geometry are kept in QSettings.

#include "ui/InstanceActions.h"

#include <QMainWindow>
#include <QMap>
#include <QPointer>

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QMessageBox;
class QProgressBar;
class QToolBar;
class QPushButton;
class QTimer;

namespace bl {

class ErrorBanner;
class InstanceFilterProxy;
class InstanceGroupProxy;
class InstanceModel;
class InstanceStore;
class InstanceView;
class SearchField;
class TunnelsPanel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(InstanceStore& store, InstanceActions& actions, QWidget* parent = nullptr);
    ~MainWindow() override;

    QString currentKey() const; // the selected instance, empty when none
    // Selects the row whose name or instance id is nameOrId; false when there is none (yet).
    bool selectInstance(const QString& nameOrId);
    InstanceModel& model() { return *m_model; }
    InstanceFilterProxy& proxy() { return *m_proxy; }
    InstanceGroupProxy& groups() { return *m_groups; } // what the list shows: m_proxy's rows, maybe grouped
    TunnelsPanel* tunnelsPanel() const { return m_tunnelsPanel; } // null without in-app tunnels
    void saveLayout() const;
    // Actions that are about the app rather than an instance (Accounts, Settings): at the toolbar's end.
    void addAppActions(const QList<QAction*>& actions);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildToolBar();
    void buildCentral();
    void buildStatusBar();
    void restoreLayout();
    void updateActions();
    void updateStatus();
    void updatePlaceholder();
    void updateDetails();
    void showContextMenu(const QPoint& pos);
    void showColumnMenu(const QPoint& pos);
    void showFailure(const QString& what, const Error& error);
    void askToStop(const QString& key, const QString& name);
    void focusList();
    void buildTunnelsPanel();
    void addTunnelMenuItems(QMenu& menu, const QString& key);
    void askForTunnel(const QString& key);
    void updateBusy();
    void buildGroupBy(QToolBar* bar);
    void applyGroupMode(int mode); // int(InstanceGroupProxy::Mode)
    void expandGroups(int first, int last);
    QModelIndex viewIndex(const QModelIndex& proxyIndex) const;

    InstanceStore& m_store;
    InstanceActions& m_actions;
    InstanceModel* m_model;
    InstanceFilterProxy* m_proxy;
    InstanceGroupProxy* m_groups;
    QComboBox* m_groupBy = nullptr;
    InstanceView* m_view = nullptr;
    SearchField* m_search = nullptr;
    ErrorBanner* m_banner = nullptr;
    QAction* m_refresh = nullptr;
    QMap<InstanceAction, QAction*> m_toolbarActions;
    QLabel* m_details = nullptr;
    QLabel* m_counts = nullptr;
    QLabel* m_refreshed = nullptr;
    QProgressBar* m_progress = nullptr;
    QPointer<QMessageBox> m_failureBox;
    TunnelsPanel* m_tunnelsPanel = nullptr;
    QLabel* m_busyText = nullptr;
    QProgressBar* m_busyProgress = nullptr;
    QPushButton* m_busyCancel = nullptr;
    QTimer* m_statusTimer = nullptr; // coalesces status updates: a refresh changes many rows at once
};

} // namespace bl
