#pragma once
// KnownHosts: Bastionless's own known_hosts file, keyed by instance id rather than host name because every
// tunnel reaches its instance at 127.0.0.1:<some port>. ssh is pointed at the same file with
// UserKnownHostsFile=<path> and HostKeyAlias=<instance id>, so entries are plain OpenSSH lines
// ("i-0123456789abcdef0 ssh-ed25519 AAAA..."). Hashed names, wildcards and @markers written by other tools
// are left alone and never match.

#include "core/util/Result.h"

#include <QString>
#include <QStringList>

namespace bl {

class KnownHosts
{
public:
    enum class Status {
        Unknown, // no key of this type recorded for the alias
        Matches,
        Changed, // a different key of the same type is recorded: possible man in the middle, or a rebuilt instance
    };

    explicit KnownHosts(QString path);
    QString path() const { return m_path; }

    // Keys recorded for alias, each normalised to "<type> <base64>". A missing file is an empty list.
    Result<QStringList> lookup(const QString& alias) const;
    // key is "<type> <base64> [comment]" (a .pub line or ssh-keyscan output without the host).
    Result<Status> check(const QString& alias, const QString& key) const;
    // Records key for alias, replacing any key of the same type; creates the file and its directory.
    Result<void> record(const QString& alias, const QString& key);
    // Removes every key recorded for alias (e.g. after the user accepted a changed key, or terminated it).
    Result<void> forget(const QString& alias);

private:
    Result<QStringList> readLines() const;
    Result<void> rewrite(const QString& alias, const QString& dropType, const QString& appendLine);

    QString m_path;
};

} // namespace bl
