#pragma once
// RDP and VNC viewers: which ones we look for, and their arguments to open a forwarded 127.0.0.1 port.
// FreeRDP 2 (Debian 12's xfreerdp) and FreeRDP 3 (xfreerdp3) spell their options differently.

#include <QStringList>

namespace bl {

class Viewers
{
public:
    static QStringList rdpViewers(); // xfreerdp3, xfreerdp, remmina
    static QStringList vncViewers(); // vncviewer, remmina
    // user may be empty (then the viewer asks).
    static QStringList rdpArguments(const QString& viewer, quint16 localPort, const QString& user,
                                    const QString& title);
    static QStringList vncArguments(const QString& viewer, quint16 localPort);
};

} // namespace bl
