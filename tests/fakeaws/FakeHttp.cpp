// The request accessors and the per-protocol error bodies every fakeaws handler shares.

#include "FakeHttp.h"

#include "core/aws/base/SigV4.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace fakeaws {

namespace {

const QByteArray kRequestIdHeader = QByteArrayLiteral("x-amzn-RequestId");
const QByteArray kErrorTypeHeader = QByteArrayLiteral("x-amzn-ErrorType");

QByteArray jsonBody(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

QByteArray HttpRequest::header(const QByteArray& name) const
{
    for (const auto& h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

Params HttpRequest::formParams() const
{
    // Form bodies may encode a space as '+' (HTML forms, some SDKs); AWS SDKs use %20. Both decode to ' '.
    QByteArray plusDecoded = body;
    plusDecoded.replace('+', QByteArrayLiteral("%20"));
    return bl::sigv4::parseQueryString(plusDecoded);
}

QByteArray HttpRequest::formParam(const QByteArray& name) const
{
    for (const auto& p : formParams()) {
        if (p.first == name)
            return p.second;
    }
    return {};
}

QByteArray xmlEscape(const QString& s)
{
    QByteArray out;
    const QByteArray utf8 = s.toUtf8();
    out.reserve(utf8.size());
    for (char c : utf8) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

HttpResponse ec2Error(int status, const QByteArray& code, const QString& message, const QString& requestId)
{
    HttpResponse r;
    r.status = status;
    r.contentType = QByteArrayLiteral("text/xml;charset=UTF-8");
    r.body = QByteArrayLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>")
        + xmlEscape(QString::fromUtf8(code)) + QByteArrayLiteral("</Code><Message>") + xmlEscape(message)
        + QByteArrayLiteral("</Message></Error></Errors><RequestID>") + xmlEscape(requestId)
        + QByteArrayLiteral("</RequestID></Response>");
    r.headers.append({kRequestIdHeader, requestId.toUtf8()});
    return r;
}

HttpResponse queryError(int status, const QByteArray& code, const QString& message, const QString& requestId,
                        const QByteArray& type)
{
    HttpResponse r;
    r.status = status;
    r.contentType = QByteArrayLiteral("text/xml");
    r.body =
        QByteArrayLiteral("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>")
        + xmlEscape(QString::fromUtf8(type)) + QByteArrayLiteral("</Type>\n    <Code>")
        + xmlEscape(QString::fromUtf8(code)) + QByteArrayLiteral("</Code>\n    <Message>") + xmlEscape(message)
        + QByteArrayLiteral("</Message>\n  </Error>\n  <RequestId>") + xmlEscape(requestId)
        + QByteArrayLiteral("</RequestId>\n</ErrorResponse>\n");
    r.headers.append({kRequestIdHeader, requestId.toUtf8()});
    return r;
}

HttpResponse jsonError(int status, const QByteArray& type, const QString& message)
{
    HttpResponse r;
    r.status = status;
    r.contentType = QByteArrayLiteral("application/x-amz-json-1.1");
    r.body = jsonBody({{QStringLiteral("__type"), QString::fromUtf8(type)}, {QStringLiteral("message"), message}});
    r.headers.append({kErrorTypeHeader, type});
    return r;
}

HttpResponse restJsonError(int status, const QByteArray& type, const QString& message)
{
    HttpResponse r;
    r.status = status;
    r.contentType = QByteArrayLiteral("application/json");
    r.body = jsonBody({{QStringLiteral("message"), message}});
    r.headers.append({kErrorTypeHeader, type});
    return r;
}

} // namespace fakeaws
