#pragma once
// Ed25519KeyPair: the ephemeral key Bastionless generates per connection. It renders the public key as an
// OpenSSH line (what SendSSHPublicKey uploads), the private key in the unencrypted openssh-key-v1 format
// (what `ssh -i` reads) and the SHA256 fingerprint exactly as ssh-keygen prints it. The secret seed is
// wiped when the object dies; the object can be moved but not copied so the secret is never duplicated.

#include "core/util/Result.h"

#include <QByteArray>
#include <QString>

#include <array>

namespace bl {

class Ed25519KeyPair
{
public:
    static constexpr int KeySize = 32;

    // A fresh key from OpenSSL's CSPRNG. Line breaks and control characters are removed from the comment.
    static Result<Ed25519KeyPair> generate(const QString& comment = {});
    // The key whose 32-byte private seed is given (RFC 8032 "secret key").
    static Result<Ed25519KeyPair> fromSeed(QByteArrayView seed, const QString& comment = {});

    Ed25519KeyPair(Ed25519KeyPair&& other) noexcept;
    Ed25519KeyPair& operator=(Ed25519KeyPair&& other) noexcept;
    Ed25519KeyPair(const Ed25519KeyPair&) = delete;
    Ed25519KeyPair& operator=(const Ed25519KeyPair&) = delete;
    ~Ed25519KeyPair();

    QString comment() const { return m_comment; }
    QByteArray publicKey() const; // the raw 32 bytes
    // SSH wire encoding: string "ssh-ed25519", string pub.
    QByteArray publicKeyBlob() const;
    // "ssh-ed25519 AAAA... comment" (no comment part when the comment is empty); never truncated.
    QString publicKeyLine() const;
    // "SHA256:" + unpadded base64 of SHA-256(publicKeyBlob()), as `ssh-keygen -l` shows it.
    QString fingerprint() const;

    // The private key file contents ("-----BEGIN OPENSSH PRIVATE KEY-----" ...). SECRET: write it out and
    // OPENSSL_cleanse() the buffer; never log it.
    QByteArray toOpenSshPrivateKey() const;
    // seed || public key, the 64-byte form OpenSSH and the agent protocol call the private key. SECRET.
    QByteArray sshPrivateKey() const;

private:
    Ed25519KeyPair() = default;
    void wipe();

    std::array<unsigned char, KeySize> m_seed {};
    std::array<unsigned char, KeySize> m_public {};
    QString m_comment;
};

} // namespace bl
