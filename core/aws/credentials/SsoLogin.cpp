#include "core/aws/credentials/SsoLogin.h"

#include "core/aws/credentials/CacheKeys.h"
#include "core/aws/credentials/PostResult.h"
#include "core/aws/http/AwsHttpClient.h"
#include "core/util/Log.h"

namespace bl {

SsoLogin::SsoLogin(SsoConfig sso, ResolvedEndpoint oidc, QString ssoCacheDirectory, AwsHttpClient& http,
                   const Clock& clock, QObject* parent)
    : QObject(parent)
    , m_sso(std::move(sso))
    , m_oidc(std::move(oidc))
    , m_cache(std::move(ssoCacheDirectory))
    , m_http(http)
    , m_clock(clock)
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &SsoLogin::poll);
}

SsoLogin::~SsoLogin() = default;

void SsoLogin::start(Callback<SsoToken> done)
{
    if (m_run) {
        postResult(this, std::move(done),
                   Result<SsoToken>(Error::make(ErrorKind::Usage, QStringLiteral("A login is already in progress"))));
        return;
    }
    m_done = std::move(done);
    m_run = new QObject(this);
    m_intervalSecs = 5;

    const QString regKey =
        CacheKeys::ssoRegistration(m_sso.startUrl, m_sso.ssoRegion, m_sso.registrationScopes, m_sso.sessionName);
    const std::optional<SsoRegistration> cached = m_cache.readRegistration(regKey);
    const QDateTime now = m_clock.nowUtc();
    if (cached && cached->expiresAt.addSecs(-RegistrationMinRemainingSecs) > now) {
        qCDebug(lcCreds) << "reusing the cached OIDC client registration";
        const SsoRegistration reg = *cached;
        QTimer::singleShot(0, m_run, [this, reg] { withRegistration(reg); });
        return;
    }

    Q_EMIT progress(QStringLiteral("Registering with IAM Identity Center (%1)…").arg(m_sso.ssoRegion));
    const QString clientName =
        QStringLiteral("botocore-client-%1")
            .arg(m_sso.sessionName.isEmpty() ? QString::number(now.toSecsSinceEpoch()) : m_sso.sessionName);
    QStringList grantTypes;
    if (!m_sso.isLegacy())
        grantTypes = {QLatin1String(SsoOidc::DeviceCodeGrant), QStringLiteral("refresh_token")};
    const AwsRequest request = SsoOidc::registerClientRequest(clientName, m_sso.registrationScopes, grantTypes);
    SsoOidc::send(m_http, m_oidc.url, request, m_run, [this, regKey](Result<AwsResponse> r) {
        Result<OidcRegistration> parsed =
            r.ok() ? SsoOidc::parseRegistration(r->body) : Result<OidcRegistration>(r.error());
        if (!parsed.ok()) {
            Error e = parsed.error();
            e.message = QStringLiteral("Cannot register with IAM Identity Center: %1").arg(e.message);
            finish(std::move(e));
            return;
        }
        SsoRegistration reg;
        reg.clientId = parsed->clientId;
        reg.clientSecret = parsed->clientSecret;
        reg.expiresAt = parsed->clientSecretExpiresAt;
        reg.scopes = m_sso.registrationScopes;
        const auto written = m_cache.writeRegistration(regKey, reg);
        if (!written.ok())
            qCWarning(lcCreds) << "cannot cache the OIDC registration:" << written.error().summary();
        withRegistration(reg);
    });
}

void SsoLogin::withRegistration(const SsoRegistration& registration)
{
    m_registration = registration;
    const AwsRequest request =
        SsoOidc::deviceAuthorizationRequest(registration.clientId, registration.clientSecret, m_sso.startUrl);
    SsoOidc::send(m_http, m_oidc.url, request, m_run, [this](Result<AwsResponse> r) {
        Result<DeviceAuthorization> parsed =
            r.ok() ? SsoOidc::parseDeviceAuthorization(r->body) : Result<DeviceAuthorization>(r.error());
        if (!parsed.ok()) {
            Error e = parsed.error();
            e.message =
                QStringLiteral("Cannot start the IAM Identity Center login for %1: %2").arg(m_sso.startUrl, e.message);
            if (e.hint.isEmpty())
                e.hint = QStringLiteral("Check sso_start_url and sso_region in the configuration.");
            finish(std::move(e));
            return;
        }
        m_device = parsed.value();
        m_intervalSecs = m_device.intervalSecs;
        m_deadline = QDeadlineTimer(qint64(m_device.expiresInSecs) * 1000);
        Q_EMIT verificationReady(m_device.verificationUri, m_device.verificationUriComplete, m_device.userCode);
        Q_EMIT progress(
            QStringLiteral("Waiting for the login to be approved in the browser (code %1)…").arg(m_device.userCode));
        poll();
    });
}

void SsoLogin::poll()
{
    if (!m_run)
        return;
    const AwsRequest request =
        SsoOidc::deviceTokenRequest(m_registration.clientId, m_registration.clientSecret, m_device.deviceCode);
    SsoOidc::send(m_http, m_oidc.url, request, m_run, [this](Result<AwsResponse> r) {
        if (r.ok()) {
            Result<OidcToken> parsed = SsoOidc::parseToken(r->body);
            if (!parsed.ok()) {
                finish(parsed.error());
                return;
            }
            SsoToken token;
            token.startUrl = m_sso.startUrl;
            token.region = m_sso.ssoRegion;
            token.accessToken = parsed->accessToken;
            token.expiresAt = m_clock.nowUtc().addSecs(parsed->expiresInSecs);
            token.refreshToken = parsed->refreshToken;
            token.clientId = m_registration.clientId;
            token.clientSecret = m_registration.clientSecret;
            token.registrationExpiresAt = m_registration.expiresAt;
            const auto written = m_cache.writeToken(m_sso.tokenKey(), token);
            if (!written.ok()) {
                Error e = written.error();
                e.message = QStringLiteral("Logged in, but cannot save the token: %1").arg(e.message);
                finish(std::move(e));
                return;
            }
            Q_EMIT progress(QStringLiteral("Logged in to %1").arg(m_sso.startUrl));
            finish(std::move(token));
            return;
        }
        const Error& e = r.error();
        const QString code = SsoOidc::oauthError(e);
        if (code == QLatin1String("authorization_pending")) {
            scheduleNextPoll();
        } else if (code == QLatin1String("slow_down")) {
            m_intervalSecs += SlowDownExtraSecs;
            qCDebug(lcCreds) << "OIDC asked to slow down; polling every" << m_intervalSecs << "s";
            scheduleNextPoll();
        } else if (code == QLatin1String("expired_token")) {
            finish(
                Error::make(ErrorKind::Credentials,
                            QStringLiteral("The login code %1 expired before it was approved").arg(m_device.userCode),
                            QStringLiteral("Run the login again and approve it in the browser within the time "
                                           "shown.")));
        } else if (code == QLatin1String("access_denied")) {
            finish(Error::make(ErrorKind::Credentials, QStringLiteral("The IAM Identity Center login was denied"),
                               QStringLiteral("Run the login again and choose Allow in the browser.")));
        } else {
            Error out = e;
            out.kind = code == QLatin1String("invalid_client") || code == QLatin1String("invalid_grant")
                ? ErrorKind::Credentials
                : out.kind;
            out.message = QStringLiteral("IAM Identity Center login failed: %1").arg(e.message);
            if (out.hint.isEmpty())
                out.hint = QStringLiteral("Run the login again.");
            finish(std::move(out));
        }
    });
}

void SsoLogin::scheduleNextPoll()
{
    const qint64 waitMs = qint64(m_intervalSecs) * 1000;
    if (m_deadline.remainingTime() < waitMs) {
        finish(Error::make(ErrorKind::Credentials,
                           QStringLiteral("The login code %1 expired before it was approved").arg(m_device.userCode),
                           QStringLiteral("Run the login again and approve it in the browser within the time shown.")));
        return;
    }
    m_pollTimer.start(static_cast<int>(waitMs));
}

void SsoLogin::cancel()
{
    if (!m_run)
        return;
    finish(Error::make(ErrorKind::Cancelled, QStringLiteral("The IAM Identity Center login was cancelled")));
}

void SsoLogin::finish(Result<SsoToken> result)
{
    m_pollTimer.stop();
    // Answers still on their way belong to the finished flow: drop them with their context.
    delete m_run;
    m_run = nullptr;
    Callback<SsoToken> done = std::move(m_done);
    m_done = nullptr;
    if (!done)
        return;
    // Always from the event loop, even when cancel() is called synchronously by the caller.
    postResult(this, std::move(done), std::move(result));
}

} // namespace bl
