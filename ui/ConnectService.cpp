#include "ui/ConnectService.h"

#include "core/connect/TunnelManager.h"
#include "core/connect/ViaOverrides.h"
#include "ui/ProgramPackages.h"
#include "ui/Terminals.h"
#include "ui/TunnelProvider.h"
#include "ui/Viewers.h"

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
    // Without --profile the CLI uses the environment's credentials first, which is what that source listed.
    if (!entry.cliProfile.isEmpty())
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

Result<LaunchCommand> ConnectService::viewerCommand(ConnectKind kind, const InventoryEntry& entry,
                                                    quint16 localPort) const
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
    const int remotePort = kind == ConnectKind::Rdp ? rdpPort : vncPort;
    m_tunnels.open(entry, remotePort, this, [this, kind, entry, guard, done](Result<quint16> port) {
        if (!guard)
            return;
        if (!port) {
            done(port.error());
            return;
        }
        done(launch(viewerCommand(kind, entry, *port)));
    });
}

} // namespace bl
