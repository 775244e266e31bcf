#pragma once
// The TunnelProvider of a build without in-app tunnels: every action that needs one is disabled and says why.

#include "core/launch/TunnelProvider.h"

namespace bl {

class NoTunnels final : public TunnelProvider
{
public:
    QString unavailableReason() const override;
    void open(const InventoryEntry& entry, int remotePort, QObject* context, Callback<quint16> done) override;
};

} // namespace bl
