#pragma once
// STS AssumeRole over the query protocol (PROTOCOLS.md §2.7): builds the request, parses the XML answer,
// turns failures into errors that name the role and the sts:AssumeRole permission, and converts to and
// from the CLI's cache file shape. Reusable by any code that assumes roles (the chain, an StsClient).

#include "core/aws/base/Endpoints.h"
#include "core/aws/http/AwsHttpClient.h"

#include <QJsonObject>

#include <optional>

namespace bl {

struct AssumeRoleParams
{
    QString roleArn;
    QString roleSessionName;
    std::optional<int> durationSeconds;
    QString externalId;
    QString serialNumber; // MFA device
    QString tokenCode; // MFA code
    QString policy;
    QString sourceIdentity;
};

struct AssumedRole
{
    Credentials credentials; // accountId taken from the assumed-role ARN
    QString arn; // arn:aws:sts::<acct>:assumed-role/<role>/<session>
    QString assumedRoleId;
    QString requestId;
};

class StsAssumeRole
{
public:
    static AwsRequest buildRequest(const AssumeRoleParams& params);
    static Result<AssumedRole> parseResponse(const QByteArray& xml);
    // Adds what a person needs to fix a failed AssumeRole (permission, trust policy, MFA, external id).
    static Error explain(Error error, const AssumeRoleParams& params);
    // Sends with the source credentials; the callback gets explained errors.
    static void send(AwsHttpClient& http, const ResolvedEndpoint& endpoint, const Credentials& source,
                     const AssumeRoleParams& params, QObject* context, Callback<AssumedRole> done);

    // The CLI's cache file content for an AssumeRole answer ({"Credentials": {...}, "AssumedRoleUser": ...}).
    static QJsonObject toCacheJson(const AssumedRole& role);
    // nullopt when the object lacks the credentials or their expiration.
    static std::optional<Credentials> credentialsFromCacheJson(const QJsonObject& object);

    static QString accountFromArn(const QString& arn);
};

} // namespace bl
