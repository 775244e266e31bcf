#pragma once
// Wraps any provider: answers from memory while the credentials have more than 15 minutes left, refreshes
// when fewer remain (advisory: a failed refresh keeps the still-valid credentials) and must refresh when
// fewer than 10 minutes remain (mandatory: a failure is reported). Concurrent fetches share one refresh.

#include "core/aws/credentials/CredentialsProvider.h"
#include "core/util/Clock.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>
#include <vector>

namespace bl {

class CachingProvider final : public CredentialsProvider
{
public:
    static constexpr qint64 AdvisoryRefreshSecs = 15 * 60;
    static constexpr qint64 MandatoryRefreshSecs = 10 * 60;
    // After a failed advisory refresh, wait this long before trying again (the old credentials still work).
    static constexpr qint64 AdvisoryRetrySecs = 60;

    CachingProvider(std::unique_ptr<CredentialsProvider> inner, const Clock& clock);
    ~CachingProvider() override;

    void fetch(QObject* context, Callback<Credentials> done) override;
    void invalidate() override;
    QString describe() const override { return m_inner->describe(); }

    CredentialsProvider& inner() { return *m_inner; }
    // Number of fetches passed to the inner provider (tests, diagnostics).
    int innerFetchCount() const { return m_innerFetches; }

private:
    struct Waiter
    {
        QPointer<QObject> context;
        Callback<Credentials> done;
        quint64 generation = 0;
    };
    void startRefresh();
    void refreshed(Result<Credentials> result, quint64 generation);

    std::unique_ptr<CredentialsProvider> m_inner;
    const Clock& m_clock;
    std::optional<Credentials> m_cached;
    std::vector<Waiter> m_waiters;
    bool m_refreshing = false; // a refresh for the current generation is under way
    quint64 m_generation = 0;
    QDateTime m_lastAdvisoryFailure;
    int m_innerFetches = 0;
    QObject m_guard; // context of the inner fetch; declared last so it dies first
};

} // namespace bl
