#include "core/aws/http/AwsHttpClient.h"

#include "core/aws/base/SigV4.h"
#include "core/aws/http/ProxyFactory.h"
#include "core/util/Log.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QTimer>

namespace bl {

QByteArray AwsResponse::header(const QByteArray& name) const
{
    for (const auto& h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

HttpSettings HttpSettings::fromEnvironment(const QProcessEnvironment& env, const QString& profileCaBundle)
{
    HttpSettings s;
    s.caBundlePath = env.value(QStringLiteral("AWS_CA_BUNDLE"));
    if (s.caBundlePath.isEmpty())
        s.caBundlePath = profileCaBundle;
    for (const char* name : {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"}) {
        s.httpsProxy = env.value(QLatin1String(name));
        if (!s.httpsProxy.isEmpty())
            break;
    }
    s.noProxy = env.value(QStringLiteral("NO_PROXY"), env.value(QStringLiteral("no_proxy")));
    bool ok = false;
    const int attempts = env.value(QStringLiteral("AWS_MAX_ATTEMPTS")).toInt(&ok);
    if (ok && attempts >= 1)
        s.maxAttempts = attempts;
    return s;
}

Result<QSslConfiguration> makeSslConfiguration(const QString& caBundlePath)
{
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    ssl.setProtocol(QSsl::TlsV1_2OrLater);
    if (!caBundlePath.isEmpty()) {
        QFile f(caBundlePath);
        if (!f.open(QIODevice::ReadOnly)) {
            return Error::make(ErrorKind::Config,
                               QStringLiteral("Cannot read the CA bundle %1: %2").arg(caBundlePath, f.errorString()),
                               QStringLiteral("Fix AWS_CA_BUNDLE or the profile's ca_bundle setting."));
        }
        const QList<QSslCertificate> certs = QSslCertificate::fromData(f.readAll(), QSsl::Pem);
        if (certs.isEmpty()) {
            return Error::make(ErrorKind::Config,
                               QStringLiteral("The CA bundle %1 contains no PEM certificate").arg(caBundlePath),
                               QStringLiteral("AWS_CA_BUNDLE / ca_bundle must name a PEM file of CA certificates."));
        }
        // Only the bundle's certificates are trusted, as with the AWS CLI.
        ssl.setCaCertificates(certs);
    }
    return ssl;
}

struct AwsHttpClient::Call
{
    AwsRequest request;
    QUrl endpoint;
    QString signingRegion;
    std::optional<Credentials> creds;
    QPointer<QObject> context;
    bool hasContext = false;
    Callback<AwsResponse> done;
    int attempt = 0;
    bool skewRetried = false;
    QElapsedTimer timer;
};

AwsHttpClient::AwsHttpClient(HttpSettings settings, const Clock& clock, ClockSkew& skew, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_clock(clock)
    , m_skew(skew)
    , m_nam(new QNetworkAccessManager(this))
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    m_nam->setProxyFactory(new ProxyFactory(m_settings.httpsProxy, m_settings.noProxy));
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    auto ssl = makeSslConfiguration(m_settings.caBundlePath);
    if (ssl)
        m_ssl = ssl.value();
    else
        m_sslError = ssl.error();
}

AwsHttpClient::~AwsHttpClient() = default;

void AwsHttpClient::send(const AwsRequest& request, const QUrl& endpoint, const QString& signingRegion,
                         const std::optional<Credentials>& creds, QObject* context, Callback<AwsResponse> done)
{
    auto call = std::make_shared<Call>();
    call->request = request;
    call->endpoint = endpoint;
    call->signingRegion = signingRegion;
    call->creds = creds;
    call->context = context;
    call->hasContext = context != nullptr;
    call->done = std::move(done);
    call->timer.start();
    // Always answer from the event loop, never from inside send().
    QTimer::singleShot(0, this, [this, call] { attempt(call); });
}

void AwsHttpClient::attempt(std::shared_ptr<Call> call)
{
    auto fail = [&](Error e) {
        if (!call->hasContext || call->context)
            call->done(std::move(e));
    };
    if (call->hasContext && !call->context)
        return;
    if (!m_ssl) {
        fail(m_sslError);
        return;
    }
    const AwsRequest& r = call->request;
    if (r.sign && (!call->creds || !call->creds->isValid())) {
        fail(Error::make(ErrorKind::Credentials, QStringLiteral("No credentials to sign %1").arg(r.operation)));
        return;
    }
    ++call->attempt;

    // Target: endpoint path + request path, query encoded exactly as it is signed.
    QByteArray basePath = call->endpoint.path(QUrl::FullyEncoded).toLatin1();
    if (basePath.endsWith('/'))
        basePath.chop(1);
    QByteArray path = basePath + (r.path.startsWith('/') ? r.path : QByteArray("/") + r.path);
    QByteArray query;
    for (const auto& [k, v] : r.query) {
        if (!query.isEmpty())
            query += '&';
        query += sigv4::uriEncode(k) + '=' + sigv4::uriEncode(v);
    }
    QByteArray hostHeader = call->endpoint.host(QUrl::FullyEncoded).toLatin1();
    if (hostHeader.contains(':'))
        hostHeader = '[' + hostHeader + ']'; // IPv6 literal, as in the URL
    const bool https = call->endpoint.scheme() == QLatin1String("https");
    const int port = call->endpoint.port(-1);
    if (port != -1 && port != (https ? 443 : 80))
        hostHeader += ':' + QByteArray::number(port);

    sigv4::Request sr;
    sr.method = r.method;
    sr.path = path;
    sr.query = r.query;
    sr.headers = r.headers;
    sr.headers.append({"Host", hostHeader});
    sr.body = r.body;
    QList<QPair<QByteArray, QByteArray>> headers = sr.headers;
    if (r.sign) {
        const sigv4::Scope scope {call->signingRegion.toLatin1(), r.signingName.toLatin1()};
        const auto sig = sigv4::signHeaders(sr, *call->creds, scope, signingTime());
        headers += sig.addedHeaders;
    }

    QUrl url = call->endpoint;
    url.setPath(QString::fromLatin1(path), QUrl::StrictMode);
    if (!query.isEmpty())
        url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    else
        url.setQuery(QString());
    QNetworkRequest nr(url);
    nr.setSslConfiguration(*m_ssl);
    nr.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    nr.setTransferTimeout(m_settings.requestTimeoutMs);
    for (const auto& [name, value] : std::as_const(headers))
        nr.setRawHeader(name, value);
    nr.setRawHeader("User-Agent", m_settings.userAgent);

    ++m_requestCount;
    qCDebug(lcAwsHttp) << "->" << r.method << url.host() << r.operation << "attempt" << call->attempt;
    QNetworkReply* reply = m_nam->sendCustomRequest(nr, r.method, r.body);
    connect(reply, &QNetworkReply::finished, this, [this, call, reply] { finished(call, reply); });
}

void AwsHttpClient::finished(std::shared_ptr<Call> call, QNetworkReply* reply)
{
    reply->deleteLater();
    if (call->hasContext && !call->context)
        return;
    const AwsRequest& r = call->request;

    AwsResponse resp;
    resp.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // An aborted reply (transfer timeout) is closed; reading it would print a Qt warning.
    if (reply->isOpen())
        resp.body = reply->readAll();
    resp.headers = reply->rawHeaderPairs();
    resp.attempts = call->attempt;
    resp.requestId = QString::fromLatin1(resp.header("x-amzn-RequestId"));
    if (resp.requestId.isEmpty())
        resp.requestId = QString::fromLatin1(resp.header("x-amz-request-id"));

    qCDebug(lcAwsHttp) << "<-" << r.operation << resp.status << reply->error() << call->timer.elapsed() << "ms";

    const bool skewChanged = resp.status != 0 && m_skew.observeServerDate(resp.header("Date"), m_clock.nowUtc());

    // Transport failure (no HTTP status).
    if (resp.status == 0) {
        const auto netErr = reply->error();
        const bool timeout = netErr == QNetworkReply::TimeoutError || netErr == QNetworkReply::OperationCanceledError;
        const int cost = timeout ? 10 : 5;
        const bool tls = netErr == QNetworkReply::SslHandshakeFailedError;
        if (!tls && call->attempt < m_settings.maxAttempts && m_retryTokens >= cost) {
            m_retryTokens -= cost;
            const int maxMs = std::min(m_settings.maxBackoffMs, 1000 * (1 << std::min(call->attempt - 1, 10)));
            QTimer::singleShot(int(m_random() * maxMs), this, [this, call] { attempt(call); });
            return;
        }
        Error e;
        e.kind = timeout ? ErrorKind::Timeout : ErrorKind::Network;
        e.message = QStringLiteral("Cannot reach %1 for %2: %3")
                        .arg(call->endpoint.host(), r.operation.isEmpty() ? QStringLiteral("the request") : r.operation,
                             reply->errorString());
        if (tls) {
            e.hint = QStringLiteral("The TLS certificate of %1 could not be verified. If your network uses a private "
                                    "CA, point AWS_CA_BUNDLE (or ca_bundle in the profile) at its PEM file.")
                         .arg(call->endpoint.host());
        } else if (netErr == QNetworkReply::HostNotFoundError) {
            e.hint = QStringLiteral("Check the network connection, DNS, the region name and any endpoint URL setting.");
        } else if (netErr == QNetworkReply::ProxyConnectionRefusedError || netErr == QNetworkReply::ProxyNotFoundError
                   || netErr == QNetworkReply::ProxyAuthenticationRequiredError) {
            e.hint = QStringLiteral("Check HTTPS_PROXY / NO_PROXY.");
        } else {
            e.hint = QStringLiteral("Check the network connection, any proxy (HTTPS_PROXY) and endpoint URL settings.");
        }
        call->done(std::move(e));
        return;
    }

    if (resp.status >= 200 && resp.status < 300) {
        m_retryTokens = std::min(500, m_retryTokens + 1);
        call->done(std::move(resp));
        return;
    }

    Error err = parseAwsError(r.protocol, resp.status, resp.body, resp.headers, r);
    if (err.requestId.isEmpty())
        err.requestId = resp.requestId;

    // A clock-skew answer while our clock was off: sign again with the corrected time, once.
    if (r.sign && skewChanged && !call->skewRetried && (isClockSkewError(err) || resp.status == 403)) {
        call->skewRetried = true;
        qCInfo(lcAwsHttp) << "clock skew corrected by" << m_skew.offsetMs() / 1000 << "s; retrying" << r.operation;
        QTimer::singleShot(0, this, [this, call] { attempt(call); });
        return;
    }

    const bool retryable = isThrottlingCode(err.awsCode) || err.awsCode == QLatin1String("RequestTimeout")
        || err.awsCode == QLatin1String("RequestTimeoutException") || resp.status == 500 || resp.status == 502
        || resp.status == 503 || resp.status == 504;
    if (retryable && call->attempt < m_settings.maxAttempts && m_retryTokens >= 5) {
        m_retryTokens -= 5;
        const int maxMs = std::min(m_settings.maxBackoffMs, 1000 * (1 << std::min(call->attempt - 1, 10)));
        const int delay = int(m_random() * maxMs);
        qCDebug(lcAwsHttp) << "retrying" << r.operation << "after" << delay << "ms:" << err.awsCode << resp.status;
        QTimer::singleShot(delay, this, [this, call] { attempt(call); });
        return;
    }
    if (retryable && call->attempt > 1)
        err.message += QStringLiteral(" (after %1 attempts)").arg(call->attempt);
    call->done(std::move(err));
}

} // namespace bl
