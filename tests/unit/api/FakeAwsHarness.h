#pragma once
// A fakeaws server plus an AwsSession pointed at it with the default identity, for the client tests.
// Retries back off for zero seconds so injected faults do not slow the tests down.

#include "tests/fakeaws/FakeAws.h"

#include "core/aws/api/AwsSession.h"
#include "core/aws/credentials/StaticProvider.h"

#include <QTest>

#include <memory>
#include <optional>

namespace apitest {

class FakeAwsHarness
{
public:
    explicit FakeAwsHarness(std::optional<fakeaws::Fleet> fleet = std::nullopt,
                            const QString& region = QStringLiteral("us-east-1"))
    {
        fakeaws::FakeAwsOptions options;
        options.fleet = std::move(fleet);
        options.region = region;
        m_fake = std::make_unique<fakeaws::FakeAws>(options);
        const auto started = m_fake->start();
        if (!started) {
            m_error = started.error().toString();
            return;
        }
        m_env = m_fake->clientEnvironment();
        auto config = bl::AwsConfig::load(m_env);
        if (!config) {
            m_error = config.error().toString();
            return;
        }
        m_http = std::make_unique<bl::AwsHttpClient>(bl::HttpSettings::fromEnvironment(m_env), m_clock, m_skew);
        m_http->setRandomSource([] { return 0.0; });
        auto creds = std::make_unique<bl::StaticProvider>(m_fake->defaultCredentials(), QStringLiteral("fakeaws"));
        m_session = std::make_unique<bl::AwsSession>(*config, QStringLiteral("default"), region, m_env, *m_http,
                                                     std::move(creds));
    }

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    fakeaws::FakeAws& fake() { return *m_fake; }
    fakeaws::Fleet& fleet() { return m_fake->fleet(); }
    bl::AwsSession& session() { return *m_session; }
    qint64 requests(const char* action) const { return m_fake->faults().requestCount(QLatin1String(action)); }

private:
    bl::SystemClock m_clock;
    bl::ClockSkew m_skew;
    std::unique_ptr<fakeaws::FakeAws> m_fake;
    QProcessEnvironment m_env;
    std::unique_ptr<bl::AwsHttpClient> m_http;
    std::unique_ptr<bl::AwsSession> m_session;
    QString m_error;
};

// Runs an asynchronous call and waits (bounded) for its callback.
template<typename T, typename Start>
std::optional<bl::Result<T>> await(Start start, int timeoutMs = 20000)
{
    // Shared, so a callback arriving after a timeout writes somewhere valid.
    auto out = std::make_shared<std::optional<bl::Result<T>>>();
    start([out](bl::Result<T> r) { out->emplace(std::move(r)); });
    if (!QTest::qWaitFor([out] { return out->has_value(); }, timeoutMs))
        qWarning("no answer within %d ms", timeoutMs);
    return *out;
}

} // namespace apitest
