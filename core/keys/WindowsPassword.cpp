#include "core/keys/WindowsPassword.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

namespace bl {

namespace {

struct OpenSslFree
{
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
    void operator()(BIO* p) const { BIO_free(p); }
    void operator()(OSSL_DECODER_CTX* p) const { OSSL_DECODER_CTX_free(p); }
};
template<typename T>
using Owned = std::unique_ptr<T, OpenSslFree>;

const QString kConvertHint =
    QStringLiteral("Use the .pem file EC2 gave you when the key pair was created, or convert an OpenSSH key with "
                   "`ssh-keygen -p -m PEM -f <file>`.");

Error keyFileError(const QString& message, const QString& hint = kConvertHint)
{
    ERR_clear_error();
    return Error::make(ErrorKind::Usage, message, hint);
}

// Called by OpenSSL when the PEM is encrypted: refuse (we never prompt from core) and remember why.
int noPassphrase(char*, int, int, void* asked)
{
    *static_cast<bool*>(asked) = true;
    return -1;
}

Result<Owned<EVP_PKEY>> readPrivateKey(const QByteArray& pem)
{
    if (pem.contains("BEGIN OPENSSH PRIVATE KEY"))
        return keyFileError(QStringLiteral("The key is in OpenSSH format, which cannot decrypt Windows passwords "
                                           "directly"),
                            QStringLiteral("Convert a copy to PEM with `ssh-keygen -p -m PEM -f <copy of the key>` "
                                           "and use that, or use the .pem file EC2 gave you."));
    if (!pem.contains("-----BEGIN"))
        return keyFileError(QStringLiteral("The file is not a PEM private key (no \"-----BEGIN\" line)"));

    Owned<BIO> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    bool askedForPassphrase = false;
    Owned<EVP_PKEY> key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, &askedForPassphrase) : nullptr);
    if (!key && (askedForPassphrase || pem.contains("ENCRYPTED")))
        return keyFileError(QStringLiteral("The private key is protected by a passphrase"),
                            QStringLiteral("Decrypt a copy first, e.g. `openssl rsa -in key.pem -out plain.pem`, "
                                           "and use that copy."));
    if (!key)
        return keyFileError(QStringLiteral("The private key PEM could not be read (damaged or not a private key)"));
    if (!EVP_PKEY_is_a(key.get(), "RSA"))
        return keyFileError(QStringLiteral("Windows passwords are encrypted for RSA key pairs, but this is a %1 key")
                                .arg(QString::fromLatin1(EVP_PKEY_get0_type_name(key.get()))),
                            QStringLiteral("Use the RSA key pair the instance was launched with."));
    return key;
}

// Decoder variant of noPassphrase: without it OpenSSL may prompt on the terminal.
int refusePassphrase(char*, size_t, size_t*, const OSSL_PARAM*, void*)
{
    return 0;
}

Result<Owned<EVP_PKEY>> readPublicKey(const QByteArray& pem)
{
    EVP_PKEY* raw = nullptr;
    // Selection 0 ("anything") lets one decoder accept SPKI, PKCS#1 public and private key PEMs alike.
    Owned<OSSL_DECODER_CTX> dctx(OSSL_DECODER_CTX_new_for_pkey(&raw, "PEM", nullptr, "RSA", 0, nullptr, nullptr));
    const auto* data = reinterpret_cast<const unsigned char*>(pem.constData());
    size_t len = size_t(pem.size());
    if (dctx)
        OSSL_DECODER_CTX_set_passphrase_cb(dctx.get(), refusePassphrase, nullptr);
    if (!dctx || !OSSL_DECODER_from_data(dctx.get(), &data, &len) || !raw)
        return keyFileError(QStringLiteral("The RSA public key PEM could not be read"),
                            QStringLiteral("Pass a \"BEGIN PUBLIC KEY\" or \"BEGIN RSA PUBLIC KEY\" PEM."));
    return Owned<EVP_PKEY>(raw);
}

// Windows generates passwords from printable ASCII; anything else means the padding check passed by
// chance (or an OpenSSL with implicit rejection returned random bytes) with the wrong key.
bool looksLikePassword(const QByteArray& bytes)
{
    if (bytes.isEmpty())
        return false;
    for (const char c : bytes) {
        if (c < 0x20 || c > 0x7e)
            return false;
    }
    return true;
}

Error wrongKey()
{
    ERR_clear_error();
    return Error::make(ErrorKind::Usage,
                       QStringLiteral("The password could not be decrypted: this key does not belong to the "
                                      "instance's key pair"),
                       QStringLiteral("Choose the private key of the key pair shown for this instance (KeyName)."));
}

} // namespace

Result<QString> WindowsPassword::decrypt(const QByteArray& passwordData, const QByteArray& privateKeyPem)
{
    QByteArray compact;
    compact.reserve(passwordData.size());
    for (const char c : passwordData) {
        if (!QChar::isSpace(uchar(c)))
            compact.append(c);
    }
    if (compact.isEmpty())
        return Error::make(ErrorKind::NotFound,
                           QStringLiteral("Windows has not generated the password yet; try again in a few minutes "
                                          "(up to 15 after launch)"),
                           QStringLiteral("EC2 returns empty password data until the instance has finished its "
                                          "first boot. Instances launched from a custom AMI may never generate one."));
    const auto decoded = QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return Error::make(ErrorKind::Parse, QStringLiteral("The password data from EC2 is not valid base64"),
                           QStringLiteral("Fetch it again; if this persists, report it as a bug."));

    auto key = readPrivateKey(privateKeyPem);
    if (!key)
        return key.error();

    Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key->get(), nullptr));
    if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) <= 0
        || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0)
        return Error::make(ErrorKind::Internal, QStringLiteral("OpenSSL could not set up RSA decryption"));
    // OpenSSL >= 3.2 would otherwise hide padding failures behind random output; older versions do not know
    // the option, which is harmless.
    if (EVP_PKEY_CTX_ctrl_str(ctx.get(), "rsa_pkcs1_implicit_rejection", "0") <= 0)
        ERR_clear_error();

    const auto* in = reinterpret_cast<const unsigned char*>(decoded.decoded.constData());
    const size_t inLen = size_t(decoded.decoded.size());
    size_t outLen = 0;
    if (EVP_PKEY_decrypt(ctx.get(), nullptr, &outLen, in, inLen) <= 0)
        return wrongKey();
    QByteArray plain(qsizetype(outLen), '\0');
    const bool decrypted =
        EVP_PKEY_decrypt(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &outLen, in, inLen) > 0;
    plain.truncate(qsizetype(decrypted ? outLen : 0));
    Result<QString> result = wrongKey();
    if (decrypted && looksLikePassword(plain))
        result = QString::fromLatin1(plain);
    OPENSSL_cleanse(plain.data(), size_t(plain.size()));
    return result;
}

Result<QByteArray> WindowsPassword::encrypt(const QString& password, const QByteArray& keyPem)
{
    auto key = readPublicKey(keyPem);
    if (!key)
        return key.error();
    Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key->get(), nullptr));
    const QByteArray plain = password.toUtf8();
    size_t outLen = 0;
    if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0
        || EVP_PKEY_encrypt(ctx.get(), nullptr, &outLen, reinterpret_cast<const unsigned char*>(plain.constData()),
                            size_t(plain.size()))
            <= 0) {
        ERR_clear_error();
        return Error::make(ErrorKind::Usage, QStringLiteral("OpenSSL could not set up RSA encryption for this key"));
    }
    QByteArray cipher(qsizetype(outLen), '\0');
    if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(cipher.data()), &outLen,
                         reinterpret_cast<const unsigned char*>(plain.constData()), size_t(plain.size()))
        <= 0) {
        ERR_clear_error();
        return Error::make(
            ErrorKind::Usage,
            QStringLiteral("The password is too long to encrypt with this RSA key (%1 bytes)").arg(plain.size()));
    }
    cipher.truncate(qsizetype(outLen));
    return cipher.toBase64();
}

} // namespace bl
