#include "core/ssm/SsmStreamUrl.h"

#include "core/aws/base/SigV4.h"

#include <QHostAddress>

namespace bl {

namespace {

Error urlError(const QString& message, const QString& hint = {})
{
    return Error::make(ErrorKind::Parse, message, hint);
}

bool isLoopbackHost(const QString& host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

QString SsmStreamUrl::endpointOverrideFrom(const QProcessEnvironment& env)
{
    return env.value(QLatin1String(EndpointVariable)).trimmed();
}

Result<QUrl> SsmStreamUrl::resolve(const QString& streamUrl, const QString& endpointOverride)
{
    QUrl url = QUrl::fromEncoded(streamUrl.toUtf8(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return urlError(QStringLiteral("Session Manager returned a data-channel URL that is not a valid URL"),
                        QStringLiteral("This is unexpected from AWS; check any endpoint URL settings "
                                       "(AWS_ENDPOINT_URL_SSM, endpoint_url) that point SSM elsewhere."));
    if (!endpointOverride.isEmpty()) {
        QString spec = endpointOverride;
        if (!spec.contains(QLatin1String("://")))
            spec.prepend(QLatin1String("wss://"));
        const QUrl over = QUrl::fromEncoded(spec.toUtf8(), QUrl::StrictMode);
        if (!over.isValid() || over.host().isEmpty() || (!over.path().isEmpty() && over.path() != QLatin1String("/")))
            return Error::make(
                ErrorKind::Config,
                QStringLiteral("The ssmmessages endpoint \"%1\" is not a host name").arg(endpointOverride),
                QStringLiteral("Set %1 to host or host:port (for example "
                               "ssmmessages.eu-west-1.amazonaws.com or vpce-....amazonaws.com:443).")
                    .arg(QLatin1String(EndpointVariable)));
        url.setHost(over.host());
        url.setPort(over.port());
    }
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("ws")) {
        if (!isLoopbackHost(url.host()))
            return urlError(QStringLiteral("Session Manager returned an unencrypted data-channel URL (ws://%1); "
                                           "refusing to send the session token in clear text")
                                .arg(url.host()));
    } else if (scheme != QLatin1String("wss")) {
        return urlError(QStringLiteral("The data-channel URL has the scheme \"%1\"; expected wss").arg(scheme));
    }
    return url;
}

bool SsmStreamUrl::hasQueryAuth(const QUrl& url)
{
    static const QList<QByteArray> names = {"X-Amz-Algorithm",     "X-Amz-Credential",    "X-Amz-Date",
                                            "X-Amz-Expires",       "X-Amz-SignedHeaders", "X-Amz-Signature",
                                            "X-Amz-Security-Token"};
    for (const auto& param : sigv4::parseQueryString(url.query(QUrl::FullyEncoded).toUtf8())) {
        for (const QByteArray& name : names) {
            if (param.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    return false;
}

QByteArray SsmStreamUrl::hostHeader(const QUrl& url)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']';
    const int defaultPort = url.scheme().compare(QLatin1String("ws"), Qt::CaseInsensitive) == 0 ? 80 : 443;
    if (url.port() != -1 && url.port() != defaultPort)
        host += ':' + QByteArray::number(url.port());
    return host;
}

QByteArray SsmStreamUrl::requestTarget(const QUrl& url)
{
    QByteArray target = url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    return target;
}

QList<QPair<QByteArray, QByteArray>> SsmStreamUrl::signUpgrade(const QUrl& url, const Credentials& credentials,
                                                               const QString& region, const QDateTime& utc)
{
    if (hasQueryAuth(url))
        return {};
    sigv4::Request request;
    request.method = "GET";
    request.path = url.path(QUrl::FullyEncoded).toUtf8();
    if (request.path.isEmpty())
        request.path = "/";
    request.query = sigv4::parseQueryString(url.query(QUrl::FullyEncoded).toUtf8());
    request.headers = {{"host", hostHeader(url)}};
    const sigv4::Signature s =
        sigv4::signHeaders(request, credentials, {region.toUtf8(), QByteArrayLiteral("ssmmessages")}, utc);
    return s.addedHeaders;
}

} // namespace bl
