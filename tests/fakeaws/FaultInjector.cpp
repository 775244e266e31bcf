#include "FaultInjector.h"

#include <QDeadlineTimer>
#include <QRandomGenerator>

namespace fakeaws {

namespace {

struct NamedFault
{
    const char* name;
    FaultInjector::Fault fault;
};

const NamedFault kNames[] = {
    {"throttle", FaultInjector::Fault::Throttle},      {"500", FaultInjector::Fault::InternalError},
    {"503", FaultInjector::Fault::ServiceUnavailable}, {"truncated", FaultInjector::Fault::TruncatedBody},
    {"garbage", FaultInjector::Fault::GarbageBody},    {"html", FaultInjector::Fault::HtmlErrorPage},
    {"drop", FaultInjector::Fault::DropConnection},
};

qint64 monotonicMs()
{
    return QDeadlineTimer::current().deadline();
}

} // namespace

QString FaultInjector::faultName(Fault fault)
{
    for (const NamedFault& n : kNames) {
        if (n.fault == fault)
            return QLatin1String(n.name);
    }
    return QStringLiteral("none");
}

std::optional<FaultInjector::Fault> FaultInjector::faultFromName(const QString& name)
{
    for (const NamedFault& n : kNames) {
        if (name.compare(QLatin1String(n.name), Qt::CaseInsensitive) == 0)
            return n.fault;
    }
    return std::nullopt;
}

void FaultInjector::failNext(int count, Fault fault, const QString& action)
{
    if (count > 0 && fault != Fault::None)
        m_queue.append({fault, count, action});
}

void FaultInjector::setThrottleRate(double perSecond, int burst)
{
    m_ratePerSecond = qMax(0.0, perSecond);
    m_burst = qMax(1, burst);
    m_tokens = m_burst;
    m_lastRefillMs = monotonicMs();
}

void FaultInjector::clearFaults()
{
    m_queue.clear();
    m_ratePerSecond = 0;
    m_latencyMs = 0;
    m_actionLatencyMs.clear();
}

QDateTime FaultInjector::now() const
{
    return QDateTime::currentDateTimeUtc().addSecs(m_clockOffsetSecs);
}

void FaultInjector::countOnly(const QString& action)
{
    ++m_total;
    if (!action.isEmpty())
        ++m_perAction[action];
}

FaultInjector::Decision FaultInjector::next(const QString& action)
{
    countOnly(action);
    Decision d;
    d.latencyMs = m_actionLatencyMs.value(action, m_latencyMs);
    for (qsizetype i = 0; i < m_queue.size(); ++i) {
        Queued& q = m_queue[i];
        if (!q.action.isEmpty() && q.action != action)
            continue;
        d.fault = q.fault;
        if (--q.remaining <= 0)
            m_queue.removeAt(i);
        break;
    }
    if (d.fault == Fault::None && rateLimited())
        d.fault = Fault::Throttle;
    if (d.fault != Fault::None)
        ++m_faultsInjected;
    return d;
}

bool FaultInjector::rateLimited()
{
    if (m_ratePerSecond <= 0)
        return false;
    const qint64 nowMs = monotonicMs();
    m_tokens = qMin(m_burst, m_tokens + (nowMs - m_lastRefillMs) * m_ratePerSecond / 1000.0);
    m_lastRefillMs = nowMs;
    if (m_tokens >= 1.0) {
        m_tokens -= 1.0;
        return false;
    }
    return true;
}

void FaultInjector::resetCounters()
{
    m_total = 0;
    m_faultsInjected = 0;
    m_perAction.clear();
}

HttpResponse FaultInjector::malform(const HttpResponse& response, Fault fault)
{
    HttpResponse out = response;
    switch (fault) {
    case Fault::TruncatedBody:
        out.body = response.body.left(response.body.size() / 2);
        break;
    case Fault::GarbageBody: {
        QByteArray junk(qMax<qsizetype>(64, response.body.size()), Qt::Uninitialized);
        for (char& c : junk)
            c = static_cast<char>(QRandomGenerator::global()->bounded(256));
        out.body = junk;
        break;
    }
    case Fault::HtmlErrorPage:
        out.status = 502;
        out.contentType = QByteArrayLiteral("text/html");
        out.body = QByteArrayLiteral("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                                     "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n");
        out.headers.clear();
        break;
    default:
        break;
    }
    return out;
}

} // namespace fakeaws
