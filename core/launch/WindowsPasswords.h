#pragma once
// WindowsPasswords: the Administrator password of a Windows instance, for the "Get Windows password…" dialog
// and for filling in the RDP viewer's login. EC2's GetPasswordData gives the password encrypted with the
// instance's launch key pair; the person gives that key pair's .pem once, and it is kept in the secret store
// (the keychain) under one key per source, region and key pair name, never in a file of ours. The password
// itself is only handed back: never stored, never logged. GUI-free.

#include "core/inventory/InventoryTypes.h"
#include "core/util/Result.h"

#include <QObject>

#include <functional>

namespace bl {

class AwsSession;
class SecretStore;

class WindowsPasswords : public QObject
{
    Q_OBJECT
public:
    // The session of an InventorySource label, or nullptr when there is none.
    using SessionLookup = std::function<AwsSession*(const QString& source)>;

    WindowsPasswords(SecretStore& secrets, SessionLookup sessions, QObject* parent = nullptr);

    // Where the entry's key pair .pem is kept: "windows-key/<source>/<region>/<key pair name>" (an instance
    // launched without a key pair name gets one key of its own, by instance id).
    static QString secretKey(const InventoryEntry& entry);

    // The password, with the .pem from the secret store. Errors say what to do: no .pem stored (give it),
    // no password yet (Windows makes it a few minutes after launch), a .pem that does not decrypt it.
    void password(const InventoryEntry& entry, QObject* context, Callback<QString> done);
    // The same with a .pem given now, which is not stored (the dialog stores it once it worked).
    void passwordWithKey(const InventoryEntry& entry, const QByteArray& privateKeyPem, QObject* context,
                         Callback<QString> done);
    // Keeps privateKeyPem (an unencrypted RSA private key) for the entry's key pair; forgetKey() removes it.
    void storeKey(const InventoryEntry& entry, const QByteArray& privateKeyPem, QObject* context, Callback<void> done);
    void forgetKey(const InventoryEntry& entry, QObject* context, Callback<void> done);

private:
    Result<AwsSession*> sessionFor(const InventoryEntry& entry) const;

    SecretStore& m_secrets;
    SessionLookup m_sessions;
};

} // namespace bl
