#include "core/keys/RuntimeDir.h"

#include "core/util/Log.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bl {

namespace {

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

Error dirError(const QString& message)
{
    return Error::make(ErrorKind::Io, message,
                       QStringLiteral("Remove or fix that path yourself (it should be a directory owned by you with "
                                      "mode 0700), or set XDG_RUNTIME_DIR to a private directory."));
}

} // namespace

QString RuntimeDir::choosePath(const QString& xdgRuntimeDir, const QString& tmpBase)
{
    if (!xdgRuntimeDir.isEmpty() && QDir::isAbsolutePath(xdgRuntimeDir)) {
        struct stat st = {};
        const QByteArray native = QFile::encodeName(xdgRuntimeDir);
        if (::stat(native.constData(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid()
            && ::access(native.constData(), W_OK | X_OK) == 0)
            return QDir::cleanPath(xdgRuntimeDir) + QStringLiteral("/bastionless");
        qCDebug(lcKeys) << "XDG_RUNTIME_DIR is not usable, falling back to" << tmpBase;
    }
    return QDir::cleanPath(tmpBase) + QStringLiteral("/bastionless-") + QString::number(::geteuid());
}

Result<QString> RuntimeDir::ensure(const QString& path)
{
    if (path.isEmpty() || !QDir::isAbsolutePath(path))
        return Error::make(ErrorKind::Internal,
                           QStringLiteral("Runtime directory path '%1' is not absolute").arg(path));
    const QByteArray native = QFile::encodeName(path);

    if (::mkdir(native.constData(), 0700) != 0 && errno != EEXIST) {
        const int err = errno;
        return dirError(QStringLiteral("Cannot create the private key directory %1: %2").arg(path, errnoText(err)));
    }

    // Open without following symlinks and check what we actually opened: a check on the path followed by a
    // chmod on the path could be raced by someone swapping the entry in between.
    const int fd = ::open(native.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        struct stat lst = {};
        const bool isLink = ::lstat(native.constData(), &lst) == 0 && S_ISLNK(lst.st_mode);
        if (err == ELOOP || isLink)
            return dirError(QStringLiteral("The private key directory %1 is a symbolic link; Bastionless will not "
                                           "store keys through a link someone else may control")
                                .arg(path));
        if (err == ENOTDIR)
            return dirError(QStringLiteral("%1 exists but is not a directory, so Bastionless cannot keep its "
                                           "private key files there")
                                .arg(path));
        return dirError(QStringLiteral("Cannot open the private key directory %1: %2").arg(path, errnoText(err)));
    }

    struct stat st = {};
    Result<QString> result = path;
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        result = dirError(QStringLiteral("Cannot inspect the private key directory %1: %2").arg(path, errnoText(err)));
    } else if (st.st_uid != ::geteuid()) {
        result = dirError(QStringLiteral("The private key directory %1 belongs to another user (uid %2); someone "
                                         "else could read or replace your keys there")
                              .arg(path)
                              .arg(st.st_uid));
    } else if ((st.st_mode & 07777) != 0700 && ::fchmod(fd, 0700) != 0) {
        const int err = errno;
        result = dirError(QStringLiteral("Cannot make the private key directory %1 private (chmod 0700): %2")
                              .arg(path, errnoText(err)));
    }
    ::close(fd);
    return result;
}

Result<QString> RuntimeDir::ensureDefault()
{
    return ensure(choosePath(qEnvironmentVariable("XDG_RUNTIME_DIR")));
}

} // namespace bl
