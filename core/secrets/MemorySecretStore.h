#pragma once
// A SecretStore that keeps secrets in memory only: for tests and for a session without a keychain. Behaves
// like the keychain (asynchronous answers, NotFound for a missing key) and can be told to fail.

#include "core/secrets/SecretStore.h"

#include <QMap>

#include <optional>

namespace bl {

class MemorySecretStore final : public SecretStore
{
public:
    void read(const QString& key, QObject* context, Callback<QString> done) override;
    void write(const QString& key, const QString& secret, QObject* context, Callback<void> done) override;
    void remove(const QString& key, QObject* context, Callback<void> done) override;
    QString describe() const override { return QStringLiteral("memory"); }

    // Every following operation fails with error until cleared (std::nullopt).
    void setFailure(std::optional<Error> error) { m_failure = std::move(error); }
    bool contains(const QString& key) const { return m_secrets.contains(key); }
    QStringList keys() const { return m_secrets.keys(); }

private:
    QMap<QString, QString> m_secrets;
    std::optional<Error> m_failure;
};

} // namespace bl
