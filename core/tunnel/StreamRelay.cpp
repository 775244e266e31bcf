#include "core/tunnel/StreamRelay.h"

#include "core/tunnel/ByteStream.h"
#include "core/util/Log.h"

#include <QTcpSocket>

namespace bl {

StreamRelay::StreamRelay(QTcpSocket* local, ByteStream* stream, QObject* parent)
    : QObject(parent)
    , m_local(local)
    , m_stream(stream)
    , m_highWater(stream->sendHighWater())
{
    local->setParent(this);
    stream->setParent(this);
}

StreamRelay::~StreamRelay()
{
    if (m_stream && !m_stream->isFinished())
        m_stream->abort();
    if (m_local) {
        m_local->disconnect(this);
        m_local->abort();
    }
}

void StreamRelay::start()
{
    // Qt stops reading from the kernel while this much is unread: the client's TCP window closes.
    m_local->setReadBufferSize(m_highWater);
    m_local->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_local, &QTcpSocket::readyRead, this, &StreamRelay::pumpUp);
    connect(m_local, &QTcpSocket::bytesWritten, this, &StreamRelay::pumpDown);
    connect(m_local, &QTcpSocket::disconnected, this, &StreamRelay::onLocalEnded);
    connect(m_local, &QTcpSocket::errorOccurred, this, [this] {
        if (m_local && m_local->state() == QAbstractSocket::UnconnectedState)
            onLocalEnded();
    });
    connect(m_stream, &ByteStream::opened, this, [this] {
        m_opened = true;
        Q_EMIT opened();
        pumpUp();
        pumpDown();
    });
    connect(m_stream, &ByteStream::readyRead, this, &StreamRelay::pumpDown);
    connect(m_stream, &ByteStream::bytesWritten, this, &StreamRelay::pumpUp);
    connect(m_stream, &ByteStream::closed, this, &StreamRelay::onStreamEnded);
    connect(m_stream, &ByteStream::failed, this, [this](const Error& e) {
        m_error = e;
        onStreamEnded();
    });
    if (m_local->state() != QAbstractSocket::ConnectedState)
        onLocalEnded();
}

void StreamRelay::stop()
{
    if (m_done)
        return;
    m_localEnded = true;
    if (m_stream && !m_stream->isFinished() && !m_streamCloseSent) {
        m_streamCloseSent = true;
        m_stream->close();
    }
    if (localConnected() && !m_localCloseSent) {
        m_localCloseSent = true;
        m_local->disconnectFromHost();
    }
    maybeFinish();
}

bool StreamRelay::localConnected() const
{
    return m_local && m_local->state() == QAbstractSocket::ConnectedState;
}

void StreamRelay::pumpUp()
{
    if (!m_stream || !m_local || m_done)
        return;
    qint64 moved = 0;
    if (m_stream->isOpen()) {
        while (m_local->bytesAvailable() > 0 && m_stream->bytesToWrite() < m_highWater) {
            const qint64 room = m_highWater - m_stream->bytesToWrite();
            const QByteArray data = m_local->read(qMin(ChunkSize, room));
            if (data.isEmpty())
                break;
            m_stream->write(data);
            moved += data.size();
        }
        m_peakStreamTx = qMax(m_peakStreamTx, m_stream->bytesToWrite());
    }
    m_up += moved;
    if (moved > 0)
        Q_EMIT transferred(moved, 0);
    // The client is gone and everything it sent is on its way: end the stream.
    if (m_localEnded && !m_streamCloseSent && m_stream->isOpen() && m_local->bytesAvailable() == 0) {
        m_streamCloseSent = true;
        m_stream->close();
    }
}

void StreamRelay::pumpDown()
{
    if (!m_stream || !m_local || m_done)
        return;
    qint64 moved = 0;
    if (localConnected()) {
        while (m_stream->bytesAvailable() > 0 && m_local->bytesToWrite() < m_highWater) {
            const qint64 room = m_highWater - m_local->bytesToWrite();
            const QByteArray data = m_stream->read(qMin(ChunkSize, room));
            if (data.isEmpty())
                break;
            m_local->write(data);
            moved += data.size();
        }
        m_peakLocalTx = qMax(m_peakLocalTx, m_local->bytesToWrite());
    }
    m_down += moved;
    if (moved > 0)
        Q_EMIT transferred(0, moved);
    // The remote end is done and everything it sent is queued to the client: close after the flush.
    if (m_streamEnded && !m_localCloseSent && m_stream->bytesAvailable() == 0 && localConnected()) {
        m_localCloseSent = true;
        QMetaObject::invokeMethod(
            m_local, [local = m_local] { local->disconnectFromHost(); }, Qt::QueuedConnection);
    }
}

void StreamRelay::onLocalEnded()
{
    m_localEnded = true;
    if (m_stream && !m_stream->isFinished()) {
        if (m_stream->isOpen()) {
            pumpUp(); // takes what the client sent before it left, then closes the stream
        } else if (!m_streamCloseSent) {
            m_streamCloseSent = true;
            m_stream->close(); // still opening: cancel
        }
    }
    maybeFinish();
}

void StreamRelay::onStreamEnded()
{
    m_streamEnded = true;
    if (m_error && !m_opened && localConnected()) {
        // Nothing ever flowed: refuse the client at once.
        m_local->abort();
    }
    pumpDown();
    if (m_error && !m_localCloseSent && localConnected() && m_stream->bytesAvailable() > 0)
        qCDebug(lcTunnel) << "flushing" << m_stream->bytesAvailable() << "bytes to the client after a tunnel error";
    maybeFinish();
}

void StreamRelay::maybeFinish()
{
    if (m_done || !m_streamEnded)
        return;
    if (m_local && m_local->state() != QAbstractSocket::UnconnectedState)
        return;
    m_done = true;
    if (m_error)
        Q_EMIT failed(*m_error);
    else
        Q_EMIT finished();
}

qint64 StreamRelay::peakStreamWriteBuffered() const
{
    return qMax(m_peakStreamTx, m_stream ? m_stream->peakSendBuffered() : 0);
}

qint64 StreamRelay::peakStreamReadBuffered() const
{
    return m_stream ? m_stream->peakReceiveBuffered() : 0;
}

} // namespace bl
