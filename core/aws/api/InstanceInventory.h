#pragma once
// Lists one profile's instances across many regions at once (a bounded number of regions in flight), and
// resolves the INSTANCE argument a person types — an instance id or a Name tag — to exactly one instance.
// A region that fails does not hide the others: the result carries every instance found plus one error per
// failed region, so the GUI can show the list and a banner.

#include "core/aws/api/AwsSession.h"
#include "core/aws/api/Types.h"

#include <QObject>

#include <memory>

namespace bl {

struct RegionError
{
    QString region;
    QString operation; // "DescribeInstances", or "DescribeRegions" when the region list itself failed
    Error error;
};

struct InventoryResult
{
    QList<Instance> instances; // grouped by region, in the order of `regions`, each region in EC2's order
    QStringList regions; // the regions searched
    QList<RegionError> errors; // empty when every region answered
    bool complete() const { return errors.isEmpty(); }
};

class InstanceInventory : public QObject
{
    Q_OBJECT
public:
    static constexpr int defaultMaxInFlight = 8;
    // Where DescribeRegions goes when the profile names no region.
    static constexpr const char* fallbackRegion = "us-east-1";

    explicit InstanceInventory(AwsSession& session, QObject* parent = nullptr);
    ~InstanceInventory() override;

    void setMaxInFlight(int regions); // at least 1
    int maxInFlight() const { return m_maxInFlight; }

    // regions empty = every region enabled for the account (DescribeRegions in the profile's region first;
    // if that fails, the profile's region alone, with the failure in errors). Starting a new list() cancels
    // the one still running (its callback gets ErrorKind::Cancelled). Fails as a whole only when no region
    // could be listed at all (then with the first region's error). Emits progress() as regions finish.
    void list(const QStringList& regions, const QList<Ec2Filter>& filters, Callback<InventoryResult> done);

    // idOrName: "i-0123456789abcdef0" or the value of a Name tag. Searches `regions` (empty = every enabled
    // region). None -> ErrorKind::NotFound; several -> ErrorKind::Usage listing the candidates. When a name
    // matches live and terminated instances, the terminated ones are ignored.
    void resolve(const QString& idOrName, const QStringList& regions, Callback<Instance> done);

    // Cancels every running list() and resolve(); their callbacks get ErrorKind::Cancelled.
    void cancel();

    static bool looksLikeInstanceId(const QString& text);

Q_SIGNALS:
    void progress(int regionsDone, int regionsTotal);

private:
    struct Job;
    void start(const std::shared_ptr<Job>& job);
    void fanOut(const std::shared_ptr<Job>& job);
    void launchNext(const std::shared_ptr<Job>& job);
    void finish(const std::shared_ptr<Job>& job);
    void deliverResolve(const QString& idOrName, const InventoryResult& result, Callback<Instance> done);

    AwsSession& m_session;
    int m_maxInFlight = defaultMaxInFlight;
    std::shared_ptr<Job> m_currentList;
    QList<std::weak_ptr<Job>> m_jobs;
};

} // namespace bl
