// InstanceGroupProxy over the search proxy, under QAbstractItemModelTester: grouping by region, profile and VPC
// with counts of the rows that match the search, rows inserted, removed and changed in the source, searches and
// sorts, with the view's persistent indexes (selection, expansion) following their instance throughout.

#include "ui/InstanceFilterProxy.h"
#include "ui/InstanceGroupProxy.h"
#include "ui/InstanceModel.h"

#include <QAbstractItemModelTester>
#include <QStandardItemModel>
#include <QTest>

using namespace bl;
using Mode = InstanceGroupProxy::Mode;

class TestInstanceGroupProxy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void modeNames_data();
    void modeNames();
    void groupsByRegionWithCounts();
    void groupsByProfileAndVpc();
    void insertKeepsPersistentIndexes();
    void removeDropsEmptyGroups();
    void changedRegionMovesRow();
    void searchHidesEmptyGroups();
    void sortWorksInsideGroups();
    void flatModeIsPassThrough();
    void sourceResetRebuilds();

private:
    void addRow(const QString& name, const QString& region, const QString& profile = QStringLiteral("demo"),
                const QString& vpc = QString());
    QString layout() const;
    QString keyAt(const QModelIndex& index) const { return index.data(InstanceModel::KeyRole).toString(); }

    QStandardItemModel* m_source = nullptr;
    InstanceFilterProxy* m_filter = nullptr;
    InstanceGroupProxy* m_groups = nullptr;
    QAbstractItemModelTester* m_tester = nullptr;
};

namespace {

QStandardItem* cell(const QString& text)
{
    auto* item = new QStandardItem(text);
    item->setData(text, InstanceModel::SortRole);
    return item;
}

} // namespace

void TestInstanceGroupProxy::init()
{
    m_source = new QStandardItemModel(0, InstanceModel::ColumnCount, this);
    m_filter = new InstanceFilterProxy(this);
    m_filter->setSourceModel(m_source);
    m_filter->sort(InstanceModel::Name, Qt::AscendingOrder);
    m_groups = new InstanceGroupProxy(this);
    m_groups->setSourceModel(m_filter);
    m_tester = new QAbstractItemModelTester(m_groups, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
    addRow(QStringLiteral("web-1"), QStringLiteral("us-east-1"), QStringLiteral("demo"), QStringLiteral("vpc-a"));
    addRow(QStringLiteral("api-1"), QStringLiteral("us-east-1"), QStringLiteral("prod"), QStringLiteral("vpc-a"));
    addRow(QStringLiteral("kafka-1"), QStringLiteral("eu-west-1"), QStringLiteral("prod"), QStringLiteral("vpc-b"));
    addRow(QStringLiteral("db-1"), QStringLiteral("us-east-1"), QStringLiteral("demo"));
}

void TestInstanceGroupProxy::cleanup()
{
    delete m_tester;
    delete m_groups;
    delete m_filter;
    delete m_source;
}

void TestInstanceGroupProxy::addRow(const QString& name, const QString& region, const QString& profile,
                                    const QString& vpc)
{
    QList<QStandardItem*> row;
    for (int c = 0; c < InstanceModel::ColumnCount; ++c)
        row << cell(QString());
    row[InstanceModel::Name] = cell(name);
    row[InstanceModel::Name]->setData(QStringLiteral("%1|%2").arg(profile, name), InstanceModel::KeyRole);
    row[InstanceModel::Name]->setData(QStringLiteral("%1 %2").arg(name, region), InstanceModel::SearchTextRole);
    row[InstanceModel::Region] = cell(region);
    row[InstanceModel::Profile] = cell(profile);
    row[InstanceModel::Vpc] = cell(vpc);
    m_source->appendRow(row);
}

// "group(count): name name | group(count): ..." in view order, or "name name" when flat.
QString TestInstanceGroupProxy::layout() const
{
    QStringList parts;
    for (int g = 0; g < m_groups->rowCount(); ++g) {
        const QModelIndex top = m_groups->index(g, 0);
        if (!m_groups->isGroup(top)) {
            parts << top.data().toString();
            continue;
        }
        QStringList names;
        for (int r = 0; r < m_groups->rowCount(top); ++r)
            names << m_groups->index(r, InstanceModel::Name, top).data().toString();
        parts << QStringLiteral("%1(%2): %3")
                     .arg(top.data(InstanceGroupProxy::GroupNameRole).toString())
                     .arg(top.data(InstanceGroupProxy::GroupCountRole).toInt())
                     .arg(names.join(QLatin1Char(' ')));
    }
    return parts.join(m_groups->mode() == Mode::None ? QStringLiteral(" ") : QStringLiteral(" | "));
}

void TestInstanceGroupProxy::modeNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("mode");
    QTest::newRow("none") << QStringLiteral("none") << int(Mode::None);
    QTest::newRow("profile") << QStringLiteral("profile") << int(Mode::Profile);
    QTest::newRow("region") << QStringLiteral("region") << int(Mode::Region);
    QTest::newRow("vpc") << QStringLiteral("vpc") << int(Mode::Vpc);
    QTest::newRow("unknown is none") << QStringLiteral("colour") << int(Mode::None);
    QTest::newRow("empty is none") << QString() << int(Mode::None);
}

void TestInstanceGroupProxy::modeNames()
{
    QFETCH(QString, name);
    QFETCH(int, mode);
    QCOMPARE(int(InstanceGroupProxy::modeFromName(name)), mode);
    if (name == InstanceGroupProxy::modeName(Mode(mode)))
        QCOMPARE(InstanceGroupProxy::modeFromName(InstanceGroupProxy::modeName(Mode(mode))), Mode(mode));
}

void TestInstanceGroupProxy::groupsByRegionWithCounts()
{
    m_groups->setMode(Mode::Region);
    QCOMPARE(layout(), QStringLiteral("eu-west-1(1): kafka-1 | us-east-1(3): api-1 db-1 web-1"));
    const QModelIndex group = m_groups->index(1, 0);
    QVERIFY(m_groups->isGroup(group));
    QCOMPARE(group.data().toString(), QStringLiteral("us-east-1 — 3 instances"));
    QCOMPARE(m_groups->index(0, 0).data().toString(), QStringLiteral("eu-west-1 — 1 instance"));
    QVERIFY(!group.data(InstanceModel::KeyRole).isValid()); // not an instance
    QVERIFY(!m_groups->mapToSource(group).isValid());
    const QModelIndex child = m_groups->index(0, InstanceModel::Name, group);
    QCOMPARE(keyAt(child), QStringLiteral("prod|api-1"));
    QVERIFY(!m_groups->isGroup(child));
    QCOMPARE(m_groups->mapFromSource(m_groups->mapToSource(child)), child);
    QCOMPARE(m_groups->firstInstance().data().toString(), QStringLiteral("kafka-1"));
}

void TestInstanceGroupProxy::groupsByProfileAndVpc()
{
    m_groups->setMode(Mode::Profile);
    QCOMPARE(layout(), QStringLiteral("demo(2): db-1 web-1 | prod(2): api-1 kafka-1"));
    m_groups->setMode(Mode::Vpc);
    QCOMPARE(layout(), QStringLiteral("No VPC(1): db-1 | vpc-a(2): api-1 web-1 | vpc-b(1): kafka-1"));
}

void TestInstanceGroupProxy::insertKeepsPersistentIndexes()
{
    m_groups->setMode(Mode::Region);
    const QPersistentModelIndex web(m_groups->index(2, 0, m_groups->index(1, 0)));
    const QPersistentModelIndex usGroup(m_groups->index(1, 0));
    QCOMPARE(web.data().toString(), QStringLiteral("web-1"));

    addRow(QStringLiteral("syd-1"), QStringLiteral("ap-southeast-2")); // a new group before the others
    addRow(QStringLiteral("cache-1"), QStringLiteral("us-east-1")); // into the middle of a group
    QCOMPARE(layout(),
             QStringLiteral("ap-southeast-2(1): syd-1 | eu-west-1(1): kafka-1 | us-east-1(4): api-1 cache-1 "
                            "db-1 web-1"));
    QVERIFY(web.isValid());
    QCOMPARE(web.data().toString(), QStringLiteral("web-1"));
    QCOMPARE(web.row(), 3);
    QCOMPARE(usGroup.row(), 2);
    QCOMPARE(usGroup.data().toString(), QStringLiteral("us-east-1 — 4 instances"));
    QCOMPARE(web.parent(), QModelIndex(usGroup));
}

void TestInstanceGroupProxy::removeDropsEmptyGroups()
{
    m_groups->setMode(Mode::Region);
    const QPersistentModelIndex web(m_groups->index(2, 0, m_groups->index(1, 0)));
    const QPersistentModelIndex kafka(m_groups->index(0, 0, m_groups->index(0, 0)));
    m_source->removeRow(2); // kafka-1, the only one in eu-west-1
    QCOMPARE(layout(), QStringLiteral("us-east-1(3): api-1 db-1 web-1"));
    QVERIFY(!kafka.isValid());
    QCOMPARE(web.data().toString(), QStringLiteral("web-1"));
    QCOMPARE(web.parent().row(), 0);

    m_source->removeRow(0); // web-1
    QCOMPARE(layout(), QStringLiteral("us-east-1(2): api-1 db-1"));
    QVERIFY(!web.isValid());
    m_source->removeRows(0, m_source->rowCount());
    QCOMPARE(m_groups->rowCount(), 0);
    QVERIFY(!m_groups->firstInstance().isValid());
}

void TestInstanceGroupProxy::changedRegionMovesRow()
{
    m_groups->setMode(Mode::Region);
    m_source->item(1, InstanceModel::Region)->setText(QStringLiteral("eu-west-1")); // api-1 moves
    QCOMPARE(layout(), QStringLiteral("eu-west-1(2): api-1 kafka-1 | us-east-1(2): db-1 web-1"));
    m_source->item(1, InstanceModel::Region)->setText(QStringLiteral("")); // and out of every region
    QCOMPARE(layout(), QStringLiteral("eu-west-1(1): kafka-1 | No region(1): api-1 | us-east-1(2): db-1 web-1"));

    // A change that keeps the group updates the row in place.
    const QPersistentModelIndex db(m_groups->index(0, 0, m_groups->index(2, 0)));
    QCOMPARE(db.data().toString(), QStringLiteral("db-1"));
    m_source->item(3, InstanceModel::Vpc)->setText(QStringLiteral("vpc-z"));
    QVERIFY(db.isValid());
    QCOMPARE(m_groups->index(db.row(), InstanceModel::Vpc, db.parent()).data().toString(), QStringLiteral("vpc-z"));
}

void TestInstanceGroupProxy::searchHidesEmptyGroups()
{
    m_groups->setMode(Mode::Region);
    const QPersistentModelIndex web(m_groups->index(2, 0, m_groups->index(1, 0)));
    m_filter->setSearchText(QStringLiteral("web"));
    QCOMPARE(layout(), QStringLiteral("us-east-1(1): web-1"));
    QCOMPARE(m_groups->index(0, 0).data().toString(), QStringLiteral("us-east-1 — 1 instance"));
    QCOMPARE(web.data().toString(), QStringLiteral("web-1"));
    m_filter->setSearchText(QStringLiteral("-1 east"));
    QCOMPARE(layout(), QStringLiteral("us-east-1(3): api-1 db-1 web-1"));
    m_filter->setSearchText(QStringLiteral("nothing-matches"));
    QCOMPARE(m_groups->rowCount(), 0);
    m_filter->setSearchText(QString());
    QCOMPARE(layout(), QStringLiteral("eu-west-1(1): kafka-1 | us-east-1(3): api-1 db-1 web-1"));
    QVERIFY(!web.isValid()); // it went away with the search that hid it
}

void TestInstanceGroupProxy::sortWorksInsideGroups()
{
    m_groups->setMode(Mode::Region);
    const QPersistentModelIndex web(m_groups->index(2, InstanceModel::Region, m_groups->index(1, 0)));
    m_groups->sort(InstanceModel::Name, Qt::DescendingOrder);
    QCOMPARE(layout(), QStringLiteral("eu-west-1(1): kafka-1 | us-east-1(3): web-1 db-1 api-1"));
    QCOMPARE(web.row(), 0);
    QCOMPARE(web.column(), int(InstanceModel::Region));
    QCOMPARE(m_groups->index(web.row(), InstanceModel::Name, web.parent()).data().toString(), QStringLiteral("web-1"));

    // A changed sort value re-sorts the group, dynamically.
    m_groups->sort(InstanceModel::Profile, Qt::AscendingOrder);
    m_source->item(1, InstanceModel::Profile)->setData(QStringLiteral("aaa"), InstanceModel::SortRole); // api-1
    const QModelIndex us = m_groups->index(1, 0);
    QCOMPARE(m_groups->index(0, InstanceModel::Name, us).data().toString(), QStringLiteral("api-1"));
}

void TestInstanceGroupProxy::flatModeIsPassThrough()
{
    QCOMPARE(m_groups->mode(), Mode::None);
    QCOMPARE(layout(), QStringLiteral("api-1 db-1 kafka-1 web-1"));
    QCOMPARE(m_groups->rowCount(), m_filter->rowCount());
    for (int r = 0; r < m_groups->rowCount(); ++r) {
        QVERIFY(!m_groups->isGroup(m_groups->index(r, 0)));
        QCOMPARE(m_groups->rowCount(m_groups->index(r, 0)), 0);
        QCOMPARE(m_groups->mapToSource(m_groups->index(r, 1)), m_filter->index(r, 1));
    }
    const QPersistentModelIndex kafka(m_groups->index(2, 0));
    addRow(QStringLiteral("aaa"), QStringLiteral("us-east-1"));
    QCOMPARE(kafka.row(), 3);
    m_filter->setSearchText(QStringLiteral("w")); // web-1, and kafka-1 in eu-west-1
    QCOMPARE(layout(), QStringLiteral("kafka-1 web-1"));
    QCOMPARE(kafka.row(), 0);
    m_groups->sort(InstanceModel::Name, Qt::DescendingOrder);
    QCOMPARE(layout(), QStringLiteral("web-1 kafka-1"));
    QCOMPARE(kafka.row(), 1);
    QCOMPARE(kafka.data().toString(), QStringLiteral("kafka-1"));
}

void TestInstanceGroupProxy::sourceResetRebuilds()
{
    m_groups->setMode(Mode::Region);
    m_source->clear();
    m_source->setColumnCount(InstanceModel::ColumnCount);
    QCOMPARE(m_groups->rowCount(), 0);
    addRow(QStringLiteral("solo"), QStringLiteral("sa-east-1"));
    QCOMPARE(layout(), QStringLiteral("sa-east-1(1): solo"));
}

QTEST_MAIN(TestInstanceGroupProxy)
#include "TestInstanceGroupProxy.moc"
