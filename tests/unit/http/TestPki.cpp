#include "TestPki.h"

#include <QFile>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace {

struct PkeyFree
{
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free
{
    void operator()(X509* p) const { X509_free(p); }
};
struct BioFree
{
    void operator()(BIO* p) const { BIO_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

PkeyPtr makeKey()
{
    return PkeyPtr(EVP_EC_gen("P-256"));
}

bool addExtension(X509* cert, X509* issuer, int nid, const char* value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

// issuer == nullptr: self-signed.
X509Ptr makeCert(const char* commonName, long serial, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuerKey,
                 const QList<QPair<int, const char*>>& extensions)
{
    X509Ptr cert(X509_new());
    if (!cert)
        return {};
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Bastionless tests"), -1,
                               -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(commonName), -1, -1, 0);
    X509* signer = issuer ? issuer : cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
    for (const auto& [nid, value] : extensions) {
        if (!addExtension(cert.get(), signer, nid, value))
            return {};
    }
    if (X509_sign(cert.get(), issuerKey ? issuerKey : key, EVP_sha256()) <= 0)
        return {};
    return cert;
}

QByteArray certPem(X509* cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, len);
}

QByteArray keyPem(EVP_PKEY* key)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, len);
}

} // namespace

TestPki::TestPki(const QString& directory)
{
    const PkeyPtr caKey = makeKey();
    const PkeyPtr serverKey = makeKey();
    if (!caKey || !serverKey) {
        m_error = QStringLiteral("cannot generate EC keys");
        return;
    }
    const X509Ptr ca = makeCert("Bastionless Test CA", 1, caKey.get(), nullptr, nullptr,
                                {{NID_basic_constraints, "critical,CA:TRUE"},
                                 {NID_key_usage, "critical,keyCertSign,cRLSign"},
                                 {NID_subject_key_identifier, "hash"}});
    if (!ca) {
        m_error = QStringLiteral("cannot make the CA certificate");
        return;
    }
    const X509Ptr server = makeCert("127.0.0.1", 2, serverKey.get(), ca.get(), caKey.get(),
                                    {{NID_basic_constraints, "critical,CA:FALSE"},
                                     {NID_key_usage, "critical,digitalSignature"},
                                     {NID_ext_key_usage, "serverAuth"},
                                     {NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                                     {NID_authority_key_identifier, "keyid:always"}});
    if (!server) {
        m_error = QStringLiteral("cannot make the server certificate");
        return;
    }

    m_serverCert = QSslCertificate(certPem(server.get()), QSsl::Pem);
    m_serverKey = QSslKey(keyPem(serverKey.get()), QSsl::Ec, QSsl::Pem);
    if (m_serverCert.isNull() || m_serverKey.isNull()) {
        m_error = QStringLiteral("Qt cannot load the generated certificate or key");
        return;
    }
    m_caBundlePath = directory + QStringLiteral("/test-ca.pem");
    QFile f(m_caBundlePath);
    if (!f.open(QIODevice::WriteOnly) || f.write(certPem(ca.get())) < 0) {
        m_error = QStringLiteral("cannot write %1").arg(m_caBundlePath);
        return;
    }
}
