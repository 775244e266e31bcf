// ConnectionSlots and ConnectionSlotRegistry: the per-endpoint limit, the waiting queue in order, the bounded
// wait with a clear error, holders that die, and sharing between transports of the same endpoint.

#include "core/tunnel/ConnectionSlotRegistry.h"
#include "core/tunnel/ConnectionSlots.h"

#include <QTest>

#include <memory>

using namespace bl;

namespace {

struct Outcome
{
    bool called = false;
    bool granted = false;
    Error error;
};

std::shared_ptr<Outcome> ask(ConnectionSlots& slots, QObject* holder)
{
    auto o = std::make_shared<Outcome>();
    slots.acquire(holder, [o](Result<void> r) {
        o->called = true;
        o->granted = r.ok();
        if (!r)
            o->error = r.error();
    });
    return o;
}

} // namespace

class TestConnectionSlots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void limitAndQueueOrder()
    {
        ConnectionSlots slots(QStringLiteral("endpoint eice-1"), 2, 10000);
        QObject a, b, c, d;
        auto ra = ask(slots, &a);
        auto rb = ask(slots, &b);
        auto rc = ask(slots, &c);
        auto rd = ask(slots, &d);
        QVERIFY(!ra->called); // never synchronously
        QTRY_VERIFY_WITH_TIMEOUT(ra->granted && rb->granted, 2000);
        QCOMPARE(slots.inUse(), 2);
        QCOMPARE(slots.waiting(), 2);
        QTest::qWait(50);
        QVERIFY(!rc->called && !rd->called);
        slots.release(&a);
        QTRY_VERIFY_WITH_TIMEOUT(rc->granted, 2000);
        QVERIFY(!rd->called); // first come, first served
        slots.release(&b);
        QTRY_VERIFY_WITH_TIMEOUT(rd->granted, 2000);
        QCOMPARE(slots.waiting(), 0);
        slots.release(&c);
        slots.release(&d);
        QCOMPARE(slots.inUse(), 0);
    }

    void boundedWait()
    {
        ConnectionSlots slots(QStringLiteral("EC2 Instance Connect Endpoint eice-9"), 1, 150);
        QObject a, b;
        auto ra = ask(slots, &a);
        auto rb = ask(slots, &b);
        QTRY_VERIFY_WITH_TIMEOUT(rb->called, 3000);
        QVERIFY(ra->granted);
        QVERIFY(!rb->granted);
        QCOMPARE(rb->error.kind, ErrorKind::Timeout);
        QVERIFY(rb->error.message.contains(QLatin1String("eice-9 already has 1 connections open")));
        QVERIFY(!rb->error.hint.isEmpty());
        QCOMPARE(slots.waiting(), 0);
        QCOMPARE(slots.inUse(), 1);
    }

    void destroyedHoldersGiveTheirSlotsBack()
    {
        ConnectionSlots slots(QStringLiteral("e"), 1, 10000);
        auto a = std::make_unique<QObject>();
        auto waiterThatDies = std::make_unique<QObject>();
        QObject c;
        auto ra = ask(slots, a.get());
        ask(slots, waiterThatDies.get());
        auto rc = ask(slots, &c);
        QTRY_VERIFY_WITH_TIMEOUT(ra->granted, 2000);
        QCOMPARE(slots.waiting(), 2);
        waiterThatDies.reset(); // withdraws its place in the queue
        QCOMPARE(slots.waiting(), 1);
        a.reset(); // frees the slot
        QTRY_VERIFY_WITH_TIMEOUT(rc->granted, 2000);
        QCOMPARE(slots.inUse(), 1);
    }

    void releasingTwiceIsHarmless()
    {
        ConnectionSlots slots(QStringLiteral("e"), 1, 1000);
        QObject a;
        auto ra = ask(slots, &a);
        QTRY_VERIFY_WITH_TIMEOUT(ra->granted, 2000);
        slots.release(&a);
        slots.release(&a);
        QCOMPARE(slots.inUse(), 0);
    }

    void registrySharesPerEndpoint()
    {
        ConnectionSlotRegistry registry(20, 1000);
        auto one = registry.slotsFor(QStringLiteral("eice-1"));
        auto again = registry.slotsFor(QStringLiteral("eice-1"));
        auto other = registry.slotsFor(QStringLiteral("eice-2"));
        QCOMPARE(one.get(), again.get());
        QVERIFY(one.get() != other.get());
        QCOMPARE(one->limit(), 20);
        QObject holder;
        auto r = ask(*one, &holder);
        QTRY_VERIFY_WITH_TIMEOUT(r->granted, 2000);
        QCOMPARE(again->inUse(), 1);
        one->release(&holder);
    }
};

QTEST_GUILESS_MAIN(TestConnectionSlots)
#include "TestConnectionSlots.moc"
