// DataChannelSocket against a local TLS WebSocket server: the StreamUrl's bytes reach the wire unchanged, the
// upgrade is SigV4-signed for ssmmessages (and not when the URL carries query auth), the OpenDataChannel text
// frame goes first, messages flow both ways, pings say "keepalive", a cut connection is reported, the
// ssmmessages host can be overridden, and an untrusted certificate is refused with a hint.

#include "WssProbe.h"

#include "core/aws/base/SigV4.h"
#include "core/aws/http/AwsHttpClient.h"
#include "core/ssm/DataChannelSocket.h"
#include "core/ssm/SsmStreamUrl.h"
#include "tests/common/TestPki.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

namespace {

Credentials testCredentials(bool withToken)
{
    Credentials c;
    c.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    c.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    if (withToken)
        c.sessionToken = QStringLiteral("FwoGZXIvYXdzEExampleSessionToken/+=");
    return c;
}

} // namespace

class TestDataChannelSocket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void urlBytesUnchanged_data();
    void urlBytesUnchanged();
    void signedUpgrade_data();
    void signedUpgrade();
    void queryAuthNotSigned();
    void messagesBothWays();
    void keepalivePing();
    void cutConnection();
    void endpointOverride();
    void untrustedCertificate();
    void refusedConnection();
    void resolveErrors_data();
    void resolveErrors();
    void hostHeader_data();
    void hostHeader();

private:
    std::unique_ptr<AwsHttpClient> client(const QString& caBundle);
    QString url(const QByteArray& pathAndQuery) const;

    QTemporaryDir m_dir;
    std::unique_ptr<TestPki> m_pki;
    std::unique_ptr<WssProbe> m_probe;
    SystemClock m_clock;
    ClockSkew m_skew;
};

void TestDataChannelSocket::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_pki = std::make_unique<TestPki>(m_dir.path());
    QVERIFY2(m_pki->ok(), qPrintable(m_pki->error()));
    m_probe = std::make_unique<WssProbe>(m_pki->serverConfiguration());
    QVERIFY(m_probe->listen());
}

std::unique_ptr<AwsHttpClient> TestDataChannelSocket::client(const QString& caBundle)
{
    HttpSettings s;
    s.caBundlePath = caBundle;
    return std::make_unique<AwsHttpClient>(s, m_clock, m_skew);
}

QString TestDataChannelSocket::url(const QByteArray& pathAndQuery) const
{
    return QStringLiteral("wss://127.0.0.1:%1").arg(m_probe->port()) + QString::fromLatin1(pathAndQuery);
}

void TestDataChannelSocket::urlBytesUnchanged_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("plain") << QByteArray("/v1/data-channel/alice-0a1b2c3d4e5f67890?role=publish_subscribe");
    QTest::newRow("cell number with escapes")
        << QByteArray("/v1/data-channel/alice-0a1b2c3d4e5f67890?role=publish_subscribe&cell-number="
                      "AAEAAf%2Fx%2B9%3D%3Dabc");
    QTest::newRow("reserved characters kept") << QByteArray("/v1/data-channel/s-1?a=%3A%40%26%3D%2C&b=~x-_.y");
}

void TestDataChannelSocket::urlBytesUnchanged()
{
    QFETCH(QByteArray, target);
    auto http = client(m_pki->caBundlePath());
    DataChannelSocket socket(*http, {});
    QSignalSpy opened(&socket, &DataChannelSocket::opened);
    socket.open(url(target), "{}", std::nullopt);
    QVERIFY(opened.wait(10000));
    QCOMPARE(m_probe->requestTarget(), target);
    QVERIFY(m_probe->requestHead().startsWith("GET " + target + " HTTP/1.1\r\n"));
    QVERIFY(m_probe->header("Authorization").isEmpty()); // nothing to sign with
    socket.close();
}

void TestDataChannelSocket::signedUpgrade_data()
{
    QTest::addColumn<bool>("withToken");
    QTest::newRow("long-term key") << false;
    QTest::newRow("temporary key") << true;
}

void TestDataChannelSocket::signedUpgrade()
{
    QFETCH(bool, withToken);
    auto http = client(m_pki->caBundlePath());
    DataChannelSocketOptions o;
    o.region = QStringLiteral("eu-west-1");
    DataChannelSocket socket(*http, o);
    QSignalSpy opened(&socket, &DataChannelSocket::opened);
    const QByteArray target = "/v1/data-channel/s-1?role=publish_subscribe&cell-number=AB%2Fc%3D";
    const Credentials creds = testCredentials(withToken);
    socket.open(url(target), "{}", creds);
    QVERIFY(opened.wait(10000));

    const QByteArray host = m_probe->header("Host");
    QCOMPARE(host, QByteArray("127.0.0.1:") + QByteArray::number(m_probe->port()));
    const QByteArray date = m_probe->header("X-Amz-Date");
    const QByteArray authorization = m_probe->header("Authorization");
    QVERIFY(!date.isEmpty());
    const auto parsed = sigv4::parseAuthorization(authorization);
    QVERIFY(parsed.valid);
    QCOMPARE(parsed.service, QByteArray("ssmmessages"));
    QCOMPARE(parsed.region, QByteArray("eu-west-1"));
    QCOMPARE(parsed.signedHeaders,
             withToken ? QByteArray("host;x-amz-date;x-amz-security-token") : QByteArray("host;x-amz-date"));
    QCOMPARE(m_probe->header("X-Amz-Security-Token"), creds.sessionToken.toUtf8());

    // What a verifier recomputes from the request as received.
    sigv4::Request r;
    r.method = "GET";
    r.path = target.left(target.indexOf('?'));
    r.query = sigv4::parseQueryString(target.mid(target.indexOf('?') + 1));
    r.headers = {{"host", host}};
    const auto expected = sigv4::signHeaders(r, creds, {"eu-west-1", "ssmmessages"}, sigv4::parseAmzDate(date));
    QCOMPARE(authorization, expected.authorization);
    socket.close();
}

void TestDataChannelSocket::queryAuthNotSigned()
{
    auto http = client(m_pki->caBundlePath());
    DataChannelSocket socket(*http, {});
    QSignalSpy opened(&socket, &DataChannelSocket::opened);
    const QByteArray target = "/v1/data-channel/s-1?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc";
    socket.open(url(target), "{}", testCredentials(true));
    QVERIFY(opened.wait(10000));
    QVERIFY(m_probe->header("Authorization").isEmpty());
    QVERIFY(m_probe->header("X-Amz-Security-Token").isEmpty());
    QCOMPARE(m_probe->requestTarget(), target);
    socket.close();
}

void TestDataChannelSocket::messagesBothWays()
{
    auto http = client(m_pki->caBundlePath());
    DataChannelSocket socket(*http, {});
    QSignalSpy opened(&socket, &DataChannelSocket::opened);
    QSignalSpy received(&socket, &DataChannelSocket::messageReceived);
    const QByteArray open = "{\"MessageSchemaVersion\":\"1.0\",\"TokenValue\":\"tok\"}";
    socket.open(url("/v1/data-channel/s-2?role=publish_subscribe"), open, std::nullopt);
    QVERIFY(opened.wait(10000));
    QVERIFY(socket.isOpen());
    QByteArray binary(70000, '\0');
    for (int i = 0; i < binary.size(); ++i)
        binary[i] = static_cast<char>(i * 7);
    socket.sendBinary(binary);
    socket.sendBinary("second");
    QTRY_COMPARE_WITH_TIMEOUT(m_probe->messages().size(), 3, 10000);
    const auto messages = m_probe->messages();
    QVERIFY(messages.at(0).text); // OpenDataChannel first, as text
    QCOMPARE(messages.at(0).data, open);
    QVERIFY(!messages.at(1).text);
    QCOMPARE(messages.at(1).data, binary);
    QCOMPARE(messages.at(2).data, QByteArray("second"));

    m_probe->sendBinary(QByteArray("\x00\x01\x02", 3));
    m_probe->sendText("{\"a\":1}");
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 10000);
    QCOMPARE(received.at(0).at(0).toByteArray(), QByteArray("\x00\x01\x02", 3));
    QCOMPARE(received.at(0).at(1).toBool(), false);
    QCOMPARE(received.at(1).at(0).toByteArray(), QByteArray("{\"a\":1}"));
    QCOMPARE(received.at(1).at(1).toBool(), true);
    socket.close();
}

void TestDataChannelSocket::keepalivePing()
{
    auto http = client(m_pki->caBundlePath());
    DataChannelSocketOptions o;
    o.pingIntervalMs = 50;
    DataChannelSocket socket(*http, o);
    QSignalSpy opened(&socket, &DataChannelSocket::opened);
    const qsizetype before = m_probe->pings().size();
    socket.open(url("/v1/data-channel/s-3"), "{}", std::nullopt);
    QVERIFY(opened.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(m_probe->pings().size() >= before + 2, 10000);
    QCOMPARE(m_probe->pings().last(), QByteArray("keepalive"));
    QVERIFY(socket.pingsSent() >= 2);
    socket.close();
}

void TestDataChannelSocket::cutConnection()
{
    auto http = client(m_pki->caBundlePath());
    DataChannelSocket socket(*http, {});
    QSignalSpy opened(&socket, &DataChannelSocket::opened);
    QSignalSpy lost(&socket, &DataChannelSocket::disconnected);
    socket.open(url("/v1/data-channel/s-4"), "{}", std::nullopt);
    QVERIFY(opened.wait(10000));
    m_probe->kill();
    QVERIFY(lost.wait(10000));
    QVERIFY(!socket.isOpen());
    const auto error = lost.at(0).at(0).value<Error>();
    QCOMPARE(error.kind, ErrorKind::Network);
    QVERIFY(error.message.contains(QLatin1String("data channel")));
    // close() after the end is harmless and reports nothing more.
    socket.close();
    QTest::qWait(50);
    QCOMPARE(lost.size(), 1);
}

void TestDataChannelSocket::endpointOverride()
{
    auto http = client(m_pki->caBundlePath());
    DataChannelSocketOptions o;
    o.endpointOverride = QStringLiteral("127.0.0.1:%1").arg(m_probe->port());
    DataChannelSocket socket(*http, o);
    QSignalSpy opened(&socket, &DataChannelSocket::opened);
    const QByteArray target = "/v1/data-channel/s-5?role=publish_subscribe&cell-number=X%2FY";
    socket.open(QStringLiteral("wss://ssmmessages.us-east-1.amazonaws.invalid") + QString::fromLatin1(target), "{}",
                testCredentials(false));
    QVERIFY(opened.wait(10000));
    QCOMPARE(m_probe->requestTarget(), target);
    QCOMPARE(m_probe->header("Host"), QByteArray("127.0.0.1:") + QByteArray::number(m_probe->port()));
    QCOMPARE(socket.url().host(), QStringLiteral("127.0.0.1"));
    socket.close();

    QProcessEnvironment env;
    env.insert(QLatin1String(SsmStreamUrl::EndpointVariable), QStringLiteral(" vpce-1.ssmmessages.example:8443 "));
    QCOMPARE(SsmStreamUrl::endpointOverrideFrom(env), QStringLiteral("vpce-1.ssmmessages.example:8443"));
}

void TestDataChannelSocket::untrustedCertificate()
{
    auto http = client(QString()); // system roots: the test CA is not among them
    DataChannelSocket socket(*http, {});
    QSignalSpy opened(&socket, &DataChannelSocket::opened);
    QSignalSpy lost(&socket, &DataChannelSocket::disconnected);
    socket.open(url("/v1/data-channel/s-6"), "{}", std::nullopt);
    QVERIFY(lost.wait(10000));
    QCOMPARE(opened.size(), 0);
    const auto error = lost.at(0).at(0).value<Error>();
    QVERIFY2(error.hint.contains(QLatin1String("AWS_CA_BUNDLE")), qPrintable(error.toString()));
}

void TestDataChannelSocket::refusedConnection()
{
    auto http = client(m_pki->caBundlePath());
    DataChannelSocketOptions o;
    o.connectTimeoutMs = 5000;
    DataChannelSocket socket(*http, o);
    QSignalSpy lost(&socket, &DataChannelSocket::disconnected);
    socket.open(QStringLiteral("wss://127.0.0.1:1/v1/data-channel/s-7"), "{}", std::nullopt);
    QVERIFY(lost.wait(10000));
    const auto error = lost.at(0).at(0).value<Error>();
    QVERIFY(!error.message.isEmpty());
    QVERIFY(!error.hint.isEmpty());
}

void TestDataChannelSocket::resolveErrors_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("expected");
    QTest::newRow("clear text to a remote host")
        << QStringLiteral("ws://ssmmessages.example/v1/data-channel/s") << QString() << QStringLiteral("clear text");
    QTest::newRow("https scheme") << QStringLiteral("https://ssmmessages.example/v1/data-channel/s") << QString()
                                  << QStringLiteral("expected wss");
    QTest::newRow("not a url") << QStringLiteral("wss://exa mple/%zz") << QString()
                               << QStringLiteral("not a valid URL");
    QTest::newRow("empty") << QString() << QString() << QStringLiteral("not a valid URL");
    QTest::newRow("override with a path")
        << QStringLiteral("wss://ssmmessages.example/v1/data-channel/s")
        << QStringLiteral("wss://proxy.example/some/path") << QStringLiteral("not a host name");
}

void TestDataChannelSocket::resolveErrors()
{
    QFETCH(QString, url);
    QFETCH(QString, endpoint);
    QFETCH(QString, expected);
    const auto r = SsmStreamUrl::resolve(url, endpoint);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(expected), qPrintable(r.error().message));

    // And the socket reports it as a disconnect, without crashing.
    auto http = client(m_pki->caBundlePath());
    DataChannelSocketOptions o;
    o.endpointOverride = endpoint;
    DataChannelSocket socket(*http, o);
    QSignalSpy lost(&socket, &DataChannelSocket::disconnected);
    socket.open(url, "{}", std::nullopt);
    QVERIFY(lost.wait(5000));
}

void TestDataChannelSocket::hostHeader_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("host");
    QTest::newRow("default port") << QStringLiteral("wss://ssmmessages.us-east-1.amazonaws.com/v1/x")
                                  << QByteArray("ssmmessages.us-east-1.amazonaws.com");
    QTest::newRow("explicit 443") << QStringLiteral("wss://ssmmessages.us-east-1.amazonaws.com:443/v1/x")
                                  << QByteArray("ssmmessages.us-east-1.amazonaws.com");
    QTest::newRow("other port") << QStringLiteral("wss://127.0.0.1:8443/v1/x") << QByteArray("127.0.0.1:8443");
    QTest::newRow("ipv6") << QStringLiteral("wss://[::1]:8443/v1/x") << QByteArray("[::1]:8443");
}

void TestDataChannelSocket::hostHeader()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, host);
    const auto r = SsmStreamUrl::resolve(url);
    QVERIFY(r.ok());
    QCOMPARE(SsmStreamUrl::hostHeader(*r), host);
}

QTEST_GUILESS_MAIN(TestDataChannelSocket)
#include "TestDataChannelSocket.moc"
