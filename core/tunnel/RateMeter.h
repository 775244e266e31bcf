#pragma once
// RateMeter: bytes per second over a sliding window, from timestamped byte counts, for the tunnels panel's
// "current rate". Time is passed in (monotonic milliseconds), so it is tested without waiting.

#include <QList>

namespace bl {

class RateMeter
{
public:
    explicit RateMeter(qint64 windowMs = 2000, int buckets = 20);

    void add(qint64 nowMs, qint64 bytes);
    // Bytes per second over the last window (or since the first add(), when that is more recent).
    double bytesPerSecond(qint64 nowMs) const;

private:
    struct Bucket
    {
        qint64 index = -1; // nowMs / bucketMs
        qint64 bytes = 0;
    };
    qint64 m_bucketMs;
    QList<Bucket> m_buckets;
    qint64 m_startMs = -1;
};

} // namespace bl
