#pragma once
// The IAM Identity Center OIDC service (rest-json, unsigned; PROTOCOLS.md §2.6): client registration, the
// device authorization grant with its polling errors, refresh tokens, and the authorization-code + PKCE
// grant. The "browser" side is a page on the same server: opening verificationUriComplete approves the code
// (GET /device), and /authorize redirects straight back to the loopback redirect URI.

#include "FakeHttp.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>

namespace fakeaws {

class OidcService
{
public:
    // Where verification URIs point (the server's https://127.0.0.1:<port>).
    void setBaseUrl(const QString& baseUrl) { m_baseUrl = baseUrl; }

    HttpResponse registerClient(const HttpRequest& request, const CallContext& context);
    HttpResponse startDeviceAuthorization(const HttpRequest& request, const CallContext& context);
    HttpResponse createToken(const HttpRequest& request, const CallContext& context);
    HttpResponse devicePage(const HttpRequest& request, const CallContext& context);
    HttpResponse authorize(const HttpRequest& request, const CallContext& context);

    // Test controls.
    bool approve(const QString& userCode); // false when unknown or expired
    int approveAllPending();
    bool deny(const QString& userCode);
    QStringList pendingUserCodes() const;
    void expireAccessTokens(); // every issued access token stops working (portal answers 401)
    void expireDeviceCodes(); // pending device codes answer expired_token
    void revokeRefreshTokens(); // refresh_token grants answer invalid_grant
    void injectSlowDown(int count) { m_slowDowns = qMax(0, count); } // next polls answer slow_down
    void setDeviceCodeLifetimeSecs(int secs) { m_deviceCodeLifetime = qMax(1, secs); }
    void setPollIntervalSecs(int secs) { m_pollInterval = qMax(1, secs); }
    void setAccessTokenLifetimeSecs(int secs) { m_accessTokenLifetime = qMax(1, secs); }

    bool isValidAccessToken(const QByteArray& token, const QDateTime& now) const;
    void revokeAccessToken(const QByteArray& token) { m_accessTokens.remove(QString::fromUtf8(token)); }
    int issuedAccessTokenCount() const { return m_issuedTokens; }

private:
    struct Client
    {
        QString secret;
        QStringList scopes;
        QStringList grantTypes;
        QStringList redirectUris;
        QDateTime secretExpiresAt;
    };
    struct DeviceAuth
    {
        QString clientId;
        QString userCode;
        QDateTime expiresAt;
        bool approved = false;
        bool denied = false;
    };
    struct AuthCode
    {
        QString clientId;
        QString redirectUri;
        QString challenge;
        QDateTime expiresAt;
    };

    const Client* authenticate(const QJsonObject& body, HttpResponse* error) const;
    HttpResponse issueTokens(const QString& clientId, const QDateTime& now, bool withRefresh);
    HttpResponse deviceCodeGrant(const QJsonObject& body, const QString& clientId, const QDateTime& now);
    HttpResponse refreshTokenGrant(const QJsonObject& body, const QString& clientId, const QDateTime& now);
    HttpResponse authorizationCodeGrant(const QJsonObject& body, const QString& clientId, const QDateTime& now);
    DeviceAuth* pendingByUserCode(const QString& userCode);
    QString newUserCode() const;

    QString m_baseUrl;
    QHash<QString, Client> m_clients;
    QHash<QString, DeviceAuth> m_deviceCodes; // by device code
    QHash<QString, AuthCode> m_authCodes;
    QHash<QString, QDateTime> m_accessTokens; // token -> expiry
    QHash<QString, QString> m_refreshTokens; // token -> client id
    int m_slowDowns = 0;
    int m_deviceCodeLifetime = 600;
    int m_pollInterval = 1;
    int m_accessTokenLifetime = 28800;
    int m_issuedTokens = 0;
};

} // namespace fakeaws
