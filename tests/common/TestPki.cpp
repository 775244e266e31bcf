#include "tests/common/TestPki.h"

#include <QFile>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace {

template<typename T, void (*Free)(T*)>
struct Deleter
{
    void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;

void bioFree(BIO* b)
{
    BIO_free(b);
}
using Bio = std::unique_ptr<BIO, Deleter<BIO, bioFree>>;

bool extend(X509* cert, X509* issuer, int nid, const char* value)
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

Cert makeCert(const char* cn, long serial, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuerKey,
              std::initializer_list<std::pair<int, const char*>> extensions)
{
    Cert cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 2 * 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
    X509* signer = issuer ? issuer : cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
    for (const auto& [nid, value] : extensions) {
        if (!extend(cert.get(), signer, nid, value))
            return {};
    }
    if (X509_sign(cert.get(), issuerKey ? issuerKey : key, EVP_sha256()) <= 0)
        return {};
    return cert;
}

QByteArray pem(X509* cert)
{
    Bio bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, n);
}

QByteArray pem(EVP_PKEY* key)
{
    Bio bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, n);
}

} // namespace

TestPki::TestPki(const QString& directory)
{
    Key caKey(EVP_EC_gen("P-256"));
    Key serverKey(EVP_EC_gen("P-256"));
    if (!caKey || !serverKey) {
        m_error = QStringLiteral("cannot generate keys");
        return;
    }
    Cert ca = makeCert("Bastionless tunnel test CA", 1, caKey.get(), nullptr, nullptr,
                       {{NID_basic_constraints, "critical,CA:TRUE"},
                        {NID_key_usage, "critical,keyCertSign,cRLSign"},
                        {NID_subject_key_identifier, "hash"}});
    if (!ca) {
        m_error = QStringLiteral("cannot make the CA");
        return;
    }
    Cert server = makeCert("127.0.0.1", 2, serverKey.get(), ca.get(), caKey.get(),
                           {{NID_basic_constraints, "critical,CA:FALSE"},
                            {NID_key_usage, "critical,digitalSignature"},
                            {NID_ext_key_usage, "serverAuth"},
                            {NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost,DNS:eice-0test.localhost"},
                            {NID_authority_key_identifier, "keyid:always"}});
    if (!server) {
        m_error = QStringLiteral("cannot make the server certificate");
        return;
    }
    m_cert = QSslCertificate(pem(server.get()), QSsl::Pem);
    m_key = QSslKey(pem(serverKey.get()), QSsl::Ec, QSsl::Pem);
    if (m_cert.isNull() || m_key.isNull()) {
        m_error = QStringLiteral("Qt cannot load the generated certificate");
        return;
    }
    m_caBundlePath = directory + QStringLiteral("/tunnel-test-ca.pem");
    QFile f(m_caBundlePath);
    if (!f.open(QIODevice::WriteOnly) || f.write(pem(ca.get())) < 0)
        m_error = QStringLiteral("cannot write %1").arg(m_caBundlePath);
}

QSslConfiguration TestPki::serverConfiguration() const
{
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setLocalCertificate(m_cert);
    c.setPrivateKey(m_key);
    c.setPeerVerifyMode(QSslSocket::VerifyNone);
    c.setCaCertificates({}); // the server verifies no one; loading the system roots per connection is slow
    return c;
}
