#include "core/ssm/SmuxSession.h"

#include "core/ssm/SmuxFrame.h"
#include "core/ssm/SsmLog.h"

#include <QTimer>

#include <cstring>
#include <limits>
#include <utility>

namespace bl {

namespace {
constexpr qint64 frameWireSize(qint64 dataSize)
{
    return SmuxFrame::HeaderSize + dataSize;
}
} // namespace

SmuxSession::SmuxSession(QObject* parent)
    : QObject(parent)
    , m_keepAlive(new QTimer(this))
{
    m_keepAlive->setInterval(DefaultKeepAliveInterval);
    connect(m_keepAlive, &QTimer::timeout, this, &SmuxSession::queueKeepAlive);
}

SmuxSession::~SmuxSession() = default;

void SmuxSession::feed(QByteArrayView bytes)
{
    if (m_failed || bytes.isEmpty())
        return;
    if (m_inFeed) {
        // A slot reacting to readyRead() fed more: parse it after the current input so frames stay in order.
        m_reentrantInput.append(bytes.data(), bytes.size());
        return;
    }
    m_inFeed = true;
    process(bytes);
    while (!m_failed && !m_reentrantInput.isEmpty()) {
        const QByteArray more = std::exchange(m_reentrantInput, {});
        process(more);
    }
    m_inFeed = false;
    if (m_consumedDuringFeed && !m_failed) {
        m_consumedDuringFeed = false;
        m_refused = false;
        Q_EMIT dataConsumed();
    }
}

void SmuxSession::process(QByteArrayView bytes)
{
    qsizetype pos = 0;
    const qsizetype size = bytes.size();
    while (pos < size && !m_failed) {
        if (m_headerFill < SmuxFrame::HeaderSize) {
            const qsizetype take = qMin<qsizetype>(SmuxFrame::HeaderSize - m_headerFill, size - pos);
            std::memcpy(m_header + m_headerFill, bytes.data() + pos, static_cast<size_t>(take));
            m_headerFill += static_cast<int>(take);
            pos += take;
            if (m_headerFill == SmuxFrame::HeaderSize) {
                handleHeader();
                if (m_frameLeft == 0)
                    m_headerFill = 0;
            }
            continue;
        }
        const qsizetype take = qMin<qsizetype>(m_frameLeft, size - pos);
        m_frameLeft -= take;
        handleData(bytes.sliced(pos, take));
        pos += take;
        if (m_frameLeft == 0)
            m_headerFill = 0;
    }
}

void SmuxSession::handleHeader()
{
    const SmuxFrame frame = SmuxFrame::decodeHeader(QByteArrayView(m_header, SmuxFrame::HeaderSize));
    if (frame.version != SmuxFrame::Version) {
        fail(QStringLiteral("The SSM agent sent an smux frame of protocol version %1; this client speaks version 1.")
                 .arg(frame.version));
        return;
    }
    if (!SmuxFrame::isV1Command(frame.command)) {
        fail(QStringLiteral("The SSM agent sent an smux frame with unknown command %1.").arg(frame.command));
        return;
    }
    m_frameCommand = frame.command;
    m_frameId = frame.streamId;
    // Only PSH carries data; a length on anything else is skipped so the byte stream stays in step.
    m_frameLeft = frame.length;

    const auto it = m_streams.find(frame.streamId);
    switch (frame.command) {
    case SmuxFrame::Syn:
        if (it == m_streams.end())
            qCDebug(lcSsm) << "smux: ignoring a stream the agent tried to open, id" << frame.streamId;
        break;
    case SmuxFrame::Fin:
        if (it != m_streams.end() && !it->second.localClosed && !it->second.remoteClosed) {
            it->second.remoteClosed = true;
            Q_EMIT remoteClosedStream(frame.streamId);
        }
        break;
    default:
        break;
    }
}

void SmuxSession::handleData(QByteArrayView data)
{
    if (m_frameCommand != SmuxFrame::Psh || data.isEmpty())
        return;
    const auto it = m_streams.find(m_frameId);
    // Data for an unknown, locally closed or finished stream is read and discarded, as smux does.
    if (it == m_streams.end() || it->second.localClosed || it->second.remoteClosed)
        return;
    it->second.in.append(data.toByteArray());
    m_buffered += data.size();
    Q_EMIT readyRead(m_frameId);
}

void SmuxSession::fail(const QString& message)
{
    if (m_failed)
        return;
    m_failed = true;
    m_keepAlive->stop();
    m_streams.clear();
    m_ready.clear();
    m_control.clear();
    m_outBytes = 0;
    m_current.clear();
    m_currentOffset = 0;
    m_currentId = 0;
    m_buffered = 0;
    m_reentrantInput.clear();
    qCWarning(lcSsm) << "smux:" << message;
    Q_EMIT failed(Error::make(ErrorKind::Parse, message,
                              QStringLiteral("The port forwarding session cannot continue; reconnect. If this keeps "
                                             "happening, note the SSM agent version and report it.")));
}

bool SmuxSession::canAccept(qint64 bytes) const
{
    if (m_failed)
        return true;
    const qint64 buffered = bufferedBytes();
    // Anything fits into an empty buffer, so one payload larger than the limit cannot stall the session forever.
    const bool ok = buffered == 0 || buffered + bytes <= ReceiveLimit;
    if (!ok)
        m_refused = true;
    return ok;
}

qint64 SmuxSession::bufferedBytes() const
{
    return m_buffered + m_reentrantInput.size();
}

quint32 SmuxSession::openStream()
{
    if (m_failed || m_nextId > std::numeric_limits<quint32>::max() - 2)
        return 0;
    m_nextId += 2;
    const quint32 id = m_nextId;
    Stream& stream = m_streams[id];
    enqueue(id, stream, SmuxFrame::Syn);
    Q_EMIT outputReady();
    return id;
}

void SmuxSession::write(quint32 id, QByteArrayView data)
{
    if (m_failed || data.isEmpty())
        return;
    const auto it = m_streams.find(id);
    if (it == m_streams.end() || it->second.localClosed) {
        qCDebug(lcSsm) << "smux: dropping a write to closed stream" << id;
        return;
    }
    Stream& stream = it->second;
    qsizetype pos = 0;
    // Coalesce into the last queued PSH of this stream while it has room; it has not been encoded yet.
    if (!stream.out.empty() && stream.out.back().command == SmuxFrame::Psh
        && stream.out.back().data.size() < MaxFrameData) {
        QByteArray& last = stream.out.back().data;
        const qsizetype take = qMin<qsizetype>(MaxFrameData - last.size(), data.size());
        last.append(data.data(), take);
        stream.outBytes += take;
        m_outBytes += take;
        pos = take;
    }
    while (pos < data.size()) {
        const qsizetype take = qMin<qsizetype>(MaxFrameData, data.size() - pos);
        enqueue(id, stream, SmuxFrame::Psh, data.sliced(pos, take).toByteArray());
        pos += take;
    }
    Q_EMIT outputReady();
}

void SmuxSession::closeStream(quint32 id)
{
    if (m_failed)
        return;
    const auto it = m_streams.find(id);
    if (it == m_streams.end() || it->second.localClosed)
        return;
    Stream& stream = it->second;
    stream.localClosed = true;
    const qint64 dropped = stream.in.size();
    stream.in.clear();
    m_buffered -= dropped;
    enqueue(id, stream, SmuxFrame::Fin);
    if (dropped > 0)
        noteConsumed();
    Q_EMIT outputReady();
}

void SmuxSession::enqueue(quint32 id, Stream& stream, quint8 command, QByteArray data)
{
    const qint64 wire = frameWireSize(data.size());
    stream.out.push_back(OutFrame {command, std::move(data)});
    stream.outBytes += wire;
    m_outBytes += wire;
    if (!stream.scheduled) {
        stream.scheduled = true;
        m_ready.push_back(id);
    }
}

qint64 SmuxSession::bytesAvailable(quint32 id) const
{
    const auto it = m_streams.find(id);
    return it == m_streams.end() ? 0 : it->second.in.size();
}

QByteArray SmuxSession::read(quint32 id, qint64 maxSize)
{
    const auto it = m_streams.find(id);
    if (it == m_streams.end() || maxSize <= 0)
        return {};
    QByteArray out = it->second.in.read(maxSize);
    m_buffered -= out.size();
    if (!out.isEmpty())
        noteConsumed();
    return out;
}

void SmuxSession::noteConsumed()
{
    if (!m_refused)
        return;
    if (m_inFeed) {
        // Emitting now would invite the data channel to feed() again while this feed() is still parsing.
        m_consumedDuringFeed = true;
        return;
    }
    m_refused = false;
    Q_EMIT dataConsumed();
}

bool SmuxSession::remoteClosed(quint32 id) const
{
    const auto it = m_streams.find(id);
    return it == m_streams.end() || it->second.remoteClosed;
}

bool SmuxSession::isOpen(quint32 id) const
{
    const auto it = m_streams.find(id);
    return it != m_streams.end() && !it->second.localClosed;
}

qint64 SmuxSession::pendingOutput() const
{
    return m_outBytes + (m_current.size() - m_currentOffset);
}

qint64 SmuxSession::pendingOutput(quint32 id) const
{
    const auto it = m_streams.find(id);
    if (it == m_streams.end())
        return 0;
    const qint64 partial = (id == m_currentId) ? m_current.size() - m_currentOffset : 0;
    return it->second.outBytes + partial;
}

QByteArray SmuxSession::takeOutput(qint64 maxBytes)
{
    QByteArray out;
    if (m_failed || maxBytes <= 0)
        return out;
    out.reserve(qMin(maxBytes, pendingOutput()));
    while (out.size() < maxBytes) {
        if (m_currentOffset >= m_current.size() && !startNextFrame())
            break;
        const qsizetype take = qMin<qsizetype>(maxBytes - out.size(), m_current.size() - m_currentOffset);
        out.append(m_current.constData() + m_currentOffset, take);
        m_currentOffset += take;
        if (m_currentOffset == m_current.size()) {
            m_current.clear();
            m_currentOffset = 0;
            forgetIfDone(std::exchange(m_currentId, 0));
        }
    }
    return out;
}

bool SmuxSession::startNextFrame()
{
    if (!m_control.empty()) {
        OutFrame frame = std::move(m_control.front());
        m_control.pop_front();
        m_current = SmuxFrame::encode(frame.command, 0, frame.data);
        m_outBytes -= m_current.size();
        m_currentOffset = 0;
        m_currentId = 0;
        return true;
    }
    while (!m_ready.empty()) {
        const quint32 id = m_ready.front();
        m_ready.pop_front();
        const auto it = m_streams.find(id);
        if (it == m_streams.end())
            continue;
        Stream& stream = it->second;
        stream.scheduled = false;
        if (stream.out.empty())
            continue;
        OutFrame frame = std::move(stream.out.front());
        stream.out.pop_front();
        m_current = SmuxFrame::encode(frame.command, id, frame.data);
        m_currentOffset = 0;
        m_currentId = id;
        stream.outBytes -= m_current.size();
        m_outBytes -= m_current.size();
        // Back of the line: the next frame goes to another stream if one is waiting.
        if (!stream.out.empty()) {
            stream.scheduled = true;
            m_ready.push_back(id);
        }
        return true;
    }
    return false;
}

void SmuxSession::forgetIfDone(quint32 id)
{
    const auto it = m_streams.find(id);
    if (it != m_streams.end() && it->second.localClosed && it->second.out.empty())
        m_streams.erase(it);
}

void SmuxSession::setKeepAlive(bool enabled)
{
    if (enabled && !m_failed)
        m_keepAlive->start();
    else
        m_keepAlive->stop();
}

void SmuxSession::setKeepAliveInterval(std::chrono::milliseconds interval)
{
    m_keepAlive->setInterval(interval);
}

void SmuxSession::queueKeepAlive()
{
    // One NOP in the queue is enough: if the output is not being drained, more would only pile up.
    if (m_failed || !m_control.empty())
        return;
    m_control.push_back(OutFrame {SmuxFrame::Nop, {}});
    m_outBytes += frameWireSize(0);
    Q_EMIT outputReady();
}

} // namespace bl
