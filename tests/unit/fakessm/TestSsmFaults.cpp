// Parsing of --ssm-faults specs and the property that makes fault runs reproducible: decisions depend on
// (seed, kind, sequence, attempt) only.

#include "tests/fakeaws/SsmFaults.h"

#include <QTest>

using fakeaws::SsmFaults;

class TestSsmFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesSpec()
    {
        QString error;
        const auto f = SsmFaults::parse(
            QStringLiteral("drop=0.05,reorder=0.05,duplicate=0.01,seed=7,kill-after=65536,kill-every=1,split=1"),
            &error);
        QVERIFY2(f, qPrintable(error));
        QCOMPARE(f->drop, 0.05);
        QCOMPARE(f->reorder, 0.05);
        QCOMPARE(f->duplicate, 0.01);
        QCOMPARE(f->seed, quint64(7));
        QCOMPARE(f->killAfterBytes, qint64(65536));
        QVERIFY(f->killEveryTime);
        QVERIFY(f->splitSmux);
        QVERIFY(f->any());
        QVERIFY(!SsmFaults().any());
    }

    void refusesBadSpecs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown key") << QStringLiteral("dorp=0.1") << QStringLiteral("dorp");
        QTest::newRow("probability above 1") << QStringLiteral("drop=1.5") << QStringLiteral("drop");
        QTest::newRow("not a number") << QStringLiteral("seed=abc") << QStringLiteral("seed");
        QTest::newRow("fractional bytes") << QStringLiteral("kill-after=1.5") << QStringLiteral("kill-after");
    }

    void refusesBadSpecs()
    {
        QFETCH(QString, spec);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(!SsmFaults::parse(spec, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    void sameSeedSamePattern()
    {
        SsmFaults a;
        a.drop = 0.1;
        a.seed = 7;
        SsmFaults b = a;
        SsmFaults c = a;
        c.seed = 8;
        QList<qint64> pa, pb, pc;
        for (qint64 seq = 0; seq < 2000; ++seq) {
            if (a.hits(SsmFaults::Kind::Drop, seq))
                pa.append(seq);
            if (b.hits(SsmFaults::Kind::Drop, seq))
                pb.append(seq);
            if (c.hits(SsmFaults::Kind::Drop, seq))
                pc.append(seq);
        }
        QCOMPARE(pa, pb);
        QVERIFY(pa != pc);
        // Roughly the asked-for rate, and retransmissions get independent draws.
        QVERIFY2(pa.size() > 140 && pa.size() < 260, qPrintable(QString::number(pa.size())));
        int stillDropped = 0;
        for (qint64 seq : pa)
            stillDropped += a.hits(SsmFaults::Kind::Drop, seq, 1) ? 1 : 0;
        QVERIFY(stillDropped < pa.size() / 2);
    }
};

QTEST_GUILESS_MAIN(TestSsmFaults)
#include "TestSsmFaults.moc"
