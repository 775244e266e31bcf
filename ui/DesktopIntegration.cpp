#include "ui/DesktopIntegration.h"

#include "core/connect/Favourites.h"
#include "core/connect/TunnelManager.h"
#include "ui/Icons.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QLoggingCategory>
#include <QMenu>
#include <QTimer>
#include <QWidget>

namespace bl {

namespace {

Q_LOGGING_CATEGORY(lcTray, "bastionless.desktop.tray", QtWarningMsg)

constexpr int probeIntervalMs = 2000; // a panel that starts after the app still gets the icon...
constexpr int probeCount = 30; // ...within a minute
constexpr int messageMs = 10000;

QString who(const ManagedTunnel& t)
{
    const QString name = t.target.instanceName.isEmpty() ? t.target.instanceId : t.target.instanceName;
    return QStringLiteral("%1:%2").arg(name.isEmpty() ? t.target.instance.id : name).arg(t.target.remotePort);
}

// "up on localhost:15432", "connecting…": what a tunnel is doing, in a few words.
QString stateText(const ManagedTunnel& t)
{
    switch (t.state) {
    case TunnelState::Up:
        return QStringLiteral("localhost:%1").arg(t.localPort);
    case TunnelState::Reconnecting:
        return QStringLiteral("localhost:%1, reconnecting").arg(t.localPort);
    case TunnelState::Choosing:
    case TunnelState::Connecting:
        return QStringLiteral("connecting\u2026");
    case TunnelState::Failed:
        return QStringLiteral("failed");
    case TunnelState::Stopped:
        return QStringLiteral("stopped");
    }
    return {};
}

bool listed(const ManagedTunnel& t)
{
    return t.state != TunnelState::Stopped;
}

QString tunnelKey(quint64 id)
{
    return QStringLiteral("t:%1").arg(id);
}

} // namespace

DesktopIntegration::DesktopIntegration(TunnelManager& tunnels, Favourites& favourites, QObject* parent)
    : QObject(parent)
    , m_tunnels(tunnels)
    , m_favourites(favourites)
    , m_menu(new QMenu)
    , m_probe(new QTimer(this))
    , m_rebuild(new QTimer(this))
    , m_probesLeft(probeCount)
{
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    // Rebuilding from the event loop: a favourite's action must not be deleted while it is being triggered,
    // and a burst of counter updates costs one pass.
    m_rebuild->setSingleShot(true);
    m_rebuild->setInterval(0);
    connect(m_rebuild, &QTimer::timeout, this, &DesktopIntegration::rebuildMenu);
    auto schedule = [this] { m_rebuild->start(); };
    connect(&m_favourites, &Favourites::listChanged, this, schedule);
    connect(&m_favourites, &Favourites::favouriteChanged, this, schedule);
    connect(&m_tunnels, &TunnelManager::added, this, schedule);
    connect(&m_tunnels, &TunnelManager::changed, this, schedule);
    connect(&m_tunnels, &TunnelManager::removed, this, schedule);
    connect(&m_tunnels, &TunnelManager::tunnelFailed, this, &DesktopIntegration::onTunnelFailed);
    rebuildMenu();

    m_probe->setInterval(probeIntervalMs);
    connect(m_probe, &QTimer::timeout, this, &DesktopIntegration::probeTray);
    probeTray();
    if (!m_icon)
        m_probe->start();

    // Qt would end the program the moment the last window closes, leaving Session Manager sessions open on AWS's
    // side; without a tray icon, closing the last window goes through quit() instead, which ends them first.
    QApplication::setQuitOnLastWindowClosed(false);
    connect(qApp, &QGuiApplication::lastWindowClosed, this, [this] {
        if (!hasTrayIcon())
            quit();
    });
}

DesktopIntegration::~DesktopIntegration()
{
    setWindow(nullptr); // takes its Quit shortcut back
    QApplication::setQuitOnLastWindowClosed(true);
    delete m_icon;
    delete m_menu;
}

void DesktopIntegration::setWindow(QWidget* window)
{
    if (m_window)
        m_window->removeEventFilter(this);
    delete m_quitAction;
    m_window = window;
    if (!m_window)
        return;
    m_window->installEventFilter(this);
    // Ctrl+Q in the window ends the app, tunnels and all, as Quit in the tray does (closing the window only hides
    // it while the tray icon is there).
    m_quitAction = new QAction(tr("Quit Bastionless"), m_window);
    m_quitAction->setObjectName(QStringLiteral("actionQuit"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &DesktopIntegration::quit);
    m_window->addAction(m_quitAction);
}

bool DesktopIntegration::hasTrayIcon() const
{
    return m_icon && m_icon->isVisible();
}

void DesktopIntegration::probeTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        if (--m_probesLeft <= 0) {
            qCInfo(lcTray) << "no system tray: closing the window quits the app";
            m_probe->stop();
        }
        return;
    }
    m_probe->stop();
    createIcon();
}

void DesktopIntegration::createIcon()
{
    m_icon = new QSystemTrayIcon(Icons::app(), this);
    m_icon->setObjectName(QStringLiteral("trayIcon"));
    m_icon->setContextMenu(m_menu);
    connect(m_icon, &QSystemTrayIcon::activated, this, &DesktopIntegration::onActivated);
    connect(m_icon, &QSystemTrayIcon::messageClicked, this, [this] {
        // Qt's X11 tray counts any click on the icon while a balloon shows as a click on the message, just
        // before the click's own effect (menu, toggle): only a click on the balloon itself opens the window.
        QTimer::singleShot(0, this, [this] {
            if (!m_iconClicked && !m_menu->isVisible())
                showWindow();
        });
    });
    updateTexts();
    m_icon->show(); // the way back to a closed window: from now on closing the window no longer ends the app
}

QStringList DesktopIntegration::currentLayout() const
{
    QStringList layout;
    for (const Favourite& f : m_favourites.list())
        layout.append(QStringLiteral("f:") + f.name);
    for (const ManagedTunnel& t : m_tunnels.list()) {
        if (listed(t))
            layout.append(tunnelKey(t.id));
    }
    return layout;
}

void DesktopIntegration::rebuildMenu()
{
    // Counters change every second; the menu's rows only when favourites or tunnels come and go.
    const QStringList layout = currentLayout();
    if (layout != m_layout || !m_open)
        fillMenu(layout);
    updateTexts();
}

void DesktopIntegration::fillMenu(const QStringList& layout)
{
    m_layout = layout;
    for (QMenu* sub : std::as_const(m_tunnelMenus)) {
        m_menu->removeAction(sub->menuAction());
        sub->deleteLater(); // it may be the menu being shown
    }
    m_tunnelMenus.clear();
    m_favouriteActions.clear();
    m_menu->clear();

    m_menu->addSection(tr("Favourites"));
    for (const Favourite& f : m_favourites.list()) {
        QAction* action = m_menu->addAction(f.name);
        action->setObjectName(QStringLiteral("favourite:") + f.name);
        action->setCheckable(true);
        const QString name = f.name;
        connect(action, &QAction::triggered, this, [this, name](bool on) {
            if (Result<void> saved = m_favourites.setEnabled(name, on); !saved)
                qCWarning(lcTray).noquote() << "favourite" << name << ":" << saved.error().message;
        });
        m_favouriteActions.insert(f.name, action);
    }
    if (m_favourites.count() == 0) {
        QAction* none = m_menu->addAction(tr("No favourites yet"));
        none->setObjectName(QStringLiteral("trayNoFavourites"));
        none->setEnabled(false);
    }

    m_menu->addSection(tr("Active tunnels"));
    bool anyTunnel = false;
    for (const ManagedTunnel& t : m_tunnels.list()) {
        if (!listed(t))
            continue;
        anyTunnel = true;
        const quint64 id = t.id;
        QMenu* sub = m_menu->addMenu(who(t));
        sub->setObjectName(tunnelKey(id));
        QAction* copy = sub->addAction(tr("Copy address"));
        copy->setObjectName(QStringLiteral("tunnelCopy"));
        connect(copy, &QAction::triggered, this, [this, id] {
            if (const ManagedTunnel* now = m_tunnels.tunnel(id))
                QApplication::clipboard()->setText(QStringLiteral("localhost:%1").arg(now->localPort));
        });
        QAction* restart = sub->addAction(tr("Restart"));
        restart->setObjectName(QStringLiteral("tunnelRestart"));
        connect(restart, &QAction::triggered, this, [this, id] { m_tunnels.restart(id); });
        QAction* stop = sub->addAction(tr("Stop"));
        stop->setObjectName(QStringLiteral("tunnelStop"));
        connect(stop, &QAction::triggered, this, [this, id] { stopTunnel(id); });
        m_tunnelMenus.insert(id, sub);
    }
    if (!anyTunnel) {
        QAction* none = m_menu->addAction(tr("No tunnels running"));
        none->setObjectName(QStringLiteral("trayNoTunnels"));
        none->setEnabled(false);
    }

    m_menu->addSeparator();
    m_open = m_menu->addAction(tr("Open Bastionless"));
    m_open->setObjectName(QStringLiteral("trayOpen"));
    connect(m_open, &QAction::triggered, this, &DesktopIntegration::showWindow);
    m_menu->setDefaultAction(m_open);
    QAction* quitAction = m_menu->addAction(tr("Quit"));
    quitAction->setObjectName(QStringLiteral("trayQuit"));
    quitAction->setMenuRole(QAction::QuitRole);
    connect(quitAction, &QAction::triggered, this, &DesktopIntegration::quit);
}

void DesktopIntegration::updateTexts()
{
    int up = 0;
    for (const ManagedTunnel& t : m_tunnels.list()) {
        if (t.state == TunnelState::Up || t.state == TunnelState::Reconnecting)
            ++up;
        QMenu* sub = m_tunnelMenus.value(t.id);
        if (!sub)
            continue;
        const QString favourite = favouriteOf(t.id);
        QString text = QStringLiteral("%1 \u2192 %2").arg(who(t), stateText(t));
        if (!favourite.isEmpty())
            text = favourite + QStringLiteral(": ") + text;
        if (sub->title() != text)
            sub->setTitle(text);
        const bool reachable = t.state == TunnelState::Up || t.state == TunnelState::Reconnecting;
        sub->findChild<QAction*>(QStringLiteral("tunnelCopy"))->setEnabled(reachable);
    }
    for (const Favourite& f : m_favourites.list()) {
        QAction* action = m_favouriteActions.value(f.name);
        if (!action)
            continue;
        const ManagedTunnel* t = m_tunnels.tunnel(m_favourites.tunnelId(f.name));
        const QString text = t ? QStringLiteral("%1 \u2014 %2").arg(f.name, stateText(*t)) : f.name;
        if (action->text() != text)
            action->setText(text);
        action->setChecked(f.enabled);
    }
    if (m_icon) {
        const QString tip = up == 0 ? tr("Bastionless") : tr("Bastionless: %n tunnel(s) up", nullptr, up);
        if (m_icon->toolTip() != tip)
            m_icon->setToolTip(tip);
    }
}

QString DesktopIntegration::favouriteOf(quint64 tunnelId) const
{
    for (const Favourite& f : m_favourites.list()) {
        if (m_favourites.tunnelId(f.name) == tunnelId)
            return f.name;
    }
    return {};
}

void DesktopIntegration::stopTunnel(quint64 id)
{
    // A favourite's tunnel is switched off through the favourite, so that it stays off at the next start.
    if (const QString favourite = favouriteOf(id); !favourite.isEmpty())
        static_cast<void>(m_favourites.setEnabled(favourite, false));
    else
        m_tunnels.stop(id);
}

void DesktopIntegration::onTunnelFailed(quint64 id, const Error& error)
{
    const ManagedTunnel* t = m_tunnels.tunnel(id);
    if (!t)
        return;
    const QString favourite = favouriteOf(id);
    const QString name = favourite.isEmpty() ? who(*t) : QStringLiteral("%1 (%2)").arg(favourite, who(*t));
    QString message = tr("%1: %2").arg(name, error.message);
    if (!error.hint.isEmpty())
        message += QLatin1Char('\n') + error.hint;
    notify(tr("Tunnel dropped"), message, QSystemTrayIcon::Warning);
}

void DesktopIntegration::notifyLoginNeeded(const QString& profile)
{
    notify(tr("Login needed"),
           tr("The AWS profile \u201c%1\u201d needs a new login. Open Bastionless to sign in.").arg(profile),
           QSystemTrayIcon::Information);
}

void DesktopIntegration::notify(const QString& title, const QString& message, QSystemTrayIcon::MessageIcon icon)
{
    if (hasTrayIcon())
        m_icon->showMessage(title, message, icon, messageMs);
    Q_EMIT notified(title, message);
}

void DesktopIntegration::onActivated(QSystemTrayIcon::ActivationReason reason)
{
    m_iconClicked = true;
    QTimer::singleShot(0, this, [this] { m_iconClicked = false; });
    if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
        toggleWindow();
}

void DesktopIntegration::showWindow()
{
    if (!m_window)
        return;
    if (m_window->isMinimized())
        m_window->setWindowState(m_window->windowState() & ~Qt::WindowMinimized);
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

void DesktopIntegration::toggleWindow()
{
    if (m_window && m_window->isVisible() && !m_window->isMinimized())
        m_window->close(); // the window's own close: it saves its layout; the tray keeps the app running
    else
        showWindow();
}

void DesktopIntegration::quit()
{
    if (m_quitting)
        return;
    m_quitting = true;
    if (m_window)
        m_window->close();
    if (m_icon)
        m_icon->hide();
    // Gone from the screen at once; the program itself waits (a few seconds at most) until the tunnels have ended
    // their Session Manager sessions, which would otherwise stay open on AWS's side until they time out.
    m_tunnels.shutdownAll(this, [this] { Q_EMIT quitRequested(); });
}

bool DesktopIntegration::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_window && event->type() == QEvent::Close && hasTrayIcon() && !m_quitting && !m_closeHintShown) {
        bool running = false;
        for (const ManagedTunnel& t : m_tunnels.list())
            running = running || listed(t);
        if (running) {
            m_closeHintShown = true;
            notify(tr("Bastionless is still running"),
                   tr("Your tunnels stay up. Use Quit in this icon's menu to stop them."),
                   QSystemTrayIcon::Information);
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace bl
