#pragma once
// The INI dialect of ~/.aws/config and ~/.aws/credentials, read the way Python's RawConfigParser plus
// botocore's nested-block rule read it (PROTOCOLS.md §2.3). Knows nothing about profiles: it only turns text
// into ordered sections, so that AwsConfig can decide what each section header means per file.

#include "core/util/Result.h"

#include <QList>
#include <QMap>
#include <QString>

namespace bl {

struct IniSection
{
    QString header; // text between the brackets, trimmed
    int line = 0; // 1-based line of the header
    QMap<QString, QString> values; // lower-cased keys, trimmed values
    QMap<QString, QMap<QString, QString>> nested; // "s3 =" followed by indented "k = v" lines
};

class IniParser
{
public:
    // fileName is only used in error messages ("config:12: ...").
    static Result<QList<IniSection>> parse(const QByteArray& text, const QString& fileName);
};

} // namespace bl
