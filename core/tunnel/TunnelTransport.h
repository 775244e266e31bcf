#pragma once
// TunnelTransport: how a tunnel reaches one (instance, remote port). The listener and the stdio proxy ask it
// for one ByteStream per local connection; the stream opens asynchronously (opened() or failed()), so a
// transport may queue, sign, or look things up first. EiceTransport, DirectTransport, SshForwardTransport and
// SsmTransport implement it. shutdown() lets a transport say goodbye to the far side before the program exits.

#include <QObject>
#include <QString>

#include <functional>

namespace bl {

class ByteStream;

class TunnelTransport : public QObject
{
    Q_OBJECT

public:
    // The longest shutdown() may take: a dead network must not hold up the exit.
    static constexpr int ShutdownTimeoutMs = 5000;

    using QObject::QObject;
    ~TunnelTransport() override;

    // A new stream, parented to parent, in state Opening.
    virtual ByteStream* openStream(QObject* parent) = 0;
    // For people and logs: "EC2 Instance Connect Endpoint eice-... to 10.0.1.23:22".
    virtual QString describe() const = 0;
    // Ends whatever the transport keeps open on the far side (a Session Manager session), then calls done:
    // exactly once, always from the event loop (never inside this call, so a caller may emit or delete from
    // done), only while context lives, and at the latest after ShutdownTimeoutMs. The default has nothing to
    // end and calls done on the next turn of the event loop.
    virtual void shutdown(QObject* context, std::function<void()> done);
};

} // namespace bl
