// Pager: page sizes, the paging knobs, and rejection of tokens it did not hand out.

#include "Pager.h"

#include <QtTest>

using namespace fakeaws;

namespace {

// Follows nextToken like a correct client; returns how many times each index was served.
QList<int> walk(qsizetype total, int maxResults, const PagingKnobs& knobs, int* pages, int* emptyPages)
{
    QList<int> served(total, 0);
    QByteArray token;
    *pages = 0;
    *emptyPages = 0;
    do {
        const auto page = Pager::page("Op/us-east-1", total, maxResults, knobs, token);
        if (!page || ++*pages > 10000)
            return {};
        for (qsizetype n = page->begin; n < page->end; ++n)
            served[n]++;
        *emptyPages += page->begin == page->end;
        token = page->nextToken;
    } while (!token.isEmpty());
    return served;
}

} // namespace

class TestPager : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyItemExactlyOnce_data()
    {
        QTest::addColumn<int>("total");
        QTest::addColumn<int>("maxResults");
        QTest::addColumn<int>("maxPageSize");
        QTest::addColumn<int>("emptyPageEvery");
        QTest::addColumn<int>("expectedPages");
        QTest::addColumn<int>("expectedEmpty");
        QTest::newRow("no limit") << 37 << 0 << 0 << 0 << 1 << 0;
        QTest::newRow("max results") << 37 << 10 << 0 << 0 << 4 << 0;
        QTest::newRow("exact multiple") << 30 << 10 << 0 << 0 << 3 << 0;
        QTest::newRow("cap below max results") << 37 << 1000 << 5 << 0 << 8 << 0;
        QTest::newRow("cap without max results") << 37 << 0 << 5 << 0 << 8 << 0;
        QTest::newRow("empty every 2nd") << 37 << 10 << 0 << 2 << 7 << 3;
        QTest::newRow("empty every 3rd, capped") << 20 << 0 << 4 << 3 << 7 << 2;
        QTest::newRow("nothing at all") << 0 << 10 << 5 << 2 << 1 << 1;
    }
    void everyItemExactlyOnce()
    {
        QFETCH(int, total);
        QFETCH(int, maxResults);
        QFETCH(int, maxPageSize);
        QFETCH(int, emptyPageEvery);
        QFETCH(int, expectedPages);
        QFETCH(int, expectedEmpty);
        int pages = 0;
        int empty = 0;
        const QList<int> served = walk(total, maxResults, {maxPageSize, emptyPageEvery}, &pages, &empty);
        QCOMPARE(served.size(), total);
        for (int count : served)
            QCOMPARE(count, 1);
        QCOMPARE(pages, expectedPages);
        QCOMPARE(empty, expectedEmpty);
    }

    void emptyPagesCarryAToken()
    {
        const auto first = Pager::page("Op/r", 10, 3, {0, 2}, {});
        QVERIFY(first && !first->nextToken.isEmpty());
        const auto second = Pager::page("Op/r", 10, 3, {0, 2}, first->nextToken);
        QVERIFY(second);
        QCOMPARE(second->begin, second->end);
        QVERIFY(!second->nextToken.isEmpty());
    }

    void foreignTokensAreRejected_data()
    {
        QTest::addColumn<QByteArray>("token");
        const auto other = Pager::page("Other/us-east-1", 100, 5, {}, {});
        const auto otherRegion = Pager::page("Op/eu-west-1", 100, 5, {}, {});
        QTest::newRow("garbage") << QByteArray("not-a-token!");
        QTest::newRow("plain base64") << QByteArray("aGVsbG8");
        QTest::newRow("other operation") << other->nextToken;
        QTest::newRow("other region") << otherRegion->nextToken;
        QTest::newRow("past the end") << QByteArray("fk1|Op/us-east-1|500|2").toBase64(QByteArray::Base64UrlEncoding);
        QTest::newRow("page number 1") << QByteArray("fk1|Op/us-east-1|5|1").toBase64(QByteArray::Base64UrlEncoding);
    }
    void foreignTokensAreRejected()
    {
        QFETCH(QByteArray, token);
        QVERIFY(!Pager::page("Op/us-east-1", 100, 5, {}, token));
    }
};

QTEST_GUILESS_MAIN(TestPager)
#include "TestPager.moc"
