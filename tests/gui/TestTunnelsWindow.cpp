// The main window with in-app tunnels (ManagedTunnels over TunnelManager, as GuiServices builds them): RDP
// on a Windows instance opens a real tunnel and the viewer gets 127.0.0.1:<its port>; the tunnels panel
// shows the row; hiding the window keeps the tunnel up; the detail line names the transport and why; the
// transport override reaches the SSH command line; a slow tunnel shows progress and Cancel removes it; the
// context menu's tunnel entries (transport choice, "Tunnel to port…") clicked like a person would. ctest runs
// it on a real X server of its own (with-xvfb.sh).

#include "MenuDriver.h"
#include "RecordingLauncher.h"

#include "tests/unit/inventory/FakeAwsSessions.h"

#include "core/inventory/InstancePower.h"
#include "core/inventory/InstanceStore.h"
#include "core/launch/ConnectService.h"
#include "ui/InstanceActions.h"
#include "ui/InstanceModel.h"
#include "ui/MainWindow.h"
#include "ui/ManagedTunnels.h"
#include "ui/TunnelsModel.h"
#include "ui/TunnelsPanel.h"

#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

namespace {

constexpr int waitMs = 20000;

struct App
{
    App()
        : manager([this](const QString& source) { return source == QLatin1String("demo") ? session : nullptr; })
        , favourites(manager, dir.filePath(QStringLiteral("favourites.json")))
        , managed(manager, overrides, &favourites)
        , power(store)
        , connect(launcher, managed, {})
        , actions(store, connect, power)
    {
        if (!aws.ok())
            return;
        session = &aws.addSession(QStringLiteral("demo"));
        store.setSources({aws.source(*session, {QStringLiteral("us-east-1")})});
        power.setPollInterval(50);
        connect.setViaOverrides(&overrides);
        actions.setManagedTunnels(&managed);
        window = std::make_unique<MainWindow>(store, actions);
        window->show();
    }
    bool refresh()
    {
        QSignalSpy finished(&store, &InstanceStore::refreshFinished);
        store.refresh();
        return finished.wait(waitMs);
    }

    inventorytest::FakeAwsSessions aws;
    AwsSession* session = nullptr;
    QTemporaryDir dir;
    TunnelManager manager;
    ViaOverrides overrides;
    Favourites favourites;
    ManagedTunnels managed;
    guitest::RecordingLauncher launcher;
    InstanceStore store;
    InstancePower power;
    ConnectService connect;
    InstanceActions actions;
    std::unique_ptr<MainWindow> window; // destroyed first
};

} // namespace

class TestTunnelsWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void rdpOpensManagedTunnel();
    void detailLineAndOverride();
    void cancelWhileChoosing();
    void startThenConnect();
    void customTunnelDialog();
    void contextMenuTunnelEntries();
};

void TestTunnelsWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // Under ctest the window must really be on the X server with-xvfb.sh started, not silently offscreen.
    if (qEnvironmentVariableIsSet("BL_XVFB_DISPLAY"))
        QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
}

void TestTunnelsWindow::rdpOpensManagedTunnel()
{
    App app;
    QVERIFY2(app.aws.ok(), qPrintable(app.aws.error()));
    QVERIFY(app.refresh());
    QVERIFY(app.window->selectInstance(QStringLiteral("win-ad-01")));
    auto* panel = app.window->findChild<TunnelsPanel*>(QStringLiteral("tunnelsPanel"));
    QVERIFY(panel);
    auto* view = panel->findChild<QTableView*>(QStringLiteral("tunnelsView"));
    QVERIFY(view);
    QVERIFY(panel->findChild<QWidget*>(QStringLiteral("favouritesView")));

    app.window->findChild<QAction*>(QStringLiteral("actionRdp"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(app.launcher.started.size(), 1, waitMs);
    QCOMPARE(app.manager.ids().size(), 1);
    const ManagedTunnel* t = app.manager.tunnel(app.manager.ids().first());
    QCOMPARE(t->state, TunnelState::Up);
    QCOMPARE(t->target.remotePort, 3389);
    const QString address = QStringLiteral("127.0.0.1:%1").arg(t->localPort);
    QVERIFY2(app.launcher.started.first().arguments.join(QLatin1Char(' ')).contains(address),
             qPrintable(app.launcher.started.first().arguments.join(QLatin1Char(' '))));

    // The panel's row.
    QCOMPARE(view->model()->rowCount(), 1);
    QCOMPARE(view->model()->index(0, TunnelsModel::LocalPort).data().toString(), QString::number(t->localPort));
    QVERIFY(view->model()->index(0, TunnelsModel::Instance).data().toString().contains(QStringLiteral("win-ad-01")));
    QCOMPARE(view->model()->index(0, TunnelsModel::State).data().toString(), QStringLiteral("up"));

    // A second RDP reuses the tunnel that is up.
    app.window->findChild<QAction*>(QStringLiteral("actionRdp"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(app.launcher.started.size(), 2, waitMs);
    QCOMPARE(app.manager.ids().size(), 1);

    // Save as favourite from the panel.
    view->setCurrentIndex(view->model()->index(0, 0));
    panel->findChild<QAction*>(QStringLiteral("tunnelSaveFavourite"))->trigger();
    QCOMPARE(app.favourites.count(), 1);
    QCOMPARE(app.favourites.list().first().remotePort, 3389);
    QCOMPARE(app.favourites.list().first().localPort, t->localPort);

    // Closing the window (a close event, as from its title bar; the tray keeps the app) leaves the tunnel up:
    // still listed, still up, and its local port still takes connections.
    QVERIFY(QTest::qWaitForWindowExposed(app.window.get()));
    const quint64 id = app.manager.ids().first();
    const quint16 port = t->localPort;
    QVERIFY(app.window->close());
    QVERIFY(!app.window->isVisible());
    QCOMPARE(app.manager.ids(), QList<quint64> {id});
    QCOMPARE(app.manager.tunnel(id)->state, TunnelState::Up);
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, port);
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == QAbstractSocket::ConnectedState
                                 || client.state() == QAbstractSocket::UnconnectedState,
                             waitMs);
    QCOMPARE(client.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(app.manager.tunnel(id)->state, TunnelState::Up);
    client.abort();

    // Stop from the panel.
    panel->findChild<QAction*>(QStringLiteral("tunnelStop"))->trigger();
    QCOMPARE(app.manager.tunnel(app.manager.ids().first())->state, TunnelState::Stopped);
}

void TestTunnelsWindow::detailLineAndOverride()
{
    App app;
    QVERIFY2(app.aws.ok(), qPrintable(app.aws.error()));
    QVERIFY(app.refresh());
    QVERIFY(app.window->selectInstance(QStringLiteral("grafana")));
    auto* details = app.window->findChild<QLabel*>(QStringLiteral("instanceDetails"));
    QTRY_VERIFY_WITH_TIMEOUT(details->text().contains(QStringLiteral("Transport (auto)")), waitMs);
    QVERIFY2(details->text().contains(QStringLiteral("Instance Connect Endpoint")), qPrintable(details->text()));

    const QString key = app.window->currentKey();
    app.actions.setVia(key, TransportChooser::Via::Direct);
    QCOMPARE(app.overrides.via(app.store.entry(key)->instance.id), TransportChooser::Via::Direct);
    QTRY_VERIFY_WITH_TIMEOUT(details->text().contains(QStringLiteral("Transport (direct, your choice)")), waitMs);
    QVERIFY2(details->text().contains(QStringLiteral("direct TCP")), qPrintable(details->text()));

    // The SSH command line carries the override.
    auto ssh = app.connect.sshCommand(*app.store.entry(key));
    QVERIFY(ssh);
    const QString argv = ssh->arguments.join(QLatin1Char(' '));
    QVERIFY2(argv.contains(QStringLiteral("--via direct")), qPrintable(argv));
    QVERIFY(app.actions.commandLine(*app.store.entry(key)).endsWith(QStringLiteral("--via direct")));
}

void TestTunnelsWindow::cancelWhileChoosing()
{
    App app;
    QVERIFY2(app.aws.ok(), qPrintable(app.aws.error()));
    // Not refreshed: the tunnel must look the instance up in EC2, which is slow enough to cancel.
    TunnelTarget target;
    target.instanceId = QStringLiteral("i-doesnotmatter");
    target.source = QStringLiteral("demo");
    target.region = QStringLiteral("us-east-1");
    target.remotePort = 22;
    const quint64 id = app.manager.open(target);
    QCOMPARE(app.manager.tunnel(id)->state, TunnelState::Choosing);
    auto* cancel = app.window->findChild<QPushButton*>(QStringLiteral("progressCancel"));
    QVERIFY(cancel);
    QTRY_VERIFY(cancel->isVisible());
    QVERIFY(app.window->findChild<QLabel*>(QStringLiteral("progressText"))->text().contains(QStringLiteral("port 22")));
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(!app.manager.tunnel(id));
    QVERIFY(!cancel->isVisible());
}

void TestTunnelsWindow::startThenConnect()
{
    App app;
    QVERIFY2(app.aws.ok(), qPrintable(app.aws.error()));
    QVERIFY(app.refresh());
    QVERIFY(app.window->selectInstance(QStringLiteral("batch-worker-1")));
    const QString key = app.window->currentKey();
    QVERIFY(app.actions.startAndConnectState(app.store.entry(key)).enabled);
    app.actions.startAndConnect(key);
    auto* cancel = app.window->findChild<QPushButton*>(QStringLiteral("progressCancel"));
    QVERIFY(!cancel->isHidden());
    QVERIFY(app.window->findChild<QLabel*>(QStringLiteral("progressText"))->text().contains(QStringLiteral("start")));
    // Once it runs, SSH starts by itself and the progress goes away.
    QTRY_COMPARE_WITH_TIMEOUT(app.launcher.started.size(), 1, waitMs);
    QVERIFY(app.launcher.started.first().arguments.contains(app.store.entry(key)->instance.id));
    QVERIFY(cancel->isHidden());
}

void TestTunnelsWindow::customTunnelDialog()
{
    App app;
    QVERIFY2(app.aws.ok(), qPrintable(app.aws.error()));
    QVERIFY(app.refresh());
    QVERIFY(app.window->selectInstance(QStringLiteral("grafana")));
    const QString key = app.window->currentKey();
    QVERIFY(app.actions.state(InstanceAction::CustomTunnel, app.store.entry(key)).enabled);
    app.actions.trigger(InstanceAction::CustomTunnel, key);
    auto* dialog = app.window->findChild<QDialog*>(QStringLiteral("tunnelPortDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    dialog->findChild<QSpinBox*>(QStringLiteral("tunnelRemotePort"))->setValue(3000);
    auto* via = dialog->findChild<QComboBox*>(QStringLiteral("tunnelVia"));
    via->setCurrentIndex(via->findText(ManagedTunnels::viaLabel(TransportChooser::Via::Direct)));
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("tunnelOpen")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(app.manager.ids().size(), 1, waitMs);
    const ManagedTunnel* t = app.manager.tunnel(app.manager.ids().first());
    QCOMPARE(t->target.remotePort, 3000);
    QCOMPARE(t->target.via, TransportChooser::Via::Direct);
    QTRY_COMPARE_WITH_TIMEOUT(app.manager.tunnel(app.manager.ids().first())->state, TunnelState::Up, waitMs);
}

void TestTunnelsWindow::contextMenuTunnelEntries()
{
    App app;
    QVERIFY2(app.aws.ok(), qPrintable(app.aws.error()));
    QVERIFY(QTest::qWaitForWindowExposed(app.window.get()));
    QVERIFY(app.refresh());
    QVERIFY(app.window->selectInstance(QStringLiteral("grafana")));
    const QString id = app.store.entry(app.window->currentKey())->instance.id;
    auto* view = app.window->findChild<QAbstractItemView*>(QStringLiteral("instanceView"));
    QVERIFY(view);
    const QString menuName = QStringLiteral("instanceContextMenu");

    // Transport ▸ Direct TCP: the override is stored for this instance and checked next time.
    QMenu* menu = guitest::rightClickRow(*view, view->currentIndex(), menuName);
    QVERIFY(menu);
    QMenu* transport = guitest::openSubmenu(*menu, QStringLiteral("menuTransport"));
    QVERIFY(transport);
    QVERIFY(guitest::entry(*transport, QStringLiteral("via_auto"))->isChecked());
    QVERIFY(guitest::clickEntry(*transport, QStringLiteral("via_direct")));
    QTRY_COMPARE(app.overrides.via(id), TransportChooser::Via::Direct);
    menu = guitest::rightClickRow(*view, view->currentIndex(), menuName);
    QVERIFY(menu);
    QVERIFY(menu->findChild<QAction*>(QStringLiteral("via_direct"))->isChecked());

    // Tunnel to port…: the dialog starts with that transport, and Open starts the tunnel to the chosen port.
    QVERIFY(guitest::clickEntry(*menu, QStringLiteral("actionTunnel")));
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = app.window->findChild<QDialog*>(QStringLiteral("tunnelPortDialog"))) && dialog->isVisible());
    QCOMPARE(dialog->findChild<QComboBox*>(QStringLiteral("tunnelVia"))->currentText(),
             ManagedTunnels::viaLabel(TransportChooser::Via::Direct));
    auto* remote = dialog->findChild<QSpinBox*>(QStringLiteral("tunnelRemotePort"));
    remote->setFocus();
    remote->selectAll();
    QTest::keyClicks(remote, QStringLiteral("8080"));
    QCOMPARE(remote->value(), 8080);
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("tunnelOpen")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(app.manager.ids().size(), 1, waitMs);
    const ManagedTunnel* t = app.manager.tunnel(app.manager.ids().first());
    QCOMPARE(t->target.instanceId, id);
    QCOMPARE(t->target.remotePort, 8080);
    QCOMPARE(t->target.via, TransportChooser::Via::Direct);
    QVERIFY(app.launcher.started.isEmpty()); // a bare tunnel starts no program

    // A stopped instance offers "Start and connect", which starts it and then runs SSH.
    QVERIFY(app.window->selectInstance(QStringLiteral("batch-worker-1")));
    menu = guitest::rightClickRow(*view, view->currentIndex(), menuName);
    QVERIFY(menu);
    QVERIFY(!guitest::entry(*menu, QStringLiteral("actionSsh"))->isEnabled());
    QVERIFY(guitest::entry(*menu, QStringLiteral("actionStartConnect"))->isEnabled());
    QVERIFY(guitest::clickEntry(*menu, QStringLiteral("actionStartConnect")));
    QTRY_COMPARE_WITH_TIMEOUT(app.launcher.started.size(), 1, waitMs);
    QVERIFY(app.launcher.started.first().arguments.contains(app.aws.idOf(QStringLiteral("batch-worker-1"))));
}

QTEST_MAIN(TestTunnelsWindow)
#include "TestTunnelsWindow.moc"
