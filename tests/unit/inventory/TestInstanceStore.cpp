// InstanceStore against fakeaws: the demo fleet loads with reachability worked out per instance, a failing
// region or profile becomes an error beside the other results (and keeps its last answer), and a refresh
// updates, adds and removes rows in place instead of resetting.

#include "FakeAwsSessions.h"

#include "core/inventory/InstancePower.h"
#include "core/inventory/InstanceStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace bl;
using inventorytest::FakeAwsSessions;

class TestInstanceStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void demoFleetLoadsFully();
    void failingRegionShowsErrorOthersRemain();
    void regionFailingLaterKeepsItsRowsStale();
    void failingProfileDoesNotHideOtherProfile();
    void entriesKnowHowTheCliReachesThem();
    void reachabilityCheckFailureIsAnError();
    void refreshUpdatesInPlace();
    void refreshWhileRefreshingRunsAgain();
    void noSourcesStillFinishes();
    void refreshesOnInterval();
    void stopFollowsUntilStopped();
    void startRefusedWhenRunning();
};

namespace {

constexpr int kWaitMs = 30000;

bool refreshAndWait(InstanceStore& store)
{
    QSignalSpy finished(&store, &InstanceStore::refreshFinished);
    store.refresh();
    return finished.wait(kWaitMs);
}

const InventoryEntry* byName(const InstanceStore& store, const QString& name)
{
    for (const InventoryEntry& e : store.entries()) {
        if (e.instance.name == name)
            return &e;
    }
    return nullptr;
}

QStringList ids(const InstanceStore& store)
{
    QStringList out;
    for (const InventoryEntry& e : store.entries())
        out.append(e.instance.id);
    out.sort();
    return out;
}

} // namespace

void TestInstanceStore::demoFleetLoadsFully()
{
    FakeAwsSessions f;
    QVERIFY2(f.ok(), qPrintable(f.error()));
    InstanceStore store;
    store.setSources({f.source(f.addSession(QStringLiteral("default")))});
    QSignalSpy progress(&store, &InstanceStore::progress);
    QVERIFY(refreshAndWait(store));

    QStringList expected = f.listableIds();
    expected.sort();
    QCOMPARE(ids(store), expected);
    QVERIFY(store.errors().isEmpty());
    QVERIFY(store.hasLoaded());
    QVERIFY(!store.isRefreshing());
    const QList<QVariant> last = progress.constLast();
    QVERIFY(last.at(1).toInt() > 10); // every enabled region of the demo account
    QCOMPARE(last.at(0).toInt(), last.at(1).toInt());

    // Reachability as the demo fleet's notes describe it.
    const InventoryEntry* buildRunner = byName(store, QStringLiteral("build-runner"));
    QVERIFY(buildRunner);
    QCOMPARE(buildRunner->reach.paths(), QStringList {QStringLiteral("EICE")});
    QCOMPARE(buildRunner->source, QStringLiteral("default"));
    const InventoryEntry* web = byName(store, QStringLiteral("web-1"));
    QVERIFY(web);
    // Its VPC has an endpoint too; whether the security groups let it through is the connection doctor's question.
    QCOMPARE(web->reach.paths(),
             (QStringList {QStringLiteral("EICE"), QStringLiteral("SSM"), QStringLiteral("public IP")}));
    const InventoryEntry* scratch = byName(store, QStringLiteral("sandbox-scratch"));
    QVERIFY(scratch);
    QVERIFY(!scratch->reach.reachable());
    QVERIFY2(scratch->reach.reason.contains(QStringLiteral("ConnectionLost")), qPrintable(scratch->reach.reason));
    const InventoryEntry* stopped = byName(store, QStringLiteral("batch-worker-1"));
    QVERIFY(stopped);
    QCOMPARE(stopped->instance.state, InstanceState::Stopped);
    QVERIFY(stopped->reach.reason.startsWith(QStringLiteral("Stopped")));
    for (const InventoryEntry& e : store.entries())
        QVERIFY2(!e.reach.checking, qPrintable(e.instance.id));
    // One endpoint and one agent listing per region with instances, not per instance.
    QVERIFY(f.requests("DescribeInstanceConnectEndpoints") <= 6);
}

void TestInstanceStore::failingRegionShowsErrorOthersRemain()
{
    FakeAwsSessions f;
    QVERIFY2(f.ok(), qPrintable(f.error()));
    InstanceStore store;
    // One region at a time: us-east-1's request (and both retries) meet the injected faults, eu-west-1's do not.
    store.setMaxRegionsInFlight(1);
    store.setSources({f.source(f.addSession(QStringLiteral("default")),
                               {QStringLiteral("us-east-1"), QStringLiteral("eu-west-1")})});
    f.fake().faults().failNext(3, fakeaws::FaultInjector::Fault::InternalError, QStringLiteral("DescribeInstances"));
    QVERIFY(refreshAndWait(store));

    QCOMPARE(store.errors().size(), 1);
    const InventoryError e = store.errors().constFirst();
    QCOMPARE(e.source, QStringLiteral("default"));
    QCOMPARE(e.region, QStringLiteral("us-east-1"));
    QCOMPARE(e.operation, QStringLiteral("DescribeInstances"));
    QVERIFY(!e.error.message.isEmpty());
    QVERIFY(e.where().contains(QStringLiteral("us-east-1")));
    QVERIFY(!store.entries().isEmpty());
    for (const InventoryEntry& entry : store.entries())
        QCOMPARE(entry.instance.region, QStringLiteral("eu-west-1"));

    // The next refresh succeeds: the error goes, us-east-1's instances arrive.
    QVERIFY(refreshAndWait(store));
    QVERIFY(store.errors().isEmpty());
    QVERIFY(byName(store, QStringLiteral("build-runner")));
}

void TestInstanceStore::regionFailingLaterKeepsItsRowsStale()
{
    FakeAwsSessions f;
    QVERIFY2(f.ok(), qPrintable(f.error()));
    InstanceStore store;
    store.setMaxRegionsInFlight(1);
    store.setSources({f.source(f.addSession(QStringLiteral("default")),
                               {QStringLiteral("us-east-1"), QStringLiteral("eu-west-1")})});
    QVERIFY(refreshAndWait(store));
    const QStringList before = ids(store);

    f.fake().faults().failNext(3, fakeaws::FaultInjector::Fault::ServiceUnavailable,
                               QStringLiteral("DescribeInstances"));
    QSignalSpy changed(&store, &InstanceStore::changed);
    QVERIFY(refreshAndWait(store));
    QCOMPARE(ids(store), before); // nothing wiped
    QCOMPARE(store.errors().size(), 1);
    for (const InventoryEntry& e : store.entries())
        QCOMPARE(e.stale, e.instance.region == QLatin1String("us-east-1"));
    for (const QList<QVariant>& args : changed) {
        const auto delta = args.at(0).value<InventoryDelta>();
        QVERIFY(delta.added.isEmpty());
        QVERIFY(delta.removed.isEmpty());
    }
}

void TestInstanceStore::failingProfileDoesNotHideOtherProfile()
{
    FakeAwsSessions f;
    QVERIFY2(f.ok(), qPrintable(f.error()));
    Credentials wrong;
    wrong.accessKeyId = QStringLiteral("AKIAUNKNOWNUNKNOWN00");
    wrong.secretAccessKey = QStringLiteral("not-the-secret");
    InstanceStore store;
    store.setSources({f.source(f.addSession(QStringLiteral("good")), {QStringLiteral("us-east-1")}),
                      f.source(f.addSession(QStringLiteral("bad"), wrong), {QStringLiteral("us-east-1")})});
    QVERIFY(refreshAndWait(store));
    QVERIFY(!store.entries().isEmpty());
    for (const InventoryEntry& e : store.entries())
        QCOMPARE(e.source, QStringLiteral("good"));
    QCOMPARE(store.errors().size(), 1);
    QCOMPARE(store.errors().constFirst().source, QStringLiteral("bad"));
    QCOMPARE(store.errors().constFirst().error.kind, ErrorKind::Credentials);
}

void TestInstanceStore::entriesKnowHowTheCliReachesThem()
{
    // A ~/.aws profile is passed to bastionless-cli as --profile, an app account as --account.
    FakeAwsSessions f;
    QVERIFY2(f.ok(), qPrintable(f.error()));
    InventorySource profile = f.source(f.addSession(QStringLiteral("dev")), {QStringLiteral("us-east-1")});
    InventorySource account = f.source(f.addSession(QStringLiteral("work")), {QStringLiteral("us-east-1")});
    account.cliProfile.clear();
    account.cliAccount = QStringLiteral("work");
    InstanceStore store;
    store.setSources({profile, account});
    QVERIFY(refreshAndWait(store));
    QVERIFY(store.errors().isEmpty());
    QSet<QString> sources;
    for (const InventoryEntry& e : store.entries()) {
        sources.insert(e.source);
        const bool isAccount = e.source == QLatin1String("work");
        QCOMPARE(e.cliProfile, isAccount ? QString() : QStringLiteral("dev"));
        QCOMPARE(e.cliAccount, isAccount ? QStringLiteral("work") : QString());
    }
    QCOMPARE(sources, (QSet<QString> {QStringLiteral("dev"), QStringLiteral("work")}));
}

void TestInstanceStore::reachabilityCheckFailureIsAnError()
{
    FakeAwsSessions f;
    QVERIFY2(f.ok(), qPrintable(f.error()));
    InstanceStore store;
    store.setSources({f.source(f.addSession(QStringLiteral("default")), {QStringLiteral("us-east-1")})});
    f.fake().faults().failNext(3, fakeaws::FaultInjector::Fault::InternalError,
                               QStringLiteral("DescribeInstanceConnectEndpoints"));
    QVERIFY(refreshAndWait(store));
    QCOMPARE(store.errors().size(), 1);
    QCOMPARE(store.errors().constFirst().operation, QStringLiteral("DescribeInstanceConnectEndpoints"));
    const InventoryEntry* buildRunner = byName(store, QStringLiteral("build-runner")); // EICE only
    QVERIFY(buildRunner);
    QCOMPARE(buildRunner->reach.eice, PathState::Unknown);
    QVERIFY2(buildRunner->reach.reason.contains(QStringLiteral("could not be listed")),
             qPrintable(buildRunner->reach.reason));
    const InventoryEntry* web = byName(store, QStringLiteral("web-1")); // SSM still known
    QVERIFY(web && web->reach.reachable());
}

void TestInstanceStore::refreshUpdatesInPlace()
{
    FakeAwsSessions f;
    QVERIFY2(f.ok(), qPrintable(f.error()));
    InstanceStore store;
    store.setSources({f.source(f.addSession(QStringLiteral("default")), {QStringLiteral("us-east-1")})});
    QVERIFY(refreshAndWait(store));

    const QString grafana = f.idOf(QStringLiteral("grafana"));
    const QString jenkins = f.idOf(QStringLiteral("jenkins"));
    QVERIFY(f.fleet().setState(grafana, fakeaws::InstanceState::Stopped, f.fake().now()));
    fakeaws::Instance copy = *f.fleet().instance(jenkins);
    copy.id = QStringLiteral("i-0feedfacecafe0001");
    copy.tags = {{QStringLiteral("Name"), QStringLiteral("jenkins-2")}};
    f.fleet().addInstance(copy);
    // Gone from the region that is listed (the emulator has no terminate-and-purge; moving it is the same).
    const QString rdp = f.idOf(QStringLiteral("rdp-desktop"));
    f.fleet().instance(rdp)->region = QStringLiteral("us-west-1");
    const qsizetype rowsBefore = store.entries().size();

    QSignalSpy reset(&store, &InstanceStore::reset);
    QSignalSpy changed(&store, &InstanceStore::changed);
    QVERIFY(refreshAndWait(store));
    QCOMPARE(reset.size(), 0);
    QStringList added, removed, changedKeys;
    for (const QList<QVariant>& args : changed) {
        const auto delta = args.at(0).value<InventoryDelta>();
        added += delta.added;
        removed += delta.removed;
        changedKeys += delta.changed;
    }
    QCOMPARE(added, QStringList {InventoryEntry::makeKey(QStringLiteral("default"), copy.id)});
    QCOMPARE(removed, QStringList {InventoryEntry::makeKey(QStringLiteral("default"), rdp)});
    QVERIFY(changedKeys.contains(InventoryEntry::makeKey(QStringLiteral("default"), grafana)));
    QCOMPARE(store.entries().size(), rowsBefore); // one added, one removed
    QVERIFY(!store.entry(InventoryEntry::makeKey(QStringLiteral("default"), rdp)));
    const InventoryEntry* g = store.entry(InventoryEntry::makeKey(QStringLiteral("default"), grafana));
    QVERIFY(g);
    QCOMPARE(g->instance.state, InstanceState::Stopped);
    QVERIFY(!g->reach.reachable());
    // Rows that did not change are not reported as changed.
    QVERIFY(!changedKeys.contains(InventoryEntry::makeKey(QStringLiteral("default"), jenkins)));
}

void TestInstanceStore::refreshWhileRefreshingRunsAgain()
{
    FakeAwsSessions f;
    QVERIFY2(f.ok(), qPrintable(f.error()));
    InstanceStore store;
    store.setSources({f.source(f.addSession(QStringLiteral("default")), {QStringLiteral("us-east-1")})});
    QSignalSpy started(&store, &InstanceStore::refreshStarted);
    QSignalSpy finished(&store, &InstanceStore::refreshFinished);
    store.refresh();
    store.refresh();
    store.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);
    QCOMPARE(started.size(), 2);
    QCOMPARE(f.requests("DescribeInstances"), 2);
}

void TestInstanceStore::noSourcesStillFinishes()
{
    InstanceStore store;
    QVERIFY(refreshAndWait(store));
    QVERIFY(store.hasLoaded());
    QVERIFY(store.entries().isEmpty());
}

void TestInstanceStore::refreshesOnInterval()
{
    FakeAwsSessions f;
    QVERIFY2(f.ok(), qPrintable(f.error()));
    InstanceStore store;
    store.setSources({f.source(f.addSession(QStringLiteral("default")), {QStringLiteral("us-east-1")})});
    QSignalSpy finished(&store, &InstanceStore::refreshFinished);
    store.setRefreshInterval(50);
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() >= 2, kWaitMs); // no explicit refresh() at all
    store.setRefreshInterval(0);
    const qsizetype settled = finished.size();
    QTest::qWait(200);
    QVERIFY(finished.size() <= settled + 1); // at most the one that was running
}

void TestInstanceStore::stopFollowsUntilStopped()
{
    FakeAwsSessions f;
    QVERIFY2(f.ok(), qPrintable(f.error()));
    f.fleet().setTransitionMs(100);
    InstanceStore store;
    store.setSources({f.source(f.addSession(QStringLiteral("default")), {QStringLiteral("us-east-1")})});
    QVERIFY(refreshAndWait(store));
    InstancePower power(store);
    power.setPollInterval(50);
    const QString key = InventoryEntry::makeKey(QStringLiteral("default"), f.idOf(QStringLiteral("web-2")));

    QSignalSpy settled(&power, &InstancePower::settled);
    std::optional<Result<void>> answer;
    power.stop(key, this, [&answer](Result<void> r) { answer = r; });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), kWaitMs);
    QVERIFY2(answer->ok(), qPrintable(answer->ok() ? QString() : answer->error().toString()));
    QCOMPARE(store.entry(key)->instance.state, InstanceState::Stopping);
    QVERIFY(power.isFollowing(key));
    QVERIFY(settled.wait(kWaitMs));
    QCOMPARE(settled.constFirst().at(1).value<InstanceState>(), InstanceState::Stopped);
    QCOMPARE(store.entry(key)->instance.state, InstanceState::Stopped);
    QVERIFY(!power.isFollowing(key));
}

void TestInstanceStore::startRefusedWhenRunning()
{
    FakeAwsSessions f;
    QVERIFY2(f.ok(), qPrintable(f.error()));
    InstanceStore store;
    store.setSources({f.source(f.addSession(QStringLiteral("default")), {QStringLiteral("us-east-1")})});
    QVERIFY(refreshAndWait(store));
    InstancePower power(store);
    std::optional<Result<void>> answer;
    power.start(InventoryEntry::makeKey(QStringLiteral("default"), f.idOf(QStringLiteral("web-1"))), this,
                [&answer](Result<void> r) { answer = r; });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), kWaitMs);
    QVERIFY(!answer->ok());
    QCOMPARE(answer->error().kind, ErrorKind::Usage);
    QCOMPARE(f.requests("StartInstances"), 0);
}

QTEST_GUILESS_MAIN(TestInstanceStore)
#include "TestInstanceStore.moc"
