#include "core/tunnel/RateMeter.h"

namespace bl {

RateMeter::RateMeter(qint64 windowMs, int buckets)
    : m_bucketMs(qMax<qint64>(1, windowMs / qMax(1, buckets)))
    , m_buckets(qMax(1, buckets))
{ }

void RateMeter::add(qint64 nowMs, qint64 bytes)
{
    if (m_startMs < 0)
        m_startMs = nowMs;
    const qint64 index = nowMs / m_bucketMs;
    Bucket& b = m_buckets[index % m_buckets.size()];
    if (b.index != index) {
        b.index = index;
        b.bytes = 0;
    }
    b.bytes += bytes;
}

double RateMeter::bytesPerSecond(qint64 nowMs) const
{
    if (m_startMs < 0)
        return 0.0;
    const qint64 current = nowMs / m_bucketMs;
    const qint64 oldest = current - m_buckets.size() + 1;
    qint64 sum = 0;
    for (const Bucket& b : m_buckets) {
        if (b.index >= oldest && b.index <= current)
            sum += b.bytes;
    }
    // The window starts at the oldest bucket's start, or at the first sample if that is later.
    const qint64 windowStart = qMax(oldest * m_bucketMs, m_startMs);
    const qint64 spanMs = qMax<qint64>(nowMs - windowStart, m_bucketMs);
    return static_cast<double>(sum) * 1000.0 / static_cast<double>(spanMs);
}

} // namespace bl
