#pragma once
// ConnectionSlotRegistry: one shared ConnectionSlots per EC2 Instance Connect Endpoint, so that every tunnel
// and proxy through the same endpoint in this process counts against the same 20-connection quota. The
// composition root owns one registry and hands it to whoever builds EiceTransports.

#include "core/tunnel/ConnectionSlots.h"

#include <QHash>
#include <QString>

#include <memory>

namespace bl {

class ConnectionSlotRegistry
{
public:
    explicit ConnectionSlotRegistry(int limit = ConnectionSlots::EiceLimit, int maxWaitMs = 60000);

    // The slots of endpointId, created on first use and kept while any transport holds them.
    std::shared_ptr<ConnectionSlots> slotsFor(const QString& endpointId);

private:
    int m_limit;
    int m_maxWaitMs;
    QHash<QString, std::weak_ptr<ConnectionSlots>> m_slots;
};

} // namespace bl
