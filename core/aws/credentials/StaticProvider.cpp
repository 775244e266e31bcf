#include "core/aws/credentials/StaticProvider.h"

#include "core/aws/credentials/PostResult.h"

namespace bl {

StaticProvider::StaticProvider(Credentials credentials, QString description)
    : m_credentials(std::move(credentials))
    , m_description(std::move(description))
{ }

bool StaticProvider::hasKeys(const ConfigSection& section)
{
    return section.has(QStringLiteral("aws_access_key_id")) || section.has(QStringLiteral("aws_secret_access_key"));
}

Result<Credentials> StaticProvider::fromSection(const ConfigSection& section, const QString& profileName,
                                                const QString& fileForMessages)
{
    Credentials c;
    c.accessKeyId = section.value(QStringLiteral("aws_access_key_id"));
    c.secretAccessKey = section.value(QStringLiteral("aws_secret_access_key"));
    if (c.accessKeyId.isEmpty() || c.secretAccessKey.isEmpty()) {
        const QString missing =
            c.accessKeyId.isEmpty() ? QStringLiteral("aws_access_key_id") : QStringLiteral("aws_secret_access_key");
        return Error::make(ErrorKind::Config,
                           QStringLiteral("Profile %1 in %2 has incomplete keys: %3 is missing")
                               .arg(profileName, fileForMessages, missing),
                           QStringLiteral("Add %1 to the profile, or remove its other key.").arg(missing));
    }
    c.sessionToken = section.value(QStringLiteral("aws_session_token"));
    if (c.sessionToken.isEmpty())
        c.sessionToken = section.value(QStringLiteral("aws_security_token"));
    c.accountId = section.value(QStringLiteral("aws_account_id"));
    c.source = QStringLiteral("profile %1 (keys in %2)").arg(profileName, fileForMessages);
    return c;
}

void StaticProvider::fetch(QObject* context, Callback<Credentials> done)
{
    postResult(context, std::move(done), Result<Credentials>(m_credentials));
}

} // namespace bl
