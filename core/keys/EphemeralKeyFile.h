#pragma once
// EphemeralKeyFile: a private key written to disk only for as long as `ssh -i` needs it. The file is
// created 0600 in one step (never readable by others, whatever the umask), its .pub sits next to it, and
// both are deleted when the object dies or remove() is called. removeStale() sweeps files that a crashed
// run left behind.

#include "core/util/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <chrono>

namespace bl {

class Ed25519KeyPair;

class EphemeralKeyFile
{
public:
    // File names start with this prefix; removeStale() deletes nothing else.
    static QString filePrefix();

    // Writes key.toOpenSshPrivateKey() and key.publicKeyLine() under dir (normally RuntimeDir::ensure()'s result).
    static Result<EphemeralKeyFile> create(const QString& dir, const Ed25519KeyPair& key);
    // Writes arbitrary key material; publicKeyLine may be empty (then no .pub file).
    static Result<EphemeralKeyFile> create(const QString& dir, const QByteArray& privateKey,
                                           const QByteArray& publicKeyLine);

    // Removes files named filePrefix()* in dir whose modification time is older than maxAge before now.
    // Returns how many files were removed.
    static int removeStale(const QString& dir, std::chrono::minutes maxAge,
                           const QDateTime& now = QDateTime::currentDateTimeUtc());

    EphemeralKeyFile(EphemeralKeyFile&& other) noexcept;
    EphemeralKeyFile& operator=(EphemeralKeyFile&& other) noexcept;
    EphemeralKeyFile(const EphemeralKeyFile&) = delete;
    EphemeralKeyFile& operator=(const EphemeralKeyFile&) = delete;
    ~EphemeralKeyFile();

    QString path() const { return m_path; } // the private key, for `ssh -i`
    QString publicKeyPath() const { return m_publicPath; } // empty when none was written
    // Deletes the files now; idempotent.
    void remove();
    // Gives up ownership: the files stay on disk (the person asked to manage them). Returns the path.
    QString release();

private:
    EphemeralKeyFile(QString path, QString publicPath);

    QString m_path;
    QString m_publicPath;
};

} // namespace bl
