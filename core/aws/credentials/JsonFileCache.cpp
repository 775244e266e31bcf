#include "core/aws/credentials/JsonFileCache.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace bl {

JsonFileCache::JsonFileCache(QString directory)
    : m_directory(std::move(directory))
{ }

QString JsonFileCache::path(const QString& key) const
{
    return QDir(m_directory).filePath(key + QStringLiteral(".json"));
}

Result<std::optional<QJsonObject>> JsonFileCache::read(const QString& key) const
{
    const QString p = path(key);
    QFile f(p);
    if (!f.exists())
        return std::optional<QJsonObject>();
    if (!f.open(QIODevice::ReadOnly)) {
        return Error::make(ErrorKind::Io, QStringLiteral("Cannot read %1: %2").arg(p, f.errorString()),
                           QStringLiteral("Check the file's permissions."));
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        return Error::make(ErrorKind::Parse,
                           QStringLiteral("%1 is not a JSON object%2")
                               .arg(p,
                                    pe.error != QJsonParseError::NoError
                                        ? QStringLiteral(" (%1 at offset %2)").arg(pe.errorString()).arg(pe.offset)
                                        : QString()),
                           QStringLiteral("Delete the file; it is a cache and will be written again."));
    }
    return std::optional<QJsonObject>(doc.object());
}

Result<void> JsonFileCache::write(const QString& key, const QJsonObject& object) const
{
    QDir dir(m_directory);
    if (!dir.exists()) {
        if (!QDir().mkpath(m_directory)) {
            return Error::make(ErrorKind::Io, QStringLiteral("Cannot create the cache directory %1").arg(m_directory),
                               QStringLiteral("Check the permissions of its parent directory."));
        }
        QFile::setPermissions(m_directory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    const QString p = path(key);
    QSaveFile f(p);
    if (!f.open(QIODevice::WriteOnly)) {
        return Error::make(ErrorKind::Io, QStringLiteral("Cannot write %1: %2").arg(p, f.errorString()),
                           QStringLiteral("Check the permissions of %1.").arg(m_directory));
    }
    // Restrict before any byte of a secret is written.
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(QJsonDocument(object).toJson(QJsonDocument::Compact));
    if (!f.commit()) {
        return Error::make(ErrorKind::Io, QStringLiteral("Cannot write %1: %2").arg(p, f.errorString()),
                           QStringLiteral("Check free disk space and the permissions of %1.").arg(m_directory));
    }
    return {};
}

bool JsonFileCache::remove(const QString& key) const
{
    return QFile::remove(path(key));
}

} // namespace bl
