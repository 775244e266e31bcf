// Ec2Protocol: request bodies byte for byte as botocore sends them, and every response parser against
// realistic, reordered, incomplete and broken XML.

#include "Fixtures.h"

#include "core/aws/api/Ec2Protocol.h"
#include "core/aws/base/SigV4.h"

#include <QTest>

using namespace bl;
using apitest::fixture;

Q_DECLARE_METATYPE(bl::AwsRequest)

class TestEc2Protocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestBodies_data();
    void requestBodies();
    void requestMetadata();
    void v4Signature();
    void describeInstances();
    void describeInstancesMissingOptionalFields();
    void stateCodeHighByte_data();
    void stateCodeHighByte();
    void platform_data();
    void platform();
    void emptyPageKeepsNextToken();
    void lastPageHasNoToken();
    void malformed_data();
    void malformed();
    void truncatedAnywhere();
    void describeRegions();
    void describeInstanceConnectEndpoints();
    void describeSecurityGroups();
    void getPasswordData();
    void getPasswordDataNotReady();
    void stateChanges();
};

void TestEc2Protocol::requestBodies_data()
{
    QTest::addColumn<AwsRequest>("request");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("V4 filters and MaxResults")
        << Ec2Protocol::describeInstances(
               {{QStringLiteral("instance-state-name"), {QStringLiteral("running"), QStringLiteral("stopped")}},
                {QStringLiteral("tag:Env"), {QStringLiteral("prod")}}},
               {}, 100)
        << QByteArray("Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-state-name&Filter.1.Value.1="
                      "running&Filter.1.Value.2=stopped&Filter.2.Name=tag%3AEnv&Filter.2.Value.1=prod&MaxResults=100");
    QTest::newRow("by id: no MaxResults")
        << Ec2Protocol::describeInstances({}, {QStringLiteral("i-0123456789abcdef0")}, 1000)
        << QByteArray("Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0");
    QTest::newRow("next page token is form-encoded")
        << Ec2Protocol::describeInstances({}, {}, 1000, QStringLiteral("eyJ2Ijo+/x=="))
        << QByteArray("Action=DescribeInstances&Version=2016-11-15&MaxResults=1000&NextToken=eyJ2Ijo%2B%2Fx%3D%3D");
    QTest::newRow("tag value with space, wildcard and UTF-8")
        << Ec2Protocol::describeInstances({{QStringLiteral("tag:Name"), {QStringLiteral("web server* \u00e9~")}}}, {},
                                          0)
        << QByteArray("Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3AName&Filter.1.Value.1="
                      "web+server%2A+%C3%A9~");
    QTest::newRow("enabled regions") << Ec2Protocol::describeRegions(false)
                                     << QByteArray("Action=DescribeRegions&Version=2016-11-15");
    QTest::newRow("all regions") << Ec2Protocol::describeRegions(true)
                                 << QByteArray("Action=DescribeRegions&Version=2016-11-15&AllRegions=true");
    QTest::newRow("endpoints of a VPC")
        << Ec2Protocol::describeInstanceConnectEndpoints(
               {{QStringLiteral("state"), {QStringLiteral("create-complete"), QStringLiteral("update-complete")}},
                {QStringLiteral("vpc-id"), {QStringLiteral("vpc-0123abcd")}}},
               {}, 50, QStringLiteral("t2"))
        << QByteArray("Action=DescribeInstanceConnectEndpoints&Version=2016-11-15&Filter.1.Name=state&Filter.1.Value.1="
                      "create-complete&Filter.1.Value.2=update-complete&Filter.2.Name=vpc-id&Filter.2.Value.1="
                      "vpc-0123abcd&MaxResults=50&NextToken=t2");
    QTest::newRow("endpoint by id")
        << Ec2Protocol::describeInstanceConnectEndpoints({}, {QStringLiteral("eice-0123456789abcdef0")}, 50)
        << QByteArray("Action=DescribeInstanceConnectEndpoints&Version=2016-11-15&InstanceConnectEndpointId.1="
                      "eice-0123456789abcdef0");
    QTest::newRow("security groups by id")
        << Ec2Protocol::describeSecurityGroups({QStringLiteral("sg-1"), QStringLiteral("sg-2")}, {}, 1000)
        << QByteArray("Action=DescribeSecurityGroups&Version=2016-11-15&GroupId.1=sg-1&GroupId.2=sg-2");
    QTest::newRow("security groups by filter")
        << Ec2Protocol::describeSecurityGroups({}, {{QStringLiteral("vpc-id"), {QStringLiteral("vpc-1")}}}, 1000)
        << QByteArray("Action=DescribeSecurityGroups&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&"
                      "MaxResults=1000");
    QTest::newRow("password") << Ec2Protocol::getPasswordData(QStringLiteral("i-0123456789abcdef0"))
                              << QByteArray("Action=GetPasswordData&Version=2016-11-15&InstanceId=i-0123456789abcdef0");
    QTest::newRow("start") << Ec2Protocol::startInstances({QStringLiteral("i-1"), QStringLiteral("i-2")})
                           << QByteArray("Action=StartInstances&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2");
    QTest::newRow("stop") << Ec2Protocol::stopInstances({QStringLiteral("i-1")})
                          << QByteArray("Action=StopInstances&Version=2016-11-15&InstanceId.1=i-1");
    QTest::newRow("stop forced") << Ec2Protocol::stopInstances({QStringLiteral("i-1")}, true)
                                 << QByteArray("Action=StopInstances&Version=2016-11-15&InstanceId.1=i-1&Force=true");
}

void TestEc2Protocol::requestBodies()
{
    QFETCH(AwsRequest, request);
    QFETCH(QByteArray, body);
    QCOMPARE(request.body, body);
}

void TestEc2Protocol::requestMetadata()
{
    const AwsRequest r = Ec2Protocol::stopInstances({QStringLiteral("i-1")});
    QCOMPARE(r.signingName, QStringLiteral("ec2"));
    QCOMPARE(r.operation, QStringLiteral("StopInstances"));
    QCOMPARE(r.iamAction, QStringLiteral("ec2:StopInstances"));
    QCOMPARE(r.protocol, AwsProtocol::Ec2Query);
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.path, QByteArray("/"));
    QVERIFY(r.sign);
    QCOMPARE(r.headers.size(), 1);
    QCOMPARE(r.headers.first().first, QByteArray("Content-Type"));
    QCOMPARE(r.headers.first().second, QByteArray("application/x-www-form-urlencoded; charset=utf-8"));
    QCOMPARE(Ec2Protocol::describeRegions(false).iamAction, QStringLiteral("ec2:DescribeRegions"));
}

// The body we build, signed as the HTTP layer will sign it, reproduces PROTOCOLS.md §1.7 V4's signatures.
void TestEc2Protocol::v4Signature()
{
    const AwsRequest r = Ec2Protocol::describeInstances(
        {{QStringLiteral("instance-state-name"), {QStringLiteral("running"), QStringLiteral("stopped")}},
         {QStringLiteral("tag:Env"), {QStringLiteral("prod")}}},
        {}, 100);
    QCOMPARE(sigv4::sha256Hex(r.body), QByteArray("4efa9ce69f03c605696fe5dbe984b5f7a277c9ce6ab8e23afcfaaa78a2acc095"));
    sigv4::Request req;
    req.method = r.method;
    req.path = r.path;
    req.headers = r.headers;
    req.headers.append({QByteArrayLiteral("Host"), QByteArrayLiteral("ec2.us-east-1.amazonaws.com")});
    req.body = r.body;
    Credentials creds;
    creds.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    creds.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    const QDateTime t(QDate(2024, 1, 15), QTime(12, 0), Qt::UTC);
    const sigv4::Scope scope {QByteArrayLiteral("us-east-1"), QByteArrayLiteral("ec2")};
    QCOMPARE(sigv4::signHeaders(req, creds, scope, t).signature,
             QByteArray("ca72ba76a393782ef732d8337514e07adb02b41eeb771266b20187e40b4434f1"));
    creds.sessionToken = QStringLiteral("FQoGZXIvYXdzEXAMPLETOKEN/+=");
    QCOMPARE(sigv4::signHeaders(req, creds, scope, t).signature,
             QByteArray("b1b8f5bdeabee481ac1822ca08d5df9d96f06da3773cd362f4d20cda164fce02"));
}

void TestEc2Protocol::describeInstances()
{
    auto page = Ec2Protocol::parseDescribeInstances(fixture("describe_instances.xml"));
    QVERIFY2(page.ok(), qPrintable(page.ok() ? QString() : page.error().toString()));
    QCOMPARE(page->nextToken, QStringLiteral("eyJ2IjoiMiIsImMiOiJwYWdlMiJ9"));
    QCOMPARE(page->items.size(), 3); // two reservations: one instance, then two

    const Instance& win = page->items.at(0);
    QCOMPARE(win.id, QStringLiteral("i-0123456789abcdef0"));
    QCOMPARE(win.name, QStringLiteral("win-jump")); // the instance's Name tag, not its network interface's
    QCOMPARE(win.state, InstanceState::Running);
    QCOMPARE(win.stateName, QStringLiteral("running"));
    QCOMPARE(win.stateCode, 16);
    QCOMPARE(win.type, QStringLiteral("t3.micro"));
    QCOMPARE(win.imageId, QStringLiteral("ami-0abcdef1234567890"));
    QCOMPARE(win.platform, QStringLiteral("windows"));
    QVERIFY(win.isWindows());
    QCOMPARE(win.platformDetails, QStringLiteral("Windows"));
    QCOMPARE(win.availabilityZone, QStringLiteral("us-east-1a"));
    QCOMPARE(win.vpcId, QStringLiteral("vpc-0123abcd"));
    QCOMPARE(win.subnetId, QStringLiteral("subnet-0123abcd"));
    QCOMPARE(win.privateIp, QStringLiteral("10.0.1.23"));
    QCOMPARE(win.publicIp, QStringLiteral("54.1.2.3"));
    QCOMPARE(win.ipv6, QStringLiteral("2600:1f18:abcd:1200::10"));
    QCOMPARE(win.privateDns, QStringLiteral("ip-10-0-1-23.ec2.internal"));
    QCOMPARE(win.publicDns, QStringLiteral("ec2-54-1-2-3.compute-1.amazonaws.com"));
    QCOMPARE(win.keyName, QStringLiteral("my-keypair"));
    QCOMPARE(win.launchTime, QDateTime(QDate(2024, 1, 15), QTime(8, 0), Qt::UTC));
    QCOMPARE(win.launchTime.timeSpec(), Qt::UTC);
    const QList<Tag> tags {{QStringLiteral("Env"), QStringLiteral("prod")},
                           {QStringLiteral("Name"), QStringLiteral("win-jump")},
                           {QStringLiteral("Empty"), QString()}};
    QCOMPARE(win.tags, tags);
    QCOMPARE(win.tag(QStringLiteral("Env")), QStringLiteral("prod"));
    const QList<SecurityGroupRef> groups {{QStringLiteral("sg-0123abcd"), QStringLiteral("web & rdp")},
                                          {QStringLiteral("sg-0456cdef"), QStringLiteral("default")}};
    QCOMPARE(win.securityGroups, groups);
    QCOMPARE(win.iamInstanceProfileArn, QStringLiteral("arn:aws:iam::123456789012:instance-profile/SSMRole"));
    QCOMPARE(win.architecture, QStringLiteral("x86_64"));
    QVERIFY(win.region.isEmpty()); // the caller knows the region it asked

    // Elements in a different order than the first instance, tags with value before key.
    const Instance& linux = page->items.at(1);
    QCOMPARE(linux.id, QStringLiteral("i-0aaaaaaaaaaaaaaa1"));
    QCOMPARE(linux.name, QStringLiteral("bastion"));
    QCOMPARE(linux.state, InstanceState::Stopped);
    QCOMPARE(linux.stateCode, 80);
    QCOMPARE(linux.platform, QStringLiteral("linux"));
    QVERIFY(!linux.isWindows());
    QCOMPARE(linux.platformDetails, QStringLiteral("Linux/UNIX"));
    QCOMPARE(linux.architecture, QStringLiteral("arm64"));
    QCOMPARE(linux.launchTime, QDateTime(QDate(2023, 12, 31), QTime(23, 59, 59, 500), Qt::UTC));
    QVERIFY(linux.publicIp.isEmpty());
    QVERIFY(linux.publicDns.isEmpty());
    QVERIFY(linux.securityGroups.isEmpty());
}

void TestEc2Protocol::describeInstancesMissingOptionalFields()
{
    auto page = Ec2Protocol::parseDescribeInstances(fixture("describe_instances.xml"));
    QVERIFY(page.ok());
    const Instance& bare = page->items.at(2);
    QCOMPARE(bare.id, QStringLiteral("i-0bbbbbbbbbbbbbbb2"));
    QCOMPARE(bare.state, InstanceState::Pending);
    QCOMPARE(bare.stateCode, 0);
    QVERIFY(bare.name.isEmpty());
    QVERIFY(bare.tags.isEmpty());
    QVERIFY(bare.type.isEmpty());
    QVERIFY(bare.privateIp.isEmpty());
    QVERIFY(!bare.launchTime.isValid());
    QCOMPARE(bare.platform, QStringLiteral("linux"));
    QCOMPARE(bare.ipv6, QStringLiteral("2600:1f18:abcd:1201::99")); // from the network interface
}

static QByteArray oneInstance(const QByteArray& inner)
{
    return "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><reservationSet><item>"
           "<instancesSet><item><instanceId>i-0123456789abcdef0</instanceId>"
        + inner + "</item></instancesSet></item></reservationSet></DescribeInstancesResponse>";
}

void TestEc2Protocol::stateCodeHighByte_data()
{
    QTest::addColumn<QByteArray>("stateXml");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("name");

    QTest::newRow("272 running") << QByteArray("<code>272</code><name>running</name>") << 16
                                 << int(InstanceState::Running) << QStringLiteral("running");
    QTest::newRow("272 without name") << QByteArray("<code>272</code>") << 16 << int(InstanceState::Running)
                                      << QStringLiteral("running");
    QTest::newRow("336 without name") << QByteArray("<code> 336 </code>") << 80 << int(InstanceState::Stopped)
                                      << QStringLiteral("stopped");
    QTest::newRow("48 terminated") << QByteArray("<name>terminated</name><code>48</code>") << 48
                                   << int(InstanceState::Terminated) << QStringLiteral("terminated");
    QTest::newRow("name wins over odd code") << QByteArray("<code>999</code><name>stopping</name>") << (999 & 0xFF)
                                             << int(InstanceState::Stopping) << QStringLiteral("stopping");
    QTest::newRow("unknown") << QByteArray("<code>7</code><name>hibernating</name>") << 7 << int(InstanceState::Unknown)
                             << QStringLiteral("hibernating");
    QTest::newRow("absent") << QByteArray() << -1 << int(InstanceState::Unknown) << QString();
}

void TestEc2Protocol::stateCodeHighByte()
{
    QFETCH(QByteArray, stateXml);
    QFETCH(int, code);
    QFETCH(int, state);
    QFETCH(QString, name);
    const QByteArray inner = stateXml.isEmpty() ? QByteArray() : "<instanceState>" + stateXml + "</instanceState>";
    auto page = Ec2Protocol::parseDescribeInstances(oneInstance(inner));
    QVERIFY(page.ok());
    QCOMPARE(page->items.size(), 1);
    QCOMPARE(page->items.first().stateCode, code);
    QCOMPARE(int(page->items.first().state), state);
    QCOMPARE(page->items.first().stateName, name);
}

void TestEc2Protocol::platform_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("platform");
    QTest::newRow("lower-case windows") << QByteArray("<platform>windows</platform>") << QStringLiteral("windows");
    QTest::newRow("model-case Windows") << QByteArray("<platform>Windows</platform>") << QStringLiteral("windows");
    QTest::newRow("only platformDetails")
        << QByteArray("<platformDetails>Windows with SQL Server Standard</platformDetails>")
        << QStringLiteral("windows");
    QTest::newRow("RHEL") << QByteArray("<platformDetails>Red Hat Enterprise Linux</platformDetails>")
                          << QStringLiteral("linux");
    QTest::newRow("nothing") << QByteArray() << QStringLiteral("linux");
}

void TestEc2Protocol::platform()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, platform);
    auto page = Ec2Protocol::parseDescribeInstances(oneInstance(xml));
    QVERIFY(page.ok());
    QCOMPARE(page->items.first().platform, platform);
}

void TestEc2Protocol::emptyPageKeepsNextToken()
{
    auto page = Ec2Protocol::parseDescribeInstances(fixture("describe_instances_empty_page.xml"));
    QVERIFY(page.ok());
    QVERIFY(page->items.isEmpty());
    QCOMPARE(page->nextToken, QStringLiteral("AAAAAQAAAAEAAAACcGFnZTM="));
}

void TestEc2Protocol::lastPageHasNoToken()
{
    auto page = Ec2Protocol::parseDescribeInstances(fixture("describe_instances_last_page.xml"));
    QVERIFY(page.ok());
    QVERIFY(page->items.isEmpty());
    QVERIFY(page->nextToken.isEmpty());
}

void TestEc2Protocol::malformed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("whitespace") << QByteArray("  \n");
    QTest::newRow("not xml") << QByteArray("{\"Reservations\": []}");
    QTest::newRow("html error page") << QByteArray("<html><body><h1>502 Bad Gateway</h1></body></html>");
    QTest::newRow("mismatched tags") << QByteArray("<DescribeInstancesResponse><reservationSet></item>"
                                                   "</DescribeInstancesResponse>");
    QTest::newRow("truncated") << fixture("describe_instances.xml").left(1500);
    QTest::newRow("two roots") << QByteArray("<DescribeInstancesResponse/><DescribeInstancesResponse/>");
    QTest::newRow("dtd") << QByteArray("<!DOCTYPE x [<!ENTITY a \"aaaa\">]><DescribeInstancesResponse>&a;"
                                       "</DescribeInstancesResponse>");
    QTest::newRow("undefined entity") << QByteArray("<DescribeInstancesResponse>&nope;</DescribeInstancesResponse>");
    QTest::newRow("very deep") << QByteArray("<DescribeInstancesResponse>") + QByteArray("<a>").repeated(100000)
            + QByteArray("</a>").repeated(100000) + QByteArray("</DescribeInstancesResponse>");
    QTest::newRow("instance without id") << QByteArray(
        "<DescribeInstancesResponse><reservationSet><item><instancesSet><item><instanceType>t3.micro</instanceType>"
        "</item></instancesSet></item></reservationSet></DescribeInstancesResponse>");
    QTest::newRow("an EC2 error body") << QByteArray(
        "<Response><Errors><Error><Code>InternalError</Code><Message>x</Message></Error></Errors></Response>");
    QTest::newRow("binary") << QByteArray("\x00\x01\x02<\xff\xfe", 6);
}

void TestEc2Protocol::malformed()
{
    QFETCH(QByteArray, body);
    auto page = Ec2Protocol::parseDescribeInstances(body);
    QVERIFY(!page.ok());
    QCOMPARE(page.error().kind, ErrorKind::Parse);
    QVERIFY2(page.error().message.contains(QLatin1String("EC2 DescribeInstances")), qPrintable(page.error().message));
    QVERIFY(!page.error().hint.isEmpty());
}

// A connection cut at any byte gives a Parse error, never a crash or a silently short list.
void TestEc2Protocol::truncatedAnywhere()
{
    const QByteArray full = fixture("describe_instances.xml");
    const qsizetype end = full.lastIndexOf("</DescribeInstancesResponse>");
    QVERIFY(end > 0);
    for (qsizetype n = 0; n < end; n += 7) {
        auto page = Ec2Protocol::parseDescribeInstances(full.left(n));
        QVERIFY2(!page.ok(), qPrintable(QStringLiteral("cut at %1 parsed").arg(n)));
        QCOMPARE(page.error().kind, ErrorKind::Parse);
    }
}

void TestEc2Protocol::describeRegions()
{
    auto regions = Ec2Protocol::parseDescribeRegions(fixture("describe_regions.xml"));
    QVERIFY(regions.ok());
    QCOMPARE(regions->size(), 3);
    QCOMPARE(regions->at(0).name, QStringLiteral("us-east-1"));
    QCOMPARE(regions->at(0).endpoint, QStringLiteral("ec2.us-east-1.amazonaws.com"));
    QCOMPARE(regions->at(0).optInStatus, QStringLiteral("opt-in-not-required"));
    QVERIFY(regions->at(0).isEnabled());
    QCOMPARE(regions->at(1).name, QStringLiteral("af-south-1"));
    QCOMPARE(regions->at(1).endpoint, QStringLiteral("ec2.af-south-1.amazonaws.com"));
    QVERIFY(regions->at(1).isEnabled());
    QCOMPARE(regions->at(2).name, QStringLiteral("ap-east-1"));
    QVERIFY(!regions->at(2).isEnabled());

    auto bad = Ec2Protocol::parseDescribeRegions(fixture("describe_regions.xml").left(300));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().kind, ErrorKind::Parse);
    QVERIFY(bad.error().message.contains(QLatin1String("DescribeRegions")));
}

void TestEc2Protocol::describeInstanceConnectEndpoints()
{
    auto page = Ec2Protocol::parseDescribeInstanceConnectEndpoints(fixture("describe_instance_connect_endpoints.xml"));
    QVERIFY(page.ok());
    QCOMPARE(page->nextToken, QStringLiteral("eice-page-2"));
    QCOMPARE(page->items.size(), 2);
    const InstanceConnectEndpoint& e = page->items.at(0);
    QCOMPARE(e.id, QStringLiteral("eice-0123456789abcdef0"));
    QCOMPARE(e.vpcId, QStringLiteral("vpc-0123abcd"));
    QCOMPARE(e.subnetId, QStringLiteral("subnet-0123abcd"));
    QCOMPARE(e.state, QStringLiteral("create-complete"));
    QVERIFY(e.isUsable());
    // The top-level names, not the ones nested in publicDnsNames.
    QCOMPARE(e.dnsName,
             QStringLiteral("eice-0123456789abcdef0.b67b86ba.ec2-instance-connect-endpoint.us-east-1.amazonaws.com"));
    QCOMPARE(
        e.fipsDnsName,
        QStringLiteral("eice-0123456789abcdef0.b67b86ba.fips.ec2-instance-connect-endpoint.us-east-1.amazonaws.com"));
    QVERIFY(e.preserveClientIp);
    QCOMPARE(e.availabilityZone, QStringLiteral("us-east-1a"));
    QCOMPARE(e.securityGroupIds,
             (QList<QString> {QStringLiteral("sg-0eice000000000001"), QStringLiteral("sg-0eice000000000002")}));
    const InstanceConnectEndpoint& d = page->items.at(1);
    QCOMPARE(d.id, QStringLiteral("eice-0fedcba9876543210"));
    QVERIFY(!d.isUsable());
    QVERIFY(!d.preserveClientIp);
    QVERIFY(d.fipsDnsName.isEmpty());

    auto bad = Ec2Protocol::parseDescribeInstanceConnectEndpoints("<DescribeInstanceConnectEndpointsResponse>");
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().kind, ErrorKind::Parse);
}

void TestEc2Protocol::describeSecurityGroups()
{
    auto page = Ec2Protocol::parseDescribeSecurityGroups(fixture("describe_security_groups.xml"));
    QVERIFY(page.ok());
    QVERIFY(page->nextToken.isEmpty());
    QCOMPARE(page->items.size(), 2);
    const SecurityGroup& web = page->items.at(0);
    QCOMPARE(web.id, QStringLiteral("sg-0123abcd"));
    QCOMPARE(web.name, QStringLiteral("web"));
    QCOMPARE(web.description, QStringLiteral("Web <and> SSH"));
    QCOMPARE(web.vpcId, QStringLiteral("vpc-0123abcd"));
    QCOMPARE(web.ownerId, QStringLiteral("123456789012"));
    QCOMPARE(web.ingress.size(), 2);
    QCOMPARE(web.ingress.at(0).protocol, QStringLiteral("tcp"));
    QCOMPARE(web.ingress.at(0).fromPort, 22);
    QCOMPARE(web.ingress.at(0).groupIds, QStringList {QStringLiteral("sg-0eice000000000001")});
    QVERIFY(web.ingress.at(0).coversTcpPort(22));
    QVERIFY(!web.ingress.at(0).coversTcpPort(3389));
    const SecurityGroupRule& rdp = web.ingress.at(1);
    QCOMPARE(rdp.ipv4Ranges, (QStringList {QStringLiteral("203.0.113.0/24"), QStringLiteral("198.51.100.7/32")}));
    QCOMPARE(rdp.ipv6Ranges, QStringList {QStringLiteral("2001:db8::/32")});
    QCOMPARE(rdp.prefixListIds, QStringList {QStringLiteral("pl-0123abcd")});
    QVERIFY(rdp.coversTcpPort(3389));
    QVERIFY(!rdp.coversTcpPort(22));
    QCOMPARE(web.egress.size(), 1);
    QVERIFY(web.egress.at(0).allProtocols());
    QCOMPARE(web.egress.at(0).fromPort, -1);
    QVERIFY(web.egress.at(0).coversTcpPort(5900));
    QCOMPARE(web.tags, (QList<Tag> {{QStringLiteral("team"), QStringLiteral("ops")}}));

    const SecurityGroup& eice = page->items.at(1);
    QVERIFY(eice.ingress.isEmpty());
    QCOMPARE(eice.egress.size(), 1);
    QVERIFY(!eice.egress.at(0).coversTcpPort(22)); // udp 53 only
}

void TestEc2Protocol::getPasswordData()
{
    auto d = Ec2Protocol::parseGetPasswordData(fixture("get_password_data.xml"));
    QVERIFY(d.ok());
    QCOMPARE(d->instanceId, QStringLiteral("i-0123456789abcdef0"));
    QCOMPARE(d->timestamp, QDateTime(QDate(2024, 1, 15), QTime(8, 5, 12), Qt::UTC));
    QVERIFY(d->isReady());
    // Line breaks, spaces and tabs are gone; the base64 decodes strictly.
    QCOMPARE(d->encryptedBase64, QByteArray("TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuVGhlIHF1aWNrIGJyb3duIGZveA=="));
    const auto decoded = QByteArray::fromBase64Encoding(d->encryptedBase64, QByteArray::AbortOnBase64DecodingErrors);
    QVERIFY(decoded);
    QCOMPARE(*decoded, QByteArray("Many hands make light work.The quick brown fox"));
}

void TestEc2Protocol::getPasswordDataNotReady()
{
    auto d = Ec2Protocol::parseGetPasswordData(fixture("get_password_data_not_ready.xml"));
    QVERIFY(d.ok());
    QVERIFY(!d->isReady());
    QCOMPARE(d->instanceId, QStringLiteral("i-0123456789abcdef0"));
}

void TestEc2Protocol::stateChanges()
{
    auto start = Ec2Protocol::parseStateChanges(fixture("start_instances.xml"), QStringLiteral("StartInstances"));
    QVERIFY(start.ok());
    QCOMPARE(start->size(), 2);
    QCOMPARE(start->at(0).instanceId, QStringLiteral("i-0aaaaaaaaaaaaaaa1"));
    QCOMPARE(start->at(0).current, InstanceState::Pending);
    QCOMPARE(start->at(0).previous, InstanceState::Stopped);
    QCOMPARE(start->at(0).previousName, QStringLiteral("stopped"));
    QCOMPARE(start->at(1).instanceId, QStringLiteral("i-0123456789abcdef0"));
    QCOMPARE(start->at(1).current, InstanceState::Running); // code 272 masked
    QCOMPARE(start->at(1).currentName, QStringLiteral("running"));

    auto stop = Ec2Protocol::parseStateChanges(fixture("stop_instances.xml"), QStringLiteral("StopInstances"));
    QVERIFY(stop.ok());
    QCOMPARE(stop->size(), 1);
    QCOMPARE(stop->at(0).current, InstanceState::Stopping);
    QCOMPARE(stop->at(0).previous, InstanceState::Running);

    // A Start answer is not a Stop answer.
    auto wrong = Ec2Protocol::parseStateChanges(fixture("start_instances.xml"), QStringLiteral("StopInstances"));
    QVERIFY(!wrong.ok());
    QCOMPARE(wrong.error().kind, ErrorKind::Parse);
    QVERIFY(wrong.error().message.contains(QLatin1String("StopInstances")));
}

QTEST_GUILESS_MAIN(TestEc2Protocol)
#include "TestEc2Protocol.moc"
