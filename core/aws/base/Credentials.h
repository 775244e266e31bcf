#pragma once
// AWS credentials as every part of the app sees them, whatever provider produced them.

#include <QDateTime>
#include <QString>

#include <optional>

namespace bl {

struct Credentials
{
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken; // empty for long-term keys
    std::optional<QDateTime> expiration; // UTC; empty = does not expire
    QString accountId; // when the provider knows it
    QString source; // for people: "environment", "profile dev (SSO)", ...

    bool isValid() const { return !accessKeyId.isEmpty() && !secretAccessKey.isEmpty(); }
    bool expiresWithin(const QDateTime& nowUtc, qint64 secs) const
    {
        return expiration && nowUtc.secsTo(*expiration) < secs;
    }
};

} // namespace bl
