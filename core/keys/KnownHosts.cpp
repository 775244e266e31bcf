#include "core/keys/KnownHosts.h"

#include "core/keys/SshWire.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

namespace bl {

namespace {

struct Entry
{
    QStringList hosts;
    QString type;
    QString base64;
};

QStringList splitFields(const QString& line)
{
    static const QRegularExpression whitespace(QStringLiteral("\\s+"));
    return line.split(whitespace, Qt::SkipEmptyParts);
}

// Lines we understand: "hosts type base64 [comment]". Comments, blanks and @marker lines are not entries.
bool parseEntry(const QString& line, Entry& entry)
{
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#')) || trimmed.startsWith(QLatin1Char('@')))
        return false;
    const QStringList fields = splitFields(trimmed);
    if (fields.size() < 3)
        return false;
    entry.hosts = fields[0].split(QLatin1Char(','), Qt::SkipEmptyParts);
    entry.type = fields[1];
    entry.base64 = fields[2];
    return true;
}

bool containsHost(const QStringList& hosts, const QString& alias)
{
    return hosts.contains(alias, Qt::CaseInsensitive);
}

Result<void> validateAlias(const QString& alias)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9._:\\[\\]-]+$"));
    if (!plain.match(alias).hasMatch())
        return Error::make(ErrorKind::Usage, QStringLiteral("'%1' cannot be used as a known_hosts name").arg(alias),
                           QStringLiteral("Use the instance id, e.g. i-0123456789abcdef0."));
    return {};
}

// Splits "<type> <base64> [comment]" and checks that the blob really is a key of that type.
Result<QStringList> parseKey(const QString& key)
{
    const QStringList fields = splitFields(key);
    const auto bad = [&key](const QString& why) {
        return Error::make(ErrorKind::Parse,
                           QStringLiteral("Not an OpenSSH public key (%1): %2").arg(why, key.left(60)),
                           QStringLiteral("Expected \"<type> <base64>\", e.g. \"ssh-ed25519 AAAAC3Nza...\"."));
    };
    if (fields.size() < 2)
        return bad(QStringLiteral("expected a type and a base64 blob"));
    const auto blob = QByteArray::fromBase64Encoding(fields[1].toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    qsizetype pos = 0;
    QByteArray innerType;
    if (!blob || !SshWire::readString(blob.decoded, pos, innerType))
        return bad(QStringLiteral("the blob is not valid base64 key data"));
    if (QString::fromLatin1(innerType) != fields[0])
        return bad(QStringLiteral("the blob holds a %1 key, not %2").arg(QString::fromLatin1(innerType), fields[0]));
    return QStringList {fields[0], fields[1]};
}

} // namespace

KnownHosts::KnownHosts(QString path)
    : m_path(std::move(path))
{ }

Result<QStringList> KnownHosts::readLines() const
{
    QFile file(m_path);
    if (!file.exists())
        return QStringList {};
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return Error::make(ErrorKind::Io,
                           QStringLiteral("Cannot read the known hosts file %1: %2").arg(m_path, file.errorString()));
    return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
}

Result<QStringList> KnownHosts::lookup(const QString& alias) const
{
    auto lines = readLines();
    if (!lines)
        return lines.error();
    QStringList keys;
    Entry entry;
    for (const QString& line : *lines) {
        if (parseEntry(line, entry) && containsHost(entry.hosts, alias))
            keys.append(entry.type + QLatin1Char(' ') + entry.base64);
    }
    return keys;
}

Result<KnownHosts::Status> KnownHosts::check(const QString& alias, const QString& key) const
{
    const auto parsed = parseKey(key);
    if (!parsed)
        return parsed.error();
    const auto known = lookup(alias);
    if (!known)
        return known.error();
    Status status = Status::Unknown;
    for (const QString& recorded : *known) {
        const QStringList fields = splitFields(recorded);
        if (fields[0] != parsed->at(0))
            continue;
        if (fields[1] == parsed->at(1))
            return Status::Matches;
        status = Status::Changed;
    }
    return status;
}

Result<void> KnownHosts::record(const QString& alias, const QString& key)
{
    if (auto valid = validateAlias(alias); !valid)
        return valid;
    const auto parsed = parseKey(key);
    if (!parsed)
        return parsed.error();
    return rewrite(alias, parsed->at(0), alias + QLatin1Char(' ') + parsed->join(QLatin1Char(' ')));
}

Result<void> KnownHosts::forget(const QString& alias)
{
    if (auto valid = validateAlias(alias); !valid)
        return valid;
    return rewrite(alias, {}, {});
}

// Drops alias from the entries of dropType (of every type when dropType is empty), keeping the other names of
// shared lines and every line we do not understand, then appends appendLine.
Result<void> KnownHosts::rewrite(const QString& alias, const QString& dropType, const QString& appendLine)
{
    auto lines = readLines();
    if (!lines)
        return lines.error();
    QStringList out;
    Entry entry;
    for (const QString& line : *lines) {
        if (!parseEntry(line, entry) || !containsHost(entry.hosts, alias)
            || (!dropType.isEmpty() && entry.type != dropType)) {
            out.append(line);
            continue;
        }
        QStringList others;
        for (const QString& host : entry.hosts) {
            if (host.compare(alias, Qt::CaseInsensitive) != 0)
                others.append(host);
        }
        if (!others.isEmpty()) {
            QStringList fields = splitFields(line);
            fields[0] = others.join(QLatin1Char(','));
            out.append(fields.join(QLatin1Char(' ')));
        }
    }
    while (!out.isEmpty() && out.last().trimmed().isEmpty())
        out.removeLast();
    if (!appendLine.isEmpty())
        out.append(appendLine);

    if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return Error::make(ErrorKind::Io, QStringLiteral("Cannot create the directory of %1").arg(m_path));
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return Error::make(ErrorKind::Io,
                           QStringLiteral("Cannot write the known hosts file %1: %2").arg(m_path, file.errorString()));
    file.write(out.isEmpty() ? QByteArray() : out.join(QLatin1Char('\n')).toUtf8() + '\n');
    if (!file.commit())
        return Error::make(ErrorKind::Io,
                           QStringLiteral("Cannot save the known hosts file %1: %2").arg(m_path, file.errorString()));
    return {};
}

} // namespace bl
