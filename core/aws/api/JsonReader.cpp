#include "core/aws/api/JsonReader.h"

#include "core/aws/api/XmlTree.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace bl {

Error JsonReader::parseError(const QString& what, const QString& reason)
{
    return XmlTree::parseError(what, reason);
}

Result<QJsonObject> JsonReader::parseObject(const QByteArray& body, const QString& what)
{
    if (body.trimmed().isEmpty())
        return parseError(what, QStringLiteral("the response was empty"));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return parseError(what, QStringLiteral("%1 at offset %2").arg(error.errorString()).arg(error.offset));
    if (!doc.isObject())
        return parseError(what, QStringLiteral("expected a JSON object"));
    return doc.object();
}

QDateTime JsonReader::epochSeconds(const QJsonValue& value)
{
    if (!value.isDouble())
        return {};
    const double secs = value.toDouble();
    if (!std::isfinite(secs) || std::fabs(secs) > 1e13)
        return {};
    return QDateTime::fromMSecsSinceEpoch(std::llround(secs * 1000.0), Qt::UTC);
}

AwsRequest JsonReader::request(const QString& signingName, const QString& targetPrefix, const QString& operation,
                               const QString& iamAction, const QByteArray& body)
{
    AwsRequest r;
    r.signingName = signingName;
    r.operation = operation;
    r.iamAction = iamAction;
    r.protocol = AwsProtocol::Json;
    r.method = QByteArrayLiteral("POST");
    r.path = QByteArrayLiteral("/");
    r.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/x-amz-json-1.1")});
    r.headers.append({QByteArrayLiteral("X-Amz-Target"), (targetPrefix + QLatin1Char('.') + operation).toUtf8()});
    r.body = body;
    return r;
}

} // namespace bl
