#include "core/tunnel/ByteQueue.h"

namespace bl {

void ByteQueue::append(const QByteArray& data)
{
    if (data.isEmpty())
        return;
    m_chunks.append(data);
    m_size += data.size();
}

QByteArray ByteQueue::read(qsizetype maxSize)
{
    const qsizetype n = qMin(maxSize, m_size);
    if (n <= 0)
        return {};
    // The common case hands out a whole chunk without copying.
    if (m_offset == 0 && m_chunks.first().size() == n) {
        m_size -= n;
        return m_chunks.takeFirst();
    }
    QByteArray out;
    out.reserve(n);
    while (out.size() < n) {
        const QByteArray& chunk = m_chunks.first();
        const qsizetype take = qMin(n - out.size(), chunk.size() - m_offset);
        out.append(chunk.constData() + m_offset, take);
        skip(take);
    }
    return out;
}

QByteArray ByteQueue::front() const
{
    if (m_chunks.isEmpty())
        return {};
    return m_offset == 0 ? m_chunks.first() : m_chunks.first().mid(m_offset);
}

void ByteQueue::skip(qsizetype n)
{
    n = qMin(n, m_size);
    m_size -= n;
    while (n > 0) {
        const qsizetype left = m_chunks.first().size() - m_offset;
        if (n >= left) {
            n -= left;
            m_chunks.removeFirst();
            m_offset = 0;
        } else {
            m_offset += n;
            n = 0;
        }
    }
}

void ByteQueue::clear()
{
    m_chunks.clear();
    m_offset = 0;
    m_size = 0;
}

} // namespace bl
