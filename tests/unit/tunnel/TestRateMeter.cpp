// RateMeter: the current rate over a sliding window, its start-up, and its decay to zero when traffic stops.

#include "core/tunnel/RateMeter.h"

#include <QTest>

using namespace bl;

class TestRateMeter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void steadyRate()
    {
        RateMeter m(2000, 20);
        QCOMPARE(m.bytesPerSecond(0), 0.0);
        // 10 KB every 100 ms for 5 s: 100 KB/s.
        for (qint64 t = 10000; t <= 15000; t += 100)
            m.add(t, 10000);
        QVERIFY(qAbs(m.bytesPerSecond(15000) - 100000.0) < 8000.0);
    }

    void startUpUsesTheTimeSinceTheFirstSample()
    {
        RateMeter m(2000, 20);
        m.add(5000, 50000);
        m.add(5500, 50000);
        // 100 KB in 0.5 s, not averaged over the whole 2 s window.
        QVERIFY(qAbs(m.bytesPerSecond(5500) - 200000.0) < 1.0);
    }

    void decaysWhenIdle()
    {
        RateMeter m(2000, 20);
        for (qint64 t = 0; t <= 3000; t += 100)
            m.add(t, 1000);
        const double busy = m.bytesPerSecond(3000);
        const double later = m.bytesPerSecond(4000);
        QVERIFY(later < busy);
        QVERIFY(later > 0);
        QCOMPARE(m.bytesPerSecond(5200), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestRateMeter)
#include "TestRateMeter.moc"
