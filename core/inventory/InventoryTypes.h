#pragma once
// The value types of core/inventory: where instances are listed from (a source: one profile's session and
// its regions), what the store holds for each instance (an entry), what went wrong where (errors per source
// and region), and what changed between two looks (a delta, for models that update rows in place).

#include "core/aws/api/Types.h"
#include "core/inventory/Reachability.h"
#include "core/util/Result.h"

#include <QMetaType>

namespace bl {

class AwsSession;

struct InventorySource
{
    AwsSession* session = nullptr; // not owned; outlives the store's use of it
    QString label; // shown to people and part of every entry's key: the profile name, or "environment"
    QString cliProfile; // what `bastionless-cli --profile` gets; empty for the environment's credentials
    QString cliAccount; // what `bastionless-cli --account` gets: the app account's name; empty for other sources
    QStringList regions; // empty: every region enabled for the account
};

struct InventoryEntry
{
    Instance instance;
    QString source; // InventorySource::label
    QString cliProfile;
    QString cliAccount;
    Reachability reach;
    bool stale = false; // its region could not be listed on the last refresh: this is the previous answer

    QString key() const { return makeKey(source, instance.id); }
    static QString makeKey(const QString& source, const QString& instanceId)
    {
        return source + QLatin1Char('/') + instanceId;
    }
};

struct InventoryError
{
    QString source;
    QString region; // empty: the whole source failed (credentials, login, every region)
    QString operation; // DescribeInstances, DescribeRegions, DescribeInstanceConnectEndpoints, ...
    Error error;

    // "prod / eu-west-1", or "prod" when the whole source failed: where, for a banner line (the error's
    // message says what failed).
    QString where() const;
};

struct InventoryDelta
{
    QStringList added;
    QStringList removed;
    QStringList changed;
    bool isEmpty() const { return added.isEmpty() && removed.isEmpty() && changed.isEmpty(); }
};

// True when two descriptions of an instance differ in nothing a person could see.
bool sameInstance(const Instance& a, const Instance& b);

} // namespace bl

Q_DECLARE_METATYPE(bl::InventoryDelta)
