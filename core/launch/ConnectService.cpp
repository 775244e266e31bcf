#include "core/launch/ConnectService.h"

#include "core/connect/TunnelManager.h"
#include "core/connect/ViaOverrides.h"
#include "core/launch/ProgramPackages.h"
#include "core/launch/Terminals.h"
#include "core/launch/TunnelProvider.h"
#include "core/launch/Viewers.h"
#include "core/launch/WindowsPasswords.h"

#include <QFileInfo>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>

namespace bl {

namespace {

QString displayName(const Instance& i)
{
    return i.name.isEmpty() ? i.id : QStringLiteral("%1 (%2)").arg(i.name, i.id);
}

QString shellQuote(const QString& arg)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_./:=@%+,-]+$"));
    if (safe.match(arg).hasMatch())
        return arg;
    QString quoted = arg;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace

ConnectService::ConnectService(Launcher& launcher, TunnelProvider& tunnels, ConnectSettings settings, QObject* parent)
    : QObject(parent)
    , m_launcher(launcher)
    , m_tunnels(tunnels)
    , m_settings(std::move(settings))
{ }

ConnectKind ConnectService::defaultKind(const Instance& instance)
{
    return instance.isWindows() ? ConnectKind::Rdp : ConnectKind::Ssh;
}

QString ConnectService::kindName(ConnectKind kind)
{
    switch (kind) {
    case ConnectKind::Ssh:
        return QStringLiteral("SSH");
    case ConnectKind::Rdp:
        return QStringLiteral("RDP");
    case ConnectKind::Vnc:
        return QStringLiteral("VNC");
    }
    return {};
}

TransportChooser::Via ConnectService::viaFor(const InventoryEntry& entry) const
{
    return m_overrides ? m_overrides->via(entry.instance.id) : TransportChooser::Via::Auto;
}

QStringList ConnectService::cliArguments(ConnectKind kind, const InventoryEntry& entry, TransportChooser::Via via)
{
    QStringList args;
    if (kind == ConnectKind::Ssh) {
        args << QStringLiteral("ssh") << entry.instance.id;
    } else {
        args << QStringLiteral("tunnel") << entry.instance.id << QStringLiteral("--remote-port")
             << QString::number(kind == ConnectKind::Rdp ? rdpPort : vncPort);
    }
    // An account added in the app lives in the app's settings and the keychain, where --account finds it.
    // Without either the CLI uses the environment's credentials first, which is what that source listed.
    if (!entry.cliAccount.isEmpty())
        args << QStringLiteral("--account") << entry.cliAccount;
    else if (!entry.cliProfile.isEmpty())
        args << QStringLiteral("--profile") << entry.cliProfile;
    if (!entry.instance.region.isEmpty())
        args << QStringLiteral("--region") << entry.instance.region;
    if (via != TransportChooser::Via::Auto)
        args << QStringLiteral("--via") << viaName(via);
    return args;
}

QString ConnectService::cliCommandLine(ConnectKind kind, const InventoryEntry& entry, TransportChooser::Via via)
{
    QStringList words {QStringLiteral("bastionless-cli")};
    for (const QString& arg : cliArguments(kind, entry, via))
        words << shellQuote(arg);
    return words.join(QLatin1Char(' '));
}

QString ConnectService::findFirst(const QString& configured, const QStringList& candidates) const
{
    if (!configured.isEmpty())
        return m_launcher.findProgram(configured);
    for (const QString& name : candidates) {
        const QString path = m_launcher.findProgram(name);
        if (!path.isEmpty())
            return path;
    }
    return {};
}

Result<LaunchCommand> ConnectService::sshCommand(const InventoryEntry& entry) const
{
    const QString cli = m_launcher.findProgram(m_settings.cliProgram);
    if (cli.isEmpty())
        return programMissing(m_settings.cliProgram, QStringLiteral("The Bastionless command-line tool"));
    const QString terminal = findFirst(m_settings.terminal, Terminals::known());
    if (terminal.isEmpty()) {
        const QString wanted = m_settings.terminal.isEmpty() ? QStringLiteral("xterm") : m_settings.terminal;
        Error e = programMissing(wanted, QStringLiteral("A terminal emulator"));
        if (m_settings.terminal.isEmpty())
            e.message = QStringLiteral("No terminal emulator is installed (looked for %1)")
                            .arg(Terminals::known().join(QStringLiteral(", ")));
        return e;
    }
    LaunchCommand command;
    command.program = terminal;
    command.arguments = Terminals::runArguments(terminal, cli, cliArguments(ConnectKind::Ssh, entry, viaFor(entry)));
    command.purpose = QStringLiteral("SSH to %1").arg(displayName(entry.instance));
    return command;
}

Result<LaunchCommand> ConnectService::viewerCommand(ConnectKind kind, const InventoryEntry& entry, quint16 localPort,
                                                    const QString& password) const
{
    const bool rdp = kind == ConnectKind::Rdp;
    const QString configured = rdp ? m_settings.rdpViewer : m_settings.vncViewer;
    const QStringList candidates = rdp ? Viewers::rdpViewers() : Viewers::vncViewers();
    const QString viewer = findFirst(configured, candidates);
    if (viewer.isEmpty()) {
        const QString wanted =
            configured.isEmpty() ? (rdp ? QStringLiteral("xfreerdp") : QStringLiteral("vncviewer")) : configured;
        return programMissing(wanted, rdp ? QStringLiteral("An RDP viewer") : QStringLiteral("A VNC viewer"));
    }
    LaunchCommand command;
    command.program = viewer;
    const QString title = displayName(entry.instance);
    // Windows' built-in account; a Linux xrdp desktop asks for its own user.
    const QString user = entry.instance.isWindows() ? QStringLiteral("Administrator") : QString();
    command.arguments =
        rdp ? Viewers::rdpArguments(viewer, localPort, user, title) : Viewers::vncArguments(viewer, localPort);
    command.purpose = QStringLiteral("%1 to %2").arg(kindName(kind), title);
    if (rdp && !password.isEmpty()) {
        const QString who = user.isEmpty() ? QStringLiteral("Administrator") : user;
        if (auto withPassword = Viewers::rdpWithPassword(viewer, localPort, who, password, title)) {
            command.arguments = withPassword->arguments;
            command.standardInput = withPassword->standardInput;
        } else {
            command.note = QStringLiteral("%1 cannot be given the password without other users seeing it: use "
                                          "\"Get Windows password…\" and type it in")
                               .arg(QFileInfo(viewer).fileName());
        }
    }
    return command;
}

Result<LaunchCommand> ConnectService::launch(Result<LaunchCommand> command)
{
    if (!command)
        return command;
    if (Result<void> started = m_launcher.start(*command); !started)
        return started.error();
    Q_EMIT launched(*command);
    return command;
}

void ConnectService::connectTo(ConnectKind kind, const InventoryEntry& entry, QObject* context,
                               Callback<LaunchCommand> done)
{
    QPointer<QObject> guard(context);
    if (kind == ConnectKind::Ssh) {
        Result<LaunchCommand> result = launch(sshCommand(entry));
        QTimer::singleShot(0, this, [guard, done, result] {
            if (guard)
                done(result);
        });
        return;
    }
    // Find the viewer before opening a tunnel nobody will use.
    if (Result<LaunchCommand> probe = viewerCommand(kind, entry, 1); !probe) {
        QTimer::singleShot(0, this, [guard, done, error = probe.error()] {
            if (guard)
                done(error);
        });
        return;
    }
    const bool wantsPassword = kind == ConnectKind::Rdp && entry.instance.isWindows() && m_passwords;
    if (!wantsPassword) {
        openAndLaunch(kind, entry, guard, done, {}, {});
        return;
    }
    // Only a viewer that reads the password from stdin gets it: Remmina would need it on its command line.
    if (Result<LaunchCommand> probe = viewerCommand(kind, entry, 1, QStringLiteral("probe"));
        probe.ok() && !probe->note.isEmpty()) {
        openAndLaunch(kind, entry, guard, done, {}, probe->note);
        return;
    }
    m_passwords->password(entry, this, [this, kind, entry, guard, done](Result<QString> password) {
        if (!guard)
            return;
        if (password) {
            openAndLaunch(kind, entry, guard, done, *password, {});
            return;
        }
        // Without the password the viewer still connects and asks for it; say why it was not filled in.
        QString note = QStringLiteral("the password was not filled in: %1").arg(password.error().message);
        if (!password.error().hint.isEmpty())
            note += QStringLiteral(" — ") + password.error().hint;
        openAndLaunch(kind, entry, guard, done, {}, note);
    });
}

void ConnectService::openAndLaunch(ConnectKind kind, const InventoryEntry& entry, QPointer<QObject> guard,
                                   Callback<LaunchCommand> done, const QString& password, const QString& note)
{
    const int remotePort = kind == ConnectKind::Rdp ? rdpPort : vncPort;
    m_tunnels.open(entry, remotePort, this, [this, kind, entry, guard, done, password, note](Result<quint16> port) {
        if (!guard)
            return;
        if (!port) {
            done(port.error());
            return;
        }
        Result<LaunchCommand> command = viewerCommand(kind, entry, *port, password);
        if (command && command->note.isEmpty())
            command->note = note;
        done(launch(command));
    });
}

} // namespace bl
