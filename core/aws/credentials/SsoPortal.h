#pragma once
// The IAM Identity Center portal call that turns an access token into role credentials
// (GetRoleCredentials, unsigned, bearer token in x-amz-sso_bearer_token; PROTOCOLS.md §2.6).

#include "core/aws/http/AwsHttpClient.h"

namespace bl {

class SsoPortal
{
public:
    static AwsRequest roleCredentialsRequest(const QString& accessToken, const QString& accountId,
                                             const QString& roleName);
    // {"roleCredentials": {..., "expiration": <epoch milliseconds>}}
    static Result<Credentials> parseRoleCredentials(const QByteArray& body, const QString& accountId);
    static void getRoleCredentials(AwsHttpClient& http, const QUrl& endpoint, const QString& accessToken,
                                   const QString& accountId, const QString& roleName, QObject* context,
                                   Callback<Credentials> done);
};

} // namespace bl
