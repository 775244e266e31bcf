#include "core/aws/credentials/CacheKeys.h"

#include "core/aws/credentials/PythonJson.h"

#include <QJsonArray>

namespace bl {

QString CacheKeys::assumeRole(const QJsonObject& args)
{
    QString key = PythonJson::sha1Hex(PythonJson::dumps(args));
    // botocore makes the name file-safe; a hex digest never needs it, but keep the rule for parity.
    key.replace(QLatin1Char(':'), QLatin1Char('_')).replace(QLatin1Char('/'), QLatin1Char('_'));
    return key;
}

QString CacheKeys::ssoToken(const QString& sessionNameOrStartUrl)
{
    return PythonJson::sha1Hex(sessionNameOrStartUrl.toUtf8());
}

QString CacheKeys::ssoRegistration(const QString& startUrl, const QString& region,
                                   const std::optional<QStringList>& scopes, const QString& sessionName)
{
    QJsonObject args;
    args.insert(QStringLiteral("tool"), QStringLiteral("botocore"));
    args.insert(QStringLiteral("startUrl"), startUrl);
    args.insert(QStringLiteral("region"), region);
    args.insert(QStringLiteral("scopes"), scopes ? QJsonValue(QJsonArray::fromStringList(*scopes)) : QJsonValue());
    args.insert(QStringLiteral("session_name"), sessionName.isEmpty() ? QJsonValue() : QJsonValue(sessionName));
    return PythonJson::sha1Hex(PythonJson::dumps(args));
}

QString CacheKeys::ssoRoleCredentials(const QString& accountId, const QString& roleName, const QString& sessionName,
                                      const QString& startUrl)
{
    QJsonObject args;
    args.insert(QStringLiteral("accountId"), accountId);
    args.insert(QStringLiteral("roleName"), roleName);
    if (!sessionName.isEmpty())
        args.insert(QStringLiteral("sessionName"), sessionName);
    else
        args.insert(QStringLiteral("startUrl"), startUrl);
    return PythonJson::sha1Hex(PythonJson::dumps(args, PythonJson::Separators::Compact));
}

} // namespace bl
