#pragma once
// TunnelTransport: how a tunnel reaches one (instance, remote port). The listener and the stdio proxy ask it
// for one ByteStream per local connection; the stream opens asynchronously (opened() or failed()), so a
// transport may queue, sign, or look things up first. EiceTransport and DirectTransport implement it; the
// SSM transport will too.

#include <QObject>
#include <QString>

namespace bl {

class ByteStream;

class TunnelTransport : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~TunnelTransport() override;

    // A new stream, parented to parent, in state Opening.
    virtual ByteStream* openStream(QObject* parent) = 0;
    // For people and logs: "EC2 Instance Connect Endpoint eice-... to 10.0.1.23:22".
    virtual QString describe() const = 0;
};

} // namespace bl
