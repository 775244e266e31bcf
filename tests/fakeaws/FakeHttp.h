#pragma once
// The contract between the fakeaws server (HTTPS, routing, signature checks, fault injection) and the
// service handlers (EC2, EC2 Instance Connect, SSM, STS, SSO). Handlers see an already authenticated
// request and answer with bytes shaped exactly like the real service's.

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

namespace fakeaws {

using Headers = QList<QPair<QByteArray, QByteArray>>;
using Params = QList<QPair<QByteArray, QByteArray>>; // decoded

struct HttpRequest
{
    QByteArray method;
    QByteArray target; // raw request-target: path?query
    QByteArray path; // path part, still encoded
    Params query; // decoded query parameters
    Headers headers;
    QByteArray body;

    QByteArray header(const QByteArray& name) const; // case-insensitive, first match
    Params formParams() const; // decoded application/x-www-form-urlencoded body
    QByteArray formParam(const QByteArray& name) const;
};

struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "text/xml;charset=UTF-8";
    QByteArray body;
    Headers headers; // extra headers (x-amzn-RequestId is added by the server when absent)
};

// Who is calling: filled by the server from the verified signature (or empty for unsigned calls).
struct CallContext
{
    QString region; // from the credential scope
    QString service; // signing name
    QString accessKeyId;
    QString accountId; // account that owns the key
    QString principalArn;
    QString requestId; // generated per request
    QDateTime now; // server time (UTC)
};

// Error bodies exactly as each protocol shapes them (PROTOCOLS.md §3.8, §2.7, §4, §2.6).
HttpResponse ec2Error(int status, const QByteArray& code, const QString& message, const QString& requestId);
HttpResponse queryError(int status, const QByteArray& code, const QString& message, const QString& requestId,
                        const QByteArray& type = "Sender"); // STS <ErrorResponse>
HttpResponse jsonError(int status, const QByteArray& type, const QString& message); // JSON 1.1 __type
HttpResponse restJsonError(int status, const QByteArray& type, const QString& message); // SSO/OIDC
QByteArray xmlEscape(const QString& s);

// A service's request handler (one per AWS service).
class ServiceHandler
{
public:
    virtual ~ServiceHandler() = default;
    virtual HttpResponse handle(const HttpRequest& request, const CallContext& context) = 0;
};

} // namespace fakeaws
