#pragma once
// The IAM Identity Center OIDC calls (RegisterClient, StartDeviceAuthorization, CreateToken), unsigned
// REST-JSON through AwsHttpClient (PROTOCOLS.md §2.6). Shared by the device login and the token refresh.

#include "core/aws/http/AwsHttpClient.h"

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace bl {

struct OidcRegistration
{
    QString clientId;
    QString clientSecret;
    QDateTime clientSecretExpiresAt;
};

struct DeviceAuthorization
{
    QString deviceCode;
    QString userCode;
    QString verificationUri;
    QString verificationUriComplete;
    int expiresInSecs = 0;
    int intervalSecs = 5; // 5 when the answer names none
};

struct OidcToken
{
    QString accessToken;
    QString tokenType;
    int expiresInSecs = 0;
    QString refreshToken;
};

class SsoOidc
{
public:
    static constexpr const char* DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

    // grantTypes: empty for the plain device flow; sso-session logins add the device-code and refresh_token
    // grants so that the service issues a refresh token.
    static AwsRequest registerClientRequest(const QString& clientName, const std::optional<QStringList>& scopes,
                                            const QStringList& grantTypes = {});
    static AwsRequest deviceAuthorizationRequest(const QString& clientId, const QString& clientSecret,
                                                 const QString& startUrl);
    static AwsRequest deviceTokenRequest(const QString& clientId, const QString& clientSecret,
                                         const QString& deviceCode);
    static AwsRequest refreshTokenRequest(const QString& clientId, const QString& clientSecret,
                                          const QString& refreshToken);

    static Result<OidcRegistration> parseRegistration(const QByteArray& body);
    static Result<DeviceAuthorization> parseDeviceAuthorization(const QByteArray& body);
    static Result<OidcToken> parseToken(const QByteArray& body);

    // The OAuth error of a failed CreateToken in snake case ("authorization_pending", "slow_down",
    // "expired_token", "access_denied", ...), whether the service named it AuthorizationPendingException
    // (x-amzn-ErrorType) or authorization_pending (the body's "error").
    static QString oauthError(const Error& error);

    // Sends one of the requests above (unsigned) and hands back the raw answer.
    static void send(AwsHttpClient& http, const QUrl& endpoint, const AwsRequest& request, QObject* context,
                     Callback<AwsResponse> done);
};

} // namespace bl
