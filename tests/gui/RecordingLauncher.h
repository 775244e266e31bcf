#pragma once
// Test doubles for the desktop app's seams: a Launcher that records the exact commands (argv and standard
// input) instead of starting them (with a configurable set of "installed" programs), and a TunnelProvider that
// answers with a fixed local port, or is unavailable with a reason.

#include "core/launch/Launcher.h"
#include "core/launch/TunnelProvider.h"

#include <QMap>
#include <QPointer>
#include <QTimer>

namespace guitest {

class RecordingLauncher final : public bl::Launcher
{
public:
    // name -> absolute path of the programs this machine "has".
    QMap<QString, QString> installed {
        {QStringLiteral("xterm"), QStringLiteral("/usr/bin/xterm")},
        {QStringLiteral("bastionless-cli"), QStringLiteral("/opt/bastionless/bin/bastionless-cli")},
        {QStringLiteral("xfreerdp"), QStringLiteral("/usr/bin/xfreerdp")},
        {QStringLiteral("vncviewer"), QStringLiteral("/usr/bin/vncviewer")},
    };
    QList<bl::LaunchCommand> started;

    QString findProgram(const QString& program) const override
    {
        if (program.contains(QLatin1Char('/')))
            return installed.values().contains(program) ? program : QString();
        return installed.value(program);
    }
    bl::Result<void> start(const bl::LaunchCommand& command) override
    {
        started.append(command);
        return {};
    }
};

class FakeTunnels final : public bl::TunnelProvider
{
public:
    QString reason; // empty: available
    quint16 localPort = 45123;
    QList<int> openedRemotePorts;

    QString unavailableReason() const override { return reason; }
    void open(const bl::InventoryEntry&, int remotePort, QObject* context, bl::Callback<quint16> done) override
    {
        openedRemotePorts.append(remotePort);
        QPointer<QObject> guard(context);
        QTimer::singleShot(0, context, [guard, done, port = localPort] {
            if (guard)
                done(port);
        });
    }
};

} // namespace guitest
