#pragma once
// A fakeaws server plus any number of AwsSessions pointed at it, each with its own (possibly wrong)
// credentials, for the inventory and desktop-app tests. Retries back off for zero seconds so injected
// faults cost no time.

#include "tests/fakeaws/FakeAws.h"

#include "core/aws/api/AwsSession.h"
#include "core/aws/credentials/StaticProvider.h"
#include "core/inventory/InventoryTypes.h"

#include <memory>
#include <optional>
#include <vector>

namespace inventorytest {

class FakeAwsSessions
{
public:
    explicit FakeAwsSessions(std::optional<fakeaws::Fleet> fleet = std::nullopt)
    {
        fakeaws::FakeAwsOptions options;
        options.fleet = std::move(fleet);
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
        m_config = *config;
        m_http = std::make_unique<bl::AwsHttpClient>(bl::HttpSettings::fromEnvironment(m_env), m_clock, m_skew);
        m_http->setRandomSource([] { return 0.0; });
    }

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    fakeaws::FakeAws& fake() { return *m_fake; }
    fakeaws::Fleet& fleet() { return m_fake->fleet(); }
    const QProcessEnvironment& env() const { return m_env; }
    qint64 requests(const char* action) const { return m_fake->faults().requestCount(QLatin1String(action)); }

    // A session with the emulator's default identity, or with the given credentials.
    bl::AwsSession& addSession(const QString& profile, std::optional<bl::Credentials> credentials = std::nullopt)
    {
        auto creds = std::make_unique<bl::StaticProvider>(credentials ? *credentials : m_fake->defaultCredentials(),
                                                          QStringLiteral("test"));
        m_sessions.push_back(
            std::make_unique<bl::AwsSession>(m_config, profile, m_fake->region(), m_env, *m_http, std::move(creds)));
        return *m_sessions.back();
    }

    bl::InventorySource source(bl::AwsSession& session, const QStringList& regions = {})
    {
        bl::InventorySource s;
        s.session = &session;
        s.label = session.profileName();
        s.cliProfile = session.profileName();
        s.regions = regions;
        return s;
    }

    // The ids of the fleet's instances in enabled regions (what a full listing returns).
    QStringList listableIds()
    {
        QStringList out;
        for (const fakeaws::Instance& i : fleet().instances()) {
            const fakeaws::Region* r = fleet().region(i.region);
            if (r && r->isEnabled())
                out.append(i.id);
        }
        return out;
    }

    QString idOf(const QString& name)
    {
        for (const fakeaws::Instance& i : fleet().instances()) {
            if (i.name() == name)
                return i.id;
        }
        return {};
    }

private:
    bl::SystemClock m_clock;
    bl::ClockSkew m_skew;
    std::unique_ptr<fakeaws::FakeAws> m_fake;
    QProcessEnvironment m_env;
    bl::AwsConfig m_config;
    std::unique_ptr<bl::AwsHttpClient> m_http;
    std::vector<std::unique_ptr<bl::AwsSession>> m_sessions;
    QString m_error;
};

} // namespace inventorytest
