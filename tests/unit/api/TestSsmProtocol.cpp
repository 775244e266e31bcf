// SsmProtocol: DescribeInstanceInformation bodies as botocore writes them, and tolerant parsing of answers.

#include "Fixtures.h"

#include "core/aws/api/SsmProtocol.h"

#include <QTest>

using namespace bl;
using apitest::fixture;

class TestSsmProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void request_data();
    void request();
    void headers();
    void parse();
    void parseEmptyList();
    void garbage_data();
    void garbage();
};

void TestSsmProtocol::request_data()
{
    QTest::addColumn<QList<SsmFilter>>("filters");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("by instance id") << QList<SsmFilter> {{QStringLiteral("InstanceIds"),
                                                          {QStringLiteral("i-0123456789abcdef0")}}}
                                    << QString()
                                    << QByteArray("{\"Filters\": [{\"Key\": \"InstanceIds\", \"Values\": "
                                                  "[\"i-0123456789abcdef0\"]}], \"MaxResults\": 50}");
    QTest::newRow("two filters, next page")
        << QList<SsmFilter> {{QStringLiteral("InstanceIds"), {QStringLiteral("i-1"), QStringLiteral("i-2")}},
                             {QStringLiteral("PingStatus"), {QStringLiteral("Online")}}}
        << QStringLiteral("AAEA/+=")
        << QByteArray("{\"Filters\": [{\"Key\": \"InstanceIds\", \"Values\": [\"i-1\", \"i-2\"]}, {\"Key\": "
                      "\"PingStatus\", \"Values\": [\"Online\"]}], \"MaxResults\": 50, \"NextToken\": \"AAEA/+=\"}");
    QTest::newRow("no filter") << QList<SsmFilter> {} << QString() << QByteArray("{\"MaxResults\": 50}");
    QTest::newRow("tag filter with quotes")
        << QList<SsmFilter> {{QStringLiteral("tag:Team"), {QStringLiteral("a\"b\\c")}}} << QString()
        << QByteArray("{\"Filters\": [{\"Key\": \"tag:Team\", \"Values\": "
                      "[\"a\\\"b\\\\c\"]}], \"MaxResults\": 50}");
}

void TestSsmProtocol::request()
{
    QFETCH(QList<SsmFilter>, filters);
    QFETCH(QString, token);
    QFETCH(QByteArray, body);
    QCOMPARE(
        SsmProtocol::describeInstanceInformation(filters, SsmProtocol::describeInstanceInformationPageSize, token).body,
        body);
}

void TestSsmProtocol::headers()
{
    const AwsRequest r = SsmProtocol::describeInstanceInformation({}, 50);
    QCOMPARE(r.signingName, QStringLiteral("ssm"));
    QCOMPARE(r.protocol, AwsProtocol::Json);
    QCOMPARE(r.operation, QStringLiteral("DescribeInstanceInformation"));
    QCOMPARE(r.iamAction, QStringLiteral("ssm:DescribeInstanceInformation"));
    QCOMPARE(r.method, QByteArray("POST"));
    const QList<QPair<QByteArray, QByteArray>> expected {
        {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/x-amz-json-1.1")},
        {QByteArrayLiteral("X-Amz-Target"), QByteArrayLiteral("AmazonSSM.DescribeInstanceInformation")}};
    QCOMPARE(r.headers, expected);
}

void TestSsmProtocol::parse()
{
    auto page = SsmProtocol::parseDescribeInstanceInformation(fixture("describe_instance_information.json"));
    QVERIFY2(page.ok(), qPrintable(page.ok() ? QString() : page.error().toString()));
    QCOMPARE(page->nextToken, QStringLiteral("AAEAAbcdef=="));
    QCOMPARE(page->items.size(), 2);
    const InstanceInformation& win = page->items.at(0);
    QCOMPARE(win.instanceId, QStringLiteral("i-0123456789abcdef0"));
    QCOMPARE(win.pingStatus, QStringLiteral("Online"));
    QVERIFY(win.isOnline());
    QCOMPARE(win.agentVersion, QStringLiteral("3.3.40.0"));
    QVERIFY(!win.isLatestVersion);
    QCOMPARE(win.platformType, QStringLiteral("Windows"));
    QCOMPARE(win.platformName, QStringLiteral("Microsoft Windows Server 2022 Datacenter"));
    QCOMPARE(win.platformVersion, QStringLiteral("10.0.20348"));
    QCOMPARE(win.resourceType, QStringLiteral("EC2Instance"));
    QCOMPARE(win.ipAddress, QStringLiteral("10.0.1.23"));
    QCOMPARE(win.computerName, QStringLiteral("EC2AMAZ-ABC1234.WORKGROUP"));
    QCOMPARE(win.lastPing, QDateTime(QDate(2024, 1, 15), QTime(8, 0, 0, 123), Qt::UTC));

    const InstanceInformation& lost = page->items.at(1);
    QCOMPARE(lost.pingStatus, QStringLiteral("ConnectionLost"));
    QVERIFY(!lost.isOnline());
    QVERIFY(!lost.lastPing.isValid());
    QVERIFY(lost.platformName.isEmpty());
}

void TestSsmProtocol::parseEmptyList()
{
    auto page = SsmProtocol::parseDescribeInstanceInformation("{\"InstanceInformationList\": []}");
    QVERIFY(page.ok());
    QVERIFY(page->items.isEmpty());
    QVERIFY(page->nextToken.isEmpty());
    // An empty page can still point to the next one.
    auto more = SsmProtocol::parseDescribeInstanceInformation("{\"InstanceInformationList\":[],\"NextToken\":\"n\"}");
    QVERIFY(more.ok());
    QCOMPARE(more->nextToken, QStringLiteral("n"));
}

void TestSsmProtocol::garbage_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("xml") << QByteArray("<html>oops</html>");
    QTest::newRow("truncated") << fixture("describe_instance_information.json").left(200);
    QTest::newRow("array") << QByteArray("[1, 2]");
    QTest::newRow("list is a string") << QByteArray("{\"InstanceInformationList\": \"i-1\"}");
    QTest::newRow("entry is a number") << QByteArray("{\"InstanceInformationList\": [3]}");
    QTest::newRow("entry without id") << QByteArray("{\"InstanceInformationList\": [{\"PingStatus\": \"Online\"}]}");
}

void TestSsmProtocol::garbage()
{
    QFETCH(QByteArray, body);
    auto page = SsmProtocol::parseDescribeInstanceInformation(body);
    QVERIFY(!page.ok());
    QCOMPARE(page.error().kind, ErrorKind::Parse);
    QVERIFY(page.error().message.contains(QLatin1String("SSM DescribeInstanceInformation")));
}

QTEST_GUILESS_MAIN(TestSsmProtocol)
#include "TestSsmProtocol.moc"
