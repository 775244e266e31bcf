// fakeaws's fault injection as a client sees it: latency that delays one call without holding up others,
// throttling bursts and rates in each protocol's shape, 5xx errors, broken bodies, dropped connections,
// and the request counters.

#include "FakeAwsTestClient.h"

#include "tests/fakeaws/FakeAws.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

using fakeaws::FakeAws;
using Fault = fakeaws::FaultInjector::Fault;

Q_DECLARE_METATYPE(fakeaws::FaultInjector::Fault)

namespace {

QString codeOf(const FakeAwsTestClient::Reply& reply)
{
    if (reply.header("Content-Type").contains("xml"))
        return QRegularExpression(QStringLiteral("<Code>([^<]*)</Code>"))
            .match(QString::fromUtf8(reply.body))
            .captured(1);
    const auto body = QJsonDocument::fromJson(reply.body).object();
    if (body.contains(QStringLiteral("__type")))
        return body.value(QStringLiteral("__type")).toString();
    return QString::fromLatin1(reply.header("x-amzn-ErrorType"));
}

bool isWellFormedXml(const QByteArray& body)
{
    QXmlStreamReader xml(body);
    while (!xml.atEnd())
        xml.readNext();
    return !xml.hasError();
}

} // namespace

class TestFaultInjector : public QObject
{
    Q_OBJECT

private:
    FakeAwsTestClient::Reply call(const QByteArray& service)
    {
        const bl::Credentials creds = m_aws->defaultCredentials();
        if (service == "ec2")
            return m_client->query("ec2", "Action=DescribeRegions&Version=2016-11-15", creds);
        if (service == "sts")
            return m_client->query("sts", "Action=GetCallerIdentity&Version=2011-06-15", creds);
        if (service == "ssm")
            return m_client->json("ssm", "AmazonSSM.DescribeInstanceInformation", "{}", creds);
        return m_client->send("POST", "/client/register", {{"Content-Type", "application/json"}},
                              R"({"clientName":"c","clientType":"public"})");
    }

    std::unique_ptr<FakeAws> m_aws;
    std::unique_ptr<FakeAwsTestClient> m_client;

private Q_SLOTS:
    void initTestCase()
    {
        m_aws = std::make_unique<FakeAws>();
        const auto started = m_aws->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().toString()));
        m_client = std::make_unique<FakeAwsTestClient>(m_aws->port(), m_aws->caCertificate());
    }

    void init()
    {
        m_aws->faults().clearFaults();
        m_aws->faults().resetCounters();
    }

    void latencyDelaysWithoutBlocking()
    {
        m_aws->faults().setLatencyMs(QStringLiteral("GetCallerIdentity"), 600);
        const bl::Credentials creds = m_aws->defaultCredentials();
        // Separate clients: separate connections, like concurrent callers.
        FakeAwsTestClient other(m_aws->port(), m_aws->caCertificate());
        QNetworkReply* slow = m_client->startQuery("sts", "Action=GetCallerIdentity&Version=2011-06-15", creds);
        QNetworkReply* fast = other.startQuery("ec2", "Action=DescribeRegions&Version=2016-11-15", creds);
        const auto fastReply = FakeAwsTestClient::finish(fast);
        QVERIFY(!slow->isFinished()); // the event loop kept serving while the slow answer waited
        const auto slowReply = FakeAwsTestClient::finish(slow);
        QCOMPARE(fastReply.status, 200);
        QCOMPARE(slowReply.status, 200);
        QVERIFY2(slowReply.elapsedMs >= 600, qPrintable(QString::number(slowReply.elapsedMs)));

        m_aws->faults().clearFaults();
        m_aws->faults().setLatencyMs(150);
        const auto delayed = call("ssm");
        QCOMPARE(delayed.status, 200);
        QVERIFY(delayed.elapsedMs >= 150);
    }

    void throttlingInEachProtocolsShape_data()
    {
        QTest::addColumn<QByteArray>("service");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("ec2") << QByteArray("ec2") << 503 << QStringLiteral("RequestLimitExceeded");
        QTest::newRow("sts") << QByteArray("sts") << 400 << QStringLiteral("Throttling");
        QTest::newRow("ssm") << QByteArray("ssm") << 400 << QStringLiteral("ThrottlingException");
        QTest::newRow("sso-oidc") << QByteArray("oidc") << 429 << QStringLiteral("TooManyRequestsException");
    }
    void throttlingInEachProtocolsShape()
    {
        QFETCH(QByteArray, service);
        QFETCH(int, status);
        QFETCH(QString, code);
        m_aws->faults().throttleNext(2);
        for (int i = 0; i < 2; ++i) {
            const auto reply = call(service);
            QCOMPARE(reply.status, status);
            QCOMPARE(codeOf(reply), code);
            QVERIFY(!reply.header("x-amzn-RequestId").isEmpty());
        }
        QCOMPARE(call(service).status, 200); // the burst is over
        QCOMPARE(m_aws->faults().faultsInjected(), 2);
    }

    void throttlingCanTargetOneAction()
    {
        m_aws->faults().throttleNext(1, QStringLiteral("DescribeRegions"));
        QCOMPARE(call("sts").status, 200);
        QCOMPARE(call("ec2").status, 503);
        QCOMPARE(call("ec2").status, 200);
    }

    void rateLimitThrottlesTheExcess()
    {
        m_aws->faults().setThrottleRate(2, 2);
        int ok = 0, throttled = 0;
        for (int i = 0; i < 8; ++i) {
            const int status = call("sts").status;
            ok += status == 200;
            throttled += status == 400;
        }
        QVERIFY2(ok >= 2 && ok <= 5, qPrintable(QString::number(ok)));
        QCOMPARE(ok + throttled, 8);
        m_aws->faults().setThrottleRate(0, 1);
        QCOMPARE(call("sts").status, 200);
    }

    void serverErrors_data()
    {
        QTest::addColumn<QByteArray>("service");
        QTest::addColumn<Fault>("fault");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("ec2 500") << QByteArray("ec2") << Fault::InternalError << 500 << QStringLiteral("InternalError");
        QTest::newRow("ec2 503") << QByteArray("ec2") << Fault::ServiceUnavailable << 503
                                 << QStringLiteral("Unavailable");
        QTest::newRow("sts 500") << QByteArray("sts") << Fault::InternalError << 500
                                 << QStringLiteral("InternalFailure");
        QTest::newRow("ssm 500") << QByteArray("ssm") << Fault::InternalError << 500
                                 << QStringLiteral("InternalServerError");
        QTest::newRow("ssm 503") << QByteArray("ssm") << Fault::ServiceUnavailable << 503
                                 << QStringLiteral("ServiceUnavailable");
    }
    void serverErrors()
    {
        QFETCH(QByteArray, service);
        QFETCH(Fault, fault);
        QFETCH(int, status);
        QFETCH(QString, code);
        m_aws->faults().failNext(1, fault);
        const auto reply = call(service);
        QCOMPARE(reply.status, status);
        QCOMPARE(codeOf(reply), code);
    }

    void malformedBodies()
    {
        const auto good = call("ec2");
        QCOMPARE(good.status, 200);
        QVERIFY(isWellFormedXml(good.body));

        m_aws->faults().failNext(1, Fault::TruncatedBody);
        const auto truncated = call("ec2");
        QCOMPARE(truncated.status, 200);
        QVERIFY(!truncated.body.isEmpty());
        QVERIFY(truncated.body.size() < good.body.size());
        QVERIFY(!isWellFormedXml(truncated.body));

        m_aws->faults().failNext(1, Fault::GarbageBody);
        const auto garbage = call("ssm");
        QCOMPARE(garbage.status, 200);
        QJsonParseError error;
        QJsonDocument::fromJson(garbage.body, &error);
        QVERIFY(error.error != QJsonParseError::NoError);

        m_aws->faults().failNext(1, Fault::HtmlErrorPage);
        const auto html = call("sts");
        QCOMPARE(html.status, 502);
        QVERIFY(html.header("Content-Type").startsWith("text/html"));
        QVERIFY(html.body.contains("<html>"));
    }

    void droppedConnection()
    {
        // QNetworkAccessManager quietly resends up to three times when a connection closes without an answer
        // (Qt 6.4), so four drops in a row are needed before its caller sees a connection error.
        m_aws->faults().failNext(4, Fault::DropConnection, QStringLiteral("GetCallerIdentity"));
        const auto dropped = call("sts");
        QCOMPARE(dropped.status, 0);
        QVERIFY(!dropped.errorString.isEmpty());
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("GetCallerIdentity")), 4);
        m_aws->faults().clearFaults();
        QCOMPARE(call("sts").status, 200);
    }

    void authFailuresDoNotUseUpQueuedFaults()
    {
        m_aws->faults().throttleNext(1);
        bl::Credentials wrong = m_aws->defaultCredentials();
        wrong.secretAccessKey = QStringLiteral("wrong");
        const auto refused = m_client->query("ec2", "Action=DescribeRegions&Version=2016-11-15", wrong);
        QCOMPARE(codeOf(refused), QStringLiteral("AuthFailure"));
        QCOMPARE(call("ec2").status, 503);
    }

    void countsRequests()
    {
        for (int i = 0; i < 3; ++i)
            call("ec2");
        call("sts");
        call("ssm");
        call("oidc");
        QCOMPARE(m_aws->faults().totalRequests(), 6);
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("DescribeRegions")), 3);
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("GetCallerIdentity")), 1);
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("DescribeInstanceInformation")), 1);
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("RegisterClient")), 1);
        m_aws->faults().resetCounters();
        QCOMPARE(m_aws->faults().totalRequests(), 0);
    }

    void faultNamesRoundTrip()
    {
        for (Fault f : {Fault::Throttle, Fault::InternalError, Fault::ServiceUnavailable, Fault::TruncatedBody,
                        Fault::GarbageBody, Fault::HtmlErrorPage, Fault::DropConnection})
            QCOMPARE(fakeaws::FaultInjector::faultFromName(fakeaws::FaultInjector::faultName(f)),
                     std::optional<Fault>(f));
        QVERIFY(!fakeaws::FaultInjector::faultFromName(QStringLiteral("explode")));
    }
};

QTEST_GUILESS_MAIN(TestFaultInjector)
#include "TestFaultInjector.moc"
