#include "WindowsPasswordCipher.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

namespace fakeaws {

namespace {
struct BioFree
{
    void operator()(BIO* bio) const { BIO_free(bio); }
};
struct PkeyFree
{
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CtxFree
{
    void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};

EVP_PKEY* readPublicKey(const QByteArray& pem)
{
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size())));
    if (!bio)
        return nullptr;
    return PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
}
} // namespace

QByteArray WindowsPasswordCipher::encrypt(const QByteArray& publicKeyPem, const QByteArray& password, QString* error)
{
    auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return QByteArray();
    };
    std::unique_ptr<EVP_PKEY, PkeyFree> key(readPublicKey(publicKeyPem));
    if (!key)
        return fail(QStringLiteral("the key pair's public key is not a PEM RSA public key"));
    if (EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA)
        return fail(QStringLiteral("Windows passwords need an RSA key pair"));
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
    if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1
        || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1)
        return fail(QStringLiteral("OpenSSL could not set up RSA encryption"));
    const auto* in = reinterpret_cast<const unsigned char*>(password.constData());
    size_t outLength = 0;
    if (EVP_PKEY_encrypt(ctx.get(), nullptr, &outLength, in, static_cast<size_t>(password.size())) != 1)
        return fail(QStringLiteral("OpenSSL could not size the RSA encryption"));
    QByteArray out(static_cast<qsizetype>(outLength), '\0');
    if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &outLength, in,
                         static_cast<size_t>(password.size()))
        != 1)
        return fail(QStringLiteral("the password is too long for the key (at most key size - 11 bytes)"));
    out.resize(static_cast<qsizetype>(outLength));
    return out.toBase64();
}

} // namespace fakeaws
