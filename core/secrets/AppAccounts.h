#pragma once
// Accounts added in the app rather than in ~/.aws: a name, an access key id and an optional region, kept in
// the app's settings (none of that is secret), and the secret access key, kept only in the SecretStore under
// secretKey(name). Adding writes the secret first and the settings second, so a failure leaves no account
// without its secret; removing drops the settings entry and the secret.

#include "core/secrets/SecretStore.h"

#include <QList>
#include <QObject>

#include <optional>

class QSettings;

namespace bl {

struct AppAccount
{
    QString name;
    QString accessKeyId;
    QString region; // may be empty

    bool operator==(const AppAccount&) const = default;
};

class AppAccounts : public QObject
{
    Q_OBJECT
public:
    // Both must outlive this object.
    AppAccounts(QSettings& settings, SecretStore& secrets, QObject* parent = nullptr);

    QList<AppAccount> accounts() const; // sorted by name
    std::optional<AppAccount> account(const QString& name) const;
    SecretStore& secrets() { return m_secrets; }

    // The key of an account's secret access key in the SecretStore.
    static QString secretKey(const QString& name);

    // Usage errors a person can fix in the form: name (letters, digits, . _ -; not one of takenNames nor an
    // existing app account), access key id (AKIA/ASIA + 16 letters or digits), secret (40 characters of the
    // base64 alphabet), region (like eu-west-1) when given.
    Result<void> validate(const AppAccount& account, const QString& secretAccessKey,
                          const QStringList& takenNames = {}) const;

    // Validates, stores the secret, then the settings. done runs from the event loop.
    void add(const AppAccount& account, const QString& secretAccessKey, QObject* context, Callback<void> done);
    // Removes the account and its secret; NotFound for an unknown name.
    void remove(const QString& name, QObject* context, Callback<void> done);

Q_SIGNALS:
    void changed();

private:
    Result<void> saveEntry(const AppAccount& account);
    Result<void> removeEntry(const QString& name);
    Result<void> syncSettings(const QString& what);

    QSettings& m_settings;
    SecretStore& m_secrets;
};

} // namespace bl
