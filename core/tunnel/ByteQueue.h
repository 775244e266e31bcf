#pragma once
// ByteQueue: a FIFO of bytes kept as a list of chunks, so that appending and consuming from the front cost
// no copies of the rest. The tunnel's bounded buffers (received WebSocket payload, pending stdout) use it.

#include <QByteArray>
#include <QList>

namespace bl {

class ByteQueue
{
public:
    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }

    void append(const QByteArray& data);
    // Removes and returns up to maxSize bytes from the front.
    QByteArray read(qsizetype maxSize);
    // The first contiguous run of bytes (may be shorter than size()); empty when the queue is empty.
    QByteArray front() const;
    // Drops n bytes (n <= size()) from the front.
    void skip(qsizetype n);
    void clear();

private:
    QList<QByteArray> m_chunks;
    qsizetype m_offset = 0; // already consumed bytes of m_chunks.first()
    qsizetype m_size = 0;
};

} // namespace bl
