#pragma once
// Python's json.dumps(obj, sort_keys=True) reproduced byte for byte: the AWS CLI derives its cache file
// names from SHA-1 hashes of that text (PROTOCOLS.md §2.4, §2.6), so Bastionless must produce the very
// same bytes to share ~/.aws/cli/cache and ~/.aws/sso/cache with the CLI.

#include <QByteArray>
#include <QJsonValue>

namespace bl {

class PythonJson
{
public:
    enum class Separators {
        Default, // ", " and ": " (json.dumps default)
        Compact, // "," and ":"
    };
    // Keys sorted, ensure_ascii (non-ASCII as \uXXXX), integral numbers without a fraction.
    static QByteArray dumps(const QJsonValue& value, Separators separators = Separators::Default);
    // A JSON string literal as json.dumps writes it (ensure_ascii).
    static QByteArray quote(const QString& text);
    // Lower-case hex SHA-1 of data.
    static QString sha1Hex(const QByteArray& data);
};

} // namespace bl
