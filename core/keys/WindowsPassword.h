#pragma once
// WindowsPassword: turns EC2 GetPasswordData's passwordData into the Administrator password, using the
// RSA private key of the instance's launch key pair (PKCS#1 v1.5 padding, as EC2 encrypts it). encrypt()
// is the reverse, for tests and the fakeaws emulator, which must produce realistic password data.

#include "core/util/Result.h"

#include <QByteArray>
#include <QString>

namespace bl {

class WindowsPassword
{
public:
    // passwordData: base64 as returned by EC2 (whitespace anywhere is ignored). privateKeyPem: an
    // unencrypted "BEGIN RSA PRIVATE KEY" (PKCS#1) or "BEGIN PRIVATE KEY" (PKCS#8) PEM.
    static Result<QString> decrypt(const QByteArray& passwordData, const QByteArray& privateKeyPem);

    // RSA PKCS#1 v1.5 encryption of password with the public key in keyPem ("BEGIN PUBLIC KEY",
    // "BEGIN RSA PUBLIC KEY" or any unencrypted RSA private key PEM); returns base64.
    static Result<QByteArray> encrypt(const QString& password, const QByteArray& keyPem);
};

} // namespace bl
