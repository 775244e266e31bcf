#include "core/aws/api/AwsSession.h"

#include "core/util/Log.h"

#include <QPointer>
#include <QTimer>

namespace bl {

AwsSession::AwsSession(AwsConfig config, QString profileName, QString region, QProcessEnvironment env,
                       AwsHttpClient& http, std::unique_ptr<CredentialsProvider> credentials, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_profileName(std::move(profileName))
    , m_region(std::move(region))
    , m_env(std::move(env))
    , m_http(http)
    , m_credentials(std::move(credentials))
{ }

AwsSession::~AwsSession() = default;

bool AwsSession::fips() const
{
    return useFips(m_env, profile());
}

Result<ResolvedEndpoint> AwsSession::endpoint(const QString& serviceId, const QString& region) const
{
    return resolveEndpoint(serviceId, region.isEmpty() ? m_region : region, m_config, profile(), m_env);
}

void AwsSession::call(const QString& serviceId, const QString& region, const AwsRequest& request, QObject* context,
                      Callback<AwsResponse> done)
{
    send(serviceId, region, request, context, std::move(done), true);
}

namespace {

bool isExpiredCredentials(const Error& e)
{
    return e.awsCode == QLatin1String("ExpiredToken") || e.awsCode == QLatin1String("ExpiredTokenException")
        || (e.awsCode == QLatin1String("RequestExpired")
            && e.message.contains(QLatin1String("token"), Qt::CaseInsensitive));
}

} // namespace

void AwsSession::send(const QString& serviceId, const QString& region, const AwsRequest& request, QObject* context,
                      Callback<AwsResponse> done, bool mayRetryExpired)
{
    QPointer<QObject> ctx = context;
    const bool hasContext = context != nullptr;
    auto alive = [ctx, hasContext] { return !hasContext || ctx; };

    auto ep = endpoint(serviceId, region);
    if (!ep) {
        QTimer::singleShot(0, this, [done, err = ep.error(), alive] {
            if (alive())
                done(err);
        });
        return;
    }
    const ResolvedEndpoint resolved = ep.value();

    auto sendWith = [this, serviceId, region, request, ctx, done, mayRetryExpired, resolved,
                     alive](const std::optional<Credentials>& creds) {
        if (!alive())
            return;
        m_http.send(request, resolved.url, resolved.signingRegion, creds, this,
                    [this, serviceId, region, request, ctx, done, mayRetryExpired, alive](Result<AwsResponse> r) {
                        if (!alive())
                            return;
                        if (!r && mayRetryExpired && request.sign && isExpiredCredentials(r.error())) {
                            qCInfo(lcAws) << "credentials expired; resolving them again for" << request.operation;
                            m_credentials->invalidate();
                            send(serviceId, region, request, ctx, done, false);
                            return;
                        }
                        done(std::move(r));
                    });
    };

    if (!request.sign) {
        sendWith(std::nullopt);
        return;
    }
    m_credentials->fetch(this, [sendWith, done, alive](Result<Credentials> creds) {
        if (!alive())
            return;
        if (!creds) {
            done(creds.error());
            return;
        }
        sendWith(creds.value());
    });
}

} // namespace bl
