// AwsHttpClient against a scripted HTTP/1.1 server on 127.0.0.1: what Qt puts on the wire is exactly what was
// signed (the server recomputes every signature with bl::sigv4), retries follow PROTOCOLS.md §3.8, a local
// clock 15 minutes off still works (§1.8), TLS trusts exactly AWS_CA_BUNDLE, timeouts behave, and
// callbacks run once, never synchronously, never for a destroyed context.

#include "HttpTestKit.h"
#include "LocalHttpServer.h"
#include "tests/common/TestPki.h"

#include "core/aws/base/SigV4.h"
#include "core/aws/http/AwsHttpClient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QPointer>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>
#include <optional>

using namespace bl;
using namespace httptest;

namespace {
constexpr qint64 kSkewSecs = 15 * 60;
} // namespace

class TestAwsHttpClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void signedRequestArrivesAsSigned_data();
    void signedRequestArrivesAsSigned();
    void queryEncodedExactlyAsSigned();
    void unsignedRequestCarriesNoSignature();
    void signedRequestWithoutCredentialsFails();
    void throttlingIsRetried();
    void transientErrorsAreRetried_data();
    void transientErrorsAreRetried();
    void clientErrorsAreNotRetried_data();
    void clientErrorsAreNotRetried();
    void maxAttemptsRespected_data();
    void maxAttemptsRespected();
    void clockFifteenMinutesOffStillWorks_data();
    void clockFifteenMinutesOffStillWorks();
    void clockSkewRetriedOnlyOnce();
    void connectionRefused();
    void serverNeverAnswers_data();
    void serverNeverAnswers();
    void contextDestroyedBeforeSending();
    void contextDestroyedWhileInFlight();
    void contextDestroyedDuringBackoff();
    void httpsWithCaBundle();
    void httpsUntrustedFails_data();
    void httpsUntrustedFails();
    void badCaBundle_data();
    void badCaBundle();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<TestPki> m_pki;
    SystemClock m_clock;
};

void TestAwsHttpClient::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_pki = std::make_unique<TestPki>(m_dir.path());
    QVERIFY2(m_pki->error().isEmpty(), qPrintable(m_pki->error()));
}

void TestAwsHttpClient::init()
{
    // Whatever the client prints lands in the CLI user's terminal: no stray Qt warnings.
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
}

void TestAwsHttpClient::signedRequestArrivesAsSigned_data()
{
    QTest::addColumn<int>("protocol");
    QTest::addColumn<bool>("withToken");
    QTest::newRow("ec2 query") << int(AwsProtocol::Ec2Query) << false;
    QTest::newRow("ec2 query, session token") << int(AwsProtocol::Ec2Query) << true;
    QTest::newRow("json 1.1, session token") << int(AwsProtocol::Json) << true;
}

void TestAwsHttpClient::signedRequestArrivesAsSigned()
{
    QFETCH(int, protocol);
    QFETCH(bool, withToken);
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::ok("<DescribeInstancesResponse/>"));
    ClockSkew skew;
    AwsHttpClient client(fastSettings(), m_clock, skew);
    const AwsRequest r = request(AwsProtocol(protocol));

    auto o = start(client, r, server.url(), creds(withToken), this);
    QVERIFY(finish(o));
    QVERIFY2(o->ok(), qPrintable(o->why()));
    QCOMPARE(o->response().status, 200);
    QCOMPARE(o->response().body, QByteArrayLiteral("<DescribeInstancesResponse/>"));
    QCOMPARE(o->response().attempts, 1);
    QCOMPARE(o->response().requestId, QStringLiteral("req-ok-1"));
    QCOMPARE(o->response().header("X-AMZN-REQUESTID"), QByteArrayLiteral("req-ok-1"));

    QCOMPARE(server.requests().size(), 1);
    const ReceivedRequest& got = server.requests().first();
    QCOMPARE(got.method, r.method);
    QCOMPARE(got.target, QByteArrayLiteral("/"));
    QCOMPARE(got.header("Host"), "127.0.0.1:" + QByteArray::number(server.port()));
    QCOMPARE(got.headerCount("Host"), 1);
    QCOMPARE(got.body, r.body);
    for (const auto& [name, value] : r.headers)
        QCOMPARE(got.header(name), value); // Content-Type not rewritten (no added charset etc.)
    QVERIFY(got.header("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    QVERIFY(qAbs(secsFromNow(got.header("X-Amz-Date"))) < 60);
    QVERIFY(got.header("User-Agent").startsWith("bastionless/"));
    const auto auth = sigv4::parseAuthorization(got.header("Authorization"));
    if (withToken) {
        QCOMPARE(got.header("X-Amz-Security-Token"), kToken);
        QVERIFY(auth.signedHeaders.split(';').contains("x-amz-security-token"));
    } else {
        QCOMPARE(got.headerCount("X-Amz-Security-Token"), 0);
    }
    const QString problem = signatureProblem(got, creds(withToken), r.signingName.toLatin1());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(client.requestCount(), 1);

    // The verifier is not a rubber stamp: one changed byte anywhere signed breaks it.
    ReceivedRequest tampered = got;
    tampered.body.append(' ');
    QVERIFY(!signatureProblem(tampered, creds(withToken), r.signingName.toLatin1()).isEmpty());
    tampered = got;
    for (auto& h : tampered.headers) {
        if (h.first.compare("Host", Qt::CaseInsensitive) == 0)
            h.second = "127.0.0.1";
    }
    QVERIFY(!signatureProblem(tampered, creds(withToken), r.signingName.toLatin1()).isEmpty());
}

void TestAwsHttpClient::queryEncodedExactlyAsSigned()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::ok("{}"));
    ClockSkew skew;
    AwsHttpClient client(fastSettings(), m_clock, skew);

    AwsRequest r;
    r.signingName = QStringLiteral("awsssoportal");
    r.operation = QStringLiteral("GetRoleCredentials");
    r.protocol = AwsProtocol::RestJson;
    r.method = "GET";
    r.path = "/federation/credentials";
    r.headers = {{"x-amz-sso_bearer_token", "tok/en+=="}};
    r.query = {{"role_name", "Read Only/Admin+x"},
               {"account_id", "123456789012"},
               {"next_token", "a=b&c:d~e*f'(g)!@$,;?#[]"},
               {"utf8", "\xc3\xa9\xe2\x9c\x93"},
               {"empty", ""},
               {"percent", "100%"}};
    QUrl endpoint = server.url();
    endpoint.setPath(QStringLiteral("/prefix/"));

    auto o = start(client, r, endpoint, creds(), this);
    QVERIFY(finish(o));
    QVERIFY2(o->ok(), qPrintable(o->why()));
    QCOMPARE(server.requests().size(), 1);
    const ReceivedRequest& got = server.requests().first();
    QCOMPARE(got.path, QByteArrayLiteral("/prefix/federation/credentials"));
    QCOMPARE(got.rawQuery,
             QByteArrayLiteral("role_name=Read%20Only%2FAdmin%2Bx&account_id=123456789012&next_token=a%3Db%26c%3Ad~e%"
                               "2Af%27%28g%29%21%40%24%2C%3B%3F%23%5B%5D&utf8=%C3%A9%E2%9C%93&empty=&percent=100%25"));
    QCOMPARE(sigv4::parseQueryString(got.rawQuery), r.query);
    QCOMPARE(got.header("x-amz-sso_bearer_token"), QByteArrayLiteral("tok/en+=="));
    QCOMPARE(got.body, QByteArray());
    const QString problem = signatureProblem(got, creds(), "awsssoportal");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestAwsHttpClient::unsignedRequestCarriesNoSignature()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::ok("{\"accessToken\":\"x\"}"));
    server.enqueue(ScriptedReply::ok("{\"accessToken\":\"y\"}"));
    ClockSkew skew;
    AwsHttpClient client(fastSettings(), m_clock, skew);
    const AwsRequest r = request(AwsProtocol::RestJson);

    // Without credentials, and with credentials at hand: an unsigned call never signs.
    for (const std::optional<Credentials>& c :
         {std::optional<Credentials>(), std::optional<Credentials>(creds(true))}) {
        auto o = start(client, r, server.url(), c, nullptr);
        QVERIFY(finish(o));
        QVERIFY2(o->ok(), qPrintable(o->why()));
    }
    QCOMPARE(server.requests().size(), 2);
    for (const ReceivedRequest& got : server.requests()) {
        QCOMPARE(got.path, QByteArrayLiteral("/token"));
        QCOMPARE(got.body, r.body);
        QCOMPARE(got.header("Content-Type"), QByteArrayLiteral("application/json"));
        QCOMPARE(got.headerCount("Authorization"), 0);
        QCOMPARE(got.headerCount("X-Amz-Date"), 0);
        QCOMPARE(got.headerCount("X-Amz-Security-Token"), 0);
    }
}

void TestAwsHttpClient::signedRequestWithoutCredentialsFails()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    ClockSkew skew;
    AwsHttpClient client(fastSettings(), m_clock, skew);
    Credentials empty;
    for (const std::optional<Credentials>& c : {std::optional<Credentials>(), std::optional<Credentials>(empty)}) {
        auto o = start(client, request(AwsProtocol::Ec2Query), server.url(), c, this);
        QVERIFY(finish(o));
        QVERIFY(!o->ok());
        QCOMPARE(errorKindName(o->error().kind), errorKindName(ErrorKind::Credentials));
        QVERIFY(o->error().message.contains(QLatin1String("DescribeInstances")));
    }
    QCOMPARE(server.requests().size(), 0);
}

void TestAwsHttpClient::throttlingIsRetried()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(ScriptedReply::ec2Error(503, "RequestLimitExceeded", "Request limit exceeded."));
    server.enqueue(ScriptedReply::ec2Error(503, "RequestLimitExceeded", "Request limit exceeded."));
    server.enqueue(ScriptedReply::ok("<DescribeInstancesResponse/>"));
    ClockSkew skew;
    AwsHttpClient client(fastSettings(), m_clock, skew);
    client.setRandomSource([] { return 0.0; });

    auto o = start(client, request(AwsProtocol::Ec2Query), server.url(), creds(true), this);
    QVERIFY(finish(o));
    QVERIFY2(o->ok(), qPrintable(o->why()));
    QCOMPARE(o->response().attempts, 3);
    QCOMPARE(o->response().body, QByteArrayLiteral("<DescribeInstancesResponse/>"));
    QCOMPARE(server.requests().size(), 3);
    QCOMPARE(client.requestCount(), 3);
    for (const ReceivedRequest& got : server.requests()) {
        const QString problem = signatureProblem(got, creds(true), "ec2");
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
}

void TestAwsHttpClient::transientErrorsAreRetried_data()
{
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("code");

    QTest::newRow("500 InternalError") << int(AwsProtocol::Ec2Query) << 500 << QByteArray("InternalError");
    QTest::newRow("503 Unavailable") << int(AwsProtocol::Ec2Query) << 503 << QByteArray("Unavailable");
    QTest::newRow("502 empty") << int(AwsProtocol::Ec2Query) << 502 << QByteArray();
    QTest::newRow("504 empty") << int(AwsProtocol::Query) << 504 << QByteArray();
    QTest::newRow("400 ThrottlingException") << int(AwsProtocol::Json) << 400 << QByteArray("ThrottlingException");
    QTest::newRow("429 TooManyRequests") << int(AwsProtocol::RestJson) << 429 << QByteArray("TooManyRequestsException");
    QTest::newRow("400 RequestTimeout") << int(AwsProtocol::Ec2Query) << 400 << QByteArray("RequestTimeout");
}

void TestAwsHttpClient::transientErrorsAreRetried()
{
    QFETCH(int, protocol);
    QFETCH(int, status);
    QFETCH(QByteArray, code);
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(errorReply(AwsProtocol(protocol), status, code, "transient"));
    server.enqueue(errorReply(AwsProtocol(protocol), status, code, "transient"));
    server.enqueue(ScriptedReply::ok());
    ClockSkew skew;
    AwsHttpClient client(fastSettings(), m_clock, skew);
    client.setRandomSource([] { return 0.0; });

    auto o = start(client, request(AwsProtocol(protocol)), server.url(), creds(), this);
    QVERIFY(finish(o));
    QVERIFY2(o->ok(), qPrintable(o->why()));
    QCOMPARE(o->response().attempts, 3);
    QCOMPARE(server.requests().size(), 3);
}

void TestAwsHttpClient::clientErrorsAreNotRetried_data()
{
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("code");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("hintPart");

    QTest::newRow("400 InvalidParameterValue")
        << int(AwsProtocol::Ec2Query) << 400 << QByteArray("InvalidParameterValue") << int(ErrorKind::Service)
        << QString();
    QTest::newRow("403 UnauthorizedOperation")
        << int(AwsProtocol::Ec2Query) << 403 << QByteArray("UnauthorizedOperation") << int(ErrorKind::Service)
        << "ec2:DescribeInstances";
    QTest::newRow("401 AuthFailure, clock right") << int(AwsProtocol::Ec2Query) << 401 << QByteArray("AuthFailure")
                                                  << int(ErrorKind::Credentials) << "credentials";
    QTest::newRow("400 InvalidInstanceID.NotFound")
        << int(AwsProtocol::Ec2Query) << 400 << QByteArray("InvalidInstanceID.NotFound") << int(ErrorKind::NotFound)
        << "instance id";
    QTest::newRow("400 AccessDeniedException") << int(AwsProtocol::Json) << 400 << QByteArray("AccessDeniedException")
                                               << int(ErrorKind::Service) << "ssm:StartSession";
    QTest::newRow("401 UnauthorizedException")
        << int(AwsProtocol::RestJson) << 401 << QByteArray("UnauthorizedException") << int(ErrorKind::Credentials)
        << "Log in again";
    QTest::newRow("404 empty") << int(AwsProtocol::Ec2Query) << 404 << QByteArray() << int(ErrorKind::NotFound)
                               << "endpoint";
}

void TestAwsHttpClient::clientErrorsAreNotRetried()
{
    QFETCH(int, protocol);
    QFETCH(int, status);
    QFETCH(QByteArray, code);
    QFETCH(int, kind);
    QFETCH(QString, hintPart);
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([&](const ReceivedRequest&) { return errorReply(AwsProtocol(protocol), status, code, "no"); });
    ClockSkew skew;
    AwsHttpClient client(fastSettings(), m_clock, skew);
    client.setRandomSource([] { return 0.0; });

    auto o = start(client, request(AwsProtocol(protocol)), server.url(), creds(), this);
    QVERIFY(finish(o));
    QVERIFY(!o->ok());
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(o->error().awsCode, QString::fromLatin1(code));
    QCOMPARE(o->error().httpStatus, status);
    QCOMPARE(errorKindName(o->error().kind), errorKindName(ErrorKind(kind)));
    QVERIFY2(!o->error().message.contains(QLatin1String("attempts")), qPrintable(o->error().message));
    QVERIFY2(o->error().hint.contains(hintPart, Qt::CaseInsensitive), qPrintable(o->error().hint));
    if (!code.isEmpty() && protocol != int(AwsProtocol::RestJson))
        QVERIFY(o->error().requestId.startsWith(QLatin1String("rid-")));
}

void TestAwsHttpClient::maxAttemptsRespected_data()
{
    QTest::addColumn<QString>("envValue");
    QTest::addColumn<int>("attempts");
    QTest::newRow("1") << "1" << 1;
    QTest::newRow("2") << "2" << 2;
    QTest::newRow("5") << "5" << 5;
    QTest::newRow("unset: 3") << QString() << 3;
}

void TestAwsHttpClient::maxAttemptsRespected()
{
    QFETCH(QString, envValue);
    QFETCH(int, attempts);
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([](const ReceivedRequest&) {
        return ScriptedReply::ec2Error(503, "RequestLimitExceeded", "Request limit exceeded.");
    });
    QProcessEnvironment env;
    if (!envValue.isNull())
        env.insert(QStringLiteral("AWS_MAX_ATTEMPTS"), envValue);
    HttpSettings settings = HttpSettings::fromEnvironment(env);
    settings.requestTimeoutMs = 5000;
    ClockSkew skew;
    AwsHttpClient client(settings, m_clock, skew);
    client.setRandomSource([] { return 0.0; });

    auto o = start(client, request(AwsProtocol::Ec2Query), server.url(), creds(), this);
    QVERIFY(finish(o));
    QVERIFY(!o->ok());
    QTest::qWait(100); // no attempt after giving up
    QCOMPARE(server.requests().size(), attempts);
    QCOMPARE(o->error().awsCode, QStringLiteral("RequestLimitExceeded"));
    QVERIFY(o->error().hint.contains(QLatin1String("throttling")));
    if (attempts > 1) {
        QVERIFY2(o->error().message.contains(QStringLiteral("after %1 attempts").arg(attempts)),
                 qPrintable(o->error().message));
    }
}

void TestAwsHttpClient::clockFifteenMinutesOffStillWorks_data()
{
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("code");
    QTest::addColumn<QByteArray>("message");

    QTest::newRow("ec2 RequestExpired") << int(AwsProtocol::Ec2Query) << 400 << QByteArray("RequestExpired")
                                        << QByteArray("Request has expired.");
    QTest::newRow("ec2 AuthFailure") << int(AwsProtocol::Ec2Query) << 401 << QByteArray("AuthFailure")
                                     << QByteArray("AWS was not able to validate the provided access credentials");
    QTest::newRow("sts Signature expired")
        << int(AwsProtocol::Query) << 403 << QByteArray("SignatureDoesNotMatch")
        << QByteArray("Signature expired: 20240115T114500Z is now earlier than 20240115T115500Z");
    QTest::newRow("ssm InvalidSignatureException")
        << int(AwsProtocol::Json) << 400 << QByteArray("InvalidSignatureException")
        << QByteArray("Signature expired: 20240115T114500Z is now earlier than 20240115T115500Z");
    QTest::newRow("plain 403") << int(AwsProtocol::Ec2Query) << 403 << QByteArray() << QByteArray();
}

void TestAwsHttpClient::clockFifteenMinutesOffStillWorks()
{
    QFETCH(int, protocol);
    QFETCH(int, status);
    QFETCH(QByteArray, code);
    QFETCH(QByteArray, message);
    // AWS's rule: a signed request must arrive within 5 minutes of its X-Amz-Date.
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([&](const ReceivedRequest& r) {
        if (qAbs(secsFromNow(r.header("X-Amz-Date"))) > 300)
            return errorReply(AwsProtocol(protocol), status, code, message);
        return ScriptedReply::ok("<fine/>");
    });
    const QDateTime localNow = QDateTime::currentDateTimeUtc().addSecs(-kSkewSecs);
    FixedClock slowClock(localNow);
    ClockSkew skew;
    AwsHttpClient client(fastSettings(), slowClock, skew);
    client.setRandomSource([] { return 0.0; });
    const AwsRequest r = request(AwsProtocol(protocol));

    auto o = start(client, r, server.url(), creds(), this);
    QVERIFY(finish(o));
    QVERIFY2(o->ok(), qPrintable(o->why()));
    QCOMPARE(o->response().attempts, 2);
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(server.requests().at(0).header("X-Amz-Date"), sigv4::amzDate(localNow));
    const QByteArray corrected = server.requests().at(1).header("X-Amz-Date");
    QVERIFY2(qAbs(secsFromNow(corrected)) < 60, corrected.constData());
    QVERIFY(qAbs(localNow.secsTo(sigv4::parseAmzDate(corrected)) - kSkewSecs) < 60);
    const QString problem = signatureProblem(server.requests().at(1), creds(), r.signingName.toLatin1());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(qAbs(skew.offsetMs() / 1000 - kSkewSecs) < 60);

    // The learnt offset is kept: the next call is right the first time.
    auto again = start(client, r, server.url(), creds(), this);
    QVERIFY(finish(again));
    QVERIFY2(again->ok(), qPrintable(again->why()));
    QCOMPARE(again->response().attempts, 1);
    QCOMPARE(server.requests().size(), 3);
}

void TestAwsHttpClient::clockSkewRetriedOnlyOnce()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setHandler(
        [](const ReceivedRequest&) { return ScriptedReply::ec2Error(400, "RequestExpired", "Request has expired."); });
    FixedClock slowClock(QDateTime::currentDateTimeUtc().addSecs(-kSkewSecs));
    ClockSkew skew;
    AwsHttpClient client(fastSettings(), slowClock, skew);
    client.setRandomSource([] { return 0.0; });

    auto o = start(client, request(AwsProtocol::Ec2Query), server.url(), creds(), this);
    QVERIFY(finish(o));
    QVERIFY(!o->ok());
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(o->error().awsCode, QStringLiteral("RequestExpired"));
    QCOMPARE(errorKindName(o->error().kind), errorKindName(ErrorKind::Credentials));
    QVERIFY(o->error().hint.contains(QLatin1String("clock")));
}

void TestAwsHttpClient::connectionRefused()
{
    quint16 port = 0;
    {
        LocalHttpServer closed;
        QVERIFY(closed.listen());
        port = closed.port();
    }
    ClockSkew skew;
    AwsHttpClient client(fastSettings(), m_clock, skew);
    client.setRandomSource([] { return 0.0; });
    auto o = start(client, request(AwsProtocol::Ec2Query), QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)),
                   creds(), this);
    QVERIFY(finish(o));
    QVERIFY(!o->ok());
    QCOMPARE(errorKindName(o->error().kind), errorKindName(ErrorKind::Network));
    QVERIFY2(o->error().message.contains(QLatin1String("127.0.0.1")), qPrintable(o->error().message));
    QVERIFY2(o->error().hint.contains(QLatin1String("network")), qPrintable(o->error().hint));
}

void TestAwsHttpClient::serverNeverAnswers_data()
{
    QTest::addColumn<int>("maxAttempts");
    QTest::newRow("one attempt") << 1;
    QTest::newRow("two attempts") << 2;
}

void TestAwsHttpClient::serverNeverAnswers()
{
    QFETCH(int, maxAttempts);
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([](const ReceivedRequest&) {
        ScriptedReply r;
        r.noAnswer = true;
        return r;
    });
    HttpSettings settings;
    settings.requestTimeoutMs = 300;
    settings.maxAttempts = maxAttempts;
    ClockSkew skew;
    AwsHttpClient client(settings, m_clock, skew);
    client.setRandomSource([] { return 0.0; });

    QElapsedTimer timer;
    timer.start();
    auto o = start(client, request(AwsProtocol::Ec2Query), server.url(), creds(), this);
    QVERIFY(finish(o, 10000));
    QVERIFY(timer.elapsed() < 5000);
    QVERIFY(!o->ok());
    QCOMPARE(errorKindName(o->error().kind), errorKindName(ErrorKind::Timeout));
    QVERIFY(!o->error().hint.isEmpty());
    QCOMPARE(server.requests().size(), maxAttempts);
}

void TestAwsHttpClient::contextDestroyedBeforeSending()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([](const ReceivedRequest&) { return ScriptedReply::ok(); });
    ClockSkew skew;
    AwsHttpClient client(fastSettings(), m_clock, skew);
    auto* context = new QObject;
    auto o = start(client, request(AwsProtocol::Ec2Query), server.url(), creds(), context);
    delete context;
    QTest::qWait(300);
    QCOMPARE(o->calls, 0);
    QCOMPARE(server.requests().size(), 0);
}

void TestAwsHttpClient::contextDestroyedWhileInFlight()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([](const ReceivedRequest&) { return ScriptedReply::ok(); });
    ClockSkew skew;
    AwsHttpClient client(fastSettings(), m_clock, skew);
    QPointer<QObject> context = new QObject;
    // The context dies after the request left and before the answer arrives.
    connect(&server, &LocalHttpServer::requestReceived, this, [&context] { delete context.data(); });
    auto o = start(client, request(AwsProtocol::Ec2Query), server.url(), creds(), context.data());
    QTRY_VERIFY_WITH_TIMEOUT(context.isNull(), 5000);
    QTest::qWait(300);
    QCOMPARE(o->calls, 0);
    QCOMPARE(server.requests().size(), 1);
}

void TestAwsHttpClient::contextDestroyedDuringBackoff()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([](const ReceivedRequest&) {
        return ScriptedReply::ec2Error(503, "RequestLimitExceeded", "Request limit exceeded.");
    });
    ClockSkew skew;
    AwsHttpClient client(fastSettings(), m_clock, skew);
    client.setRandomSource([] { return 0.5; }); // 500 ms before the second attempt
    QPointer<QObject> context = new QObject;
    // The 503 has long been handled 150 ms later: the client is waiting to retry when the caller goes away.
    connect(&server, &LocalHttpServer::requestReceived, this,
            [this, &context] { QTimer::singleShot(150, this, [&context] { delete context.data(); }); });
    auto o = start(client, request(AwsProtocol::Ec2Query), server.url(), creds(), context.data());
    QTRY_VERIFY_WITH_TIMEOUT(context.isNull(), 5000);
    QTest::qWait(800);
    QCOMPARE(o->calls, 0);
    QCOMPARE(server.requests().size(), 1); // no retry for a caller that is gone
}

void TestAwsHttpClient::httpsWithCaBundle()
{
    LocalHttpServer server;
    QVERIFY(server.listenTls(m_pki->serverCertificate(), m_pki->serverKey()));
    server.enqueue(ScriptedReply::ok("<tls/>"));
    HttpSettings settings = fastSettings();
    settings.caBundlePath = m_pki->caBundlePath();
    ClockSkew skew;
    AwsHttpClient client(settings, m_clock, skew);

    auto o = start(client, request(AwsProtocol::Ec2Query), server.url(), creds(true), this);
    QVERIFY(finish(o));
    QVERIFY2(o->ok(), qPrintable(o->why()));
    QCOMPARE(o->response().body, QByteArrayLiteral("<tls/>"));
    QCOMPARE(server.requests().size(), 1);
    const ReceivedRequest& got = server.requests().first();
    QCOMPARE(got.header("Host"), "127.0.0.1:" + QByteArray::number(server.port()));
    const QString problem = signatureProblem(got, creds(true), "ec2");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestAwsHttpClient::httpsUntrustedFails_data()
{
    QTest::addColumn<bool>("otherCa");
    QTest::newRow("system roots") << false;
    QTest::newRow("bundle of another CA") << true;
}

void TestAwsHttpClient::httpsUntrustedFails()
{
    QFETCH(bool, otherCa);
    LocalHttpServer server;
    QVERIFY(server.listenTls(m_pki->serverCertificate(), m_pki->serverKey()));
    server.setHandler([](const ReceivedRequest&) { return ScriptedReply::ok(); });
    QTemporaryDir otherDir;
    QVERIFY(otherDir.isValid());
    HttpSettings settings = fastSettings();
    if (otherCa) {
        const TestPki other(otherDir.path());
        QVERIFY(other.error().isEmpty());
        settings.caBundlePath = other.caBundlePath();
    }
    ClockSkew skew;
    AwsHttpClient client(settings, m_clock, skew);
    client.setRandomSource([] { return 0.0; });

    auto o = start(client, request(AwsProtocol::Ec2Query), server.url(), creds(), this);
    QVERIFY(finish(o));
    QVERIFY(!o->ok());
    QCOMPARE(errorKindName(o->error().kind), errorKindName(ErrorKind::Network));
    QVERIFY2(o->error().hint.contains(QLatin1String("AWS_CA_BUNDLE")), qPrintable(o->error().hint));
    QCOMPARE(server.requests().size(), 0);
}

void TestAwsHttpClient::badCaBundle_data()
{
    QTest::addColumn<QByteArray>("content"); // null = file does not exist
    QTest::newRow("missing file") << QByteArray();
    QTest::newRow("not PEM") << QByteArrayLiteral("this is not a certificate\n");
    QTest::newRow("empty file") << QByteArrayLiteral("");
    QTest::newRow("PEM key, no certificate")
        << QByteArrayLiteral("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n");
}

void TestAwsHttpClient::badCaBundle()
{
    QFETCH(QByteArray, content);
    const QString path = m_dir.filePath(QStringLiteral("bad-bundle.pem"));
    QFile::remove(path);
    if (!content.isNull()) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }
    const Result<QSslConfiguration> direct = makeSslConfiguration(path);
    QVERIFY(!direct.ok());
    QVERIFY(direct.error().message.contains(path));

    LocalHttpServer server;
    QVERIFY(server.listenTls(m_pki->serverCertificate(), m_pki->serverKey()));
    HttpSettings settings = fastSettings();
    settings.caBundlePath = path;
    ClockSkew skew;
    AwsHttpClient client(settings, m_clock, skew);
    auto o = start(client, request(AwsProtocol::Ec2Query), server.url(), creds(), this);
    QVERIFY(finish(o));
    QVERIFY(!o->ok());
    QCOMPARE(errorKindName(o->error().kind), errorKindName(ErrorKind::Config));
    QVERIFY(o->error().hint.contains(QLatin1String("AWS_CA_BUNDLE")));
    QCOMPARE(server.connectionCount(), 0);
}

QTEST_GUILESS_MAIN(TestAwsHttpClient)
#include "TestAwsHttpClient.moc"
