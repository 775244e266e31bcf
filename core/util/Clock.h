#pragma once
// Time is injected: signing, credential expiry and retries ask a Clock, so tests can pin or skew it.
// ClockSkew holds the offset between the local clock and AWS's, learnt from response Date headers.

#include <QDateTime>

#include <atomic>

namespace bl {

class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime nowUtc() const = 0;
};

class SystemClock final : public Clock
{
public:
    QDateTime nowUtc() const override { return QDateTime::currentDateTimeUtc(); }
};

// A clock that always answers the same instant (tests).
class FixedClock final : public Clock
{
public:
    explicit FixedClock(QDateTime t)
        : m_t(std::move(t))
    { }
    QDateTime nowUtc() const override { return m_t; }
    void set(QDateTime t) { m_t = std::move(t); }
    void advance(qint64 secs) { m_t = m_t.addSecs(secs); }

private:
    QDateTime m_t;
};

// Offset (server time minus local time) applied when signing.
class ClockSkew
{
public:
    qint64 offsetMs() const { return m_offsetMs.load(); }
    void setOffsetMs(qint64 ms) { m_offsetMs.store(ms); }
    QDateTime corrected(const QDateTime& localUtc) const { return localUtc.addMSecs(offsetMs()); }

    // Learns from a response's Date header (RFC 1123). Returns true when the offset changed, i.e. when
    // the server's time differs from our corrected time by more than thresholdSecs.
    bool observeServerDate(const QByteArray& httpDate, const QDateTime& localUtc, int thresholdSecs = 60);

    static QDateTime parseHttpDate(const QByteArray& httpDate);

private:
    std::atomic<qint64> m_offsetMs {0};
};

} // namespace bl
