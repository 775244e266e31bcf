#pragma once
// RDP and VNC viewers: which ones we look for, and their arguments to open a forwarded 127.0.0.1 port.
// FreeRDP 2 (Debian 12's xfreerdp) and FreeRDP 3 (xfreerdp3) spell their options differently. These are
// properties of the viewer programs, not of the OS.

#include <QByteArray>
#include <QStringList>

#include <optional>

namespace bl {

// A viewer's argv plus what to write to its standard input.
struct ViewerLaunch
{
    QStringList arguments;
    QByteArray standardInput;
};

class Viewers
{
public:
    static QStringList rdpViewers(); // xfreerdp3, xfreerdp, remmina
    static QStringList vncViewers(); // vncviewer, remmina
    // user may be empty (then the viewer asks).
    static QStringList rdpArguments(const QString& viewer, quint16 localPort, const QString& user,
                                    const QString& title);
    static QStringList vncArguments(const QString& viewer, quint16 localPort);
    // The same RDP viewer, logging in as user with password without the password on its command line (which
    // every user of the machine can read): FreeRDP 2 gets `/from-stdin` and the password as the line it
    // reads; FreeRDP 3 gets `/args-from:stdin` and its whole argument list, password included, on stdin.
    // nullopt for a viewer that cannot take a password that way (Remmina), or a password with a line break.
    static std::optional<ViewerLaunch> rdpWithPassword(const QString& viewer, quint16 localPort, const QString& user,
                                                       const QString& password, const QString& title);
};

} // namespace bl
