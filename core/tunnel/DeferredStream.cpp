#include "core/tunnel/DeferredStream.h"

#include <QTimer>

namespace bl {

DeferredStream::DeferredStream(QObject* parent)
    : ByteStream(parent)
{ }

DeferredStream::~DeferredStream() = default;

void DeferredStream::attach(ByteStream* inner)
{
    if (m_inner || isFinished()) {
        if (inner)
            inner->abort();
        delete inner;
        return;
    }
    m_inner = inner;
    inner->setParent(this);
    connect(inner, &ByteStream::opened, this, &DeferredStream::onInnerOpened);
    connect(inner, &ByteStream::readyRead, this, &ByteStream::readyRead);
    connect(inner, &ByteStream::bytesWritten, this, &ByteStream::bytesWritten);
    connect(inner, &ByteStream::remoteEnded, this, [this] { markRemoteFinished(); });
    connect(inner, &ByteStream::closed, this, [this] { markClosed(); });
    connect(inner, &ByteStream::failed, this, &DeferredStream::onInnerFailed);
    if (inner->isOpen())
        onInnerOpened();
    else if (inner->state() == State::Failed)
        markFailed(inner->error());
    else if (inner->isFinished())
        markClosed();
}

void DeferredStream::setRetry(std::function<ByteStream*()> factory, int attempts, int delayMs)
{
    m_retryFactory = std::move(factory);
    m_retriesLeft = attempts;
    m_retryDelayMs = delayMs;
}

void DeferredStream::onInnerFailed(const Error& error)
{
    if (!m_inner || m_inner->isOpen() || m_retriesLeft <= 0 || !m_retryFactory || isFinished()) {
        markFailed(error);
        return;
    }
    --m_retriesLeft;
    ByteStream* old = m_inner;
    old->disconnect(this);
    old->deleteLater();
    m_inner = nullptr;
    QTimer::singleShot(m_retryDelayMs, this, [this] {
        if (!isFinished() && !m_inner)
            attach(m_retryFactory());
    });
}

void DeferredStream::fail(const Error& error)
{
    if (m_inner)
        return;
    markFailed(error);
}

void DeferredStream::onInnerOpened()
{
    if (!m_pending.isEmpty())
        m_inner->write(m_pending.read(m_pending.size()));
    markOpen();
    if (m_closeRequested) {
        markClosing();
        m_inner->close();
    }
}

qint64 DeferredStream::bytesAvailable() const
{
    return m_inner ? m_inner->bytesAvailable() : 0;
}

QByteArray DeferredStream::read(qint64 maxSize)
{
    return m_inner ? m_inner->read(maxSize) : QByteArray();
}

void DeferredStream::write(const QByteArray& data)
{
    if (isFinished() || m_closeRequested)
        return;
    if (m_inner && m_inner->isOpen()) {
        m_inner->write(data);
        return;
    }
    m_pending.append(data);
    m_peakPending = qMax(m_peakPending, qint64(m_pending.size()));
}

qint64 DeferredStream::bytesToWrite() const
{
    return m_pending.size() + (m_inner ? m_inner->bytesToWrite() : 0);
}

void DeferredStream::close()
{
    if (isFinished() || m_closeRequested)
        return;
    m_closeRequested = true;
    if (m_inner && m_inner->isOpen()) {
        markClosing();
        m_inner->close();
        return;
    }
    if (!m_inner && m_pending.isEmpty()) {
        // Nothing written and nothing connected yet: closing now loses nothing.
        m_abandoned = true;
        markClosed();
    }
    // Otherwise what was written goes out once the inner stream opens, then it is closed (onInnerOpened).
}

void DeferredStream::abort()
{
    m_abandoned = !m_inner;
    if (m_inner)
        m_inner->abort();
    m_pending.clear();
    markAborted();
}

qint64 DeferredStream::receiveHighWater() const
{
    return m_inner ? m_inner->receiveHighWater() : DefaultHighWater;
}

qint64 DeferredStream::sendHighWater() const
{
    return m_inner ? m_inner->sendHighWater() : DefaultHighWater;
}

qint64 DeferredStream::peakReceiveBuffered() const
{
    return m_inner ? m_inner->peakReceiveBuffered() : 0;
}

qint64 DeferredStream::peakSendBuffered() const
{
    return qMax(m_peakPending, m_inner ? m_inner->peakSendBuffered() : 0);
}

} // namespace bl
