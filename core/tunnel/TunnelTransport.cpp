#include "core/tunnel/TunnelTransport.h"

#include <QTimer>

namespace bl {

TunnelTransport::~TunnelTransport() = default;

void TunnelTransport::shutdown(QObject* context, std::function<void()> done)
{
    QTimer::singleShot(0, context, std::move(done));
}

} // namespace bl
