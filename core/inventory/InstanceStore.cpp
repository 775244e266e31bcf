#include "core/inventory/InstanceStore.h"

#include "core/aws/api/Ec2Client.h"
#include "core/aws/api/InstanceInventory.h"
#include "core/aws/api/SsmClient.h"
#include "core/inventory/InventoryLog.h"

#include <QSet>

namespace bl {

struct InstanceStore::Run
{
    std::unique_ptr<InstanceInventory> inventory;
    bool listing = false;
    int checksPending = 0;
    int regionsDone = 0;
    int regionsTotal = 0;
};

namespace {

QString factsKey(const QString& source, const QString& region)
{
    return source + QLatin1Char('\n') + region;
}

} // namespace

InstanceStore::InstanceStore(QObject* parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &InstanceStore::refresh);
}

InstanceStore::~InstanceStore() = default;

void InstanceStore::setSources(const QList<InventorySource>& sources)
{
    ++m_generation;
    m_sources = sources;
    m_runs.clear();
    for (const InventorySource& s : std::as_const(m_sources)) {
        auto run = std::make_unique<Run>();
        run->inventory = std::make_unique<InstanceInventory>(*s.session);
        run->inventory->setMaxInFlight(m_maxInFlight);
        const int index = int(m_runs.size());
        connect(run->inventory.get(), &InstanceInventory::progress, this, [this, index](int done, int total) {
            m_runs[size_t(index)]->regionsDone = done;
            m_runs[size_t(index)]->regionsTotal = total;
            emitProgress();
        });
        m_runs.push_back(std::move(run));
    }
    m_entries.clear();
    m_index.clear();
    m_facts.clear();
    m_errors.clear();
    m_lastRefresh = {};
    m_refreshing = false;
    m_refreshAgain = false;
    m_timer.stop();
    Q_EMIT reset();
    Q_EMIT errorsChanged();
}

const InventorySource* InstanceStore::source(const QString& label) const
{
    for (const InventorySource& s : m_sources) {
        if (s.label == label)
            return &s;
    }
    return nullptr;
}

void InstanceStore::setMaxRegionsInFlight(int regions)
{
    m_maxInFlight = qMax(1, regions);
    for (const auto& run : m_runs)
        run->inventory->setMaxInFlight(m_maxInFlight);
}

void InstanceStore::setRefreshInterval(int ms)
{
    m_intervalMs = qMax(0, ms);
    if (m_intervalMs == 0)
        m_timer.stop();
    else if (!m_refreshing)
        m_timer.start(m_intervalMs);
}

const InventoryEntry* InstanceStore::entry(const QString& key) const
{
    const auto it = m_index.constFind(key);
    return it == m_index.cend() ? nullptr : &m_entries.at(*it);
}

void InstanceStore::refresh()
{
    if (m_refreshing) {
        m_refreshAgain = true;
        return;
    }
    m_timer.stop();
    m_refreshing = true;
    m_refreshAgain = false;
    ++m_generation;
    Q_EMIT refreshStarted();
    for (const auto& run : m_runs) {
        run->regionsDone = 0;
        run->regionsTotal = 0;
        run->checksPending = 0;
    }
    emitProgress();
    if (m_runs.empty()) {
        // Nothing to list is still an answer: finish from the event loop, as every other answer does.
        const quint64 generation = m_generation;
        QTimer::singleShot(0, this, [this, generation] {
            if (generation == m_generation)
                finishNow();
        });
        return;
    }
    for (int i = 0; i < int(m_runs.size()); ++i)
        listSource(i);
}

void InstanceStore::listSource(int index)
{
    Run& run = *m_runs[size_t(index)];
    run.listing = true;
    const quint64 generation = m_generation;
    const InventorySource& src = m_sources.at(index);
    run.inventory->list(src.regions, {}, [this, index, generation](Result<InventoryResult> result) {
        if (generation != m_generation)
            return;
        m_runs[size_t(index)]->listing = false;
        const QString label = m_sources.at(index).label;
        if (result) {
            applyListing(index, *result);
        } else if (result.error().kind != ErrorKind::Cancelled) {
            qCWarning(lcInventory) << "listing" << label << "failed:" << result.error().summary();
            replaceErrors(label, {InventoryError {label, {}, QStringLiteral("Listing instances"), result.error()}});
            markStale(label, [](const InventoryEntry&) { return true; });
        }
        maybeFinish();
    });
}

void InstanceStore::applyListing(int index, const InventoryResult& result)
{
    const InventorySource& src = m_sources.at(index);
    QList<InventoryError> errors;
    QSet<QString> failedRegions;
    bool regionListFailed = false;
    for (const RegionError& e : result.errors) {
        errors.append({src.label, e.region, e.operation, e.error});
        if (e.operation == QLatin1String("DescribeRegions"))
            regionListFailed = true;
        else
            failedRegions.insert(e.region);
    }
    QSet<QString> listed;
    for (const QString& r : result.regions) {
        if (!failedRegions.contains(r))
            listed.insert(r);
    }
    replaceErrors(src.label, errors);

    InventoryDelta delta;
    QSet<QString> seen;
    QSet<QString> regionsWithInstances;
    for (const Instance& instance : result.instances) {
        InventoryEntry fresh;
        fresh.instance = instance;
        fresh.source = src.label;
        fresh.cliProfile = src.cliProfile;
        fresh.cliAccount = src.cliAccount;
        fresh.reach = assessReachability(instance, facts(src.label, instance.region));
        const QString key = fresh.key();
        seen.insert(key);
        regionsWithInstances.insert(instance.region);
        const auto it = m_index.constFind(key);
        if (it == m_index.cend()) {
            m_index.insert(key, m_entries.size());
            m_entries.append(fresh);
            delta.added.append(key);
            continue;
        }
        InventoryEntry& old = m_entries[*it];
        if (!sameInstance(old.instance, fresh.instance) || !(old.reach == fresh.reach) || old.stale)
            delta.changed.append(key);
        old = fresh;
    }

    // Gone from a region that answered: removed. In a region that did not answer (or was not searched because
    // the region list failed): kept, as the last answer we have.
    QList<InventoryEntry> kept;
    kept.reserve(m_entries.size());
    for (InventoryEntry& e : m_entries) {
        if (e.source != src.label || seen.contains(e.key())) {
            kept.append(std::move(e));
            continue;
        }
        const bool answered =
            listed.contains(e.instance.region) || (!regionListFailed && !failedRegions.contains(e.instance.region));
        if (answered) {
            delta.removed.append(e.key());
            continue;
        }
        if (!e.stale) {
            e.stale = true;
            delta.changed.append(e.key());
        }
        kept.append(std::move(e));
    }
    m_entries = std::move(kept);
    rebuildIndex();
    // A delta's removed keys are no longer in the store; added and changed keys are.
    if (!delta.isEmpty())
        Q_EMIT changed(delta);

    for (const QString& region : std::as_const(listed)) {
        if (regionsWithInstances.contains(region))
            checkRegion(index, region);
        else
            m_facts.remove(factsKey(src.label, region));
    }
}

void InstanceStore::markStale(const QString& source, const std::function<bool(const InventoryEntry&)>& which)
{
    InventoryDelta delta;
    for (InventoryEntry& e : m_entries) {
        if (e.source == source && !e.stale && which(e)) {
            e.stale = true;
            delta.changed.append(e.key());
        }
    }
    if (!delta.isEmpty())
        Q_EMIT changed(delta);
}

void InstanceStore::checkRegion(int index, const QString& region)
{
    const InventorySource& src = m_sources.at(index);
    Run& run = *m_runs[size_t(index)];
    run.checksPending += 2;
    const quint64 generation = m_generation;
    const QString label = src.label;
    const QString key = factsKey(label, region);

    // Each answer replaces the previous refresh's facts on its own, so reachability never flickers to unknown.
    Ec2Client(*src.session)
        .describeInstanceConnectEndpoints(
            region, {}, {}, this,
            [this, index, generation, label, region, key](Result<QList<InstanceConnectEndpoint>> result) {
                if (generation != m_generation)
                    return;
                RegionFacts& f = m_facts[key];
                if (result) {
                    f.endpoints = *result;
                    f.endpointsError.clear();
                } else {
                    f.endpoints.reset();
                    f.endpointsError = result.error().message;
                    addError({label, region, QStringLiteral("DescribeInstanceConnectEndpoints"), result.error()});
                }
                --m_runs[size_t(index)]->checksPending;
                reassess(label, region);
                maybeFinish();
            });
    SsmClient(*src.session)
        .describeInstanceInformation(
            region, {}, {}, this,
            [this, index, generation, label, region, key](Result<QList<InstanceInformation>> result) {
                if (generation != m_generation)
                    return;
                RegionFacts& f = m_facts[key];
                if (result) {
                    QHash<QString, InstanceInformation> agents;
                    for (const InstanceInformation& info : std::as_const(*result))
                        agents.insert(info.instanceId, info);
                    f.ssmAgents = std::move(agents);
                    f.ssmError.clear();
                } else {
                    f.ssmAgents.reset();
                    f.ssmError = result.error().message;
                    addError({label, region, QStringLiteral("DescribeInstanceInformation"), result.error()});
                }
                --m_runs[size_t(index)]->checksPending;
                reassess(label, region);
                maybeFinish();
            });
}

void InstanceStore::reassess(const QString& source, const QString& region)
{
    const RegionFacts f = facts(source, region);
    InventoryDelta delta;
    for (InventoryEntry& e : m_entries) {
        if (e.source != source || e.instance.region != region)
            continue;
        const Reachability reach = assessReachability(e.instance, f);
        if (!(reach == e.reach)) {
            e.reach = reach;
            delta.changed.append(e.key());
        }
    }
    if (!delta.isEmpty())
        Q_EMIT changed(delta);
}

void InstanceStore::updateInstance(const QString& source, const Instance& instance)
{
    const auto it = m_index.constFind(InventoryEntry::makeKey(source, instance.id));
    if (it == m_index.cend())
        return;
    InventoryEntry& e = m_entries[*it];
    const Reachability reach = assessReachability(instance, facts(source, instance.region));
    if (sameInstance(e.instance, instance) && reach == e.reach)
        return;
    e.instance = instance;
    e.reach = reach;
    InventoryDelta delta;
    delta.changed.append(e.key());
    Q_EMIT changed(delta);
}

void InstanceStore::setSetupErrors(const QList<InventoryError>& errors)
{
    m_setupErrors = errors;
    Q_EMIT errorsChanged();
}

void InstanceStore::replaceErrors(const QString& source, const QList<InventoryError>& errors)
{
    m_errors.removeIf([&source](const InventoryError& e) { return e.source == source; });
    m_errors.append(errors);
    Q_EMIT errorsChanged();
}

void InstanceStore::addError(const InventoryError& error)
{
    qCInfo(lcInventory) << error.where() << error.operation << error.error.summary();
    m_errors.append(error);
    Q_EMIT errorsChanged();
}

void InstanceStore::emitProgress()
{
    int done = 0;
    int total = 0;
    for (const auto& run : m_runs) {
        done += run->regionsDone;
        total += run->regionsTotal;
    }
    Q_EMIT progress(done, total);
}

void InstanceStore::maybeFinish()
{
    for (const auto& run : m_runs) {
        if (run->listing || run->checksPending > 0)
            return;
    }
    finishNow();
}

void InstanceStore::finishNow()
{
    m_refreshing = false;
    m_lastRefresh = QDateTime::currentDateTime();
    Q_EMIT refreshFinished();
    if (m_refreshAgain)
        refresh();
    else if (m_intervalMs > 0)
        m_timer.start(m_intervalMs);
}

void InstanceStore::rebuildIndex()
{
    m_index.clear();
    m_index.reserve(m_entries.size());
    for (qsizetype i = 0; i < m_entries.size(); ++i)
        m_index.insert(m_entries.at(i).key(), i);
}

RegionFacts InstanceStore::facts(const QString& source, const QString& region) const
{
    return m_facts.value(factsKey(source, region));
}

} // namespace bl
