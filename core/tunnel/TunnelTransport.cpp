#include "core/tunnel/TunnelTransport.h"

namespace bl {

TunnelTransport::~TunnelTransport() = default;

} // namespace bl
