#pragma once
// Where secrets live: an asynchronous store of one secret string per key. The product uses the OS keychain
// (KeychainSecretStore, through QtKeychain); unit tests use MemorySecretStore. Header-only so that code that
// only needs the interface (the credentials providers) does not link a keychain. Implementations never log
// the secret, answer from the event loop (never inside the call) and drop the answer if context died.

#include "core/util/Result.h"

#include <QObject>
#include <QString>

namespace bl {

class SecretStore
{
public:
    virtual ~SecretStore() = default;

    // The secret stored under key, or NotFound.
    virtual void read(const QString& key, QObject* context, Callback<QString> done) = 0;
    // Stores (or replaces) the secret under key.
    virtual void write(const QString& key, const QString& secret, QObject* context, Callback<void> done) = 0;
    // Removes the secret under key; removing a key that is not there is not an error.
    virtual void remove(const QString& key, QObject* context, Callback<void> done) = 0;
    // For people: "the Secret Service (GNOME Keyring, KWallet)", "memory".
    virtual QString describe() const = 0;
};

} // namespace bl
