// Proxy choice per request from HTTPS_PROXY / NO_PROXY, as the AWS CLI reads them: which hosts bypass the
// proxy, how a proxy URL (with or without scheme, port and credentials) becomes a QNetworkProxy, and that
// AwsHttpClient really sends through it (a scripted proxy on 127.0.0.1 checks target, Host and signature).

#include "HttpTestKit.h"
#include "LocalHttpServer.h"

#include "core/aws/http/ProxyFactory.h"

#include <QNetworkProxyQuery>
#include <QTest>
#include <QUrl>

using namespace bl;
using namespace httptest;

class TestProxyFactory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noProxy_data();
    void noProxy();
    void loopbackNeverProxied_data();
    void loopbackNeverProxied();
    void proxyUrl_data();
    void proxyUrl();
    void queryProxy_data();
    void queryProxy();
    void proxyIsUsedWithCredentials_data();
    void proxyIsUsedWithCredentials();
    void loopbackBypassesProxy();
};

void TestProxyFactory::noProxy_data()
{
    QTest::addColumn<QString>("noProxy");
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("bypass");

    QTest::newRow("empty list") << QString() << "ec2.us-east-1.amazonaws.com" << false;
    QTest::newRow("exact") << "ec2.us-east-1.amazonaws.com"
                           << "ec2.us-east-1.amazonaws.com" << true;
    QTest::newRow("exact, other host") << "ec2.us-east-1.amazonaws.com"
                                       << "ssm.us-east-1.amazonaws.com" << false;
    QTest::newRow("case-insensitive") << "EC2.US-EAST-1.AMAZONAWS.COM"
                                      << "ec2.us-east-1.amazonaws.com" << true;
    QTest::newRow("host in upper case") << "amazonaws.com"
                                        << "SSM.us-east-1.AmazonAWS.com" << true;
    QTest::newRow("suffix") << "amazonaws.com"
                            << "ssm.eu-west-1.amazonaws.com" << true;
    QTest::newRow("suffix, the domain itself") << "amazonaws.com"
                                               << "amazonaws.com" << true;
    QTest::newRow("suffix needs a dot boundary") << "amazonaws.com"
                                                 << "evilamazonaws.com" << false;
    QTest::newRow("leading dot") << ".internal.example"
                                 << "vpce.internal.example" << true;
    QTest::newRow("leading dot matches the domain") << ".internal.example"
                                                    << "internal.example" << true;
    QTest::newRow("leading dot, no boundary") << ".internal.example"
                                              << "notinternal.example" << false;
    QTest::newRow("entry longer than host") << "a.b.example"
                                            << "b.example" << false;
    QTest::newRow("star") << "*"
                          << "ec2.us-east-1.amazonaws.com" << true;
    QTest::newRow("star among others") << "foo.example, *"
                                       << "anything.example" << true;
    QTest::newRow("list with spaces and empties") << " foo.example ,, vpce.amazonaws.com ,bar.example"
                                                  << "x.vpce.amazonaws.com" << true;
    QTest::newRow("list, no match") << "foo.example,bar.example"
                                    << "baz.example" << false;
    QTest::newRow("entry with port still names the host") << "ec2.internal:8443"
                                                          << "ec2.internal" << true;
    QTest::newRow("entry with port, suffix") << ".internal:8443"
                                             << "ec2.internal" << true;
    QTest::newRow("entry with port, other host") << "ec2.internal:8443"
                                                 << "ssm.internal" << false;
    QTest::newRow("ip entry") << "10.1.2.3"
                              << "10.1.2.3" << true;
    QTest::newRow("ip entry, other ip") << "10.1.2.3"
                                        << "10.1.2.4" << false;
    QTest::newRow("ipv6 entry") << "fd00::1"
                                << "fd00::1" << true;
}

void TestProxyFactory::noProxy()
{
    QFETCH(QString, noProxy);
    QFETCH(QString, host);
    QFETCH(bool, bypass);

    const ProxyFactory f(QStringLiteral("http://proxy.corp.example:3128"), noProxy);
    QCOMPARE(f.bypasses(host), bypass);
}

void TestProxyFactory::loopbackNeverProxied_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("localhost") << "localhost";
    QTest::newRow("LOCALHOST") << "LOCALHOST";
    QTest::newRow("127.0.0.1") << "127.0.0.1";
    QTest::newRow("127.8.9.10") << "127.8.9.10";
    QTest::newRow("::1") << "::1";
}

void TestProxyFactory::loopbackNeverProxied()
{
    QFETCH(QString, host);
    // Even with no NO_PROXY at all: fakeaws and SSH tunnels on 127.0.0.1 must never go to a corporate proxy.
    ProxyFactory f(QStringLiteral("http://proxy.corp.example:3128"), QString());
    QVERIFY(f.bypasses(host));
    const auto proxies = f.queryProxy(QNetworkProxyQuery(host, 443));
    QCOMPARE(proxies.size(), 1);
    QCOMPARE(proxies.first().type(), QNetworkProxy::NoProxy);
}

void TestProxyFactory::proxyUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("hasProxy");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");

    QTest::newRow("none") << QString() << false << QString() << 0 << QString() << QString();
    QTest::newRow("plain") << "http://proxy.corp.example:3128" << true << "proxy.corp.example" << 3128 << QString()
                           << QString();
    QTest::newRow("no scheme") << "proxy.corp.example:3128" << true << "proxy.corp.example" << 3128 << QString()
                               << QString();
    QTest::newRow("ip") << "http://10.0.0.5:8080" << true << "10.0.0.5" << 8080 << QString() << QString();
    QTest::newRow("user and password") << "http://alice:s3cret@proxy.corp.example:3128" << true << "proxy.corp.example"
                                       << 3128 << "alice"
                                       << "s3cret";
    QTest::newRow("percent-encoded credentials") << "http://CORP%5Calice:p%40ss%3Aw%2Frd@proxy.corp.example:3128"
                                                 << true << "proxy.corp.example" << 3128 << "CORP\\alice"
                                                 << "p@ss:w/rd";
    QTest::newRow("credentials, no scheme")
        << "alice:s3cret@proxy.corp.example:3128" << true << "proxy.corp.example" << 3128 << "alice"
        << "s3cret";
    QTest::newRow("trailing slash") << "http://proxy.corp.example:3128/" << true << "proxy.corp.example" << 3128
                                    << QString() << QString();
    // Without a port the AWS CLI (urllib3) uses the scheme's default port.
    QTest::newRow("no port") << "http://proxy.corp.example" << true << "proxy.corp.example" << 80 << QString()
                             << QString();
    QTest::newRow("no scheme, no port") << "proxy.corp.example" << true << "proxy.corp.example" << 80 << QString()
                                        << QString();
    QTest::newRow("garbage") << "http://" << false << QString() << 0 << QString() << QString();
}

void TestProxyFactory::proxyUrl()
{
    QFETCH(QString, url);
    QFETCH(bool, hasProxy);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);

    const ProxyFactory f(url, QString());
    QCOMPARE(f.hasProxy(), hasProxy);
    if (!hasProxy)
        return;
    const QNetworkProxy p = f.proxy();
    QCOMPARE(p.type(), QNetworkProxy::HttpProxy);
    QCOMPARE(p.hostName(), host);
    QCOMPARE(int(p.port()), port);
    QCOMPARE(p.user(), user);
    QCOMPARE(p.password(), password);
}

void TestProxyFactory::queryProxy_data()
{
    QTest::addColumn<QString>("proxyUrl");
    QTest::addColumn<QString>("noProxy");
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("proxied");

    const QString proxy = QStringLiteral("http://proxy.corp.example:3128");
    QTest::newRow("aws endpoint proxied") << proxy << QString() << "https://ec2.us-east-1.amazonaws.com/" << true;
    QTest::newRow("wss proxied") << proxy << QString() << "wss://eice-1.ec2-instance-connect-endpoint.amazonaws.com/"
                                 << true;
    QTest::newRow("NO_PROXY suffix") << proxy << "amazonaws.com"
                                     << "https://ec2.us-east-1.amazonaws.com/" << false;
    QTest::newRow("NO_PROXY star") << proxy << "*"
                                   << "https://ssm.us-east-1.amazonaws.com/" << false;
    QTest::newRow("loopback endpoint") << proxy << QString() << "http://127.0.0.1:4566/" << false;
    QTest::newRow("no proxy configured") << QString() << QString() << "https://ec2.us-east-1.amazonaws.com/" << false;
}

void TestProxyFactory::queryProxy()
{
    QFETCH(QString, proxyUrl);
    QFETCH(QString, noProxy);
    QFETCH(QString, url);
    QFETCH(bool, proxied);

    ProxyFactory f(proxyUrl, noProxy);
    const auto proxies = f.queryProxy(QNetworkProxyQuery(QUrl(url)));
    QCOMPARE(proxies.size(), 1);
    if (proxied) {
        QCOMPARE(proxies.first().type(), QNetworkProxy::HttpProxy);
        QCOMPARE(proxies.first().hostName(), QStringLiteral("proxy.corp.example"));
        QCOMPARE(int(proxies.first().port()), 3128);
    } else {
        QCOMPARE(proxies.first().type(), QNetworkProxy::NoProxy);
    }
}

void TestProxyFactory::proxyIsUsedWithCredentials_data()
{
    // Names and addresses only the proxy sees: the test never resolves or connects to them.
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QByteArray>("host");
    QTest::newRow("name and port") << "http://ec2.bastionless.test:8080" << QByteArray("ec2.bastionless.test:8080");
    QTest::newRow("default port") << "http://ec2.bastionless.test" << QByteArray("ec2.bastionless.test");
    QTest::newRow("ipv6 literal") << "http://[fd00::5]:8080" << QByteArray("[fd00::5]:8080");
}

void TestProxyFactory::proxyIsUsedWithCredentials()
{
    QFETCH(QString, endpoint);
    QFETCH(QByteArray, host);
    LocalHttpServer proxy;
    QVERIFY(proxy.listen());
    proxy.setHandler([](const ReceivedRequest& r) {
        if (r.header("Proxy-Authorization") != "Basic " + QByteArrayLiteral("alice:p@ss").toBase64()) {
            ScriptedReply challenge;
            challenge.status = 407;
            challenge.headers = {{"Proxy-Authenticate", "Basic realm=\"corp\""}};
            return challenge;
        }
        return ScriptedReply::ok("<proxied/>");
    });
    HttpSettings settings = fastSettings();
    settings.httpsProxy = QStringLiteral("http://alice:p%40ss@127.0.0.1:%1").arg(proxy.port());
    SystemClock clock;
    ClockSkew skew;
    AwsHttpClient client(settings, clock, skew);
    auto o = start(client, request(AwsProtocol::Ec2Query), QUrl(endpoint), creds(), this);
    QVERIFY(finish(o));
    QVERIFY2(o->ok(), qPrintable(o->why()));
    QCOMPARE(o->response().body, QByteArrayLiteral("<proxied/>"));
    QVERIFY(!proxy.requests().isEmpty());
    const ReceivedRequest& got = proxy.requests().last();
    QCOMPARE(got.target, "http://" + host + "/");
    QCOMPARE(got.header("Host"), host);
    QCOMPARE(got.header("Proxy-Authorization"), "Basic " + QByteArrayLiteral("alice:p@ss").toBase64());
    const QString problem = signatureProblem(got, creds(), "ec2");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestProxyFactory::loopbackBypassesProxy()
{
    LocalHttpServer proxy;
    QVERIFY(proxy.listen());
    proxy.setHandler([](const ReceivedRequest&) { return ScriptedReply::ok("<wrong/>"); });
    LocalHttpServer direct;
    QVERIFY(direct.listen());
    direct.enqueue(ScriptedReply::ok("<direct/>"));
    HttpSettings settings = fastSettings();
    settings.httpsProxy = QStringLiteral("http://127.0.0.1:%1").arg(proxy.port());
    SystemClock clock;
    ClockSkew skew;
    AwsHttpClient client(settings, clock, skew);

    auto o = start(client, request(AwsProtocol::Ec2Query), direct.url(), creds(), this);
    QVERIFY(finish(o));
    QVERIFY2(o->ok(), qPrintable(o->why()));
    QCOMPARE(o->response().body, QByteArrayLiteral("<direct/>"));
    QCOMPARE(proxy.requests().size(), 0);
    QCOMPARE(direct.requests().size(), 1);
}

QTEST_GUILESS_MAIN(TestProxyFactory)
#include "TestProxyFactory.moc"
