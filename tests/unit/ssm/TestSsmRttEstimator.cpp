// SsmRttEstimator: the initial values and the update rule of PROTOCOLS.md §6.5, computed by hand.

#include "core/ssm/SsmRttEstimator.h"

#include <QtTest>

using namespace bl;

class TestSsmRttEstimator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initialValues();
    void sequence_data();
    void sequence();
    void cappedAtOneSecond();
    void granularityFloor();
};

void TestSsmRttEstimator::initialValues()
{
    SsmRttEstimator e;
    QCOMPARE(e.rttMs(), 100.0);
    QCOMPARE(e.rttVarMs(), 0.0);
    QCOMPARE(e.rtoMs(), 200.0);
}

void TestSsmRttEstimator::sequence_data()
{
    QTest::addColumn<QList<double>>("samples");
    QTest::addColumn<double>("rtt");
    QTest::addColumn<double>("rttVar");
    QTest::addColumn<double>("rto");
    // 60: var = 0.25*40 = 10; rtt = 87.5 + 7.5 = 95; rto = 95 + max(10, 40) = 135
    QTest::newRow("one sample") << QList<double> {60} << 95.0 << 10.0 << 135.0;
    // then 95: var = 7.5 + 0 = 7.5; rtt = 95; rto = 95 + 30 = 125
    QTest::newRow("two samples") << QList<double> {60, 95} << 95.0 << 7.5 << 125.0;
    // 300: var = 0.25*200 = 50; rtt = 87.5 + 37.5 = 125; rto = 125 + 200 = 325
    QTest::newRow("slow sample") << QList<double> {300} << 125.0 << 50.0 << 325.0;
}

void TestSsmRttEstimator::sequence()
{
    QFETCH(QList<double>, samples);
    QFETCH(double, rtt);
    QFETCH(double, rttVar);
    QFETCH(double, rto);
    SsmRttEstimator e;
    for (double s : samples)
        e.addSample(s);
    QCOMPARE(e.rttMs(), rtt);
    QCOMPARE(e.rttVarMs(), rttVar);
    QCOMPARE(e.rtoMs(), rto);
}

void TestSsmRttEstimator::cappedAtOneSecond()
{
    SsmRttEstimator e;
    e.addSample(5000);
    QCOMPARE(e.rtoMs(), 1000.0);
    for (int i = 0; i < 50; ++i)
        e.addSample(3000);
    QCOMPARE(e.rtoMs(), 1000.0);
}

void TestSsmRttEstimator::granularityFloor()
{
    // A perfectly steady RTT drives RTTVAR to ~0; the RTO keeps a 10 ms margin over the RTT.
    SsmRttEstimator e;
    for (int i = 0; i < 200; ++i)
        e.addSample(100);
    QCOMPARE(e.rttMs(), 100.0);
    QCOMPARE(e.rtoMs(), 110.0);
}

QTEST_GUILESS_MAIN(TestSsmRttEstimator)
#include "TestSsmRttEstimator.moc"
