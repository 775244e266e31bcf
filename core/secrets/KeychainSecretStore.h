#pragma once
// The SecretStore of the product: the operating system's keychain through QtKeychain (on Linux the Secret
// Service of GNOME Keyring or KWallet, over D-Bus). Every entry belongs to the service "Bastionless". Never
// falls back to a plain file: without a keychain, operations fail with an error that says what to start.

#include "core/secrets/SecretStore.h"

namespace QKeychain {
class Job;
}

namespace bl {

class KeychainSecretStore final : public SecretStore
{
public:
    static constexpr const char* ServiceName = "Bastionless";

    explicit KeychainSecretStore(QString service = QString::fromLatin1(ServiceName));

    void read(const QString& key, QObject* context, Callback<QString> done) override;
    void write(const QString& key, const QString& secret, QObject* context, Callback<void> done) override;
    void remove(const QString& key, QObject* context, Callback<void> done) override;
    QString describe() const override;

    // What failed, why and what to do, for a finished QtKeychain job (error() != NoError). Never includes a
    // secret: QtKeychain's messages do not carry one.
    static Error errorFor(int keychainError, const QString& errorString, const QString& operation, const QString& key);

private:
    QString m_service;
};

} // namespace bl
