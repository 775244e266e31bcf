#pragma once
// DeferredStream: a ByteStream handed out before the real one can exist, for transports that need a slow
// preparation first (an ssh forward being set up, a session being started). Writes are kept until the real
// stream is attached and open; after that every call and signal passes straight through. fail() ends it
// before that with an error.

#include "core/tunnel/ByteQueue.h"
#include "core/tunnel/ByteStream.h"

#include <QPointer>

#include <functional>

namespace bl {

class DeferredStream : public ByteStream
{
    Q_OBJECT

public:
    explicit DeferredStream(QObject* parent = nullptr);
    ~DeferredStream() override;

    // Takes ownership of inner (any state); the deferred stream follows it from now on.
    void attach(ByteStream* inner);
    // When the attached stream fails before it opened, make up to `attempts` more with factory, delayMs apart
    // (a listener that has just announced itself may not accept yet). Set before attach().
    void setRetry(std::function<ByteStream*()> factory, int attempts, int delayMs);
    // The preparation failed: the stream fails with error (ignored once attached or finished).
    void fail(const Error& error);
    bool isAttached() const { return m_inner != nullptr; }
    // The person closed or aborted the stream before it was attached: the preparer may skip it.
    bool isAbandoned() const { return m_abandoned; }

    qint64 bytesAvailable() const override;
    QByteArray read(qint64 maxSize) override;
    void write(const QByteArray& data) override;
    qint64 bytesToWrite() const override;
    void close() override;
    void abort() override;
    qint64 receiveHighWater() const override;
    qint64 sendHighWater() const override;
    qint64 peakReceiveBuffered() const override;
    qint64 peakSendBuffered() const override;

private:
    void onInnerOpened();
    void onInnerFailed(const Error& error);

    QPointer<ByteStream> m_inner;
    ByteQueue m_pending; // written before the inner stream was open
    bool m_closeRequested = false;
    bool m_abandoned = false;
    qint64 m_peakPending = 0;
    std::function<ByteStream*()> m_retryFactory;
    int m_retriesLeft = 0;
    int m_retryDelayMs = 0;
};

} // namespace bl
