#include "FleetRequests.h"

#include <QJsonDocument>
#include <QUrl>
#include <QUuid>

namespace fakefleettest {

QByteArray FleetRequests::formEncode(const QueryParams& params)
{
    QByteArray body;
    for (const auto& [key, value] : params) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return body;
}

fakeaws::HttpRequest FleetRequests::ec2(const QString& action, const QueryParams& params)
{
    QueryParams all = {{QStringLiteral("Action"), action}, {QStringLiteral("Version"), QStringLiteral("2016-11-15")}};
    all += params;
    fakeaws::HttpRequest request;
    request.method = "POST";
    request.target = "/";
    request.path = "/";
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    request.body = formEncode(all);
    return request;
}

fakeaws::HttpRequest FleetRequests::json(const QByteArray& target, const QJsonObject& body)
{
    fakeaws::HttpRequest request;
    request.method = "POST";
    request.target = "/";
    request.path = "/";
    request.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", target}};
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return request;
}

fakeaws::CallContext FleetRequests::context(const QString& region, const QDateTime& now)
{
    fakeaws::CallContext c;
    c.region = region;
    c.service = QStringLiteral("ec2");
    c.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    c.accountId = QStringLiteral("123456789012");
    c.requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    c.now = now.isValid() ? now : QDateTime::currentDateTimeUtc();
    return c;
}

} // namespace fakefleettest
