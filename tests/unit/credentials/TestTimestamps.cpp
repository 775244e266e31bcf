// Expiration times arrive in every spelling the AWS tools write; all must be read, and ours written the
// way the CLI writes its SSO cache.
#include "core/aws/credentials/Timestamps.h"

#include <QTest>
#include <QTimeZone>

using namespace bl;

class TestTimestamps : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void format();
};

void TestTimestamps::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected");
    const QDateTime t(QDate(2024, 1, 15), QTime(13, 0, 0), QTimeZone::utc());
    QTest::newRow("Z") << QStringLiteral("2024-01-15T13:00:00Z") << t;
    QTest::newRow("+00:00") << QStringLiteral("2024-01-15T13:00:00+00:00") << t;
    QTest::newRow("botocore UTC suffix") << QStringLiteral("2024-01-15T13:00:00UTC") << t;
    QTest::newRow("offset") << QStringLiteral("2024-01-15T15:00:00+02:00") << t;
    QTest::newRow("compact offset") << QStringLiteral("2024-01-15T08:00:00-0500") << t;
    QTest::newRow("microseconds") << QStringLiteral("2024-01-15T13:00:00.250000Z") << t.addMSecs(250);
    QTest::newRow("no zone means UTC") << QStringLiteral("2024-01-15T13:00:00") << t;
    QTest::newRow("space separator") << QStringLiteral("2024-01-15 13:00:00+00:00") << t;
    QTest::newRow("garbage") << QStringLiteral("tomorrow") << QDateTime();
    QTest::newRow("empty") << QString() << QDateTime();
    QTest::newRow("bad month") << QStringLiteral("2024-13-15T13:00:00Z") << QDateTime();
}

void TestTimestamps::parse()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const QDateTime got = Timestamps::parseIso8601(text);
    QCOMPARE(got.isValid(), expected.isValid());
    if (expected.isValid())
        QCOMPARE(got, expected);
}

void TestTimestamps::format()
{
    const QDateTime t(QDate(2024, 1, 15), QTime(20, 0, 0, 999), QTimeZone::utc());
    QCOMPARE(Timestamps::formatUtc(t), QStringLiteral("2024-01-15T20:00:00Z"));
    QCOMPARE(Timestamps::formatUtc(t.toTimeZone(QTimeZone(3600))), QStringLiteral("2024-01-15T20:00:00Z"));
}

QTEST_GUILESS_MAIN(TestTimestamps)
#include "TestTimestamps.moc"
