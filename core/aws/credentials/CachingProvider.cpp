#include "core/aws/credentials/CachingProvider.h"

#include "core/aws/credentials/PostResult.h"
#include "core/util/Log.h"

namespace bl {

CachingProvider::CachingProvider(std::unique_ptr<CredentialsProvider> inner, const Clock& clock)
    : m_inner(std::move(inner))
    , m_clock(clock)
{ }

CachingProvider::~CachingProvider() = default;

void CachingProvider::fetch(QObject* context, Callback<Credentials> done)
{
    const QDateTime now = m_clock.nowUtc();
    if (m_cached && !m_cached->expiresWithin(now, AdvisoryRefreshSecs)) {
        postResult(context, std::move(done), Result<Credentials>(*m_cached));
        return;
    }
    if (m_cached && !m_cached->expiresWithin(now, MandatoryRefreshSecs) && m_lastAdvisoryFailure.isValid()
        && m_lastAdvisoryFailure.secsTo(now) < AdvisoryRetrySecs) {
        // A refresh just failed; do not hammer the source while the old credentials are good.
        postResult(context, std::move(done), Result<Credentials>(*m_cached));
        return;
    }
    m_waiters.push_back(Waiter {context, std::move(done), m_generation});
    if (!m_refreshing)
        startRefresh();
}

void CachingProvider::startRefresh()
{
    m_refreshing = true;
    ++m_innerFetches;
    const quint64 generation = m_generation;
    m_inner->fetch(&m_guard, [this, generation](Result<Credentials> r) { refreshed(std::move(r), generation); });
}

void CachingProvider::refreshed(Result<Credentials> result, quint64 generation)
{
    const bool current = generation == m_generation;
    const QDateTime now = m_clock.nowUtc();
    std::optional<Result<Credentials>> answer;
    if (current) {
        m_refreshing = false;
        if (result.ok()) {
            m_cached = result.value();
            m_lastAdvisoryFailure = QDateTime();
        } else if (m_cached && !m_cached->expiresWithin(now, MandatoryRefreshSecs)) {
            qCWarning(lcCreds) << "advisory credential refresh failed; using the current credentials until"
                               << m_cached->expiration.value_or(QDateTime()) << ":" << result.error().summary();
            m_lastAdvisoryFailure = now;
            answer = Result<Credentials>(*m_cached);
        }
    }
    // A fetch that started before invalidate() may carry what was just declared bad: it goes to those who
    // asked before the invalidation, but is not kept.
    if (!answer)
        answer = std::move(result);

    std::vector<Waiter> waiters;
    for (auto it = m_waiters.begin(); it != m_waiters.end();) {
        if (it->generation == generation) {
            waiters.push_back(std::move(*it));
            it = m_waiters.erase(it);
        } else {
            ++it;
        }
    }
    // Callbacks may call fetch() again; everything above is already consistent.
    for (Waiter& w : waiters) {
        if (w.context)
            w.done(*answer);
    }
}

void CachingProvider::invalidate()
{
    m_cached.reset();
    m_lastAdvisoryFailure = QDateTime();
    ++m_generation;
    m_inner->invalidate();
    // A refresh already under way keeps its waiters; its result will not be cached.
    m_refreshing = false;
}

} // namespace bl
