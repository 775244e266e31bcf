// SsmVersion: dotted comparison padded with zeros, and the mode gates of PROTOCOLS.md §6.7 at their boundaries.

#include "core/ssm/SsmVersion.h"

#include <QtTest>

using namespace bl;

class TestSsmVersion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void compare_data();
    void compare();
    void decide_data();
    void decide();
    void ourClientVersionSelectsMuxWithoutKeepAlive();
};

void TestSsmVersion::compare_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("expected");
    QTest::newRow("equal") << QStringLiteral("3.0.196.0") << QStringLiteral("3.0.196.0") << 0;
    QTest::newRow("padded equal") << QStringLiteral("3.1") << QStringLiteral("3.1.0.0") << 0;
    QTest::newRow("padded greater") << QStringLiteral("3.0.196.0.1") << QStringLiteral("3.0.196.0") << 1;
    QTest::newRow("numeric not lexical") << QStringLiteral("3.0.1000.0") << QStringLiteral("3.0.196.0") << 1;
    QTest::newRow("major wins") << QStringLiteral("2.9.9999.9") << QStringLiteral("3.0.0.0") << -1;
    QTest::newRow("short less") << QStringLiteral("1.2") << QStringLiteral("1.2.332") << -1;
    QTest::newRow("garbage is zero") << QStringLiteral("x") << QStringLiteral("0") << 0;
    QTest::newRow("empty") << QString() << QStringLiteral("0.0.1") << -1;
}

void TestSsmVersion::compare()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, expected);
    QCOMPARE(SsmVersion::compare(a, b), expected);
    QCOMPARE(SsmVersion::compare(b, a), -expected);
}

void TestSsmVersion::decide_data()
{
    QTest::addColumn<QString>("agent");
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("nops");
    QTest::addColumn<bool>("terminateFlag");
    const QString lpf = QStringLiteral("LocalPortForwarding");
    const int stream = int(SsmForwardMode::Stream), basic = int(SsmForwardMode::Basic), mux = int(SsmForwardMode::Mux);
    QTest::newRow("modern mux") << QStringLiteral("3.3.40.0") << lpf << mux << false << true;
    QTest::newRow("mux boundary equal is basic") << QStringLiteral("3.0.196.0") << lpf << basic << false << true;
    QTest::newRow("mux just above") << QStringLiteral("3.0.196.1") << lpf << mux << true << true;
    QTest::newRow("keepalive boundary") << QStringLiteral("3.1.1511.0") << lpf << mux << true << true;
    QTest::newRow("keepalive off above") << QStringLiteral("3.1.1511.1") << lpf << mux << false << true;
    QTest::newRow("old basic") << QStringLiteral("3.0.161.0") << lpf << basic << false << true;
    QTest::newRow("terminate boundary") << QStringLiteral("2.3.722.0") << lpf << basic << false << false;
    QTest::newRow("terminate above") << QStringLiteral("2.3.722.1") << lpf << basic << false << true;
    QTest::newRow("ssh document no type") << QStringLiteral("3.3.40.0") << QString() << stream << false << true;
    QTest::newRow("other type") << QStringLiteral("3.3.40.0") << QStringLiteral("Other") << stream << false << true;
}

void TestSsmVersion::decide()
{
    QFETCH(QString, agent);
    QFETCH(QString, type);
    QFETCH(int, mode);
    QFETCH(bool, nops);
    QFETCH(bool, terminateFlag);
    QJsonObject props {{QStringLiteral("portNumber"), QStringLiteral("22")}};
    if (!type.isEmpty())
        props.insert(QStringLiteral("type"), type);
    const SsmModeDecision d = SsmVersion::decide(agent, props);
    QCOMPARE(int(d.mode), mode);
    QCOMPARE(d.smuxKeepAliveNeeded, nops);
    QCOMPARE(d.terminateFlagSupported, terminateFlag);
}

void TestSsmVersion::ourClientVersionSelectsMuxWithoutKeepAlive()
{
    // Agent side gates (§6.7): mux iff ClientVersion >= 1.1.70, keep-alive off iff > 1.2.331.0.
    QCOMPARE(SsmVersion::clientVersion(), QStringLiteral("1.2.707.0"));
    QVERIFY(SsmVersion::compare(SsmVersion::clientVersion(), QStringLiteral("1.1.70")) >= 0);
    QVERIFY(SsmVersion::compare(SsmVersion::clientVersion(), QStringLiteral("1.2.331.0")) > 0);
}

QTEST_GUILESS_MAIN(TestSsmVersion)
#include "TestSsmVersion.moc"
