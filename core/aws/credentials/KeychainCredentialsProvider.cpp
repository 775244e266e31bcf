#include "core/aws/credentials/KeychainCredentialsProvider.h"

#include <QPointer>
#include <QTimer>

namespace bl {

KeychainCredentialsProvider::KeychainCredentialsProvider(SecretStore& store, QString accountName, QString accessKeyId,
                                                         QString secretKey)
    : m_store(store)
    , m_accountName(std::move(accountName))
    , m_accessKeyId(std::move(accessKeyId))
    , m_secretKey(std::move(secretKey))
{ }

QString KeychainCredentialsProvider::describe() const
{
    return QStringLiteral("app account %1: access key %2 with its secret in %3")
        .arg(m_accountName, m_accessKeyId, m_store.describe());
}

void KeychainCredentialsProvider::fetch(QObject* context, Callback<Credentials> done)
{
    if (*m_cached) {
        QTimer::singleShot(0, context, [done = std::move(done), c = **m_cached]() { done(c); });
        return;
    }
    std::weak_ptr<std::optional<Credentials>> cache = m_cached;
    m_store.read(
        m_secretKey, context,
        [cache, name = m_accountName, keyId = m_accessKeyId, where = m_store.describe(),
         done = std::move(done)](Result<QString> secret) {
            if (!secret.ok()) {
                Error e = secret.error();
                if (e.kind == ErrorKind::NotFound) {
                    e.kind = ErrorKind::Credentials;
                    // A locked Secret Service that cannot show its unlock prompt (no display: a terminal over
                    // ssh) answers the same as one without the entry, so the message names both causes.
                    e.message = QStringLiteral("The secret access key of app account %1 is missing from %2, or the "
                                               "keychain is locked")
                                    .arg(name, where);
                    e.hint = QStringLiteral("Unlock the keychain (log in to the desktop session, or use Seahorse) and "
                                            "try again; if it is unlocked, re-add the account's keys in Bastionless "
                                            "\u2192 Accounts: remove the account, then add its access keys again.");
                } else {
                    e.message = QStringLiteral("App account %1: %2").arg(name, e.message);
                }
                done(e);
                return;
            }
            Credentials c;
            c.accessKeyId = keyId;
            c.secretAccessKey = secret.value();
            c.source = QStringLiteral("app account %1 (keychain)").arg(name);
            if (auto alive = cache.lock())
                *alive = c;
            done(c);
        });
}

} // namespace bl
