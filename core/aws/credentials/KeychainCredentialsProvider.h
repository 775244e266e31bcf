#pragma once
// Credentials of an account added in the app: the access key id comes from the app's settings, the secret
// access key from the SecretStore (the system keychain). Long-term keys do not expire, so the first answer is
// kept until invalidate(). Only the SecretStore interface is used (header-only), so bl_awscreds does not link
// a keychain.

#include "core/aws/credentials/CredentialsProvider.h"
#include "core/secrets/SecretStore.h"

#include <memory>
#include <optional>

namespace bl {

class KeychainCredentialsProvider final : public CredentialsProvider
{
public:
    // store must outlive the provider. secretKey: where the secret access key is stored.
    KeychainCredentialsProvider(SecretStore& store, QString accountName, QString accessKeyId, QString secretKey);

    void fetch(QObject* context, Callback<Credentials> done) override;
    void invalidate() override { m_cached->reset(); }
    QString describe() const override;

private:
    SecretStore& m_store;
    QString m_accountName;
    QString m_accessKeyId;
    QString m_secretKey;
    // Shared with fetches in flight, which may outlive the provider.
    std::shared_ptr<std::optional<Credentials>> m_cached = std::make_shared<std::optional<Credentials>>();
};

} // namespace bl
