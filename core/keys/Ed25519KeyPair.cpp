#include "core/keys/Ed25519KeyPair.h"

#include "core/keys/SshWire.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>

namespace bl {

namespace {

const QByteArray kKeyType = QByteArrayLiteral("ssh-ed25519");
constexpr int kBase64Wrap = 70; // what ssh-keygen writes
constexpr int kCipherBlockSize = 8; // block size of cipher "none"

struct PkeyDeleter
{
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxDeleter
{
    void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

QString openSslReason()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("unknown OpenSSL error");
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    return QString::fromLatin1(buf);
}

Error keyError(const QString& what)
{
    return Error::make(ErrorKind::Internal, QStringLiteral("Could not %1: %2").arg(what, openSslReason()),
                       QStringLiteral("The OpenSSL installation may lack Ed25519 support; update libssl3."));
}

QString sanitizeComment(const QString& comment)
{
    QString out;
    out.reserve(comment.size());
    for (const QChar c : comment) {
        if (c.category() != QChar::Other_Control)
            out.append(c);
    }
    return out.trimmed();
}

void cleanse(QByteArray& bytes)
{
    if (!bytes.isEmpty())
        OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    bytes.clear();
}

} // namespace

Result<Ed25519KeyPair> Ed25519KeyPair::generate(const QString& comment)
{
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 || EVP_PKEY_keygen(ctx.get(), &raw) <= 0)
        return keyError(QStringLiteral("generate an Ed25519 key"));
    PkeyPtr pkey(raw);

    Ed25519KeyPair pair;
    size_t seedLen = KeySize;
    size_t pubLen = KeySize;
    if (EVP_PKEY_get_raw_private_key(pkey.get(), pair.m_seed.data(), &seedLen) <= 0 || seedLen != KeySize
        || EVP_PKEY_get_raw_public_key(pkey.get(), pair.m_public.data(), &pubLen) <= 0 || pubLen != KeySize)
        return keyError(QStringLiteral("read the generated Ed25519 key"));
    pair.m_comment = sanitizeComment(comment);
    return pair;
}

Result<Ed25519KeyPair> Ed25519KeyPair::fromSeed(QByteArrayView seed, const QString& comment)
{
    if (seed.size() != KeySize)
        return Error::make(ErrorKind::Usage,
                           QStringLiteral("An Ed25519 private seed is %1 bytes, got %2").arg(KeySize).arg(seed.size()));
    PkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                              reinterpret_cast<const unsigned char*>(seed.data()), KeySize));
    Ed25519KeyPair pair;
    size_t pubLen = KeySize;
    if (!pkey || EVP_PKEY_get_raw_public_key(pkey.get(), pair.m_public.data(), &pubLen) <= 0 || pubLen != KeySize)
        return keyError(QStringLiteral("derive the Ed25519 public key"));
    std::copy(seed.begin(), seed.end(), pair.m_seed.begin());
    pair.m_comment = sanitizeComment(comment);
    return pair;
}

Ed25519KeyPair::Ed25519KeyPair(Ed25519KeyPair&& other) noexcept
    : m_seed(other.m_seed)
    , m_public(other.m_public)
    , m_comment(std::move(other.m_comment))
{
    other.wipe();
}

Ed25519KeyPair& Ed25519KeyPair::operator=(Ed25519KeyPair&& other) noexcept
{
    if (this != &other) {
        m_seed = other.m_seed;
        m_public = other.m_public;
        m_comment = std::move(other.m_comment);
        other.wipe();
    }
    return *this;
}

Ed25519KeyPair::~Ed25519KeyPair()
{
    wipe();
}

void Ed25519KeyPair::wipe()
{
    OPENSSL_cleanse(m_seed.data(), m_seed.size());
}

QByteArray Ed25519KeyPair::publicKey() const
{
    return QByteArray(reinterpret_cast<const char*>(m_public.data()), KeySize);
}

QByteArray Ed25519KeyPair::publicKeyBlob() const
{
    QByteArray blob;
    SshWire::appendString(blob, kKeyType);
    SshWire::appendString(blob, publicKey());
    return blob;
}

QString Ed25519KeyPair::publicKeyLine() const
{
    QString line = QString::fromLatin1(kKeyType) + QLatin1Char(' ') + QString::fromLatin1(publicKeyBlob().toBase64());
    if (!m_comment.isEmpty())
        line += QLatin1Char(' ') + m_comment;
    return line;
}

QString Ed25519KeyPair::fingerprint() const
{
    const QByteArray digest = QCryptographicHash::hash(publicKeyBlob(), QCryptographicHash::Sha256);
    return QStringLiteral("SHA256:")
        + QString::fromLatin1(digest.toBase64(QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals));
}

QByteArray Ed25519KeyPair::sshPrivateKey() const
{
    QByteArray key(reinterpret_cast<const char*>(m_seed.data()), KeySize);
    key.append(reinterpret_cast<const char*>(m_public.data()), KeySize);
    return key;
}

QByteArray Ed25519KeyPair::toOpenSshPrivateKey() const
{
    // The private section starts with the same random 32-bit value twice: readers compare them to tell a
    // wrong passphrase from a right one. Unencrypted keys still carry it.
    const quint32 checkInt = QRandomGenerator::system()->generate();
    QByteArray priv = sshPrivateKey();
    // Reserve up front so growing never leaves copies of the secret in freed heap blocks.
    const QByteArray comment = m_comment.toUtf8();
    QByteArray section;
    section.reserve(160 + comment.size());
    SshWire::appendUint32(section, checkInt);
    SshWire::appendUint32(section, checkInt);
    SshWire::appendString(section, kKeyType);
    SshWire::appendString(section, publicKey());
    SshWire::appendString(section, priv);
    SshWire::appendString(section, comment);
    for (char pad = 1; section.size() % kCipherBlockSize != 0; ++pad)
        section.append(pad);
    cleanse(priv);

    QByteArray body;
    body.reserve(section.size() + 128);
    body.append("openssh-key-v1", sizeof("openssh-key-v1")); // includes the terminating NUL
    SshWire::appendString(body, "none"); // cipher
    SshWire::appendString(body, "none"); // kdf
    SshWire::appendString(body, ""); // kdf options
    SshWire::appendUint32(body, 1); // number of keys
    SshWire::appendString(body, publicKeyBlob());
    SshWire::appendString(body, section);
    cleanse(section);

    QByteArray encoded = body.toBase64();
    cleanse(body);
    QByteArray out("-----BEGIN OPENSSH PRIVATE KEY-----\n");
    out.reserve(out.size() + encoded.size() + encoded.size() / kBase64Wrap + 40);
    for (qsizetype i = 0; i < encoded.size(); i += kBase64Wrap) {
        out.append(encoded.constData() + i, qMin<qsizetype>(kBase64Wrap, encoded.size() - i));
        out.append('\n');
    }
    out.append("-----END OPENSSH PRIVATE KEY-----\n");
    cleanse(encoded);
    return out;
}

} // namespace bl
