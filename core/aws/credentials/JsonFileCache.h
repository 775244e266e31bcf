#pragma once
// A directory of <key>.json files, the layout of the AWS CLI's ~/.aws/cli/cache and ~/.aws/sso/cache.
// Writes are private (0600 files in a 0700 directory when we create it) and atomic (temp file + rename),
// so a crash never leaves half a token behind and `aws` never reads a partial file.

#include "core/util/Result.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace bl {

class JsonFileCache
{
public:
    explicit JsonFileCache(QString directory);

    QString directory() const { return m_directory; }
    QString path(const QString& key) const;
    // nullopt when the file does not exist; an Error (Io / Parse) when it cannot be read or is not a JSON object.
    Result<std::optional<QJsonObject>> read(const QString& key) const;
    Result<void> write(const QString& key, const QJsonObject& object) const;
    bool remove(const QString& key) const;

private:
    QString m_directory;
};

} // namespace bl
