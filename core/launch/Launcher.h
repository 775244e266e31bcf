#pragma once
// The process seam: everything the app starts (a terminal running bastionless-cli, an RDP or VNC viewer)
// goes through a Launcher as a program plus an argument list — never a shell string. The product starts
// detached processes; tests substitute a launcher that records the exact argv and standard input.

#include "core/util/Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace bl {

struct LaunchCommand
{
    QString program; // absolute path, as found by Launcher::findProgram
    QStringList arguments; // visible to every user of the machine (ps, /proc): never a secret
    QString purpose; // for people: "SSH to web-1 (i-0abc...) in xterm"
    // Written to the program's standard input, which is then closed; empty: nothing is written. This is how
    // a secret (the Windows password for xfreerdp) reaches a program without appearing in its argv.
    QByteArray standardInput;
    QString note; // for people: something to know about this start ("the password was not filled in: ...")
    bool operator==(const LaunchCommand&) const = default;
};

class Launcher
{
public:
    virtual ~Launcher() = default;
    // The absolute path of an executable: a bare name is looked up in PATH, a path is checked as given.
    // Empty when there is none.
    virtual QString findProgram(const QString& program) const = 0;
    // Starts the program detached from the app; an error when it could not be started.
    virtual Result<void> start(const LaunchCommand& command) = 0;
};

} // namespace bl
