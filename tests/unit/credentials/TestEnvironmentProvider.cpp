// The environment provider reads the variables the way botocore does.
#include "core/aws/credentials/EnvironmentProvider.h"

#include "CredsTestUtil.h"

#include <QTimeZone>

using namespace bl;

class TestEnvironmentProvider : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void read_data();
    void read();
    void expiredCredentialsAreRefused();
};

void TestEnvironmentProvider::read_data()
{
    QTest::addColumn<QStringList>("vars"); // NAME=value
    QTest::addColumn<bool>("applies");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("expiration");
    QTest::addColumn<QString>("errorContains");

    QTest::newRow("keys only") << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID=AKIA1"),
                                               QStringLiteral("AWS_SECRET_ACCESS_KEY=s")}
                               << true << true << QString() << QString() << QString();
    QTest::newRow("session token") << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID=ASIA1"),
                                                   QStringLiteral("AWS_SECRET_ACCESS_KEY=s"),
                                                   QStringLiteral("AWS_SESSION_TOKEN=tok")}
                                   << true << true << QStringLiteral("tok") << QString() << QString();
    QTest::newRow("AWS_SECURITY_TOKEN is looked at first")
        << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID=ASIA1"), QStringLiteral("AWS_SECRET_ACCESS_KEY=s"),
                        QStringLiteral("AWS_SESSION_TOKEN=new"), QStringLiteral("AWS_SECURITY_TOKEN=legacy")}
        << true << true << QStringLiteral("legacy") << QString() << QString();
    QTest::newRow("expiration") << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID=ASIA1"),
                                                QStringLiteral("AWS_SECRET_ACCESS_KEY=s"),
                                                QStringLiteral("AWS_CREDENTIAL_EXPIRATION=2030-01-01T00:00:00Z")}
                                << true << true << QString() << QStringLiteral("2030-01-01T00:00:00Z") << QString();
    QTest::newRow("bad expiration") << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID=ASIA1"),
                                                    QStringLiteral("AWS_SECRET_ACCESS_KEY=s"),
                                                    QStringLiteral("AWS_CREDENTIAL_EXPIRATION=soon")}
                                    << true << false << QString() << QString()
                                    << QStringLiteral("AWS_CREDENTIAL_EXPIRATION");
    QTest::newRow("key without secret") << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID=AKIA1")} << true << false
                                        << QString() << QString() << QStringLiteral("AWS_SECRET_ACCESS_KEY");
    QTest::newRow("empty key does not apply")
        << QStringList {QStringLiteral("AWS_ACCESS_KEY_ID="), QStringLiteral("AWS_SECRET_ACCESS_KEY=s")} << false
        << false << QString() << QString() << QStringLiteral("AWS_ACCESS_KEY_ID");
}

void TestEnvironmentProvider::read()
{
    QFETCH(QStringList, vars);
    QFETCH(bool, applies);
    QFETCH(bool, ok);
    QFETCH(QString, token);
    QFETCH(QString, expiration);
    QFETCH(QString, errorContains);
    QProcessEnvironment env;
    for (const QString& v : vars)
        env.insert(v.section(QLatin1Char('='), 0, 0), v.section(QLatin1Char('='), 1));
    QCOMPARE(EnvironmentProvider::applies(env), applies);
    const Result<Credentials> r = EnvironmentProvider::read(env);
    QCOMPARE(r.ok(), ok);
    if (!ok) {
        QVERIFY2(r.error().message.contains(errorContains), qPrintable(r.error().message));
        QVERIFY(!r.error().hint.isEmpty());
        return;
    }
    QCOMPARE(r->secretAccessKey, QStringLiteral("s"));
    QCOMPARE(r->sessionToken, token);
    QCOMPARE(r->expiration.has_value(), !expiration.isEmpty());
    if (r->expiration)
        QCOMPARE(*r->expiration, QDateTime::fromString(expiration, Qt::ISODate));

    // Through the asynchronous interface too.
    FixedClock clock(QDateTime(QDate(2024, 1, 1), QTime(0, 0), QTimeZone::utc()));
    EnvironmentProvider provider(env, clock);
    const auto fetched = credstest::fetchAndWait(provider);
    QVERIFY(fetched && fetched->ok());
    QCOMPARE((*fetched)->accessKeyId, r->accessKeyId);
}

void TestEnvironmentProvider::expiredCredentialsAreRefused()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("ASIA1"));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("s"));
    env.insert(QStringLiteral("AWS_CREDENTIAL_EXPIRATION"), QStringLiteral("2024-01-01T00:00:00Z"));
    FixedClock clock(QDateTime(QDate(2024, 1, 1), QTime(0, 0, 1), QTimeZone::utc()));
    EnvironmentProvider provider(env, clock);
    const auto fetched = credstest::fetchAndWait(provider);
    QVERIFY(fetched);
    QVERIFY(!fetched->ok());
    QCOMPARE(fetched->error().kind, ErrorKind::Credentials);
    QVERIFY(fetched->error().message.contains(QStringLiteral("expired")));
}

QTEST_GUILESS_MAIN(TestEnvironmentProvider)
#include "TestEnvironmentProvider.moc"
