// HttpSettings::fromEnvironment: the variables the AWS CLI reads for the trust store (AWS_CA_BUNDLE, or the
// profile's ca_bundle), the proxy (HTTPS_PROXY / https_proxy / HTTP_PROXY, NO_PROXY / no_proxy) and retries
// (AWS_MAX_ATTEMPTS), with their precedence and what happens to nonsense values.

#include "core/aws/http/AwsHttpClient.h"

#include <QTest>

using namespace bl;

class TestHttpSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void settingsFromEnvironment_data();
    void settingsFromEnvironment();
    void defaults();
};

void TestHttpSettings::settingsFromEnvironment_data()
{
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("profileCaBundle");
    QTest::addColumn<QString>("caBundle");
    QTest::addColumn<QString>("proxy");
    QTest::addColumn<QString>("noProxy");
    QTest::addColumn<int>("maxAttempts");

    QTest::newRow("nothing") << QStringList() << QString() << QString() << QString() << QString() << 3;
    QTest::newRow("everything") << QStringList {QStringLiteral("AWS_CA_BUNDLE=/etc/corp/ca.pem"),
                                                QStringLiteral("HTTPS_PROXY=http://proxy.corp:3128"),
                                                QStringLiteral("NO_PROXY=.internal,*.x"),
                                                QStringLiteral("AWS_MAX_ATTEMPTS=7")}
                                << QString() << "/etc/corp/ca.pem"
                                << "http://proxy.corp:3128"
                                << ".internal,*.x" << 7;
    QTest::newRow("profile ca_bundle") << QStringList() << "/home/u/ca.pem"
                                       << "/home/u/ca.pem" << QString() << QString() << 3;
    QTest::newRow("AWS_CA_BUNDLE beats ca_bundle")
        << QStringList {QStringLiteral("AWS_CA_BUNDLE=/env.pem")} << "/profile.pem"
        << "/env.pem" << QString() << QString() << 3;
    QTest::newRow("lower-case names") << QStringList {QStringLiteral("https_proxy=http://p:1"),
                                                      QStringLiteral("no_proxy=a.example")}
                                      << QString() << QString() << "http://p:1"
                                      << "a.example" << 3;
    QTest::newRow("HTTPS_PROXY beats HTTP_PROXY")
        << QStringList {QStringLiteral("HTTP_PROXY=http://plain:1"), QStringLiteral("HTTPS_PROXY=http://tls:2")}
        << QString() << QString() << "http://tls:2" << QString() << 3;
    QTest::newRow("HTTP_PROXY as fallback") << QStringList {QStringLiteral("HTTP_PROXY=http://plain:1")} << QString()
                                            << QString() << "http://plain:1" << QString() << 3;
    QTest::newRow("NO_PROXY beats no_proxy")
        << QStringList {QStringLiteral("NO_PROXY=upper"), QStringLiteral("no_proxy=lower")} << QString() << QString()
        << QString() << "upper" << 3;
    QTest::newRow("max attempts 1") << QStringList {QStringLiteral("AWS_MAX_ATTEMPTS=1")} << QString() << QString()
                                    << QString() << QString() << 1;
    QTest::newRow("max attempts 0 ignored")
        << QStringList {QStringLiteral("AWS_MAX_ATTEMPTS=0")} << QString() << QString() << QString() << QString() << 3;
    QTest::newRow("max attempts garbage ignored") << QStringList {QStringLiteral("AWS_MAX_ATTEMPTS=lots")} << QString()
                                                  << QString() << QString() << QString() << 3;
    QTest::newRow("max attempts negative ignored")
        << QStringList {QStringLiteral("AWS_MAX_ATTEMPTS=-2")} << QString() << QString() << QString() << QString() << 3;
}

void TestHttpSettings::settingsFromEnvironment()
{
    QFETCH(QStringList, env);
    QFETCH(QString, profileCaBundle);
    QFETCH(QString, caBundle);
    QFETCH(QString, proxy);
    QFETCH(QString, noProxy);
    QFETCH(int, maxAttempts);

    QProcessEnvironment e;
    for (const QString& kv : env)
        e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    const HttpSettings s = HttpSettings::fromEnvironment(e, profileCaBundle);
    QCOMPARE(s.caBundlePath, caBundle);
    QCOMPARE(s.httpsProxy, proxy);
    QCOMPARE(s.noProxy, noProxy);
    QCOMPARE(s.maxAttempts, maxAttempts);
}

void TestHttpSettings::defaults()
{
    // What a caller gets without asking: the CLI's 3 attempts and a bounded timeout.
    const HttpSettings s;
    QCOMPARE(s.maxAttempts, 3);
    QVERIFY(s.requestTimeoutMs > 0 && s.requestTimeoutMs <= 60000);
    QVERIFY(s.userAgent.startsWith("bastionless/"));
}

QTEST_GUILESS_MAIN(TestHttpSettings)
#include "TestHttpSettings.moc"
