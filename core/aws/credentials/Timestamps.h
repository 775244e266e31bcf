#pragma once
// The timestamp spellings found in credential sources: ISO-8601 with "Z", "+00:00" or (botocore's cache
// files) a "UTC" suffix, with or without fractions; and the "YYYY-MM-DDTHH:MM:SSZ" form the CLI writes.

#include <QDateTime>
#include <QString>

namespace bl {

class Timestamps
{
public:
    // UTC result; an invalid QDateTime when text is not a timestamp. Without a zone, UTC is assumed.
    static QDateTime parseIso8601(const QString& text);
    // "2024-01-15T20:00:00Z"
    static QString formatUtc(const QDateTime& t);
};

} // namespace bl
