// ByteQueue: FIFO order across chunk boundaries, partial reads and skips, size bookkeeping.

#include "core/tunnel/ByteQueue.h"

#include <QTest>

using namespace bl;

class TestByteQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fifoAcrossChunks()
    {
        ByteQueue q;
        QVERIFY(q.isEmpty());
        q.append("hello ");
        q.append({});
        q.append("wide ");
        q.append("world");
        QCOMPARE(q.size(), 16);
        QCOMPARE(q.read(3), QByteArray("hel"));
        QCOMPARE(q.front(), QByteArray("lo "));
        QCOMPARE(q.read(5), QByteArray("lo wi"));
        q.skip(3);
        QCOMPARE(q.size(), 5);
        QCOMPARE(q.read(100), QByteArray("world"));
        QVERIFY(q.isEmpty());
        QVERIFY(q.read(1).isEmpty());
        QVERIFY(q.front().isEmpty());
    }

    void wholeChunkAndClear()
    {
        ByteQueue q;
        q.append("abc");
        q.append("def");
        QCOMPARE(q.read(3), QByteArray("abc"));
        q.skip(100);
        QVERIFY(q.isEmpty());
        q.append("x");
        q.clear();
        QCOMPARE(q.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestByteQueue)
#include "TestByteQueue.moc"
