#include "core/aws/api/InstanceInventory.h"

#include "core/aws/api/Ec2Client.h"
#include "core/util/Log.h"

#include <QRegularExpression>
#include <QTimer>

#include <optional>

namespace bl {

struct InstanceInventory::Job
{
    QStringList regions;
    QStringList skipRegions; // already searched (resolve by id looks in the profile's region first)
    QList<Ec2Filter> filters;
    QStringList instanceIds;
    bool missingIdIsEmpty = false; // resolve by id: InvalidInstanceID.NotFound only means "not here"
    bool reportProgress = false;
    Callback<InventoryResult> done;

    QList<QList<Instance>> perRegion;
    QList<std::optional<Error>> perRegionError;
    QList<RegionError> regionListErrors;
    qsizetype next = 0;
    int inFlight = 0;
    int finished = 0;
    bool over = false; // delivered or cancelled: late answers are ignored
};

InstanceInventory::InstanceInventory(AwsSession& session, QObject* parent)
    : QObject(parent)
    , m_session(session)
{ }

InstanceInventory::~InstanceInventory() = default;

void InstanceInventory::setMaxInFlight(int regions)
{
    m_maxInFlight = qMax(1, regions);
}

bool InstanceInventory::looksLikeInstanceId(const QString& text)
{
    static const QRegularExpression id(QStringLiteral("^i-[0-9a-f]{8,17}$"));
    return id.match(text).hasMatch();
}

void InstanceInventory::list(const QStringList& regions, const QList<Ec2Filter>& filters,
                             Callback<InventoryResult> done)
{
    if (m_currentList && !m_currentList->over) {
        auto previous = m_currentList;
        previous->over = true;
        QTimer::singleShot(0, this, [previous] {
            previous->done(
                Error::make(ErrorKind::Cancelled, QStringLiteral("The instance list was replaced by a newer refresh")));
        });
    }
    auto job = std::make_shared<Job>();
    job->regions = regions;
    job->filters = filters;
    job->reportProgress = true;
    job->done = std::move(done);
    m_currentList = job;
    start(job);
}

void InstanceInventory::resolve(const QString& idOrName, const QStringList& regions, Callback<Instance> done)
{
    const QString arg = idOrName.trimmed();
    auto job = std::make_shared<Job>();
    job->regions = regions;
    if (arg.isEmpty()) {
        QTimer::singleShot(0, this, [done] {
            done(Error::make(ErrorKind::Usage, QStringLiteral("No instance given"),
                             QStringLiteral("Name the instance by its id (i-...) or by its Name tag.")));
        });
        return;
    }
    if (looksLikeInstanceId(arg)) {
        job->instanceIds = {arg};
        job->missingIdIsEmpty = true;
    } else {
        job->filters = {{QStringLiteral("tag:Name"), {arg}}};
    }
    job->done = [this, arg, done](Result<InventoryResult> result) {
        if (!result) {
            done(result.error());
            return;
        }
        deliverResolve(arg, *result, done);
    };

    // An id is unique, and usually lives in the profile's own region: ask there first, and only search the
    // other regions when it is not there.
    const QString home = m_session.defaultRegion();
    if (!job->instanceIds.isEmpty() && regions.isEmpty() && !home.isEmpty()) {
        auto first = std::make_shared<Job>();
        first->regions = {home};
        first->instanceIds = job->instanceIds;
        first->missingIdIsEmpty = true;
        first->done = [this, job, home, arg, done](Result<InventoryResult> result) {
            if (result && result->instances.size() == 1) {
                done(result->instances.first());
                return;
            }
            if (!result
                && (result.error().kind == ErrorKind::Credentials || result.error().kind == ErrorKind::Cancelled)) {
                done(result.error());
                return;
            }
            if (result)
                job->skipRegions = {home};
            start(job);
        };
        start(first);
        return;
    }
    start(job);
}

void InstanceInventory::cancel()
{
    for (const std::weak_ptr<Job>& weak : std::as_const(m_jobs)) {
        auto job = weak.lock();
        if (!job || job->over)
            continue;
        job->over = true;
        QTimer::singleShot(0, this, [job] {
            job->done(Error::make(ErrorKind::Cancelled, QStringLiteral("Listing instances was cancelled")));
        });
    }
    m_jobs.clear();
    m_currentList.reset();
}

void InstanceInventory::start(const std::shared_ptr<Job>& job)
{
    m_jobs.removeIf([](const std::weak_ptr<Job>& weak) { return weak.expired(); });
    m_jobs.append(job);

    if (!job->regions.isEmpty()) {
        if (job->regions.size() == 1) {
            fanOut(job);
            return;
        }
        // Resolve credentials once before the fan-out, so that an assume-role or SSO provider is asked once
        // (and an MFA prompt appears once) rather than by every region at the same time.
        m_session.credentials().fetch(this, [this, job](Result<Credentials> creds) {
            if (job->over)
                return;
            if (!creds) {
                job->over = true;
                job->done(creds.error());
                return;
            }
            fanOut(job);
        });
        return;
    }

    const QString home = m_session.defaultRegion();
    const QString where = home.isEmpty() ? QString::fromLatin1(fallbackRegion) : home;
    Ec2Client(m_session).describeRegions(where, false, this, [this, job, home](Result<QList<Region>> regions) {
        if (job->over)
            return;
        if (!regions) {
            if (home.isEmpty()) {
                job->over = true;
                job->done(regions.error());
                return;
            }
            qCWarning(lcAws) << "DescribeRegions failed; listing only" << home << ":" << regions.error().summary();
            job->regionListErrors.append({home, QStringLiteral("DescribeRegions"), regions.error()});
            job->regions = {home};
        } else {
            for (const Region& r : std::as_const(*regions)) {
                if (r.isEnabled() && !job->skipRegions.contains(r.name))
                    job->regions.append(r.name);
            }
        }
        fanOut(job);
    });
}

void InstanceInventory::fanOut(const std::shared_ptr<Job>& job)
{
    const auto total = job->regions.size();
    job->perRegion.resize(total);
    job->perRegionError.resize(total);
    if (job->reportProgress)
        Q_EMIT progress(0, int(total));
    if (total == 0) {
        finish(job);
        return;
    }
    launchNext(job);
}

void InstanceInventory::launchNext(const std::shared_ptr<Job>& job)
{
    while (job->inFlight < m_maxInFlight && job->next < job->regions.size()) {
        const qsizetype index = job->next++;
        ++job->inFlight;
        Ec2Client(m_session).describeInstances(job->regions.at(index), job->filters, job->instanceIds, this,
                                               [this, job, index](Result<QList<Instance>> result) {
                                                   if (job->over)
                                                       return;
                                                   --job->inFlight;
                                                   ++job->finished;
                                                   if (result) {
                                                       job->perRegion[index] = std::move(*result);
                                                   } else if (job->missingIdIsEmpty
                                                              && result.error().awsCode
                                                                  == QLatin1String("InvalidInstanceID.NotFound")) {
                                                       // Not in this region; that is an answer, not a failure.
                                                   } else {
                                                       job->perRegionError[index] = result.error();
                                                   }
                                                   if (job->reportProgress)
                                                       Q_EMIT progress(job->finished, int(job->regions.size()));
                                                   if (job->finished == job->regions.size())
                                                       finish(job);
                                                   else
                                                       launchNext(job);
                                               });
    }
}

void InstanceInventory::finish(const std::shared_ptr<Job>& job)
{
    job->over = true;
    if (m_currentList == job)
        m_currentList.reset();

    InventoryResult result;
    result.regions = job->skipRegions + job->regions;
    result.errors = job->regionListErrors;
    int failedRegions = 0;
    for (qsizetype i = 0; i < job->regions.size(); ++i) {
        result.instances.append(job->perRegion.at(i));
        if (job->perRegionError.at(i)) {
            ++failedRegions;
            result.errors.append({job->regions.at(i), QStringLiteral("DescribeInstances"), *job->perRegionError.at(i)});
        }
    }
    if (failedRegions > 0 && failedRegions == job->regions.size()) {
        // Nothing could be listed anywhere: that is a failure (usually credentials or permissions), not a
        // partial result.
        for (qsizetype i = 0; i < job->regions.size(); ++i) {
            if (job->perRegionError.at(i)) {
                job->done(*job->perRegionError.at(i));
                return;
            }
        }
    }
    job->done(std::move(result));
}

void InstanceInventory::deliverResolve(const QString& idOrName, const InventoryResult& result, Callback<Instance> done)
{
    const bool byId = looksLikeInstanceId(idOrName);
    QList<Instance> matches = result.instances;
    if (!byId && matches.size() > 1) {
        QList<Instance> live;
        for (const Instance& i : std::as_const(matches)) {
            if (i.state != InstanceState::Terminated && i.state != InstanceState::ShuttingDown)
                live.append(i);
        }
        if (!live.isEmpty())
            matches = live;
    }
    if (matches.size() == 1) {
        done(matches.first());
        return;
    }

    const QString what =
        byId ? QStringLiteral("instance %1").arg(idOrName) : QStringLiteral("instance named '%1'").arg(idOrName);
    if (matches.isEmpty()) {
        const QString searched = result.regions.size() <= 4 ? result.regions.join(QStringLiteral(", "))
                                                            : QStringLiteral("%1 regions").arg(result.regions.size());
        QString message =
            QStringLiteral("No %1 in profile '%2' (searched %3)")
                .arg(what, m_session.profileName(), searched.isEmpty() ? QStringLiteral("no regions") : searched);
        QString hint = byId ? QStringLiteral("Check the id and the profile; pass --region if the instance is in "
                                             "another region.")
                            : QStringLiteral("The name is the instance's Name tag and is case-sensitive. Check the "
                                             "spelling and the profile, or pass the instance id.");
        if (!result.errors.isEmpty()) {
            QStringList failed;
            for (const RegionError& e : result.errors)
                failed.append(QStringLiteral("%1: %2").arg(e.region, e.error.summary()));
            message += QStringLiteral("; could not search %1").arg(failed.join(QStringLiteral("; ")));
            hint += QStringLiteral(" Some regions could not be searched, so the instance may be there.");
        }
        done(Error::make(ErrorKind::NotFound, message, hint));
        return;
    }

    QStringList candidates;
    for (const Instance& i : std::as_const(matches))
        candidates.append(QStringLiteral("%1 (%2, %3)").arg(i.id, i.region, i.stateName));
    done(Error::make(ErrorKind::Usage,
                     QStringLiteral("The %1 is ambiguous: %2 instances match: %3")
                         .arg(what)
                         .arg(matches.size())
                         .arg(candidates.join(QStringLiteral(", "))),
                     QStringLiteral("Pass the instance id instead, or narrow the search with --region.")));
}

} // namespace bl
