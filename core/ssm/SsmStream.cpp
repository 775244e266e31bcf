#include "core/ssm/SsmStream.h"

#include "core/ssm/SsmTransport.h"

#include <QTimer>

namespace bl {

SsmStream::SsmStream(SsmTransport* transport, qint64 highWater, QObject* parent)
    : ByteStream(parent)
    , m_transport(transport)
    , m_highWater(highWater)
{ }

SsmStream::~SsmStream()
{
    if (m_transport)
        m_transport->streamGone(this);
}

QByteArray SsmStream::read(qint64 maxSize)
{
    const QByteArray data = m_rx.read(maxSize);
    if (!data.isEmpty() && m_transport && !m_inRead) {
        // Refill from the session now that there is room; what arrives is announced later (see deliver()).
        m_inRead = true;
        m_transport->streamRead(this);
        m_inRead = false;
    }
    return data;
}

void SsmStream::write(const QByteArray& data)
{
    if (data.isEmpty() || m_closeRequested || isFinished())
        return;
    if (state() == State::Opening || !m_transport) {
        m_tx.append(data);
        noteSendBuffered(m_tx.size());
        return;
    }
    m_transport->streamWrite(this, data);
}

qint64 SsmStream::bytesToWrite() const
{
    return m_tx.size() + (m_transport ? m_transport->streamPendingOutput(this) : 0);
}

void SsmStream::close()
{
    if (isFinished() || m_closeRequested)
        return;
    m_closeRequested = true;
    markClosing();
    if (m_transport)
        m_transport->streamClose(this);
}

void SsmStream::abort()
{
    if (m_transport)
        m_transport->streamGone(this);
    m_transport = nullptr;
    markAborted();
}

void SsmStream::deliver(const QByteArray& data)
{
    if (data.isEmpty())
        return;
    m_rx.append(data);
    m_received += data.size();
    m_peakRx = qMax<qint64>(m_peakRx, m_rx.size());
    if (!m_inRead) {
        Q_EMIT readyRead();
        return;
    }
    if (m_notifyQueued)
        return;
    m_notifyQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_notifyQueued = false;
        if (m_rx.size() > 0)
            Q_EMIT readyRead();
    });
}

} // namespace bl
