#include "core/keys/EphemeralKeyFile.h"

#include "core/keys/Ed25519KeyPair.h"
#include "core/util/Log.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <openssl/crypto.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace bl {

namespace {

Error writeError(const QString& path, int err)
{
    return Error::make(ErrorKind::Io,
                       QStringLiteral("Cannot write the temporary key file %1: %2")
                           .arg(path, QString::fromLocal8Bit(std::strerror(err))),
                       QStringLiteral("Check that the runtime directory is writable and the disk is not full."));
}

// O_EXCL|O_NOFOLLOW: never reuse or follow an entry someone planted. The mode is given to open() so the file
// is never more permissive, and fchmod() fixes it up in case the umask took away the owner's bits.
Result<void> writeNewFile(const QString& path, const QByteArray& data)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return writeError(path, errno);
    int err = 0;
    if (::fchmod(fd, 0600) != 0)
        err = errno;
    qsizetype written = 0;
    while (err == 0 && written < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + written, size_t(data.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            err = n < 0 ? errno : EIO;
        else
            written += n;
    }
    if (::close(fd) != 0 && err == 0)
        err = errno;
    if (err != 0) {
        ::unlink(native.constData());
        return writeError(path, err);
    }
    return {};
}

void unlinkQuietly(const QString& path)
{
    if (!path.isEmpty() && ::unlink(QFile::encodeName(path).constData()) != 0 && errno != ENOENT)
        qCWarning(lcKeys) << "Could not delete temporary key file" << path << ":" << std::strerror(errno);
}

} // namespace

QString EphemeralKeyFile::filePrefix()
{
    return QStringLiteral("bl-key-");
}

Result<EphemeralKeyFile> EphemeralKeyFile::create(const QString& dir, const Ed25519KeyPair& key)
{
    QByteArray secret = key.toOpenSshPrivateKey();
    auto result = create(dir, secret, key.publicKeyLine().toUtf8() + '\n');
    OPENSSL_cleanse(secret.data(), size_t(secret.size()));
    return result;
}

Result<EphemeralKeyFile> EphemeralKeyFile::create(const QString& dir, const QByteArray& privateKey,
                                                  const QByteArray& publicKeyLine)
{
    const quint64 nonce = QRandomGenerator::system()->generate64();
    const QString base =
        QDir(dir).filePath(filePrefix() + QString::number(nonce, 16).rightJustified(16, QLatin1Char('0')));
    const QString publicPath = publicKeyLine.isEmpty() ? QString() : base + QStringLiteral(".pub");

    if (auto written = writeNewFile(base, privateKey); !written)
        return written.error();
    if (!publicPath.isEmpty()) {
        if (auto written = writeNewFile(publicPath, publicKeyLine); !written) {
            unlinkQuietly(base);
            return written.error();
        }
    }
    qCDebug(lcKeys) << "Wrote temporary key file" << base;
    return EphemeralKeyFile(base, publicPath);
}

int EphemeralKeyFile::removeStale(const QString& dir, std::chrono::minutes maxAge, const QDateTime& now)
{
    const qint64 cutoff = now.toSecsSinceEpoch() - std::chrono::duration_cast<std::chrono::seconds>(maxAge).count();
    int removed = 0;
    const QStringList names =
        QDir(dir).entryList({filePrefix() + QLatin1Char('*')}, QDir::Files | QDir::Hidden | QDir::System);
    for (const QString& name : names) {
        // lstat: a planted symlink is judged (and deleted) as itself, its target is never touched.
        const QString path = QDir(dir).filePath(name);
        const QByteArray native = QFile::encodeName(path);
        struct stat st = {};
        if (::lstat(native.constData(), &st) != 0 || S_ISDIR(st.st_mode) || st.st_mtime >= cutoff)
            continue;
        if (::unlink(native.constData()) == 0)
            ++removed;
        else
            qCWarning(lcKeys) << "Could not delete stale key file" << path << ":" << std::strerror(errno);
    }
    if (removed > 0)
        qCInfo(lcKeys) << "Removed" << removed << "stale temporary key files from" << dir;
    return removed;
}

EphemeralKeyFile::EphemeralKeyFile(QString path, QString publicPath)
    : m_path(std::move(path))
    , m_publicPath(std::move(publicPath))
{ }

EphemeralKeyFile::EphemeralKeyFile(EphemeralKeyFile&& other) noexcept
    : m_path(std::exchange(other.m_path, {}))
    , m_publicPath(std::exchange(other.m_publicPath, {}))
{ }

EphemeralKeyFile& EphemeralKeyFile::operator=(EphemeralKeyFile&& other) noexcept
{
    if (this != &other) {
        remove();
        m_path = std::exchange(other.m_path, {});
        m_publicPath = std::exchange(other.m_publicPath, {});
    }
    return *this;
}

EphemeralKeyFile::~EphemeralKeyFile()
{
    remove();
}

void EphemeralKeyFile::remove()
{
    unlinkQuietly(m_path);
    unlinkQuietly(m_publicPath);
    m_path.clear();
    m_publicPath.clear();
}

} // namespace bl

namespace bl {

QString EphemeralKeyFile::release()
{
    const QString path = m_path;
    m_path.clear();
    m_publicPath.clear();
    return path;
}

} // namespace bl
