#pragma once
// The instances of several profiles and their regions, in one place, refreshed in the background: every
// source is listed concurrently (InstanceInventory), then each region that has instances is asked for its EC2
// Instance Connect Endpoints and SSM agents, and every instance's reachability is worked out from that.
// A region or a profile that fails becomes an error beside the results of the others, and keeps its previous
// instances (marked stale) instead of wiping them. Changes come out as deltas keyed by (source, instance id),
// so a model can update rows in place. GUI-free: the desktop app's model and, later, the tray read it.

#include "core/inventory/InventoryTypes.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace bl {

struct InventoryResult;

class InstanceStore : public QObject
{
    Q_OBJECT
public:
    explicit InstanceStore(QObject* parent = nullptr);
    ~InstanceStore() override;

    // Replaces the sources and forgets every entry and error (emits reset()); a running refresh is dropped.
    void setSources(const QList<InventorySource>& sources);
    const QList<InventorySource>& sources() const { return m_sources; }
    const InventorySource* source(const QString& label) const;
    void setMaxRegionsInFlight(int regions); // per source; see InstanceInventory
    // 0: only explicit refresh(). Otherwise the next refresh starts this long after the last one finished.
    void setRefreshInterval(int ms);
    int refreshInterval() const { return m_intervalMs; }

    // Starts a refresh; asked while one runs, another follows it (the first may be listing stale data).
    void refresh();
    bool isRefreshing() const { return m_refreshing; }
    bool hasLoaded() const { return m_lastRefresh.isValid(); }
    QDateTime lastRefresh() const { return m_lastRefresh; } // when the last refresh finished

    const QList<InventoryEntry>& entries() const { return m_entries; }
    const InventoryEntry* entry(const QString& key) const;
    // Setup problems first (a broken profile), then what the last refreshes ran into.
    QList<InventoryError> errors() const { return m_setupErrors + m_errors; }
    // Problems found before any listing (e.g. a profile whose configuration is broken); kept until replaced.
    void setSetupErrors(const QList<InventoryError>& errors);

    // A fresher description of one instance (after start/stop): updates its entry in place, if it has one.
    void updateInstance(const QString& source, const Instance& instance);

Q_SIGNALS:
    void reset(); // every entry is gone (new sources)
    void changed(const bl::InventoryDelta& delta);
    void errorsChanged();
    void refreshStarted();
    void progress(int regionsDone, int regionsTotal); // listing, summed over the sources
    void refreshFinished(); // listings and reachability checks are all in

private:
    struct Run;
    void listSource(int index);
    void applyListing(int index, const InventoryResult& result);
    void markStale(const QString& source, const std::function<bool(const InventoryEntry&)>& which);
    void checkRegion(int index, const QString& region);
    void reassess(const QString& source, const QString& region);
    void replaceErrors(const QString& source, const QList<InventoryError>& errors);
    void addError(const InventoryError& error);
    void emitProgress();
    void maybeFinish();
    void finishNow();
    void rebuildIndex();
    RegionFacts facts(const QString& source, const QString& region) const;

    QList<InventorySource> m_sources;
    std::vector<std::unique_ptr<Run>> m_runs;
    QList<InventoryEntry> m_entries;
    QHash<QString, qsizetype> m_index;
    QHash<QString, RegionFacts> m_facts; // by source + '\n' + region
    QList<InventoryError> m_errors;
    QList<InventoryError> m_setupErrors;
    QTimer m_timer;
    QDateTime m_lastRefresh;
    quint64 m_generation = 0;
    int m_maxInFlight = 8;
    int m_intervalMs = 0;
    bool m_refreshing = false;
    bool m_refreshAgain = false;
};

} // namespace bl
