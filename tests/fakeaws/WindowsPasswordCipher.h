#pragma once
// Produces EC2's GetPasswordData blob: the Windows administrator password encrypted with the public half of
// the instance's launch key pair, RSA PKCS#1 v1.5 padding, base64 (PROTOCOLS.md §3.6). Clients decrypt it
// with the private key; the demo key pair lives in tests/data/fakeaws/demo-windows-key.pem.

#include <QByteArray>
#include <QString>

namespace fakeaws {

class WindowsPasswordCipher
{
public:
    // publicKeyPem: "BEGIN PUBLIC KEY" (SPKI, as `openssl rsa -pubout` writes). Empty result + error on failure.
    static QByteArray encrypt(const QByteArray& publicKeyPem, const QByteArray& password, QString* error);
};

} // namespace fakeaws
