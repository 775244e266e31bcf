#include "core/connect/ViaOverrides.h"

namespace bl {

void ViaOverrides::set(const QString& instanceId, TransportChooser::Via via)
{
    if (instanceId.isEmpty() || this->via(instanceId) == via)
        return;
    if (via == TransportChooser::Via::Auto)
        m_via.remove(instanceId);
    else
        m_via.insert(instanceId, via);
    Q_EMIT changed(instanceId, via);
}

} // namespace bl
