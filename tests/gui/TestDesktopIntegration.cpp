// The tray icon against a real X server (Xvfb) and a real tray host (trayer), both started by this test:
// without a tray host there is no icon and closing the window quits; once trayer runs the icon docks into it;
// the favourite's entry in the icon's menu (opened with a right click on the icon) switches a real direct
// tunnel to a local echo server on and off; closing the main window keeps the tunnel carrying bytes and the
// app running; "Open Bastionless" brings the window back; a dropped tunnel and a needed login are notified in
// a balloon; a running tunnel's entry copies its address and stops it; "Quit" stops the tunnels.

#include "AppFixture.h"
#include "TunnelTestKit.h"
#include "XvfbSession.h"

#include "core/connect/Favourites.h"
#include "core/connect/TunnelManager.h"
#include "ui/DesktopIntegration.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QMenu>
#include <QScreen>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cstdio>

using namespace bl;

namespace {

constexpr int waitMs = 15000;
guitest::XvfbSession* xsession = nullptr;

// How many times the app asked to quit while window closes. Qt asks only while QApplication::exec() runs, so
// this runs the real event loop for a moment (not nested: test functions run outside of it). The quit is
// swallowed, so the event loop ends by the timer either way.
class QuitWatcher : public QObject
{
public:
    int quitsWhenClosing(QWidget& window)
    {
        qApp->installEventFilter(this);
        m_count = 0;
        QTimer::singleShot(0, &window, [&window] { window.close(); });
        QTimer::singleShot(1000, this, [] { QCoreApplication::exit(0); });
        QApplication::exec();
        qApp->removeEventFilter(this);
        return m_count;
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched == qApp && event->type() == QEvent::Quit) {
            ++m_count;
            return true;
        }
        return false;
    }

private:
    int m_count = 0;
};

// The widget Qt docks into the tray host for the icon (XEmbed), to click on like a person would.
QWidget* trayIconWidget()
{
    for (QWidget* w : QApplication::allWidgets()) {
        if (w->inherits("QSystemTrayIconSys"))
            return w;
    }
    return nullptr;
}

QMenu* visiblePopup()
{
    for (QWidget* w : QApplication::topLevelWidgets()) {
        if (auto* menu = qobject_cast<QMenu*>(w); menu && menu->isVisible())
            return menu;
    }
    return nullptr;
}

// The text of the notification balloon on screen, empty when none is shown.
QString balloonText()
{
    for (QWidget* w : QApplication::topLevelWidgets()) {
        if (!w->inherits("QBalloonTip") || !w->isVisible())
            continue;
        QStringList texts;
        for (QLabel* label : w->findChildren<QLabel*>())
            texts.append(label->text());
        return texts.join(QLatin1Char('\n'));
    }
    return {};
}

// Bytes through the tunnel come back from the echo server. The tunnel runs in this thread, so the waits
// spin the event loop instead of blocking.
bool echoes(quint16 port)
{
    const QByteArray ping = QByteArrayLiteral("ping through the tray\n");
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    const bool settled = QTest::qWaitFor(
        [&socket] {
            return socket.state() == QAbstractSocket::ConnectedState
                || socket.state() == QAbstractSocket::UnconnectedState;
        },
        5000);
    if (!settled || socket.state() != QAbstractSocket::ConnectedState)
        return false;
    socket.write(ping);
    QByteArray got;
    static_cast<void>(QTest::qWaitFor(
        [&] {
            got += socket.readAll();
            return got.size() >= ping.size() || socket.state() == QAbstractSocket::UnconnectedState;
        },
        5000));
    return got == ping;
}

} // namespace

class TestDesktopIntegration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void withoutTrayHostClosingQuits();
    void iconDocksWhenTrayHostAppears();
    void trayMenuTogglesFavourite();
    void closingWindowKeepsTunnelUp();
    void tunnelEntriesStopTheirTunnels();
    void droppedTunnelAndLoginAreNotified();
    void quitStopsTunnels();
    void ctrlQQuits();
    void cleanupTestCase();

private:
    Favourite echoFavourite(const QString& name, quint16 localPort = 0) const;
    QAction* trayAction(const QString& objectName) const;
    bool clickInTrayMenu(const QString& objectName);

    std::unique_ptr<guitest::AppFixture> m_app;
    std::unique_ptr<tunneltest::EchoServer> m_echo;
    std::unique_ptr<TunnelManager> m_tunnels;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Favourites> m_favourites;
    std::unique_ptr<DesktopIntegration> m_desktop;
    AwsSession* m_session = nullptr;
    QString m_webId;
};

Favourite TestDesktopIntegration::echoFavourite(const QString& name, quint16 localPort) const
{
    Favourite f;
    f.name = name;
    f.instanceId = m_webId;
    f.profile = QStringLiteral("demo");
    f.region = QStringLiteral("us-east-1");
    f.remotePort = 5432;
    f.localPort = localPort;
    f.via = TransportChooser::Via::Direct;
    return f;
}

QAction* TestDesktopIntegration::trayAction(const QString& objectName) const
{
    return m_desktop->menu()->findChild<QAction*>(objectName);
}

// Right-clicks the docked icon, which pops its menu up, then clicks the entry.
bool TestDesktopIntegration::clickInTrayMenu(const QString& objectName)
{
    QWidget* icon = trayIconWidget();
    if (!icon)
        return false;
    QTest::qWait(50); // changes still queued for the menu land before it opens, as they would for a person
    QTest::mouseClick(icon, Qt::RightButton, {}, icon->rect().center());
    if (!QTest::qWaitFor([] { return visiblePopup() != nullptr; }, waitMs)) {
        qWarning("the tray menu did not open");
        return false;
    }
    QMenu* menu = visiblePopup();
    if (menu != m_desktop->menu()) {
        qWarning("another popup is open");
        return false;
    }
    QAction* action = trayAction(objectName);
    if (!action || !menu->actions().contains(action)) {
        qWarning("the entry is not in the tray menu");
        return false;
    }
    const QPoint at = menu->actionGeometry(action).center();
    if (!menu->rect().contains(at)) {
        qWarning("the entry is outside the open menu");
        return false;
    }
    QTest::mouseMove(menu, at);
    QTest::mouseClick(menu, Qt::LeftButton, {}, at);
    return QTest::qWaitFor([menu] { return !menu->isVisible(); }, waitMs);
}

void TestDesktopIntegration::initTestCase()
{
    QVERIFY(xsession);
    QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
    QStandardPaths::setTestModeEnabled(true);

    m_app = std::make_unique<guitest::AppFixture>();
    QVERIFY2(m_app->ok(), qPrintable(m_app->aws.error()));
    m_session = &m_app->aws.addSession(QStringLiteral("demo"));
    m_webId = m_app->aws.idOf(QStringLiteral("web-1"));
    QVERIFY(!m_webId.isEmpty());
    m_echo = std::make_unique<tunneltest::EchoServer>();
    QVERIFY(m_echo->isListening());

    // Whichever address the direct transport picks for web-1 leads to the echo server.
    QStringList map;
    for (const fakeaws::Instance& i : m_app->aws.fleet().instances()) {
        if (i.id != m_webId)
            continue;
        for (const QString& ip : {i.publicIp, i.privateIp}) {
            if (!ip.isEmpty())
                map.append(QStringLiteral("%1:5432=127.0.0.1:%2").arg(ip).arg(m_echo->serverPort()));
        }
    }
    QVERIFY(!map.isEmpty());
    m_tunnels = std::make_unique<TunnelManager>(
        [this](const QString& source) { return source == QLatin1String("demo") ? m_session : nullptr; });
    m_tunnels->setDirectAddressMap(map.join(QLatin1Char(',')));
    m_dir = std::make_unique<QTemporaryDir>();
    m_favourites = std::make_unique<Favourites>(*m_tunnels, m_dir->filePath(QStringLiteral("favourites.json")));
    QVERIFY(m_favourites->add(echoFavourite(QStringLiteral("web db"))));
}

void TestDesktopIntegration::withoutTrayHostClosingQuits()
{
    QVERIFY(!xsession->trayHostRunning());
    QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable());
    m_desktop = std::make_unique<DesktopIntegration>(*m_tunnels, *m_favourites);
    MainWindow& window = m_app->openWindow();
    m_desktop->setWindow(&window);
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!m_desktop->trayIcon());
    QVERIFY(!m_desktop->hasTrayIcon());
    // The menu is there all the same (it is what the icon shows once a tray host appears).
    QVERIFY(trayAction(QStringLiteral("favourite:web db")));
    QVERIFY(trayAction(QStringLiteral("trayOpen")));
    QVERIFY(trayAction(QStringLiteral("trayQuit")));

    // Closing the window ends the app, through quit() (tunnels end their sessions first), wired as main() does.
    QSignalSpy quitRequested(m_desktop.get(), &DesktopIntegration::quitRequested);
    const QMetaObject::Connection wired =
        connect(m_desktop.get(), &DesktopIntegration::quitRequested, qApp, &QCoreApplication::quit);
    QCOMPARE(QuitWatcher().quitsWhenClosing(window), 1);
    disconnect(wired);
    QCOMPARE(quitRequested.size(), 1);
    QVERIFY(!window.isVisible());
    // Quitting is final for an integration; the next steps use a new one, still made before any tray host.
    m_desktop.reset();
    m_desktop = std::make_unique<DesktopIntegration>(*m_tunnels, *m_favourites);
    m_desktop->setWindow(&window);
}

void TestDesktopIntegration::iconDocksWhenTrayHostAppears()
{
    const QString started = xsession->startTrayHost();
    QVERIFY2(started.isEmpty(), qPrintable(started));
    QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), waitMs);
    // The integration made before the tray host existed looks again and docks its icon.
    QTRY_VERIFY_WITH_TIMEOUT(m_desktop->hasTrayIcon(), waitMs);
    QVERIFY(!QApplication::quitOnLastWindowClosed());
    QTRY_VERIFY_WITH_TIMEOUT(trayIconWidget() && trayIconWidget()->isVisible(), waitMs);
    // Embedded: the icon sits inside trayer's panel at the top right of the screen.
    const QRect screen = QGuiApplication::primaryScreen()->geometry();
    QTRY_VERIFY2_WITH_TIMEOUT(m_desktop->trayIcon()->geometry().top() < 40
                                  && m_desktop->trayIcon()->geometry().left() > screen.width() / 2,
                              qPrintable(QStringLiteral("icon at %1,%2")
                                             .arg(m_desktop->trayIcon()->geometry().x())
                                             .arg(m_desktop->trayIcon()->geometry().y())),
                              waitMs);
}

void TestDesktopIntegration::trayMenuTogglesFavourite()
{
    QVERIFY2(m_desktop && m_desktop->hasTrayIcon() && m_app->window, "the steps build on each other: run them all");
    QVERIFY(m_tunnels->ids().isEmpty());
    QAction* favourite = trayAction(QStringLiteral("favourite:web db"));
    QVERIFY(favourite && favourite->isCheckable() && !favourite->isChecked());
    QVERIFY(trayAction(QStringLiteral("trayNoTunnels")));

    QVERIFY(clickInTrayMenu(QStringLiteral("favourite:web db")));
    QVERIFY(m_favourites->find(QStringLiteral("web db"))->enabled);
    const quint64 id = m_favourites->tunnelId(QStringLiteral("web db"));
    QVERIFY(m_tunnels->tunnel(id));
    QTRY_COMPARE_WITH_TIMEOUT(m_tunnels->tunnel(id)->state, TunnelState::Up, waitMs);
    const quint16 port = m_tunnels->tunnel(id)->localPort;
    QVERIFY(echoes(port));

    // The menu follows: checked, with the local port, and the tunnel listed under "Active tunnels".
    QTRY_VERIFY_WITH_TIMEOUT(trayAction(QStringLiteral("favourite:web db"))
                                 && trayAction(QStringLiteral("favourite:web db"))->isChecked(),
                             waitMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        trayAction(QStringLiteral("favourite:web db"))->text().contains(QStringLiteral("localhost:%1").arg(port)),
        waitMs);
    QMenu* listedTunnel = m_desktop->menu()->findChild<QMenu*>(QStringLiteral("t:%1").arg(id));
    QVERIFY(listedTunnel);
    QVERIFY(listedTunnel->title().contains(QStringLiteral("web-1:5432")));
    QVERIFY(listedTunnel->title().contains(QString::number(port)));
    QVERIFY(!trayAction(QStringLiteral("trayNoTunnels")));

    // And off again: the tunnel is gone and its port closed.
    QVERIFY(clickInTrayMenu(QStringLiteral("favourite:web db")));
    QVERIFY(!m_favourites->find(QStringLiteral("web db"))->enabled);
    QVERIFY(m_tunnels->ids().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!trayAction(QStringLiteral("favourite:web db"))->isChecked(), waitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!echoes(port), waitMs);
}

void TestDesktopIntegration::closingWindowKeepsTunnelUp()
{
    QVERIFY2(m_desktop && m_desktop->hasTrayIcon() && m_app->window, "the steps build on each other: run them all");
    MainWindow& window = *m_app->window;
    m_desktop->showWindow();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(clickInTrayMenu(QStringLiteral("favourite:web db")));
    const quint64 id = m_favourites->tunnelId(QStringLiteral("web db"));
    QVERIFY(m_tunnels->tunnel(id));
    QTRY_COMPARE_WITH_TIMEOUT(m_tunnels->tunnel(id)->state, TunnelState::Up, waitMs);

    QSignalSpy notified(m_desktop.get(), &DesktopIntegration::notified);
    QCOMPARE(QuitWatcher().quitsWhenClosing(window), 0);
    QVERIFY(!window.isVisible());
    QCOMPARE(m_tunnels->tunnel(id)->state, TunnelState::Up);
    QVERIFY(echoes(m_tunnels->tunnel(id)->localPort));
    // The first time, a balloon says why the app is still there.
    QCOMPARE(notified.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(balloonText().contains(QStringLiteral("tunnels stay up")), waitMs);

    QVERIFY(clickInTrayMenu(QStringLiteral("trayOpen")));
    QTRY_VERIFY_WITH_TIMEOUT(window.isVisible(), waitMs);
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    // A left click on the icon hides the window, another one shows it.
    QWidget* icon = trayIconWidget();
    QTest::mouseClick(icon, Qt::LeftButton, {}, icon->rect().center());
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), waitMs);
    QCOMPARE(m_tunnels->tunnel(id)->state, TunnelState::Up);
    QTest::mouseClick(icon, Qt::LeftButton, {}, icon->rect().center());
    QTRY_VERIFY_WITH_TIMEOUT(window.isVisible(), waitMs);
}

void TestDesktopIntegration::tunnelEntriesStopTheirTunnels()
{
    QVERIFY2(m_desktop && m_desktop->hasTrayIcon() && m_app->window, "the steps build on each other: run them all");
    // A tunnel opened elsewhere (the instance list, the tunnels panel) is listed too.
    TunnelTarget target;
    target.instanceId = m_webId;
    target.source = QStringLiteral("demo");
    target.region = QStringLiteral("us-east-1");
    target.remotePort = 5432;
    target.via = TransportChooser::Via::Direct;
    const quint64 adHoc = m_tunnels->open(target);
    QTRY_COMPARE_WITH_TIMEOUT(m_tunnels->tunnel(adHoc)->state, TunnelState::Up, waitMs);
    const quint16 port = m_tunnels->tunnel(adHoc)->localPort;
    const QString key = QStringLiteral("t:%1").arg(adHoc);
    QTRY_VERIFY_WITH_TIMEOUT(m_desktop->menu()->findChild<QMenu*>(key), waitMs);
    QMenu* entry = m_desktop->menu()->findChild<QMenu*>(key);
    QTRY_COMPARE_WITH_TIMEOUT(entry->title(), QStringLiteral("web-1:5432 \u2192 localhost:%1").arg(port), waitMs);

    entry->findChild<QAction*>(QStringLiteral("tunnelCopy"))->trigger();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("localhost:%1").arg(port));
    entry->findChild<QAction*>(QStringLiteral("tunnelStop"))->trigger();
    QCOMPARE(m_tunnels->tunnel(adHoc)->state, TunnelState::Stopped);
    QTRY_VERIFY_WITH_TIMEOUT(!m_desktop->menu()->findChild<QMenu*>(key), waitMs);
    m_tunnels->remove(adHoc);

    // Stopping a favourite's tunnel there switches the favourite off, so that it stays off at the next start.
    const quint64 favourite = m_favourites->tunnelId(QStringLiteral("web db"));
    QTRY_VERIFY_WITH_TIMEOUT(m_desktop->menu()->findChild<QMenu*>(QStringLiteral("t:%1").arg(favourite)), waitMs);
    m_desktop->menu()
        ->findChild<QMenu*>(QStringLiteral("t:%1").arg(favourite))
        ->findChild<QAction*>(QStringLiteral("tunnelStop"))
        ->trigger();
    QVERIFY(!m_favourites->find(QStringLiteral("web db"))->enabled);
    QVERIFY(m_tunnels->ids().isEmpty());

    QVERIFY(clickInTrayMenu(QStringLiteral("favourite:web db")));
    QVERIFY(m_tunnels->tunnel(m_favourites->tunnelId(QStringLiteral("web db"))));
    QTRY_COMPARE_WITH_TIMEOUT(m_tunnels->tunnel(m_favourites->tunnelId(QStringLiteral("web db")))->state,
                              TunnelState::Up, waitMs);
}

void TestDesktopIntegration::droppedTunnelAndLoginAreNotified()
{
    QVERIFY2(m_desktop && m_desktop->hasTrayIcon() && m_app->window, "the steps build on each other: run them all");
    // A favourite whose local port is taken cannot listen: the tunnel fails and the tray says so.
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    QVERIFY(m_favourites->add(echoFavourite(QStringLiteral("taken"), squatter.serverPort())));
    QTRY_VERIFY_WITH_TIMEOUT(trayAction(QStringLiteral("favourite:taken")), waitMs);

    QSignalSpy notified(m_desktop.get(), &DesktopIntegration::notified);
    QVERIFY(clickInTrayMenu(QStringLiteral("favourite:taken")));
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, waitMs);
    QCOMPARE(notified.at(0).at(0).toString(), QStringLiteral("Tunnel dropped"));
    QVERIFY2(notified.at(0).at(1).toString().contains(QStringLiteral("taken (web-1:5432)")),
             qPrintable(notified.at(0).at(1).toString()));
    QVERIFY(notified.at(0).at(1).toString().contains(QString::number(squatter.serverPort())));
    QTRY_VERIFY_WITH_TIMEOUT(balloonText().contains(QStringLiteral("Tunnel dropped")), waitMs);
    QTRY_VERIFY_WITH_TIMEOUT(trayAction(QStringLiteral("favourite:taken"))->text().contains(QStringLiteral("failed")),
                             waitMs);

    m_desktop->notifyLoginNeeded(QStringLiteral("prod-admin"));
    QCOMPARE(notified.size(), 2);
    QCOMPARE(notified.at(1).at(0).toString(), QStringLiteral("Login needed"));
    QTRY_VERIFY_WITH_TIMEOUT(balloonText().contains(QStringLiteral("prod-admin")), waitMs);
    QVERIFY(m_favourites->setEnabled(QStringLiteral("taken"), false));
}

void TestDesktopIntegration::quitStopsTunnels()
{
    QVERIFY2(m_desktop && m_desktop->hasTrayIcon() && m_app->window, "the steps build on each other: run them all");
    const quint64 id = m_favourites->tunnelId(QStringLiteral("web db"));
    QVERIFY(m_tunnels->tunnel(id));
    QCOMPARE(m_tunnels->tunnel(id)->state, TunnelState::Up);
    const quint16 port = m_tunnels->tunnel(id)->localPort;
    QSignalSpy quit(m_desktop.get(), &DesktopIntegration::quitRequested);

    QVERIFY(clickInTrayMenu(QStringLiteral("trayQuit")));
    QTRY_COMPARE_WITH_TIMEOUT(quit.size(), 1, waitMs);
    QCOMPARE(m_tunnels->tunnel(id)->state, TunnelState::Stopped);
    QTRY_VERIFY_WITH_TIMEOUT(!echoes(port), waitMs);
    QVERIFY(!m_app->window->isVisible());
    QVERIFY(!m_desktop->trayIcon()->isVisible());
    // The favourite stays on, so the next start opens it again.
    QVERIFY(m_favourites->find(QStringLiteral("web db"))->enabled);
}

void TestDesktopIntegration::ctrlQQuits()
{
    QVERIFY2(m_app->window, "the steps build on each other: run them all");
    MainWindow& window = *m_app->window;
    // A new integration: the one before has quit, which is final.
    m_desktop.reset();
    m_desktop = std::make_unique<DesktopIntegration>(*m_tunnels, *m_favourites);
    m_desktop->setWindow(&window);
    m_desktop->showWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QCOMPARE(window.findChildren<QAction*>(QStringLiteral("actionQuit")).size(), 1); // the old one's is gone
    QSignalSpy quit(m_desktop.get(), &DesktopIntegration::quitRequested);
    QTest::keyClick(&window, Qt::Key_Q, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(quit.size(), 1, waitMs);
    QVERIFY(!window.isVisible());
}

void TestDesktopIntegration::cleanupTestCase()
{
    m_desktop.reset();
    m_favourites.reset();
    m_tunnels.reset();
    m_app.reset();
}

// The X server must exist before QApplication reads DISPLAY, so this test has its own main.
int main(int argc, char** argv)
{
    guitest::XvfbSession session;
    if (const QString error = session.start(); !error.isEmpty()) {
        std::fprintf(stderr, "TestDesktopIntegration: %s\n", qPrintable(error));
        return 1;
    }
    xsession = &session;
    // The tray under test is trayer's (XEmbed). A desktop's StatusNotifier watcher on the session bus, or a
    // platform theme with its own tray, would take the icon elsewhere when this runs inside a desktop session.
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    qunsetenv("QT_QPA_PLATFORMTHEME");
    QApplication app(argc, argv);
    TestDesktopIntegration test;
    const int rc = QTest::qExec(&test, argc, argv);
    xsession = nullptr;
    return rc;
}

#include "TestDesktopIntegration.moc"
