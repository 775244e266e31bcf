#pragma once
// How the app gets a local port that leads to an instance's port (for RDP and VNC viewers, custom tunnels).
// The EICE, direct and SSM transports live in core/tunnel and plug in behind this interface as they land;
// until then NoTunnels says why the actions that need one are disabled.

#include "core/inventory/InventoryTypes.h"

#include <QObject>

namespace bl {

class TunnelProvider
{
public:
    virtual ~TunnelProvider() = default;
    // Empty when tunnels can be opened; otherwise why not, in words for a tooltip.
    virtual QString unavailableReason() const = 0;
    // Opens 127.0.0.1:<port> -> the instance's remotePort; done gets the local port (from the event loop,
    // while context lives).
    virtual void open(const InventoryEntry& entry, int remotePort, QObject* context, Callback<quint16> done) = 0;
};

} // namespace bl
