#pragma once
// A private X server for GUI tests that need a real one (the system tray): Xvfb on a display it picks itself
// (-displayfd), and on request a real tray host (Debian's trayer) on it. Both are children of the test that
// die with it (PR_SET_PDEATHSIG) even when the test is killed; the destructor stops them. Start the server
// before QApplication exists (it reads DISPLAY when constructed), the tray host whenever the test wants one.

#include <QProcess>
#include <QString>

#include <memory>

namespace guitest {

class XvfbSession
{
public:
    XvfbSession() = default;
    ~XvfbSession();
    XvfbSession(const XvfbSession&) = delete;
    XvfbSession& operator=(const XvfbSession&) = delete;

    // Starts Xvfb and sets DISPLAY and QT_QPA_PLATFORM=xcb for this process. Empty on success, else why not.
    QString start(int timeoutMs = 15000);
    // Starts trayer docked at the top right. Empty on success, else why not. Whether it has claimed the tray
    // yet is for the test to wait for (QSystemTrayIcon::isSystemTrayAvailable()).
    QString startTrayHost(int timeoutMs = 5000);
    void stopTrayHost();
    bool trayHostRunning() const;
    QString display() const { return m_display; }

private:
    static std::unique_ptr<QProcess> spawn(const QString& program, const QStringList& args);
    static void stop(std::unique_ptr<QProcess>& process);

    std::unique_ptr<QProcess> m_xvfb;
    std::unique_ptr<QProcess> m_tray;
    QString m_display;
};

} // namespace guitest
