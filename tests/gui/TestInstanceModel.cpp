// InstanceModel and InstanceFilterProxy over a store fed by fakeaws, each watched by QAbstractItemModelTester
// through loading, in-place updates, additions, removals and resets; search-as-you-type and natural sorting.

#include "AppFixture.h"

#include "ui/InstanceFilterProxy.h"
#include "ui/InstanceModel.h"

#include <QAbstractItemModelTester>
#include <QHostAddress>
#include <QTest>

using namespace bl;
using guitest::AppFixture;

class TestInstanceModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void loadsAndUpdatesUnderTester();
    void stateIsColoured();
    void search_data();
    void search();
    void sortsAddressesNumerically();
    void sortsStatesByLifecycle();
};

namespace {

struct Watched
{
    explicit Watched(InstanceStore& store)
        : model(store)
        , modelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest)
    {
        proxy.setSourceModel(&model);
        proxyTester =
            std::make_unique<QAbstractItemModelTester>(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    InstanceModel model;
    QAbstractItemModelTester modelTester;
    InstanceFilterProxy proxy;
    std::unique_ptr<QAbstractItemModelTester> proxyTester;
};

QStringList column(const QAbstractItemModel& m, int col, int role = Qt::DisplayRole)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << m.index(r, col).data(role).toString();
    return out;
}

} // namespace

void TestInstanceModel::loadsAndUpdatesUnderTester()
{
    AppFixture app;
    QVERIFY2(app.ok(), qPrintable(app.aws.error()));
    Watched w(app.store);
    w.proxy.sort(InstanceModel::Name);
    QVERIFY(app.refresh());
    QCOMPARE(w.model.rowCount(), int(app.store.entries().size()));
    QVERIFY(w.model.rowCount() > 10);
    QCOMPARE(w.model.columnCount(), int(InstanceModel::ColumnCount));
    QCOMPARE(w.model.headerData(InstanceModel::Reach, Qt::Horizontal).toString(), QStringLiteral("Reachability"));

    // Changed, added and removed instances, then a search while rows move, then a reset.
    const QString grafana = app.aws.idOf(QStringLiteral("grafana"));
    QVERIFY(app.aws.fleet().setState(grafana, fakeaws::InstanceState::Stopped, app.aws.fake().now()));
    fakeaws::Instance copy = *app.aws.fleet().instance(app.aws.idOf(QStringLiteral("jenkins")));
    copy.id = QStringLiteral("i-0feedfacecafe0002");
    copy.tags = {{QStringLiteral("Name"), QStringLiteral("aaa-first")}};
    app.aws.fleet().addInstance(copy);
    app.aws.fleet().instance(app.aws.idOf(QStringLiteral("web-2")))->region = QStringLiteral("us-west-1");
    app.aws.fleet().instance(app.aws.idOf(QStringLiteral("web-1")))->region = QStringLiteral("us-west-1");
    w.proxy.setSearchText(QStringLiteral("web"));
    const int before = w.model.rowCount();
    QVERIFY(app.refresh());
    QCOMPARE(w.model.rowCount(), before - 1);
    const QModelIndex g =
        w.model.indexOfKey(InventoryEntry::makeKey(QStringLiteral("demo"), grafana), InstanceModel::State);
    QCOMPARE(g.data().toString(), QStringLiteral("stopped"));
    QVERIFY(!w.model.indexOfKey(InventoryEntry::makeKey(QStringLiteral("demo"), copy.id)).data().isNull());
    QCOMPARE(column(w.proxy, InstanceModel::Name).filter(QStringLiteral("web-")).size(), 0);
    w.proxy.setSearchText({});
    QCOMPARE(column(w.proxy, InstanceModel::Name).constFirst(), QStringLiteral("aaa-first"));

    app.store.setSources({});
    QCOMPARE(w.model.rowCount(), 0);
}

void TestInstanceModel::stateIsColoured()
{
    AppFixture app;
    QVERIFY2(app.ok(), qPrintable(app.aws.error()));
    InstanceModel model(app.store);
    QVERIFY(app.refresh());
    QColor running, stopped;
    for (int r = 0; r < model.rowCount(); ++r) {
        const QModelIndex state = model.index(r, InstanceModel::State);
        const auto s = InstanceState(state.data(InstanceModel::StateRole).toInt());
        QVERIFY(!state.data(Qt::DecorationRole).value<QIcon>().isNull());
        if (s == InstanceState::Running)
            running = state.data(Qt::ForegroundRole).value<QColor>();
        if (s == InstanceState::Stopped)
            stopped = state.data(Qt::ForegroundRole).value<QColor>();
    }
    QVERIFY(running.isValid() && stopped.isValid());
    QVERIFY(running != stopped);
    QVERIFY(running.green() > running.red()); // running reads as green
}

void TestInstanceModel::search_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("names");
    QTest::newRow("name, any case") << QStringLiteral("WEB-")
                                    << QStringList {QStringLiteral("web-1"), QStringLiteral("web-2")};
    QTest::newRow("instance id") << QStringLiteral("@id:build-runner") << QStringList {QStringLiteral("build-runner")};
    QTest::newRow("private ip") << QStringLiteral("@ip:jenkins") << QStringList {QStringLiteral("jenkins")};
    QTest::newRow("public ip") << QStringLiteral("@pub:grafana") << QStringList {QStringLiteral("grafana")};
    QTest::newRow("tag value") << QStringLiteral("owner=dave")
                               << QStringList {QStringLiteral("batch-worker-1"), QStringLiteral("batch-worker-2"),
                                               QStringLiteral("postgres-replica")};
    QTest::newRow("tag key") << QStringLiteral("desktop=") << QStringList {QStringLiteral("rdp-desktop")};
    QTest::newRow("every word must match")
        << QStringLiteral("prod api") << QStringList {QStringLiteral("api-prod-1"), QStringLiteral("api-prod-2")};
    QTest::newRow("nothing") << QStringLiteral("no-such-thing") << QStringList {};
}

void TestInstanceModel::search()
{
    QFETCH(QString, text);
    QFETCH(QStringList, names);
    AppFixture app;
    QVERIFY2(app.ok(), qPrintable(app.aws.error()));
    Watched w(app.store);
    QVERIFY(app.refresh());
    // "@id:NAME" etc.: search for that instance's id / address, so the test does not hard-code generated values.
    if (text.startsWith(QLatin1Char('@'))) {
        const QString kind = text.section(QLatin1Char(':'), 0, 0);
        const fakeaws::Instance* i = app.aws.fleet().instance(app.aws.idOf(text.section(QLatin1Char(':'), 1)));
        QVERIFY(i);
        text = kind == QLatin1String("@id") ? i->id : kind == QLatin1String("@ip") ? i->privateIp : i->publicIp;
        QVERIFY(!text.isEmpty());
    }
    w.proxy.setSearchText(text);
    QStringList shown = column(w.proxy, InstanceModel::Name);
    shown.sort();
    QCOMPARE(shown, names);
}

void TestInstanceModel::sortsAddressesNumerically()
{
    AppFixture app(QStringList {}); // every region: more varied addresses
    QVERIFY2(app.ok(), qPrintable(app.aws.error()));
    Watched w(app.store);
    QVERIFY(app.refresh());
    w.proxy.sort(InstanceModel::PrivateIp, Qt::AscendingOrder);
    quint32 previous = 0;
    for (const QString& ip : column(w.proxy, InstanceModel::PrivateIp)) {
        bool ok = false;
        const quint32 v = QHostAddress(ip).toIPv4Address(&ok);
        if (!ok)
            break; // IPv6 and no address come last
        QVERIFY2(v >= previous, qPrintable(ip));
        previous = v;
    }
    QVERIFY(previous > 0);
}

void TestInstanceModel::sortsStatesByLifecycle()
{
    AppFixture app;
    QVERIFY2(app.ok(), qPrintable(app.aws.error()));
    Watched w(app.store);
    QVERIFY(app.refresh());
    w.proxy.sort(InstanceModel::State, Qt::AscendingOrder);
    const QStringList states = column(w.proxy, InstanceModel::State);
    QCOMPARE(states.constFirst(), QStringLiteral("running"));
    QCOMPARE(states.constLast(), QStringLiteral("terminated"));
}

QTEST_MAIN(TestInstanceModel)
#include "TestInstanceModel.moc"
