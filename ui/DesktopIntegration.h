#pragma once
// DesktopIntegration: the app's place in the desktop's system tray. The icon's menu lists the favourites as
// on/off switches and the tunnels that run, with their state and local port, then "Open Bastionless" and
// "Quit"; a click on the icon shows or hides the window. It notifies when a tunnel drops or a profile needs a
// new login. While the icon is shown, closing the window only hides it, so tunnels keep running; "Quit" stops
// them and ends the app. Without a tray host there is no icon and closing the window quits, as usual.

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QSystemTrayIcon>

class QAction;
class QMenu;
class QTimer;
class QWidget;

namespace bl {

class Favourites;
class TunnelManager;
struct Error;

class DesktopIntegration : public QObject
{
    Q_OBJECT
public:
    DesktopIntegration(TunnelManager& tunnels, Favourites& favourites, QObject* parent = nullptr);
    ~DesktopIntegration() override;

    // The window the icon shows and hides, and that "Quit" closes (so it saves its layout); it gets a Quit
    // shortcut (Ctrl+Q, action "actionQuit").
    void setWindow(QWidget* window);
    // True while the icon is in a tray; closing the window then keeps the app running.
    bool hasTrayIcon() const;
    QSystemTrayIcon* trayIcon() const { return m_icon; } // nullptr until a tray host is there
    QMenu* menu() const { return m_menu; } // exists with or without a tray

public Q_SLOTS:
    void showWindow(); // shows, un-minimises, raises and activates it
    void toggleWindow(); // what a click on the icon does: closes a shown window, shows a hidden one
    // "Profile <profile> needs a new login": an SSO session or MFA credentials expired.
    void notifyLoginNeeded(const QString& profile);
    // "Quit": closes the window and hides the icon, ends every tunnel (Session Manager sessions are terminated;
    // TunnelManager::shutdownAll), then asks the app to end (quitRequested, from the event loop; the composition
    // root connects it to QCoreApplication::quit).
    void quit();

Q_SIGNALS:
    void notified(const QString& title, const QString& message); // every notification, also without a tray
    void quitRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void probeTray();
    void createIcon();
    void rebuildMenu();
    void fillMenu(const QStringList& layout);
    void updateTexts();
    void onTunnelFailed(quint64 id, const Error& error);
    void onActivated(QSystemTrayIcon::ActivationReason reason);
    void notify(const QString& title, const QString& message, QSystemTrayIcon::MessageIcon icon);
    void stopTunnel(quint64 id);
    QString favouriteOf(quint64 tunnelId) const;
    QStringList currentLayout() const;

    TunnelManager& m_tunnels;
    Favourites& m_favourites;
    QPointer<QWidget> m_window;
    QPointer<QAction> m_quitAction; // Ctrl+Q, a child of m_window
    QMenu* m_menu;
    QSystemTrayIcon* m_icon = nullptr;
    QTimer* m_probe;
    QTimer* m_rebuild;
    int m_probesLeft;
    QAction* m_open = nullptr;
    QStringList m_layout; // favourite names and tunnel ids the menu was built for
    QHash<QString, QAction*> m_favouriteActions;
    QHash<quint64, QMenu*> m_tunnelMenus;
    bool m_closeHintShown = false;
    bool m_quitting = false;
    bool m_iconClicked = false; // in this event loop pass: tells a click on the icon from one on the balloon
};

} // namespace bl
