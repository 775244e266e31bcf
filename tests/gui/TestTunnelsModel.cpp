// TunnelsModel under QAbstractItemModelTester: rows appear when tunnels open, change in place as they come up
// and carry bytes, and go when removed; the state column names a failure's reason.

#include "TunnelTestKit.h"

#include "ui/TunnelsModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace bl;
using namespace tunneltest;

class TestTunnelsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowsFollowTheManager();
    void failureShowsReason();
    void formats_data();
    void formats();
};

namespace {
constexpr int waitMs = 10000;
}

void TestTunnelsModel::rowsFollowTheManager()
{
    ManagerKit kit;
    QVERIFY2(kit.aws.ok(), qPrintable(kit.aws.error()));
    const quint64 first = kit.manager.open(directTarget(5432));
    TunnelsModel model(kit.manager);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.idAt(0), first);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const quint64 second = kit.manager.open(directTarget(5432));
    QCOMPARE(model.rowCount(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(model.index(1, TunnelsModel::State).data().toString(), QStringLiteral("up"), waitMs);
    QVERIFY(!changed.isEmpty());
    const quint16 port = kit.manager.tunnel(second)->localPort;
    QCOMPARE(model.index(1, TunnelsModel::LocalPort).data().toString(), QString::number(port));
    QCOMPARE(model.index(1, TunnelsModel::RemotePort).data().toString(), QStringLiteral("5432"));
    QCOMPARE(model.index(1, TunnelsModel::Instance).data().toString(), QStringLiteral("web-1 (i-0123456789abcdef0)"));
    QVERIFY(model.index(1, TunnelsModel::Transport).data().toString().startsWith(QStringLiteral("direct TCP")));
    QVERIFY(model.index(1, TunnelsModel::Transport).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Why")));

    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(client.waitForConnected(waitMs));
    client.write(QByteArray(2048, 'a'));
    QTRY_COMPARE_WITH_TIMEOUT(model.index(1, TunnelsModel::Connections).data().toString(), QStringLiteral("1"), waitMs);
    QTRY_COMPARE_WITH_TIMEOUT(model.index(1, TunnelsModel::Received).data().toString(), TunnelsModel::formatBytes(2048),
                              waitMs);
    QVERIFY(!model.index(1, TunnelsModel::Uptime).data().toString().isEmpty());

    kit.manager.stop(second);
    QCOMPARE(model.index(1, TunnelsModel::State).data().toString(), QStringLiteral("stopped"));
    kit.manager.remove(first);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.idAt(0), second);
    kit.manager.remove(second);
    QCOMPARE(model.rowCount(), 0);
}

void TestTunnelsModel::failureShowsReason()
{
    ManagerKit kit;
    TunnelsModel model(kit.manager);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    kit.manager.open(directTarget(5432, squatter.serverPort()));
    QTRY_VERIFY_WITH_TIMEOUT(
        model.index(0, TunnelsModel::State).data().toString().startsWith(QStringLiteral("failed: ")), waitMs);
    QVERIFY(model.index(0, TunnelsModel::State).data().toString().contains(QString::number(squatter.serverPort())));
    QVERIFY(model.index(0, TunnelsModel::State).data(Qt::ForegroundRole).isValid());
}

void TestTunnelsModel::formats_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << qint64(0) << QStringLiteral("0:00");
    QTest::newRow("minutes") << qint64(245) << QStringLiteral("4:05");
    QTest::newRow("hours") << qint64(3723) << QStringLiteral("1:02:03");
}

void TestTunnelsModel::formats()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(TunnelsModel::formatDuration(seconds), text);
}

QTEST_MAIN(TestTunnelsModel)
#include "TestTunnelsModel.moc"
