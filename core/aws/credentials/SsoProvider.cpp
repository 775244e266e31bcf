#include "core/aws/credentials/SsoProvider.h"

#include "core/aws/credentials/CacheKeys.h"
#include "core/aws/credentials/PostResult.h"
#include "core/aws/credentials/SsoOidc.h"
#include "core/aws/credentials/SsoPortal.h"
#include "core/aws/credentials/StsAssumeRole.h"
#include "core/aws/credentials/Timestamps.h"
#include "core/util/Log.h"

#include <QPointer>
#include <QTimer>

namespace bl {

struct SsoProvider::Attempt
{
    QPointer<QObject> context;
    Callback<Credentials> done;

    void finish(Result<Credentials> r)
    {
        if (context)
            done(std::move(r));
    }
};

SsoProvider::SsoProvider(SsoProviderSettings settings, AwsHttpClient& http, const Clock& clock)
    : m_settings(std::move(settings))
    , m_http(http)
    , m_clock(clock)
    , m_tokens(m_settings.ssoCacheDirectory)
    , m_roleCache(m_settings.cliCacheDirectory)
{ }

SsoProvider::~SsoProvider() = default;

QString SsoProvider::roleCacheKey() const
{
    const SsoConfig& s = m_settings.sso;
    return CacheKeys::ssoRoleCredentials(s.accountId, s.roleName, s.sessionName, s.startUrl);
}

Error SsoProvider::loginNeeded(const QString& profileName, const QString& why)
{
    Error e = Error::make(ErrorKind::Credentials,
                          QStringLiteral("%1; run `bastionless-cli login --profile %2`").arg(why, profileName),
                          QStringLiteral("Log in to IAM Identity Center with `bastionless-cli login --profile %1` "
                                         "(or `aws sso login --profile %1`); both share the same login.")
                              .arg(profileName));
    return e;
}

void SsoProvider::fetch(QObject* context, Callback<Credentials> done)
{
    auto attempt = std::make_shared<Attempt>();
    attempt->context = context;
    attempt->done = std::move(done);
    const QDateTime now = m_clock.nowUtc();
    const SsoConfig& sso = m_settings.sso;

    if (!m_settings.cliCacheDirectory.isEmpty() && !m_skipRoleCache) {
        const auto cached = m_roleCache.read(roleCacheKey());
        if (cached.ok() && *cached) {
            std::optional<Credentials> c = StsAssumeRole::credentialsFromCacheJson(**cached);
            if (c && !c->expiresWithin(now, RefreshWindowSecs)) {
                if (c->accountId.isEmpty())
                    c->accountId = sso.accountId;
                c->source = QStringLiteral("profile %1 (SSO, from the CLI cache)").arg(sso.profileName);
                postResult(context, attempt->done, Result<Credentials>(*c));
                return;
            }
        }
    }

    const auto read = m_tokens.readToken(sso.tokenKey());
    if (!read.ok()) {
        postResult(context, attempt->done, Result<Credentials>(read.error()));
        return;
    }
    if (!*read) {
        postResult(context, attempt->done,
                   Result<Credentials>(loginNeeded(sso.profileName,
                                                   QStringLiteral("Not logged in to IAM Identity Center for profile "
                                                                  "%1 (no token in %2)")
                                                       .arg(sso.profileName, m_tokens.tokenPath(sso.tokenKey())))));
        return;
    }
    const SsoToken& token = **read;
    if (token.expiresAt.addSecs(-RefreshWindowSecs) <= now && token.canRefresh(now)) {
        // A refresh needs the network; deliver from the event loop like every other path.
        QTimer::singleShot(0, &m_guard, [this, attempt, token] { refreshToken(attempt, token); });
        return;
    }
    if (token.expiresAt <= now) {
        postResult(context, attempt->done,
                   Result<Credentials>(loginNeeded(sso.profileName,
                                                   QStringLiteral("SSO session expired for profile %1 (at %2)")
                                                       .arg(sso.profileName, Timestamps::formatUtc(token.expiresAt)))));
        return;
    }
    const QString accessToken = token.accessToken;
    QTimer::singleShot(0, &m_guard, [this, attempt, accessToken] { getRoleCredentials(attempt, accessToken); });
}

void SsoProvider::refreshToken(std::shared_ptr<Attempt> attempt, SsoToken token)
{
    qCDebug(lcCreds) << "refreshing the SSO token for profile" << m_settings.sso.profileName;
    const AwsRequest request = SsoOidc::refreshTokenRequest(token.clientId, token.clientSecret, token.refreshToken);
    SsoOidc::send(m_http, m_settings.oidc.url, request, &m_guard, [this, attempt, token](Result<AwsResponse> r) {
        const QDateTime now = m_clock.nowUtc();
        const QString profile = m_settings.sso.profileName;
        Result<OidcToken> parsed = r.ok() ? SsoOidc::parseToken(r->body) : Result<OidcToken>(r.error());
        if (!parsed.ok()) {
            qCWarning(lcCreds) << "SSO token refresh failed for profile" << profile << ":" << parsed.error().summary();
            if (token.expiresAt > now) {
                // Still usable for a while; the next fetch tries again.
                getRoleCredentials(attempt, token.accessToken);
                return;
            }
            attempt->finish(loginNeeded(profile,
                                        QStringLiteral("SSO session expired for profile %1 and could not "
                                                       "be refreshed (%2)")
                                            .arg(profile, parsed.error().summary())));
            return;
        }
        SsoToken updated = token;
        updated.accessToken = parsed->accessToken;
        updated.expiresAt = now.addSecs(parsed->expiresInSecs);
        if (!parsed->refreshToken.isEmpty())
            updated.refreshToken = parsed->refreshToken;
        const auto written = m_tokens.writeToken(m_settings.sso.tokenKey(), updated);
        if (!written.ok())
            qCWarning(lcCreds) << "cannot rewrite the SSO token cache:" << written.error().summary();
        getRoleCredentials(attempt, updated.accessToken);
    });
}

void SsoProvider::getRoleCredentials(std::shared_ptr<Attempt> attempt, const QString& accessToken)
{
    const SsoConfig& sso = m_settings.sso;
    SsoPortal::getRoleCredentials(
        m_http, m_settings.portal.url, accessToken, sso.accountId, sso.roleName, &m_guard,
        [this, attempt](Result<Credentials> r) {
            const SsoConfig& s = m_settings.sso;
            if (!r.ok()) {
                Error e = r.error();
                if (e.httpStatus == 401 || e.awsCode == QLatin1String("UnauthorizedException")) {
                    Error login = loginNeeded(s.profileName,
                                              QStringLiteral("SSO session expired for profile %1").arg(s.profileName));
                    login.awsCode = e.awsCode;
                    login.requestId = e.requestId;
                    login.httpStatus = e.httpStatus;
                    attempt->finish(std::move(login));
                    return;
                }
                if (e.awsCode == QLatin1String("ForbiddenException")
                    || e.awsCode == QLatin1String("ResourceNotFoundException")) {
                    e.kind = ErrorKind::Credentials;
                    e.hint = QStringLiteral("Check sso_account_id (%1) and sso_role_name (%2) in profile %3: your "
                                            "IAM Identity Center user must be assigned that permission set in "
                                            "that account.")
                                 .arg(s.accountId, s.roleName, s.profileName);
                }
                attempt->finish(std::move(e));
                return;
            }
            Credentials c = r.value();
            if (!m_settings.cliCacheDirectory.isEmpty()) {
                QJsonObject creds;
                creds.insert(QStringLiteral("AccessKeyId"), c.accessKeyId);
                creds.insert(QStringLiteral("SecretAccessKey"), c.secretAccessKey);
                creds.insert(QStringLiteral("SessionToken"), c.sessionToken);
                creds.insert(QStringLiteral("Expiration"), Timestamps::formatUtc(*c.expiration));
                creds.insert(QStringLiteral("AccountId"), s.accountId);
                QJsonObject o;
                o.insert(QStringLiteral("ProviderType"), QStringLiteral("sso"));
                o.insert(QStringLiteral("Credentials"), creds);
                const auto written = m_roleCache.write(roleCacheKey(), o);
                if (!written.ok())
                    qCWarning(lcCreds) << "cannot write the CLI cache:" << written.error().summary();
            }
            m_skipRoleCache = false;
            c.source = QStringLiteral("profile %1 (SSO)").arg(s.profileName);
            attempt->finish(std::move(c));
        });
}

void SsoProvider::invalidate()
{
    m_skipRoleCache = true;
}

QString SsoProvider::describe() const
{
    const SsoConfig& s = m_settings.sso;
    QString d = QStringLiteral("profile %1: IAM Identity Center (SSO) account %2, role %3")
                    .arg(s.profileName, s.accountId, s.roleName);
    if (s.isLegacy())
        d += QStringLiteral(", start URL %1").arg(s.startUrl);
    else
        d += QStringLiteral(", sso-session %1").arg(s.sessionName);
    return d;
}

} // namespace bl
