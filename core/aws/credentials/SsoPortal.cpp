#include "core/aws/credentials/SsoPortal.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace bl {

AwsRequest SsoPortal::roleCredentialsRequest(const QString& accessToken, const QString& accountId,
                                             const QString& roleName)
{
    AwsRequest r;
    r.signingName = QStringLiteral("awsssoportal");
    r.operation = QStringLiteral("GetRoleCredentials");
    r.protocol = AwsProtocol::RestJson;
    r.method = "GET";
    r.path = "/federation/credentials";
    r.query.append({"role_name", roleName.toUtf8()});
    r.query.append({"account_id", accountId.toUtf8()});
    r.headers.append({"x-amz-sso_bearer_token", accessToken.toUtf8()});
    r.sign = false;
    return r;
}

Result<Credentials> SsoPortal::parseRoleCredentials(const QByteArray& body, const QString& accountId)
{
    const QJsonObject rc = QJsonDocument::fromJson(body).object().value(QLatin1String("roleCredentials")).toObject();
    Credentials c;
    c.accessKeyId = rc.value(QLatin1String("accessKeyId")).toString();
    c.secretAccessKey = rc.value(QLatin1String("secretAccessKey")).toString();
    c.sessionToken = rc.value(QLatin1String("sessionToken")).toString();
    const QJsonValue exp = rc.value(QLatin1String("expiration"));
    if (!c.isValid() || c.sessionToken.isEmpty() || !exp.isDouble()) {
        return Error::make(ErrorKind::Parse,
                           QStringLiteral("IAM Identity Center GetRoleCredentials answered without complete "
                                          "roleCredentials"),
                           QStringLiteral("Check the SSO endpoint settings (AWS_ENDPOINT_URL_SSO) and any proxy in "
                                          "between."));
    }
    // Epoch milliseconds here (RegisterClient uses seconds).
    c.expiration = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(exp.toDouble()), Qt::UTC);
    c.accountId = accountId;
    return c;
}

void SsoPortal::getRoleCredentials(AwsHttpClient& http, const QUrl& endpoint, const QString& accessToken,
                                   const QString& accountId, const QString& roleName, QObject* context,
                                   Callback<Credentials> done)
{
    http.send(roleCredentialsRequest(accessToken, accountId, roleName), endpoint, QString(), std::nullopt, context,
              [accountId, done = std::move(done)](Result<AwsResponse> r) {
                  if (!r.ok()) {
                      done(r.error());
                      return;
                  }
                  done(parseRoleCredentials(r->body, accountId));
              });
}

} // namespace bl
