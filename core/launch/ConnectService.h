#pragma once
// Turns "SSH to this instance" or "RDP to that one" into the exact program and argv to start, and starts it
// through the Launcher seam: SSH runs `bastionless-cli ssh <id> --profile P --region R` in a terminal
// emulator; RDP and VNC open a tunnel (TunnelProvider) and point a viewer at 127.0.0.1:<port>. A program
// that is missing is an error naming the package. For a Windows instance whose key pair .pem is stored
// (WindowsPasswords), FreeRDP logs in as Administrator with the password on its standard input, never in its
// argv. No widgets: the window only calls connect().

#include "core/connect/TransportChooser.h"
#include "core/inventory/InventoryTypes.h"
#include "core/launch/Launcher.h"

#include <QObject>
#include <QPointer>

namespace bl {

class TunnelProvider;
class ViaOverrides;
class WindowsPasswords;

enum class ConnectKind { Ssh, Rdp, Vnc };

struct ConnectSettings
{
    QString terminal; // name or path; empty: the first of Terminals::known() that is installed
    QString rdpViewer; // empty: the first of Viewers::rdpViewers() that is installed
    QString vncViewer; // empty: the first of Viewers::vncViewers() that is installed
    QString cliProgram = QStringLiteral("bastionless-cli"); // name or path
};

class ConnectService : public QObject
{
    Q_OBJECT
public:
    static constexpr int rdpPort = 3389;
    static constexpr int vncPort = 5900;

    ConnectService(Launcher& launcher, TunnelProvider& tunnels, ConnectSettings settings, QObject* parent = nullptr);

    const ConnectSettings& settings() const { return m_settings; }
    void setSettings(const ConnectSettings& settings) { m_settings = settings; }
    TunnelProvider& tunnels() { return m_tunnels; }
    const TunnelProvider& tunnels() const { return m_tunnels; }
    // Per-instance transport overrides: the SSH command line gets `--via` from them (null: always auto).
    void setViaOverrides(const ViaOverrides* overrides) { m_overrides = overrides; }
    TransportChooser::Via viaFor(const InventoryEntry& entry) const;
    // Where RDP gets a Windows instance's Administrator password from (null: the viewer asks the person).
    void setWindowsPasswords(WindowsPasswords* passwords) { m_passwords = passwords; }
    WindowsPasswords* windowsPasswords() const { return m_passwords; }

    // What double-click / Enter does: RDP for Windows, SSH for everything else.
    static ConnectKind defaultKind(const Instance& instance);
    static QString kindName(ConnectKind kind); // "SSH", "RDP", "VNC"
    static bool needsTunnel(ConnectKind kind) { return kind != ConnectKind::Ssh; }

    // `bastionless-cli` arguments that do the same from a shell (ssh; tunnel for RDP/VNC).
    // via other than Auto adds `--via <name>`.
    static QStringList cliArguments(ConnectKind kind, const InventoryEntry& entry,
                                    TransportChooser::Via via = TransportChooser::Via::Auto);
    // The same as one line a person can paste (shell-quoted where needed).
    static QString cliCommandLine(ConnectKind kind, const InventoryEntry& entry,
                                  TransportChooser::Via via = TransportChooser::Via::Auto);

    // The exact commands, without starting anything.
    Result<LaunchCommand> sshCommand(const InventoryEntry& entry) const;
    // password (RDP only, may be empty) goes to the viewer's standard input when it can read it from there;
    // otherwise the command's note says that the person has to type it.
    Result<LaunchCommand> viewerCommand(ConnectKind kind, const InventoryEntry& entry, quint16 localPort,
                                        const QString& password = {}) const;

    // Starts kind for entry (RDP/VNC after their tunnel opened); done gets what was started, or why not.
    void connectTo(ConnectKind kind, const InventoryEntry& entry, QObject* context, Callback<LaunchCommand> done);

Q_SIGNALS:
    void launched(const bl::LaunchCommand& command);

private:
    QString findFirst(const QString& configured, const QStringList& candidates) const;
    Result<LaunchCommand> launch(Result<LaunchCommand> command);
    void openAndLaunch(ConnectKind kind, const InventoryEntry& entry, QPointer<QObject> guard,
                       Callback<LaunchCommand> done, const QString& password, const QString& note);

    Launcher& m_launcher;
    TunnelProvider& m_tunnels;
    ConnectSettings m_settings;
    const ViaOverrides* m_overrides = nullptr;
    WindowsPasswords* m_passwords = nullptr;
};

} // namespace bl
