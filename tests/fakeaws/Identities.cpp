#include "Identities.h"

#include <QRandomGenerator>

#include <cstring>

namespace fakeaws {

namespace {

const char* const kKeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const char* const kSecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

} // namespace

bl::Credentials Identity::credentials() const
{
    bl::Credentials c;
    c.accessKeyId = accessKeyId;
    c.secretAccessKey = secretAccessKey;
    c.sessionToken = sessionToken;
    c.expiration = expiration;
    c.accountId = accountId;
    c.source = QStringLiteral("fakeaws");
    return c;
}

Identities::Identities()
{
    Identity user;
    user.accessKeyId = QLatin1String(kDefaultAccessKeyId);
    user.secretAccessKey = QLatin1String(kDefaultSecretAccessKey);
    user.accountId = QLatin1String(kDefaultAccountId);
    user.arn = QStringLiteral("arn:aws:iam::%1:user/fakeaws-user").arg(user.accountId);
    user.userId = QStringLiteral("AIDAFAKEAWSUSER00001");
    m_default = user;
    m_byKey.insert(user.accessKeyId, user);
}

void Identities::add(Identity identity)
{
    if (identity.accountId.isEmpty())
        identity.accountId = QLatin1String(kDefaultAccountId);
    if (identity.arn.isEmpty())
        identity.arn = QStringLiteral("arn:aws:iam::%1:user/%2").arg(identity.accountId, identity.accessKeyId);
    if (identity.userId.isEmpty())
        identity.userId = QStringLiteral("AIDA") + randomString(16, kKeyAlphabet);
    if (identity.accessKeyId == m_default.accessKeyId)
        m_default = identity;
    m_byKey.insert(identity.accessKeyId, identity);
}

bool Identities::remove(const QString& accessKeyId)
{
    return m_byKey.remove(accessKeyId) > 0;
}

std::optional<Identity> Identities::find(const QString& accessKeyId) const
{
    const auto it = m_byKey.constFind(accessKeyId);
    if (it == m_byKey.cend())
        return std::nullopt;
    return *it;
}

Identity Identities::issueTemporary(const QString& accountId, const QString& arn, const QString& userId,
                                    const QDateTime& expiration)
{
    Identity id;
    do {
        id.accessKeyId = QStringLiteral("ASIA") + randomString(16, kKeyAlphabet);
    } while (m_byKey.contains(id.accessKeyId));
    id.secretAccessKey = randomString(40, kSecretAlphabet);
    // Real session tokens are long base64 blobs with '+', '/' and '=': exactly what breaks naive encoders.
    QByteArray blob(240, Qt::Uninitialized);
    QRandomGenerator::system()->generate(blob.begin(), blob.end());
    id.sessionToken = QStringLiteral("IQoJb3JpZ2luX2VjEFAKE//") + QString::fromLatin1(blob.toBase64());
    id.expiration = expiration.toUTC();
    id.accountId = accountId;
    id.arn = arn;
    id.userId = userId;
    m_byKey.insert(id.accessKeyId, id);
    return id;
}

void Identities::expireTemporary(const QDateTime& when)
{
    for (Identity& id : m_byKey) {
        if (id.isTemporary())
            id.expiration = when.toUTC();
    }
}

QString Identities::randomString(int length, const char* alphabet)
{
    const auto size = static_cast<quint32>(std::strlen(alphabet));
    QString out;
    out.reserve(length);
    for (int i = 0; i < length; ++i)
        out.append(QLatin1Char(alphabet[QRandomGenerator::system()->bounded(size)]));
    return out;
}

} // namespace fakeaws
