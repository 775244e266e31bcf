// InstanceInventory against fakeaws: all enabled regions listed concurrently within the bound, one failing
// region does not hide the rest, progress for the GUI, and resolving an id or a Name tag to one instance.

#include "FakeAwsHarness.h"

#include "core/aws/api/InstanceInventory.h"

#include <QElapsedTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace bl;
using apitest::await;
using apitest::FakeAwsHarness;

class TestInstanceInventory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listsEveryEnabledRegion();
    void explicitRegions();
    void failedRegionDoesNotHideOthers();
    void everyRegionFailedIsAnError();
    void concurrencyIsBounded();
    void regionsRunConcurrently();
    void newListCancelsPrevious();
    void cancelStopsEverything();
    void resolveIdInHomeRegionAsksOnce();
    void resolveIdInOtherRegion();
    void resolveUnknownId();
    void resolveName();
    void resolveAmbiguousNameListsCandidates();
    void resolveNamePrefersLiveInstances();
    void resolveUnknownName();
};

namespace {

QStringList enabledRegions(const fakeaws::Fleet& fleet)
{
    QStringList out;
    for (const fakeaws::Region& r : fleet.regions()) {
        if (r.isEnabled())
            out.append(r.name);
    }
    return out;
}

QString notOptedIn(const fakeaws::Fleet& fleet)
{
    for (const fakeaws::Region& r : fleet.regions()) {
        if (!r.isEnabled())
            return r.name;
    }
    return {};
}

const fakeaws::Instance* firstIn(const fakeaws::Fleet& fleet, const QString& region)
{
    for (const fakeaws::Instance& i : fleet.instances()) {
        if (i.region == region && i.state != fakeaws::InstanceState::Terminated)
            return &i;
    }
    return nullptr;
}

void rename(fakeaws::Fleet& fleet, const QString& id, const QString& name)
{
    fakeaws::Instance* i = fleet.instance(id);
    i->tags.removeIf([](const auto& t) { return t.first == QLatin1String("Name"); });
    i->tags.append({QStringLiteral("Name"), name});
}

} // namespace

void TestInstanceInventory::listsEveryEnabledRegion()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(120, 5, 21));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    h.fleet().setPaging({6, 2});
    InstanceInventory inventory(h.session());
    QSignalSpy progress(&inventory, &InstanceInventory::progress);
    auto r = await<InventoryResult>([&](auto done) { inventory.list({}, {}, done); });
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : r->error().toString()));
    const InventoryResult& result = r->value();
    QVERIFY(result.complete());
    const QStringList enabled = enabledRegions(h.fleet());
    QCOMPARE(QSet<QString>(result.regions.cbegin(), result.regions.cend()),
             QSet<QString>(enabled.cbegin(), enabled.cend()));
    QCOMPARE(result.instances.size(), h.fleet().instances().size());
    QSet<QString> ids;
    for (const Instance& i : result.instances) {
        ids.insert(i.id);
        QCOMPARE(i.region, h.fleet().instance(i.id)->region);
        QCOMPARE(i.profile, QStringLiteral("default"));
    }
    QCOMPARE(ids.size(), h.fleet().instances().size());
    // Grouped by region in the order of result.regions.
    qsizetype regionIndex = 0;
    for (const Instance& i : result.instances) {
        while (result.regions.at(regionIndex) != i.region)
            ++regionIndex;
        QVERIFY(regionIndex < result.regions.size());
    }

    QCOMPARE(progress.size(), 6); // 0/5 then one per region
    QCOMPARE(progress.first().at(0).toInt(), 0);
    QCOMPARE(progress.last().at(0).toInt(), 5);
    for (const QList<QVariant>& p : progress)
        QCOMPARE(p.at(1).toInt(), 5);
    QCOMPARE(h.requests("DescribeRegions"), 1);
}

void TestInstanceInventory::explicitRegions()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(60, 4, 2));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    InstanceInventory inventory(h.session());
    const QStringList regions {QStringLiteral("eu-west-1"), QStringLiteral("us-east-2")};
    auto r = await<InventoryResult>([&](auto done) { inventory.list(regions, {}, done); });
    QVERIFY(r && r->ok());
    QCOMPARE(r->value().regions, regions);
    for (const Instance& i : r->value().instances)
        QVERIFY(regions.contains(i.region));
    QCOMPARE(h.requests("DescribeRegions"), 0);
    QCOMPARE(h.requests("DescribeInstances"), 2);
}

void TestInstanceInventory::failedRegionDoesNotHideOthers()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(60, 3, 4));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    const QString bad = notOptedIn(h.fleet());
    QVERIFY(!bad.isEmpty());
    InstanceInventory inventory(h.session());
    const QStringList regions =
        QStringList {QStringLiteral("us-east-1"), bad} + QStringList {QStringLiteral("us-west-1")};
    auto r = await<InventoryResult>([&](auto done) { inventory.list(regions, {}, done); });
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : r->error().toString()));
    const InventoryResult& result = r->value();
    QVERIFY(!result.complete());
    QCOMPARE(result.errors.size(), 1);
    QCOMPARE(result.errors.first().region, bad);
    QCOMPARE(result.errors.first().operation, QStringLiteral("DescribeInstances"));
    QCOMPARE(result.errors.first().error.awsCode, QStringLiteral("AuthFailure"));
    int expected = 0;
    for (const fakeaws::Instance& i : h.fleet().instances())
        expected += (i.region == QLatin1String("us-east-1") || i.region == QLatin1String("us-west-1")) ? 1 : 0;
    QVERIFY(expected > 0);
    QCOMPARE(result.instances.size(), expected);
}

void TestInstanceInventory::everyRegionFailedIsAnError()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(10, 2, 4));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    InstanceInventory inventory(h.session());
    auto r = await<InventoryResult>([&](auto done) { inventory.list({notOptedIn(h.fleet())}, {}, done); });
    QVERIFY(r);
    QVERIFY(!r->ok());
    QCOMPARE(r->error().awsCode, QStringLiteral("AuthFailure"));
}

// With two regions in flight and a fixed latency per call, six regions cannot finish in less than three
// rounds; without a bound they would take one.
// Concurrency is observed at the emulator: with an answer delay far longer than the observation window,
// the number of DescribeInstances calls it has received is exactly the number in flight.
void TestInstanceInventory::concurrencyIsBounded()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(30, 6, 9));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    h.fake().faults().setLatencyMs(QStringLiteral("DescribeInstances"), 20000);
    InstanceInventory inventory(h.session());
    inventory.setMaxInFlight(2);
    QCOMPARE(inventory.maxInFlight(), 2);
    std::optional<Result<InventoryResult>> result;
    inventory.list(enabledRegions(h.fleet()), {}, [&result](Result<InventoryResult> r) { result.emplace(r); });
    QTRY_COMPARE_WITH_TIMEOUT(h.fake().faults().requestCount(QStringLiteral("DescribeInstances")), 2, 5000);
    QTest::qWait(300);
    QCOMPARE(h.fake().faults().requestCount(QStringLiteral("DescribeInstances")), 2);
    inventory.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QCOMPARE(result->error().kind, ErrorKind::Cancelled);
}

void TestInstanceInventory::regionsRunConcurrently()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(30, 6, 9));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    h.fake().faults().setLatencyMs(QStringLiteral("DescribeInstances"), 20000);
    InstanceInventory inventory(h.session());
    QCOMPARE(inventory.maxInFlight(), InstanceInventory::defaultMaxInFlight);
    std::optional<Result<InventoryResult>> result;
    inventory.list(enabledRegions(h.fleet()), {}, [&result](Result<InventoryResult> r) { result.emplace(r); });
    // All six regions are asked before any answers: one after the other would show one call at a time.
    QTRY_COMPARE_WITH_TIMEOUT(h.fake().faults().requestCount(QStringLiteral("DescribeInstances")), 6, 5000);
    inventory.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QCOMPARE(result->error().kind, ErrorKind::Cancelled);
}

void TestInstanceInventory::newListCancelsPrevious()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(30, 2, 9));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    h.fake().faults().setLatencyMs(QStringLiteral("DescribeInstances"), 150);
    InstanceInventory inventory(h.session());
    auto first = std::make_shared<std::optional<Result<InventoryResult>>>();
    inventory.list({QStringLiteral("us-east-1")}, {}, [first](Result<InventoryResult> r) { first->emplace(r); });
    auto second = await<InventoryResult>([&](auto done) { inventory.list({QStringLiteral("us-east-1")}, {}, done); });
    QVERIFY(second && second->ok());
    QVERIFY(first->has_value());
    QVERIFY(!first->value().ok());
    QCOMPARE(first->value().error().kind, ErrorKind::Cancelled);
}

void TestInstanceInventory::cancelStopsEverything()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(30, 3, 9));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    h.fake().faults().setLatencyMs(QStringLiteral("DescribeInstances"), 300);
    InstanceInventory inventory(h.session());
    auto listCalls = std::make_shared<QList<Result<InventoryResult>>>();
    auto resolveCalls = std::make_shared<QList<Result<Instance>>>();
    inventory.list(enabledRegions(h.fleet()), {}, [listCalls](Result<InventoryResult> r) { listCalls->append(r); });
    inventory.resolve(QStringLiteral("some-name"), enabledRegions(h.fleet()),
                      [resolveCalls](Result<Instance> r) { resolveCalls->append(r); });
    QTest::qWait(50);
    inventory.cancel();
    QTRY_COMPARE(listCalls->size(), 1);
    QTRY_COMPARE(resolveCalls->size(), 1);
    QCOMPARE(listCalls->first().error().kind, ErrorKind::Cancelled);
    QCOMPARE(resolveCalls->first().error().kind, ErrorKind::Cancelled);
    QTest::qWait(600); // the answers still arrive, and are ignored
    QCOMPARE(listCalls->size(), 1);
    QCOMPARE(resolveCalls->size(), 1);
}

void TestInstanceInventory::resolveIdInHomeRegionAsksOnce()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(40, 4, 13));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    const fakeaws::Instance* target = firstIn(h.fleet(), QStringLiteral("us-east-1"));
    QVERIFY(target);
    InstanceInventory inventory(h.session());
    auto r = await<Instance>([&](auto done) { inventory.resolve(target->id, {}, done); });
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : r->error().toString()));
    QCOMPARE(r->value().id, target->id);
    QCOMPARE(r->value().region, QStringLiteral("us-east-1"));
    QCOMPARE(h.requests("DescribeInstances"), 1);
    QCOMPARE(h.requests("DescribeRegions"), 0);
}

void TestInstanceInventory::resolveIdInOtherRegion()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(40, 4, 13));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    const fakeaws::Instance* target = firstIn(h.fleet(), QStringLiteral("us-west-2"));
    QVERIFY(target);
    InstanceInventory inventory(h.session());
    auto r = await<Instance>([&](auto done) { inventory.resolve(target->id, {}, done); });
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : r->error().toString()));
    QCOMPARE(r->value().id, target->id);
    QCOMPARE(r->value().region, QStringLiteral("us-west-2"));
    QCOMPARE(h.requests("DescribeInstances"), 4); // home first, then the three others
}

void TestInstanceInventory::resolveUnknownId()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(20, 2, 13));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    InstanceInventory inventory(h.session());
    auto r = await<Instance>([&](auto done) { inventory.resolve(QStringLiteral("i-0000000000000beef"), {}, done); });
    QVERIFY(r);
    QVERIFY(!r->ok());
    QCOMPARE(r->error().kind, ErrorKind::NotFound);
    QVERIFY(r->error().message.contains(QLatin1String("i-0000000000000beef")));
    QVERIFY(r->error().message.contains(QLatin1String("us-east-2")));
    QVERIFY(!r->error().hint.isEmpty());
}

void TestInstanceInventory::resolveName()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(40, 3, 13));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    const fakeaws::Instance* target = firstIn(h.fleet(), QStringLiteral("us-west-1"));
    QVERIFY(target);
    rename(h.fleet(), target->id, QStringLiteral("only-one-of-me"));
    InstanceInventory inventory(h.session());
    auto r = await<Instance>([&](auto done) { inventory.resolve(QStringLiteral("only-one-of-me"), {}, done); });
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : r->error().toString()));
    QCOMPARE(r->value().id, target->id);
    QCOMPARE(r->value().name, QStringLiteral("only-one-of-me"));
    QCOMPARE(r->value().region, QStringLiteral("us-west-1"));
}

void TestInstanceInventory::resolveAmbiguousNameListsCandidates()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(40, 3, 13));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    const fakeaws::Instance* a = firstIn(h.fleet(), QStringLiteral("us-east-1"));
    const fakeaws::Instance* b = firstIn(h.fleet(), QStringLiteral("us-west-1"));
    QVERIFY(a && b);
    rename(h.fleet(), a->id, QStringLiteral("twin"));
    rename(h.fleet(), b->id, QStringLiteral("twin"));
    InstanceInventory inventory(h.session());
    auto r = await<Instance>([&](auto done) { inventory.resolve(QStringLiteral("twin"), {}, done); });
    QVERIFY(r);
    QVERIFY(!r->ok());
    QCOMPARE(r->error().kind, ErrorKind::Usage);
    const QString message = r->error().message;
    QVERIFY2(message.contains(a->id) && message.contains(b->id), qPrintable(message));
    QVERIFY(message.contains(QLatin1String("us-east-1")) && message.contains(QLatin1String("us-west-1")));
    QVERIFY(message.contains(fakeaws::instanceStateName(a->state)));
    QVERIFY(!r->error().hint.isEmpty());
}

void TestInstanceInventory::resolveNamePrefersLiveInstances()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(40, 3, 13));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    const fakeaws::Instance* a = firstIn(h.fleet(), QStringLiteral("us-east-1"));
    const fakeaws::Instance* b = firstIn(h.fleet(), QStringLiteral("us-east-2"));
    QVERIFY(a && b);
    const QString liveId = b->id;
    rename(h.fleet(), a->id, QStringLiteral("replaced"));
    rename(h.fleet(), b->id, QStringLiteral("replaced"));
    QVERIFY(h.fleet().setState(a->id, fakeaws::InstanceState::Terminated, h.fake().now()));
    QVERIFY(h.fleet().setState(b->id, fakeaws::InstanceState::Running, h.fake().now()));
    InstanceInventory inventory(h.session());
    auto r = await<Instance>([&](auto done) { inventory.resolve(QStringLiteral("replaced"), {}, done); });
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : r->error().toString()));
    QCOMPARE(r->value().id, liveId);
}

void TestInstanceInventory::resolveUnknownName()
{
    FakeAwsHarness h(fakeaws::Fleet::generated(20, 2, 13));
    QVERIFY2(h.ok(), qPrintable(h.error()));
    InstanceInventory inventory(h.session());
    auto r = await<Instance>(
        [&](auto done) { inventory.resolve(QStringLiteral("no-such-box"), {QStringLiteral("us-east-1")}, done); });
    QVERIFY(r);
    QVERIFY(!r->ok());
    QCOMPARE(r->error().kind, ErrorKind::NotFound);
    QVERIFY(r->error().message.contains(QLatin1String("no-such-box")));
    QVERIFY(r->error().hint.contains(QLatin1String("Name tag")));
}

QTEST_GUILESS_MAIN(TestInstanceInventory)
#include "TestInstanceInventory.moc"
