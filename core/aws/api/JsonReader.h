#pragma once
// Reading JSON 1.1 answers (SSM, EC2 Instance Connect): the body must be one JSON object; anything else is
// reported as ErrorKind::Parse naming the operation. Unknown members are simply never looked at.

#include "core/aws/http/AwsHttpClient.h"
#include "core/util/Result.h"

#include <QDateTime>
#include <QJsonObject>

namespace bl {

class JsonReader
{
public:
    static Result<QJsonObject> parseObject(const QByteArray& body, const QString& what);
    // awsJson timestamps are epoch seconds, possibly fractional. Non-numbers -> invalid QDateTime.
    static QDateTime epochSeconds(const QJsonValue& value);
    // A JSON 1.1 POST: Content-Type application/x-amz-json-1.1 and X-Amz-Target <targetPrefix>.<operation>.
    static AwsRequest request(const QString& signingName, const QString& targetPrefix, const QString& operation,
                              const QString& iamAction, const QByteArray& body);
    static Error parseError(const QString& what, const QString& reason);
};

} // namespace bl
