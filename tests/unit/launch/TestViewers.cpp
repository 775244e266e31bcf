// Viewers::rdpWithPassword: which viewers can be given a password without it showing on their command line,
// the exact argv and standard input for FreeRDP 2 and 3, and the passwords that cannot be passed as a line.

#include "core/launch/Viewers.h"

#include <QTest>

using namespace bl;

class TestViewers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void withPassword_data();
    void withPassword();
    void refused_data();
    void refused();
};

void TestViewers::withPassword_data()
{
    QTest::addColumn<QString>("viewer");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("standardInput");
    QTest::newRow("freerdp 2") << QStringLiteral(
        "/usr/bin/xfreerdp") << QStringList {QStringLiteral("/v:127.0.0.1:3390"), QStringLiteral("/u:Administrator"),
                                             QStringLiteral("/cert-ignore"),      QStringLiteral("/dynamic-resolution"),
                                             QStringLiteral("/t:dc 1"),           QStringLiteral("/from-stdin")}
                               << QByteArray("p@ss w%rd;é\n");
    QTest::newRow("freerdp 3") << QStringLiteral("xfreerdp3") << QStringList {QStringLiteral("/args-from:stdin")}
                               << QByteArray("/v:127.0.0.1:3390\n/u:Administrator\n/cert:ignore\n/dynamic-resolution\n"
                                             "/title:dc 1\n/p:p@ss w%rd;\xc3\xa9\n");
}

void TestViewers::withPassword()
{
    QFETCH(QString, viewer);
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, standardInput);
    const QString password = QStringLiteral("p@ss w%rd;\u00e9");
    const auto launch =
        Viewers::rdpWithPassword(viewer, 3390, QStringLiteral("Administrator"), password, QStringLiteral("dc 1"));
    QVERIFY(launch.has_value());
    QCOMPARE(launch->arguments, arguments);
    QCOMPARE(launch->standardInput, standardInput);
    for (const QString& a : launch->arguments)
        QVERIFY(!a.contains(password));
}

void TestViewers::refused_data()
{
    QTest::addColumn<QString>("viewer");
    QTest::addColumn<QString>("password");
    QTest::newRow("remmina") << QStringLiteral("remmina") << QStringLiteral("secret");
    QTest::newRow("unknown viewer") << QStringLiteral("/opt/rdp/myviewer") << QStringLiteral("secret");
    QTest::newRow("line break, freerdp 2") << QStringLiteral("xfreerdp") << QStringLiteral("two\nlines");
    QTest::newRow("carriage return, freerdp 3") << QStringLiteral("xfreerdp3") << QStringLiteral("two\rlines");
    QTest::newRow("empty") << QStringLiteral("xfreerdp") << QString();
}

void TestViewers::refused()
{
    QFETCH(QString, viewer);
    QFETCH(QString, password);
    QVERIFY(!Viewers::rdpWithPassword(viewer, 3390, QStringLiteral("Administrator"), password, {}).has_value());
}

QTEST_GUILESS_MAIN(TestViewers)
#include "TestViewers.moc"
