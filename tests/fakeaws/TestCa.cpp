#include "TestCa.h"

#include <QFile>
#include <QSaveFile>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace fakeaws {

namespace {

struct OpenSslFree
{
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(BIO* p) const { BIO_free(p); }
    void operator()(BIGNUM* p) const { BN_free(p); }
    void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
template<typename T>
using Owned = std::unique_ptr<T, OpenSslFree>;

QString openSslError(const char* what)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    char text[256] = {};
    if (code != 0)
        ERR_error_string_n(code, text, sizeof text);
    return QStringLiteral("fakeaws could not create its test certificates: %1 failed (%2)")
        .arg(QLatin1String(what), code != 0 ? QString::fromLatin1(text) : QStringLiteral("no OpenSSL error"));
}

Owned<EVP_PKEY> makeP256Key()
{
    Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY* key = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") <= 0
        || EVP_PKEY_generate(ctx.get(), &key) <= 0)
        return {};
    return Owned<EVP_PKEY>(key);
}

struct CertSpec
{
    const char* commonName;
    bool isCa = false;
    int validityDays = 30;
};

bool addExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value)
{
    Owned<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// issuer == nullptr: self-signed with subjectKey.
Owned<X509> makeCertificate(const CertSpec& spec, EVP_PKEY* subjectKey, X509* issuer, EVP_PKEY* signingKey,
                            QString* error)
{
    Owned<X509> cert(X509_new());
    Owned<BIGNUM> serial(BN_new());
    if (!cert || !serial || X509_set_version(cert.get(), X509_VERSION_3) != 1
        || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1
        || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()))) {
        *error = openSslError("X509_new/serial");
        return {};
    }
    // Valid from an hour ago so that tests which shift the server clock do not trip over notBefore.
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(spec.validityDays) * 86400L);
    X509_set_pubkey(cert.get(), subjectKey);

    X509_NAME* name = X509_get_subject_name(cert.get());
    const auto* org = reinterpret_cast<const unsigned char*>("Bastionless fakeaws");
    const auto* cn = reinterpret_cast<const unsigned char*>(spec.commonName);
    if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, org, -1, -1, 0) != 1
        || X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0) != 1
        || X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name) != 1) {
        *error = openSslError("X509_NAME_add_entry_by_txt");
        return {};
    }

    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
    // Strict verifiers (Python's ssl with VERIFY_X509_STRICT, used by recent AWS CLIs) want key usage on
    // both certificates and key identifiers linking them.
    bool ok = true;
    if (spec.isCa) {
        ok = addExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
            && addExtension(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign")
            && addExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash")
            && addExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
    } else {
        ok = addExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE")
            && addExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature")
            && addExtension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth")
            && addExtension(cert.get(), &ctx, NID_subject_alt_name,
                            "IP:127.0.0.1,DNS:localhost,DNS:*.localhost,DNS:*.fips.localhost")
            && addExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash")
            && addExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
    }
    if (!ok) {
        *error = openSslError("X509V3_EXT_conf_nid");
        return {};
    }
    if (X509_sign(cert.get(), signingKey, EVP_sha256()) <= 0) {
        *error = openSslError("X509_sign");
        return {};
    }
    return cert;
}

QByteArray readBio(BIO* bio)
{
    QByteArray out(static_cast<qsizetype>(BIO_pending(bio)), Qt::Uninitialized);
    const int n = BIO_read(bio, out.data(), static_cast<int>(out.size()));
    out.resize(qMax(0, n));
    return out;
}

QByteArray certificatePem(X509* cert)
{
    Owned<BIO> bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
        return {};
    return readBio(bio.get());
}

QByteArray privateKeyPem(EVP_PKEY* key)
{
    Owned<BIO> bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return readBio(bio.get());
}

} // namespace

bl::Result<TestCa> TestCa::generate(int validityDays)
{
    ERR_clear_error();
    const Owned<EVP_PKEY> caKey = makeP256Key();
    const Owned<EVP_PKEY> serverKey = makeP256Key();
    if (!caKey || !serverKey)
        return bl::Error::make(bl::ErrorKind::Internal, openSslError("EC P-256 key generation"));

    QString error;
    const Owned<X509> ca =
        makeCertificate({"Bastionless fakeaws test CA", true, validityDays}, caKey.get(), nullptr, caKey.get(), &error);
    if (!ca)
        return bl::Error::make(bl::ErrorKind::Internal, error);
    const Owned<X509> server =
        makeCertificate({"localhost", false, validityDays}, serverKey.get(), ca.get(), caKey.get(), &error);
    if (!server)
        return bl::Error::make(bl::ErrorKind::Internal, error);

    TestCa out;
    out.m_caPem = certificatePem(ca.get());
    out.m_ca = QSslCertificate(out.m_caPem, QSsl::Pem);
    out.m_server = QSslCertificate(certificatePem(server.get()), QSsl::Pem);
    QByteArray keyPem = privateKeyPem(serverKey.get());
    out.m_serverKey = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    keyPem.fill('\0');
    if (out.m_ca.isNull() || out.m_server.isNull() || out.m_serverKey.isNull())
        return bl::Error::make(bl::ErrorKind::Internal,
                               QStringLiteral("fakeaws could not load its generated certificates into Qt"),
                               QStringLiteral("Check that Qt's OpenSSL TLS backend is installed."));
    return out;
}

bl::Result<void> TestCa::writeCaPem(const QString& path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_caPem) != m_caPem.size() || !file.commit())
        return bl::Error::make(
            bl::ErrorKind::Io,
            QStringLiteral("cannot write the fakeaws CA certificate to %1: %2").arg(path, file.errorString()),
            QStringLiteral("Choose a writable --state-dir."));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    return {};
}

} // namespace fakeaws
