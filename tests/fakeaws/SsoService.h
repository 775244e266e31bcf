#pragma once
// IAM Identity Center for fakeaws: the portal (GetRoleCredentials, ListAccounts, ListAccountRoles; bearer
// token in x-amz-sso_bearer_token) and, through OidcService, the OIDC login. All calls are unsigned and
// routed by path (PROTOCOLS.md §2.6). Role credentials it hands out are registered in Identities.

#include "FakeHttp.h"
#include "Identities.h"
#include "OidcService.h"

namespace fakeaws {

struct SsoAccount
{
    QString accountId;
    QString accountName;
    QString emailAddress;
    QStringList roles;
};

class SsoService : public ServiceHandler
{
public:
    struct Route
    {
        QByteArray method;
        QByteArray path;
        QString action; // for counters and fault injection
    };
    static QList<Route> routes();

    explicit SsoService(Identities& identities);

    HttpResponse handle(const HttpRequest& request, const CallContext& context) override;

    OidcService& oidc() { return m_oidc; }
    void setBaseUrl(const QString& baseUrl) { m_oidc.setBaseUrl(baseUrl); }
    void setAccounts(const QList<SsoAccount>& accounts) { m_accounts = accounts; }
    const QList<SsoAccount>& accounts() const { return m_accounts; }
    void setRoleCredentialLifetimeSecs(int secs) { m_roleCredentialLifetime = qMax(60, secs); }
    QString userName() const { return m_userName; }

private:
    HttpResponse getRoleCredentials(const HttpRequest& request, const CallContext& context);
    HttpResponse listAccounts(const HttpRequest& request) const;
    HttpResponse listAccountRoles(const HttpRequest& request) const;
    std::optional<HttpResponse> checkBearer(const HttpRequest& request, const CallContext& context) const;

    Identities& m_identities;
    OidcService m_oidc;
    QList<SsoAccount> m_accounts;
    QString m_userName = QStringLiteral("fakeaws-sso-user");
    int m_roleCredentialLifetime = 3600;
};

} // namespace fakeaws
