#pragma once
// The one HTTP path to AWS: builds the request, signs it (SigV4) with skew-corrected time, sends it over
// QNetworkAccessManager with the configured trust store (AWS_CA_BUNDLE / ca_bundle) and proxy
// (HTTPS_PROXY / NO_PROXY), retries throttling, 5xx and connection errors with jittered exponential
// backoff, corrects clock skew from the response Date header, and turns AWS error bodies into typed Errors
// with an actionable hint.

#include "core/aws/base/Credentials.h"
#include "core/util/Clock.h"
#include "core/util/Result.h"

#include <QList>
#include <QObject>
#include <QPair>
#include <QProcessEnvironment>
#include <QSslConfiguration>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace bl {

enum class AwsProtocol {
    Ec2Query, // EC2: form POST, XML, <Response><Errors><Error>, RequestID
    Query, // STS: form POST, XML, <ErrorResponse><Error>, RequestId
    Json, // JSON 1.1: SSM, EC2 Instance Connect; {"__type": ..., "message": ...}
    RestJson, // SSO portal and OIDC: JSON, x-amzn-ErrorType or {"error": ...}
};

struct AwsRequest
{
    QString signingName; // "ec2", "sts", "ssm", "ec2-instance-connect"; ignored when !sign
    QString operation; // "DescribeInstances" — used in logs and in hints (IAM action)
    QString iamAction; // e.g. "ec2:DescribeInstances", named by UnauthorizedOperation hints
    AwsProtocol protocol = AwsProtocol::Ec2Query;
    QByteArray method = "POST";
    QByteArray path = "/"; // appended to the endpoint's path
    QList<QPair<QByteArray, QByteArray>> query; // decoded
    QList<QPair<QByteArray, QByteArray>> headers; // e.g. Content-Type, X-Amz-Target
    QByteArray body;
    bool sign = true;
};

struct AwsResponse
{
    int status = 0;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString requestId;
    int attempts = 1;
    QByteArray header(const QByteArray& name) const; // case-insensitive
};

struct HttpSettings
{
    QString caBundlePath; // AWS_CA_BUNDLE or profile ca_bundle; empty = system trust store
    QString httpsProxy; // HTTPS_PROXY / https_proxy (HTTP_PROXY as fallback)
    QString noProxy; // NO_PROXY / no_proxy
    int maxAttempts = 3; // AWS_MAX_ATTEMPTS
    int requestTimeoutMs = 30000;
    int maxBackoffMs = 20000; // cap of the exponential backoff
    QByteArray userAgent = "bastionless/" BL_VERSION;

    // Reads AWS_CA_BUNDLE, HTTPS_PROXY/https_proxy/HTTP_PROXY/http_proxy, NO_PROXY/no_proxy, AWS_MAX_ATTEMPTS.
    static HttpSettings fromEnvironment(const QProcessEnvironment& env, const QString& profileCaBundle = {});
};

// Builds the TLS configuration for every AWS connection (HTTPS and WSS): the system roots, or only the
// certificates of caBundlePath when set. Peer verification always on.
Result<QSslConfiguration> makeSslConfiguration(const QString& caBundlePath);

class AwsHttpClient : public QObject
{
    Q_OBJECT
public:
    // clock and skew must outlive the client.
    AwsHttpClient(HttpSettings settings, const Clock& clock, ClockSkew& skew, QObject* parent = nullptr);
    ~AwsHttpClient() override;

    // Sends request to endpoint (scheme://host[:port][/path]); signs with creds for signingRegion when
    // request.sign. The callback runs once, on the event loop, unless context is destroyed first.
    // A non-2xx answer after retries becomes an Error (kind Service, Credentials, Throttled->Service...).
    void send(const AwsRequest& request, const QUrl& endpoint, const QString& signingRegion,
              const std::optional<Credentials>& creds, QObject* context, Callback<AwsResponse> done);

    const HttpSettings& settings() const { return m_settings; }
    const Clock& clock() const { return m_clock; }
    ClockSkew& skew() { return m_skew; }
    // Time to sign with: local clock corrected by the learnt skew.
    QDateTime signingTime() const { return m_skew.corrected(m_clock.nowUtc()); }
    // Number of HTTP requests sent (including retries) — for benchmarks and tests.
    int requestCount() const { return m_requestCount; }
    // Deterministic jitter for tests (returns a value in [0,1)).
    void setRandomSource(std::function<double()> random) { m_random = std::move(random); }

    struct Call; // one logical request across its attempts

private:
    void attempt(std::shared_ptr<Call> call);
    void finished(std::shared_ptr<Call> call, QNetworkReply* reply);

    HttpSettings m_settings;
    const Clock& m_clock;
    ClockSkew& m_skew;
    QNetworkAccessManager* m_nam;
    std::optional<QSslConfiguration> m_ssl;
    Error m_sslError;
    std::function<double()> m_random;
    int m_requestCount = 0;
    int m_retryTokens = 500;
};

// Turns an AWS error response into an Error (code, message, request id, hint). Exposed for tests.
Error parseAwsError(AwsProtocol protocol, int httpStatus, const QByteArray& body,
                    const QList<QPair<QByteArray, QByteArray>>& headers, const AwsRequest& request);
bool isThrottlingCode(const QString& code);
bool isClockSkewError(const Error& error);
// Hint for a person, from the code and the request (e.g. UnauthorizedOperation names the IAM action).
QString hintForAwsError(const QString& code, const QString& message, const AwsRequest& request);

} // namespace bl
