#pragma once
// Logs a person in to IAM Identity Center with the OAuth device flow (PROTOCOLS.md §2.6): registers (or
// reuses the cached registration of) an OIDC client, starts a device authorization, announces the URL and
// user code to show, polls CreateToken at the given interval (slower on slow_down), and writes the token
// to ~/.aws/sso/cache exactly as `aws sso login` does, so both tools share the login. Cancellable.

#include "core/aws/base/Endpoints.h"
#include "core/aws/credentials/SsoConfig.h"
#include "core/aws/credentials/SsoOidc.h"
#include "core/aws/credentials/SsoTokenCache.h"
#include "core/util/Clock.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace bl {

class AwsHttpClient;

class SsoLogin : public QObject
{
    Q_OBJECT
public:
    static constexpr int SlowDownExtraSecs = 5;
    static constexpr qint64 RegistrationMinRemainingSecs = 15 * 60;

    SsoLogin(SsoConfig sso, ResolvedEndpoint oidc, QString ssoCacheDirectory, AwsHttpClient& http, const Clock& clock,
             QObject* parent = nullptr);
    ~SsoLogin() override;

    // Runs the whole flow; done gets the written token, or an Error (Cancelled after cancel(), Credentials when
    // the code expired unapproved, Credentials when the person denied it). One flow at a time.
    void start(Callback<SsoToken> done);
    void cancel();
    bool isRunning() const { return m_run != nullptr; }
    // Current poll interval (grows by 5 s on slow_down).
    int pollIntervalSecs() const { return m_intervalSecs; }

Q_SIGNALS:
    // Show userCode and open verificationUriComplete (or verificationUri, where the code is typed).
    void verificationReady(const QString& verificationUri, const QString& verificationUriComplete,
                           const QString& userCode);
    // Short status lines for a person ("Registering…", "Waiting for approval…").
    void progress(const QString& message);

private:
    void withRegistration(const SsoRegistration& registration);
    void poll();
    void scheduleNextPoll();
    void finish(Result<SsoToken> result);

    SsoConfig m_sso;
    ResolvedEndpoint m_oidc;
    SsoTokenCache m_cache;
    AwsHttpClient& m_http;
    const Clock& m_clock;

    Callback<SsoToken> m_done;
    QObject* m_run = nullptr; // context of the current flow's calls; deleting it drops their answers
    SsoRegistration m_registration;
    DeviceAuthorization m_device;
    int m_intervalSecs = 5;
    QDeadlineTimer m_deadline;
    QTimer m_pollTimer;
};

} // namespace bl
