#pragma once
// Makes fakeaws misbehave on purpose, the ways AWS does: slow answers, throttling bursts and rate limits,
// 5xx errors, broken bodies, dropped connections and a server clock that is off. Also counts requests, for
// tests ("exactly one DescribeInstances per region") and the benchmark. Decisions are pure bookkeeping;
// the router applies them (latency with timers, never by blocking).

#include "FakeHttp.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace fakeaws {

class FaultInjector
{
public:
    enum class Fault {
        None,
        Throttle, // the protocol's throttling error
        InternalError, // HTTP 500 in the protocol's shape
        ServiceUnavailable, // HTTP 503 in the protocol's shape
        TruncatedBody, // the real answer, cut in the middle
        GarbageBody, // the real status and content type, random bytes as body
        HtmlErrorPage, // 502 text/html, as a load balancer or proxy would answer
        DropConnection, // close the connection without answering
    };

    struct Decision
    {
        int latencyMs = 0;
        Fault fault = Fault::None;
    };

    static QString faultName(Fault fault);
    static std::optional<Fault> faultFromName(const QString& name); // "throttle", "500", "503", "truncated",
                                                                    // "garbage", "html", "drop"

    // Latency added to every answer; an action-specific value replaces the global one for that action.
    void setLatencyMs(int ms) { m_latencyMs = qMax(0, ms); }
    void setLatencyMs(const QString& action, int ms) { m_actionLatencyMs.insert(action, qMax(0, ms)); }
    int latencyMs() const { return m_latencyMs; }
    int latencyFor(const QString& action) const { return m_actionLatencyMs.value(action, m_latencyMs); }

    // The next `count` matching calls (action empty = any call) get `fault`. Queued faults apply in order.
    void failNext(int count, Fault fault, const QString& action = {});
    void throttleNext(int count, const QString& action = {}) { failNext(count, Fault::Throttle, action); }
    // Token bucket over all calls: beyond `burst` calls, more than perSecond calls per second are throttled.
    // perSecond <= 0 switches it off.
    void setThrottleRate(double perSecond, int burst);
    void clearFaults();

    // The server clock is the system clock plus this offset (tests of clock-skew handling).
    void setClockOffsetSecs(qint64 secs) { m_clockOffsetSecs = secs; }
    qint64 clockOffsetSecs() const { return m_clockOffsetSecs; }
    QDateTime now() const;

    // Called once per request by the router: counts it and decides what happens to it.
    Decision next(const QString& action);
    void countOnly(const QString& action);

    qint64 totalRequests() const { return m_total; }
    qint64 requestCount(const QString& action) const { return m_perAction.value(action); }
    QHash<QString, qint64> requestCounts() const { return m_perAction; }
    qint64 faultsInjected() const { return m_faultsInjected; }
    void resetCounters();

    // The fault applied to a real answer (the malformed kinds); the error kinds are ProtocolErrors' job.
    static HttpResponse malform(const HttpResponse& response, Fault fault);

private:
    struct Queued
    {
        Fault fault;
        int remaining;
        QString action;
    };
    bool rateLimited();

    int m_latencyMs = 0;
    QHash<QString, int> m_actionLatencyMs;
    QList<Queued> m_queue;
    double m_ratePerSecond = 0;
    double m_burst = 0;
    double m_tokens = 0;
    qint64 m_lastRefillMs = 0;
    qint64 m_clockOffsetSecs = 0;
    qint64 m_total = 0;
    qint64 m_faultsInjected = 0;
    QHash<QString, qint64> m_perAction;
};

} // namespace fakeaws
