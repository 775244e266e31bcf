#include "FakeAwsTestClient.h"

#include "core/aws/base/SigV4.h"

#include <QElapsedTimer>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QUrl>

QByteArray FakeAwsTestClient::Reply::header(const QByteArray& name) const
{
    for (const auto& h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

FakeAwsTestClient::FakeAwsTestClient(quint16 port, const QSslCertificate& ca)
    : m_port(port)
    , m_host("127.0.0.1:" + QByteArray::number(port))
    , m_ca(ca)
{ }

QNetworkReply* FakeAwsTestClient::start(const QByteArray& method, const QByteArray& pathAndQuery,
                                        const fakeaws::Headers& headers, const QByteArray& body)
{
    QNetworkRequest request(QUrl::fromEncoded("https://" + m_host + pathAndQuery, QUrl::StrictMode));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates({m_ca});
    request.setSslConfiguration(tls);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    for (const auto& h : headers) {
        if (h.first.compare("Host", Qt::CaseInsensitive) != 0)
            request.setRawHeader(h.first, h.second);
    }
    QNetworkReply* reply = m_nam.sendCustomRequest(request, method, body);
    reply->setProperty("startedMs", QDateTime::currentMSecsSinceEpoch());
    return reply;
}

FakeAwsTestClient::Reply FakeAwsTestClient::finish(QNetworkReply* reply, int timeoutMs)
{
    Reply out;
    if (!reply->isFinished()) {
        QSignalSpy spy(reply, &QNetworkReply::finished);
        spy.wait(timeoutMs);
    }
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    for (const auto& pair : reply->rawHeaderPairs())
        out.headers.append(pair);
    out.errorString = reply->errorString();
    out.elapsedMs = QDateTime::currentMSecsSinceEpoch() - reply->property("startedMs").toLongLong();
    reply->deleteLater();
    return out;
}

FakeAwsTestClient::Reply FakeAwsTestClient::send(const QByteArray& method, const QByteArray& pathAndQuery,
                                                 const fakeaws::Headers& headers, const QByteArray& body)
{
    return finish(start(method, pathAndQuery, headers, body));
}

fakeaws::Headers FakeAwsTestClient::signedHeaders(const QByteArray& method, const QByteArray& path,
                                                  const fakeaws::Headers& headers, const QByteArray& body,
                                                  const bl::Credentials& creds, const QByteArray& service,
                                                  const QDateTime& at, const QByteArray& region) const
{
    bl::sigv4::Request request;
    request.method = method;
    const qsizetype q = path.indexOf('?');
    request.path = q < 0 ? path : path.left(q);
    if (q >= 0)
        request.query = bl::sigv4::parseQueryString(path.mid(q + 1));
    request.headers = headers;
    request.headers.append({"Host", m_host});
    request.body = body;
    const bl::sigv4::Signature sig =
        bl::sigv4::signHeaders(request, creds, {region, service}, at.isValid() ? at : QDateTime::currentDateTimeUtc());
    fakeaws::Headers out = headers;
    out += sig.addedHeaders;
    return out;
}

QNetworkReply* FakeAwsTestClient::startQuery(const QByteArray& service, const QByteArray& body,
                                             const bl::Credentials& creds, const QDateTime& at)
{
    const fakeaws::Headers headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    return start("POST", "/", signedHeaders("POST", "/", headers, body, creds, service, at), body);
}

FakeAwsTestClient::Reply FakeAwsTestClient::query(const QByteArray& service, const QByteArray& body,
                                                  const bl::Credentials& creds, const QDateTime& at)
{
    return finish(startQuery(service, body, creds, at));
}

FakeAwsTestClient::Reply FakeAwsTestClient::json(const QByteArray& service, const QByteArray& target,
                                                 const QByteArray& body, const bl::Credentials& creds,
                                                 const QDateTime& at)
{
    const fakeaws::Headers headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", target}};
    return send("POST", "/", signedHeaders("POST", "/", headers, body, creds, service, at), body);
}
