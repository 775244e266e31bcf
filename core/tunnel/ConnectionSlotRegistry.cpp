#include "core/tunnel/ConnectionSlotRegistry.h"

namespace bl {

ConnectionSlotRegistry::ConnectionSlotRegistry(int limit, int maxWaitMs)
    : m_limit(limit)
    , m_maxWaitMs(maxWaitMs)
{ }

std::shared_ptr<ConnectionSlots> ConnectionSlotRegistry::slotsFor(const QString& endpointId)
{
    if (auto existing = m_slots.value(endpointId).lock())
        return existing;
    auto created = std::make_shared<ConnectionSlots>(QStringLiteral("EC2 Instance Connect Endpoint %1").arg(endpointId),
                                                     m_limit, m_maxWaitMs);
    m_slots.insert(endpointId, created);
    return created;
}

} // namespace bl
