// credential_process: splitting like a shell without running one, the JSON contract, failures a person can
// act on, and caching until the expiration (through CachingProvider).
#include "core/aws/credentials/CachingProvider.h"
#include "core/aws/credentials/ProcessProvider.h"

#include "CredsTestUtil.h"

#include <QTemporaryDir>
#include <QTimeZone>

using namespace bl;

class TestProcessProvider : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void split_data();
    void split();
    void splitErrors_data();
    void splitErrors();
    void run_data();
    void run();
    void missingProgram();
    void timeout();
    void cachedUntilNearExpiry();

private:
    QString script(const QString& name, const QByteArray& body);
    QTemporaryDir m_dir;
};

void TestProcessProvider::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

QString TestProcessProvider::script(const QString& name, const QByteArray& body)
{
    const QString path = m_dir.filePath(name);
    if (!credstest::writeFile(path, QByteArrayLiteral("#!/bin/sh\n") + body, true))
        return {};
    return path;
}

void TestProcessProvider::split_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QStringList>("argv");
    QTest::newRow("plain") << QStringLiteral("/usr/bin/helper --profile dev")
                           << QStringList {QStringLiteral("/usr/bin/helper"), QStringLiteral("--profile"),
                                           QStringLiteral("dev")};
    QTest::newRow("double quotes keep spaces")
        << QStringLiteral("\"/opt/my tools/get creds\" a")
        << QStringList {QStringLiteral("/opt/my tools/get creds"), QStringLiteral("a")};
    QTest::newRow("single quotes are literal")
        << QStringLiteral("cmd '$HOME \\n \"x\"'")
        << QStringList {QStringLiteral("cmd"), QStringLiteral("$HOME \\n \"x\"")};
    QTest::newRow("backslash escapes outside quotes")
        << QStringLiteral("cmd a\\ b \\\"c")
        << QStringList {QStringLiteral("cmd"), QStringLiteral("a b"), QStringLiteral("\"c")};
    QTest::newRow("backslash in double quotes") << QStringLiteral("cmd \"a\\\"b\\\\c\\d\"")
                                                << QStringList {QStringLiteral("cmd"), QStringLiteral("a\"b\\c\\d")};
    QTest::newRow("adjacent parts join") << QStringLiteral("cmd --x=\"a b\"'c'")
                                         << QStringList {QStringLiteral("cmd"), QStringLiteral("--x=a bc")};
    QTest::newRow("empty argument survives")
        << QStringLiteral("cmd \"\" x") << QStringList {QStringLiteral("cmd"), QString(), QStringLiteral("x")};
    QTest::newRow("no shell operators") << QStringLiteral(
        "cmd ; rm -rf x | y") << QStringList {QStringLiteral("cmd"), QStringLiteral(";"), QStringLiteral("rm"),
                                              QStringLiteral("-rf"), QStringLiteral("x"), QStringLiteral("|"),
                                              QStringLiteral("y")};
    QTest::newRow("surrounding whitespace")
        << QStringLiteral("  \tcmd   a  ") << QStringList {QStringLiteral("cmd"), QStringLiteral("a")};
}

void TestProcessProvider::split()
{
    QFETCH(QString, line);
    QFETCH(QStringList, argv);
    const auto r = ProcessProvider::splitCommandLine(line);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    QCOMPARE(r.value(), argv);
}

void TestProcessProvider::splitErrors_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("unclosed double") << QStringLiteral("cmd \"abc") << QStringLiteral("unclosed double quote");
    QTest::newRow("unclosed single") << QStringLiteral("cmd 'abc") << QStringLiteral("unclosed single quote");
    QTest::newRow("trailing backslash") << QStringLiteral("cmd abc\\") << QStringLiteral("backslash");
    QTest::newRow("empty") << QStringLiteral("   ") << QStringLiteral("empty");
}

void TestProcessProvider::splitErrors()
{
    QFETCH(QString, line);
    QFETCH(QString, errorContains);
    const auto r = ProcessProvider::splitCommandLine(line);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::Config);
    QVERIFY2(r.error().message.contains(errorContains), qPrintable(r.error().message));
}

void TestProcessProvider::run_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("errorKind");
    QTest::addColumn<QString>("errorContains");

    QTest::newRow("success") << QByteArray(
        R"(echo '{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "sec", )"
        R"("SessionToken": "tok", "Expiration": "2030-01-01T01:00:00Z", "AccountId": "123456789012"}')"
        "\n") << true << 0 << QString();
    QTest::newRow("non-zero exit carries stderr")
        << QByteArray("echo 'token expired, run sso-helper login' >&2\nexit 3\n") << false
        << int(ErrorKind::Credentials) << QStringLiteral("exit code 3: token expired, run sso-helper login");
    QTest::newRow("garbage output") << QByteArray("echo 'this is not json'\n") << false << int(ErrorKind::Credentials)
                                    << QStringLiteral("not JSON");
    QTest::newRow("array instead of object")
        << QByteArray("echo '[1]'\n") << false << int(ErrorKind::Credentials) << QStringLiteral("not an object");
    QTest::newRow("missing secret") << QByteArray(R"(echo '{"Version": 1, "AccessKeyId": "ASIAPROC"}')"
                                                  "\n")
                                    << false << int(ErrorKind::Credentials) << QStringLiteral("no \"SecretAccessKey\"");
    QTest::newRow("version 2") << QByteArray(R"(echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "s"}')"
                                             "\n")
                               << false << int(ErrorKind::Credentials)
                               << QStringLiteral("\"Version\": 2; only version 1");
    QTest::newRow("version missing") << QByteArray(R"(echo '{"AccessKeyId": "A", "SecretAccessKey": "s"}')"
                                                   "\n")
                                     << false << int(ErrorKind::Credentials) << QStringLiteral("no \"Version\"");
    QTest::newRow("version as string") << QByteArray(
        R"(echo '{"Version": "1", "AccessKeyId": "A", "SecretAccessKey": "s"}')"
        "\n") << false << int(ErrorKind::Credentials)
                                       << QStringLiteral("\"Version\": \"1\"");
    QTest::newRow("bad expiration") << QByteArray(
        R"(echo '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", "Expiration": "later"}')"
        "\n") << false << int(ErrorKind::Credentials)
                                    << QStringLiteral("\"Expiration\" is not an ISO-8601 time");
}

void TestProcessProvider::run()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QFETCH(int, errorKind);
    QFETCH(QString, errorContains);
    const QString path = script(QStringLiteral("run-%1.sh")
                                    .arg(QString::fromLatin1(QTest::currentDataTag()))
                                    .replace(QLatin1Char(' '), QLatin1Char('_')),
                                body);
    QVERIFY(!path.isEmpty());
    ProcessProvider provider({path}, QStringLiteral("dev"), QProcessEnvironment::systemEnvironment());
    QVERIFY(provider.describe().contains(QStringLiteral("credential_process")));
    const auto r = credstest::fetchAndWait(provider);
    QVERIFY(r);
    QCOMPARE(r->ok(), ok);
    if (ok) {
        QCOMPARE((*r)->accessKeyId, QStringLiteral("ASIAPROC"));
        QCOMPARE((*r)->secretAccessKey, QStringLiteral("sec"));
        QCOMPARE((*r)->sessionToken, QStringLiteral("tok"));
        QCOMPARE((*r)->accountId, QStringLiteral("123456789012"));
        QCOMPARE(*(*r)->expiration, QDateTime(QDate(2030, 1, 1), QTime(1, 0), QTimeZone::utc()));
        return;
    }
    QCOMPARE(int(r->error().kind), errorKind);
    QVERIFY2(r->error().message.contains(errorContains), qPrintable(r->error().message));
    QVERIFY(r->error().message.contains(QStringLiteral("profile dev")));
    QVERIFY(!r->error().hint.isEmpty());
}

void TestProcessProvider::missingProgram()
{
    ProcessProvider provider({m_dir.filePath(QStringLiteral("does-not-exist"))}, QStringLiteral("dev"),
                             QProcessEnvironment::systemEnvironment());
    const auto r = credstest::fetchAndWait(provider);
    QVERIFY(r && !r->ok());
    QCOMPARE(r->error().kind, ErrorKind::Config);
    QVERIFY2(r->error().message.contains(QStringLiteral("could not start")), qPrintable(r->error().message));
}

void TestProcessProvider::timeout()
{
    const QString path = script(QStringLiteral("hang.sh"), QByteArrayLiteral("exec sleep 30\n"));
    ProcessProvider provider({path}, QStringLiteral("dev"), QProcessEnvironment::systemEnvironment(), 300);
    QElapsedTimer t;
    t.start();
    const auto r = credstest::fetchAndWait(provider);
    QVERIFY(r && !r->ok());
    QCOMPARE(r->error().kind, ErrorKind::Timeout);
    QVERIFY(t.elapsed() < 10000);
}

void TestProcessProvider::cachedUntilNearExpiry()
{
    // Each run appends a line to a counter file; the arguments arrive without a shell in between.
    const QString counter = m_dir.filePath(QStringLiteral("runs.txt"));
    const QString path = script(
        QStringLiteral("counted.sh"),
        QByteArrayLiteral("echo run >> \"$1\"\n"
                          "echo '{\"Version\": 1, \"AccessKeyId\": \"ASIA'\"$2\"'\", \"SecretAccessKey\": \"s\", "
                          "\"Expiration\": \"2030-01-01T01:00:00Z\"}'\n"));
    const auto argv = ProcessProvider::splitCommandLine(QStringLiteral("'%1' '%2' \"X Y\"").arg(path, counter));
    QVERIFY(argv.ok());
    FixedClock clock(QDateTime(QDate(2030, 1, 1), QTime(0, 0), QTimeZone::utc()));
    CachingProvider provider(std::make_unique<ProcessProvider>(argv.value(), QStringLiteral("dev"),
                                                               QProcessEnvironment::systemEnvironment()),
                             clock);
    auto runs = [&] { return credstest::readFile(counter).count('\n'); };

    auto r = credstest::fetchAndWait(provider);
    QVERIFY(r && r->ok());
    QCOMPARE((*r)->accessKeyId, QStringLiteral("ASIAX Y"));
    r = credstest::fetchAndWait(provider);
    QVERIFY(r && r->ok());
    QCOMPARE(runs(), 1);

    clock.set(QDateTime(QDate(2030, 1, 1), QTime(0, 40), QTimeZone::utc())); // 20 min left: still cached
    r = credstest::fetchAndWait(provider);
    QVERIFY(r && r->ok());
    QCOMPARE(runs(), 1);

    clock.set(QDateTime(QDate(2030, 1, 1), QTime(0, 50), QTimeZone::utc())); // 10 min left: run again
    r = credstest::fetchAndWait(provider);
    QVERIFY(r && r->ok());
    QCOMPARE(runs(), 2);
}

QTEST_GUILESS_MAIN(TestProcessProvider)
#include "TestProcessProvider.moc"
