#pragma once
// Ending a transport politely before the program exits: a Session Manager transport ends its session (the
// TerminateSession flag, then the TerminateSession API) so that nothing lingers until the idle timeout; the
// other transports have nothing to say goodbye to.

#include <QObject>

#include <functional>

namespace bl {

class TunnelTransport;

class TransportShutdown
{
public:
    static constexpr int TimeoutMs = 5000;
    // done runs once (from the event loop, while context lives), at the latest after TimeoutMs.
    static void run(TunnelTransport* transport, QObject* context, std::function<void()> done);
};

} // namespace bl
