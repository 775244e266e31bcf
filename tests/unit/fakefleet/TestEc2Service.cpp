// Ec2Service against the demo fleet: paging (including empty pages with a nextToken), filters, parameter
// validation and error codes, the XML shape of PROTOCOLS.md §3.2-3.7, Windows passwords that decrypt with
// the committed demo key, and start/stop transitions.

#include "Ec2Service.h"
#include "FleetRequests.h"
#include "XmlTree.h"

#include <QFile>
#include <QRegularExpression>
#include <QtTest>

#include <list>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

using namespace fakeaws;
using namespace fakefleettest;

namespace {

const QString kNamespace = QStringLiteral("http://ec2.amazonaws.com/doc/2016-11-15/");

QString s(const char* text)
{
    return QString::fromLatin1(text);
}

// Decrypts passwordData the way a client must: strip whitespace, base64, RSA PKCS#1 v1.5.
QByteArray decryptPassword(const QString& passwordData)
{
    QFile file(QStringLiteral(BL_TESTDATA_DIR "/fakeaws/demo-windows-key.pem"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray pem = file.readAll();
    QString compact = passwordData;
    compact.remove(QRegularExpression(QStringLiteral("\\s")));
    const QByteArray cipher = QByteArray::fromBase64(compact.toLatin1());
    BIO* bio = BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    QByteArray out;
    EVP_PKEY_CTX* ctx = key ? EVP_PKEY_CTX_new(key, nullptr) : nullptr;
    size_t length = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(cipher.constData());
    if (ctx && EVP_PKEY_decrypt_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1
        && EVP_PKEY_decrypt(ctx, nullptr, &length, in, static_cast<size_t>(cipher.size())) == 1) {
        out.resize(static_cast<qsizetype>(length));
        if (EVP_PKEY_decrypt(ctx, reinterpret_cast<unsigned char*>(out.data()), &length, in,
                             static_cast<size_t>(cipher.size()))
            == 1)
            out.resize(static_cast<qsizetype>(length));
        else
            out.clear();
    }
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(key);
    return out;
}

} // namespace

class TestEc2Service : public QObject
{
    Q_OBJECT

private:
    Fleet m_fleet;
    std::list<XmlNode> m_responses; // kept for the whole test function, so chained lookups never dangle

    const XmlNode& call(const QString& action, const QueryParams& params = {}, const QString& region = s("us-east-1"),
                        const QDateTime& now = {}, int expectedStatus = 200)
    {
        Ec2Service service(m_fleet);
        const HttpResponse r = service.handle(FleetRequests::ec2(action, params), FleetRequests::context(region, now));
        QString error;
        auto tree = XmlNode::parse(r.body, &error);
        if (r.status != expectedStatus || !tree) {
            qWarning("status %d, body %s", r.status, r.body.constData());
            return m_responses.emplace_back();
        }
        return m_responses.emplace_back(*tree);
    }

    // The EC2 error code of a failed call, after checking the error document's shape (§3.8).
    QString errorCode(const QString& action, const QueryParams& params, const QString& region = s("us-east-1"))
    {
        Ec2Service service(m_fleet);
        const CallContext context = FleetRequests::context(region);
        const HttpResponse r = service.handle(FleetRequests::ec2(action, params), context);
        const auto tree = XmlNode::parse(r.body, nullptr);
        if (r.status < 400 || !tree || tree->name != QLatin1String("Response")
            || tree->value(s("RequestID")) != context.requestId || tree->value(s("Errors/Error/Message")).isEmpty())
            return s("<no EC2 error document>");
        return tree->value(s("Errors/Error/Code"));
    }

    const Instance& named(const QString& name) const
    {
        for (const Instance& i : m_fleet.instances()) {
            if (i.name() == name)
                return i;
        }
        qFatal("no instance named %s in the demo fleet", qPrintable(name));
    }

    QStringList regionInstanceIds(const QString& region) const
    {
        QStringList ids;
        for (const Instance& i : m_fleet.instances()) {
            if (i.region == region)
                ids.append(i.id);
        }
        return ids;
    }

    static QList<const XmlNode*> instanceItems(const XmlNode& response)
    {
        QList<const XmlNode*> out;
        if (const XmlNode* set = response.child(s("reservationSet"))) {
            for (const XmlNode* reservation : set->all(s("item"))) {
                if (const XmlNode* instances = reservation->child(s("instancesSet")))
                    out += instances->all(s("item"));
            }
        }
        return out;
    }

    QStringList namesMatching(const QueryParams& filters)
    {
        QStringList names;
        const XmlNode response = call(s("DescribeInstances"), filters);
        for (const XmlNode* item : instanceItems(response)) {
            for (const XmlNode* tag : item->child(s("tagSet"))->all(s("item"))) {
                if (tag->value(s("key")) == QLatin1String("Name"))
                    names.append(tag->value(s("value")));
            }
        }
        names.sort();
        return names;
    }

private Q_SLOTS:
    void init()
    {
        m_fleet = Fleet::demo();
        m_responses.clear();
    }

    void pagingServesEveryInstanceOnce_data()
    {
        QTest::addColumn<int>("maxResults");
        QTest::addColumn<int>("maxPageSize");
        QTest::addColumn<int>("emptyPageEvery");
        QTest::newRow("one page") << 0 << 0 << 0;
        QTest::newRow("MaxResults 5") << 5 << 0 << 0;
        QTest::newRow("capped below MaxResults") << 1000 << 3 << 0;
        QTest::newRow("empty pages") << 5 << 0 << 2;
        QTest::newRow("capped and empty pages") << 0 << 4 << 3;
    }
    void pagingServesEveryInstanceOnce()
    {
        QFETCH(int, maxResults);
        QFETCH(int, maxPageSize);
        QFETCH(int, emptyPageEvery);
        m_fleet.setPaging({maxPageSize, emptyPageEvery});
        QMap<QString, int> seen;
        QString token;
        int pages = 0;
        int emptyWithToken = 0;
        do {
            QueryParams params;
            if (maxResults)
                params.append({s("MaxResults"), QString::number(maxResults)});
            if (!token.isEmpty())
                params.append({s("NextToken"), token});
            const XmlNode page = call(s("DescribeInstances"), params);
            QCOMPARE(page.name, s("DescribeInstancesResponse"));
            const auto items = instanceItems(page);
            if (maxResults)
                QVERIFY(items.size() <= maxResults);
            if (maxPageSize)
                QVERIFY(items.size() <= maxPageSize);
            for (const XmlNode* item : items)
                seen[item->value(s("instanceId"))]++;
            token = page.value(s("nextToken"));
            emptyWithToken += items.isEmpty() && !token.isEmpty();
            QVERIFY(++pages < 100);
        } while (!token.isEmpty());
        QStringList expected = regionInstanceIds(s("us-east-1"));
        expected.sort();
        QCOMPARE(seen.keys(), expected);
        for (int count : seen)
            QCOMPARE(count, 1);
        QCOMPARE(emptyWithToken > 0, emptyPageEvery > 0);
    }

    void filters_data()
    {
        QTest::addColumn<QueryParams>("filters");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("state") << QueryParams {{s("Filter.1.Name"), s("instance-state-name")},
                                               {s("Filter.1.Value.1"), s("stopped")}}
                               << QStringList {s("batch-worker-1"), s("batch-worker-2")};
        QTest::newRow("values are OR-ed") << QueryParams {{s("Filter.1.Name"), s("tag:Name")},
                                                          {s("Filter.1.Value.1"), s("jenkins")},
                                                          {s("Filter.1.Value.2"), s("grafana")}}
                                          << QStringList {s("grafana"), s("jenkins")};
        QTest::newRow("filters are AND-ed") << QueryParams {{s("Filter.1.Name"), s("tag:Team")},
                                                            {s("Filter.1.Value.1"), s("platform")},
                                                            {s("Filter.2.Name"), s("instance-state-name")},
                                                            {s("Filter.2.Value.1"), s("running")}}
                                            << QStringList {s("bastion-legacy"), s("build-runner"), s("jenkins")};
        QTest::newRow("star") << QueryParams {{s("Filter.1.Name"), s("tag:Name")}, {s("Filter.1.Value.1"), s("web-*")}}
                              << QStringList {s("web-1"), s("web-2")};
        QTest::newRow("question mark") << QueryParams {{s("Filter.1.Name"), s("tag:Name")},
                                                       {s("Filter.1.Value.1"), s("api-prod-?")}}
                                       << QStringList {s("api-prod-1"), s("api-prod-2")};
        QTest::newRow("platform") << QueryParams {{s("Filter.1.Name"), s("platform")},
                                                  {s("Filter.1.Value.1"), s("windows")}}
                                  << QStringList {s("win-ad-01"), s("win-build-02")};
        QTest::newRow("tag-key") << QueryParams {{s("Filter.1.Name"), s("tag-key")},
                                                 {s("Filter.1.Value.1"), s("Desktop")}}
                                 << QStringList {s("rdp-desktop")};
        QTest::newRow("instance type") << QueryParams {{s("Filter.1.Name"), s("instance-type")},
                                                       {s("Filter.1.Value.1"), s("c6i.2xlarge")}}
                                       << QStringList {s("batch-worker-1"), s("batch-worker-2")};
        QTest::newRow("availability zone")
            << QueryParams {{s("Filter.1.Name"), s("availability-zone")}, {s("Filter.1.Value.1"), s("us-east-1c")}}
            << QStringList {s("bastion-legacy")};
        QTest::newRow("nothing") << QueryParams {{s("Filter.1.Name"), s("tag:Name")},
                                                 {s("Filter.1.Value.1"), s("nope")}}
                                 << QStringList {};
    }
    void filters()
    {
        QFETCH(QueryParams, filters);
        QFETCH(QStringList, expected);
        QCOMPARE(namesMatching(filters), expected);
    }

    void filtersByIdsFromTheFleet()
    {
        const Instance& jenkins = named(s("jenkins"));
        QCOMPARE(
            namesMatching({{s("Filter.1.Name"), s("private-ip-address")}, {s("Filter.1.Value.1"), jenkins.privateIp}}),
            QStringList {s("jenkins")});
        QCOMPARE(namesMatching({{s("Filter.1.Name"), s("instance-id")}, {s("Filter.1.Value.1"), jenkins.id}}),
                 QStringList {s("jenkins")});
        const Instance& sandbox = named(s("sandbox-ml"));
        QCOMPARE(namesMatching({{s("Filter.1.Name"), s("vpc-id")}, {s("Filter.1.Value.1"), sandbox.vpcId}}),
                 (QStringList {s("lab-broken-nic"), s("sandbox-ml"), s("sandbox-scratch")}));
        QCOMPARE(
            namesMatching({{s("Filter.1.Name"), s("subnet-id")}, {s("Filter.1.Value.1"), sandbox.subnetId}}).size(), 3);
    }

    void parameterErrors_data()
    {
        QTest::addColumn<QueryParams>("params");
        QTest::addColumn<QString>("code");
        const QString missing = s("i-0123456789abcdef0");
        QTest::newRow("MaxResults 4") << QueryParams {{s("MaxResults"), s("4")}} << s("InvalidParameterValue");
        QTest::newRow("MaxResults 1001") << QueryParams {{s("MaxResults"), s("1001")}} << s("InvalidParameterValue");
        QTest::newRow("MaxResults text") << QueryParams {{s("MaxResults"), s("ten")}} << s("InvalidParameterValue");
        QTest::newRow("ids with MaxResults") << QueryParams {{s("InstanceId.1"), missing}, {s("MaxResults"), s("5")}}
                                             << s("InvalidParameterCombination");
        QTest::newRow("unknown id") << QueryParams {{s("InstanceId.1"), missing}} << s("InvalidInstanceID.NotFound");
        QTest::newRow("malformed id") << QueryParams {{s("InstanceId.1"), s("i-XYZ")}}
                                      << s("InvalidInstanceID.Malformed");
        QTest::newRow("bad token") << QueryParams {{s("NextToken"), s("bogus")}} << s("InvalidParameterValue");
        QTest::newRow("unknown filter") << QueryParams {{s("Filter.1.Name"), s("colour")},
                                                        {s("Filter.1.Value.1"), s("x")}}
                                        << s("InvalidParameterValue");
    }
    void parameterErrors()
    {
        QFETCH(QueryParams, params);
        QFETCH(QString, code);
        QCOMPARE(errorCode(s("DescribeInstances"), params), code);
    }

    void boundaryMaxResultsAreAccepted()
    {
        QCOMPARE(call(s("DescribeInstances"), {{s("MaxResults"), s("5")}}).name, s("DescribeInstancesResponse"));
        QCOMPARE(call(s("DescribeInstances"), {{s("MaxResults"), s("1000")}}).name, s("DescribeInstancesResponse"));
    }

    void instancesOfOtherRegionsAreNotFound()
    {
        const Instance& other = named(s("kafka-1")); // eu-west-1
        QCOMPARE(errorCode(s("DescribeInstances"), {{s("InstanceId.1"), other.id}}), s("InvalidInstanceID.NotFound"));
        QCOMPARE(instanceItems(call(s("DescribeInstances"), {{s("InstanceId.1"), other.id}}, s("eu-west-1"))).size(),
                 1);
    }

    void tokensDoNotCrossOperations()
    {
        m_fleet.setPaging({2, 0});
        const QString token = call(s("DescribeSecurityGroups")).value(s("nextToken"));
        QVERIFY(!token.isEmpty());
        QCOMPARE(errorCode(s("DescribeInstances"), {{s("NextToken"), token}}), s("InvalidParameterValue"));
    }

    void instanceXmlHasTheModelsElementNames()
    {
        const Instance& web = named(s("web-1"));
        const Fleet& fleet = m_fleet;
        const XmlNode response = call(s("DescribeInstances"), {{s("InstanceId.1"), web.id}});
        QCOMPARE(response.name, s("DescribeInstancesResponse"));
        QCOMPARE(response.namespaceUri, kNamespace);
        QVERIFY(!response.value(s("requestId")).isEmpty());
        const XmlNode* reservation = response.at(s("reservationSet/item"));
        QVERIFY(reservation);
        QCOMPARE(reservation->value(s("reservationId")), web.reservationId);
        QCOMPARE(reservation->value(s("ownerId")), fleet.accountId());
        const XmlNode* item = reservation->at(s("instancesSet/item"));
        QVERIFY(item);
        QCOMPARE(item->value(s("instanceId")), web.id);
        QCOMPARE(item->value(s("instanceState/code")), s("16"));
        QCOMPARE(item->value(s("instanceState/name")), s("running"));
        QCOMPARE(item->value(s("ipAddress")), web.publicIp);
        QCOMPARE(item->value(s("dnsName")), web.publicDnsName);
        QCOMPARE(item->value(s("privateIpAddress")), web.privateIp);
        QCOMPARE(item->value(s("privateDnsName")), web.privateDnsName);
        QCOMPARE(item->value(s("subnetId")), web.subnetId);
        QCOMPARE(item->value(s("vpcId")), web.vpcId);
        QCOMPARE(item->value(s("placement/availabilityZone")), web.availabilityZone);
        QCOMPARE(item->value(s("instanceType")), web.instanceType);
        QCOMPARE(item->value(s("imageId")), web.imageId);
        QCOMPARE(item->value(s("keyName")), web.keyName);
        QCOMPARE(item->value(s("architecture")), s("x86_64"));
        QCOMPARE(item->value(s("platformDetails")), s("Linux/UNIX"));
        QCOMPARE(item->value(s("iamInstanceProfile/arn")), web.iamInstanceProfileArn);
        QVERIFY(!item->child(s("platform")));
        QVERIFY(item->child(s("reason")));
        QVERIFY(QRegularExpression(s("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"))
                    .match(item->value(s("launchTime")))
                    .hasMatch());
        QStringList groups;
        for (const XmlNode* g : item->child(s("groupSet"))->all(s("item"))) {
            groups.append(g->value(s("groupId")));
            QVERIFY(!g->value(s("groupName")).isEmpty());
        }
        QCOMPARE(groups, web.securityGroupIds);
        QStringList tags;
        for (const XmlNode* t : item->child(s("tagSet"))->all(s("item")))
            tags.append(t->value(s("key")) + QLatin1Char('=') + t->value(s("value")));
        QVERIFY(tags.contains(s("Name=web-1")));
        QVERIFY(tags.contains(s("Team=web")));
        QCOMPARE(item->value(s("networkInterfaceSet/item/privateIpAddress")), web.privateIp);
    }

    void windowsStoppedAndOddInstances()
    {
        const XmlNode windows = call(s("DescribeInstances"), {{s("InstanceId.1"), named(s("win-ad-01")).id}});
        QCOMPARE(instanceItems(windows).first()->value(s("platform")), s("windows"));
        QCOMPARE(instanceItems(windows).first()->value(s("platformDetails")), s("Windows"));

        const Instance& stopped = named(s("batch-worker-1"));
        const XmlNode stoppedResponse = call(s("DescribeInstances"), {{s("InstanceId.1"), stopped.id}});
        const XmlNode* item = instanceItems(stoppedResponse).first();
        QCOMPARE(item->value(s("instanceState/code")), s("80"));
        QVERIFY(!item->child(s("ipAddress")));
        QVERIFY(item->value(s("reason")).startsWith(QLatin1String("User initiated")));

        // The state code's high byte is EC2-internal: 272 & 0xFF == 16.
        const QString high = instanceItems(call(s("DescribeInstances"), {{s("InstanceId.1"), named(s("api-syd-1")).id}},
                                                s("ap-southeast-2")))
                                 .first()
                                 ->value(s("instanceState/code"));
        QCOMPARE(high, s("272"));
        QCOMPARE(high.toInt() & 0xFF, 16);

        const XmlNode v6Response =
            call(s("DescribeInstances"), {{s("InstanceId.1"), named(s("ipv6-only-syd")).id}}, s("ap-southeast-2"));
        const XmlNode* v6 = instanceItems(v6Response).first();
        QVERIFY(!v6->child(s("privateIpAddress")));
        QCOMPARE(v6->value(s("ipv6Address")), named(s("ipv6-only-syd")).ipv6);
    }

    void reservationsGroupTheirInstances()
    {
        const XmlNode response = call(s("DescribeInstances"));
        QSet<QString> reservations;
        int instances = 0;
        for (const XmlNode* reservation : response.child(s("reservationSet"))->all(s("item"))) {
            const QString id = reservation->value(s("reservationId"));
            QVERIFY2(!reservations.contains(id), qPrintable(id));
            reservations.insert(id);
            for (const XmlNode* item : reservation->child(s("instancesSet"))->all(s("item"))) {
                QCOMPARE(m_fleet.instance(item->value(s("instanceId")))->reservationId, id);
                ++instances;
            }
        }
        QCOMPARE(instances, regionInstanceIds(s("us-east-1")).size());
        QVERIFY(reservations.size() < instances); // the batch workers share one
        const XmlNode byIds = call(s("DescribeInstances"),
                                   {{s("InstanceId.1"), named(s("batch-worker-2")).id},
                                    {s("InstanceId.2"), named(s("web-1")).id},
                                    {s("InstanceId.3"), named(s("batch-worker-1")).id}});
        QCOMPARE(byIds.child(s("reservationSet"))->all(s("item")).size(), 2);
    }

    void someResponsesCarryElementsNoClientKnows()
    {
        const XmlNode response = call(s("DescribeInstances"));
        int unknown = 0;
        for (const XmlNode* item : instanceItems(response))
            unknown += item->child(s("futureCapabilitySet")) != nullptr;
        QVERIFY(unknown > 0);
        QVERIFY(unknown < instanceItems(response).size());
    }

    void describeRegions()
    {
        QStringList enabled;
        for (const XmlNode* r : call(s("DescribeRegions")).child(s("regionInfo"))->all(s("item"))) {
            enabled.append(r->value(s("regionName")));
            QCOMPARE(r->value(s("regionEndpoint")), s("ec2.%1.amazonaws.com").arg(r->value(s("regionName"))));
            QVERIFY(r->value(s("optInStatus")) != QLatin1String("not-opted-in"));
        }
        QVERIFY(enabled.contains(s("ap-southeast-2")));
        QVERIFY(enabled.contains(s("ap-east-1")));
        QVERIFY(!enabled.contains(s("af-south-1")));
        QMap<QString, QString> all;
        for (const XmlNode* r :
             call(s("DescribeRegions"), {{s("AllRegions"), s("true")}}).child(s("regionInfo"))->all(s("item")))
            all.insert(r->value(s("regionName")), r->value(s("optInStatus")));
        QCOMPARE(all.value(s("af-south-1")), s("not-opted-in"));
        QCOMPARE(all.value(s("ap-east-1")), s("opted-in"));
        QCOMPARE(all.value(s("us-east-1")), s("opt-in-not-required"));
        QCOMPARE(all.size(), enabled.size() + 2);
        const XmlNode optIn = call(s("DescribeRegions"),
                                   {{s("AllRegions"), s("true")},
                                    {s("Filter.1.Name"), s("opt-in-status")},
                                    {s("Filter.1.Value.1"), s("not-opted-in")}});
        QCOMPARE(optIn.child(s("regionInfo"))->all(s("item")).size(), 2);
        QCOMPARE(errorCode(s("DescribeInstances"), {}, s("af-south-1")), s("AuthFailure"));
    }

    void findsTheEndpointLikeTheCli()
    {
        // §5.1: usable states plus the instance's VPC.
        const Instance& target = named(s("build-runner"));
        const XmlNode response = call(s("DescribeInstanceConnectEndpoints"),
                                      {{s("Filter.1.Name"), s("state")},
                                       {s("Filter.1.Value.1"), s("create-complete")},
                                       {s("Filter.1.Value.2"), s("update-in-progress")},
                                       {s("Filter.1.Value.3"), s("update-failed")},
                                       {s("Filter.1.Value.4"), s("update-complete")},
                                       {s("Filter.2.Name"), s("vpc-id")},
                                       {s("Filter.2.Value.1"), target.vpcId}});
        QCOMPARE(response.namespaceUri, kNamespace);
        const auto items = response.child(s("instanceConnectEndpointSet"))->all(s("item"));
        QCOMPARE(items.size(), 1);
        const XmlNode* e = items.first();
        QCOMPARE(e->value(s("subnetId")), target.subnetId);
        QCOMPARE(e->value(s("vpcId")), target.vpcId);
        QCOMPARE(e->value(s("state")), s("create-complete"));
        QVERIFY(e->value(s("dnsName")).endsWith(QLatin1String(".localhost")));
        QVERIFY(!e->value(s("fipsDnsName")).isEmpty());
        QCOMPARE(e->value(s("preserveClientIp")), s("false"));
        QVERIFY(
            e->value(s("instanceConnectEndpointArn")).startsWith(QLatin1String("arn:aws:ec2:us-east-1:123456789012:")));

        // The data VPC's endpoint is still being created: the usable-state filter hides it.
        const Instance& etl = named(s("analytics-etl"));
        const XmlNode none = call(s("DescribeInstanceConnectEndpoints"),
                                  {{s("Filter.1.Name"), s("state")},
                                   {s("Filter.1.Value.1"), s("create-complete")},
                                   {s("Filter.2.Name"), s("vpc-id")},
                                   {s("Filter.2.Value.1"), etl.vpcId}},
                                  s("eu-west-1"));
        QVERIFY(none.child(s("instanceConnectEndpointSet"))->all(s("item")).isEmpty());
    }

    void endpointPagingAndErrors()
    {
        QStringList ids;
        QString token;
        int pages = 0;
        do {
            QueryParams params {{s("MaxResults"), s("1")}};
            if (!token.isEmpty())
                params.append({s("NextToken"), token});
            const XmlNode page = call(s("DescribeInstanceConnectEndpoints"), params, s("eu-west-1"));
            for (const XmlNode* e : page.child(s("instanceConnectEndpointSet"))->all(s("item")))
                ids.append(e->value(s("instanceConnectEndpointId")));
            token = page.value(s("nextToken"));
            QVERIFY(++pages < 10);
        } while (!token.isEmpty());
        QCOMPARE(ids.size(), 2);
        QCOMPARE(pages, 2);
        QCOMPARE(errorCode(s("DescribeInstanceConnectEndpoints"), {{s("MaxResults"), s("0")}}),
                 s("InvalidParameterValue"));
        QCOMPARE(errorCode(s("DescribeInstanceConnectEndpoints"), {{s("MaxResults"), s("51")}}),
                 s("InvalidParameterValue"));
        QCOMPARE(errorCode(s("DescribeInstanceConnectEndpoints"),
                           {{s("InstanceConnectEndpointId.1"), s("eice-0000000000000000f")}}),
                 s("InvalidInstanceConnectEndpointId.NotFound"));
        const XmlNode byId = call(s("DescribeInstanceConnectEndpoints"),
                                  {{s("InstanceConnectEndpointId.1"), ids.first()}}, s("eu-west-1"));
        QCOMPARE(byId.value(s("instanceConnectEndpointSet/item/instanceConnectEndpointId")), ids.first());
    }

    void securityGroupsShowTheEiceRules()
    {
        const Instance& target = named(s("build-runner"));
        const SecurityGroup* admin = nullptr;
        for (const QString& id : target.securityGroupIds) {
            if (m_fleet.securityGroup(id)->name == QLatin1String("admin-from-eice"))
                admin = m_fleet.securityGroup(id);
        }
        QVERIFY(admin);
        const XmlNode response = call(s("DescribeSecurityGroups"), {{s("GroupId.1"), admin->id}});
        const XmlNode* group = response.at(s("securityGroupInfo/item"));
        QVERIFY(group);
        QCOMPARE(group->value(s("groupName")), s("admin-from-eice"));
        QCOMPARE(group->value(s("vpcId")), target.vpcId);
        const auto rules = group->child(s("ipPermissions"))->all(s("item"));
        QCOMPARE(rules.size(), 2);
        QCOMPARE(rules.first()->value(s("ipProtocol")), s("tcp"));
        QCOMPARE(rules.first()->value(s("fromPort")), s("22"));
        QCOMPARE(rules.first()->value(s("toPort")), s("22"));
        QCOMPARE(rules.first()->value(s("groups/item/groupId")), admin->ingress.first().groupIds.first());
        QCOMPARE(group->value(s("ipPermissionsEgress/item/ipProtocol")), s("-1"));
        QCOMPARE(group->value(s("ipPermissionsEgress/item/ipRanges/item/cidrIp")), s("0.0.0.0/0"));

        const XmlNode inVpc = call(s("DescribeSecurityGroups"),
                                   {{s("Filter.1.Name"), s("vpc-id")}, {s("Filter.1.Value.1"), target.vpcId}});
        QCOMPARE(inVpc.child(s("securityGroupInfo"))->all(s("item")).size(), 4); // default, eice, admin, web
        QCOMPARE(errorCode(s("DescribeSecurityGroups"), {{s("GroupId.1"), s("sg-0000000000000000f")}}),
                 s("InvalidGroup.NotFound"));
        QCOMPARE(errorCode(s("DescribeSecurityGroups"), {{s("GroupId.1"), s("web")}}), s("InvalidGroupId.Malformed"));
    }

    void windowsPasswordsDecryptWithTheDemoKey_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("region");
        QTest::newRow("win-ad-01") << s("win-ad-01") << s("us-east-1");
        QTest::newRow("stopped") << s("win-fileserver-eu") << s("eu-west-1");
        QTest::newRow("win-jump-syd") << s("win-jump-syd") << s("ap-southeast-2");
    }
    void windowsPasswordsDecryptWithTheDemoKey()
    {
        QFETCH(QString, name);
        QFETCH(QString, region);
        const Instance& i = named(name);
        const XmlNode response = call(s("GetPasswordData"), {{s("InstanceId"), i.id}}, region);
        QCOMPARE(response.name, s("GetPasswordDataResponse"));
        QCOMPARE(response.value(s("instanceId")), i.id);
        QVERIFY(!response.value(s("timestamp")).isEmpty());
        const QString data = response.value(s("passwordData"));
        QVERIFY(data.contains(QLatin1Char('\n'))); // clients must strip whitespace
        QVERIFY(!i.password.isEmpty());
        QCOMPARE(decryptPassword(data), i.password.toUtf8());
    }

    void passwordDataIsEmptyUntilReady()
    {
        QCOMPARE(call(s("GetPasswordData"), {{s("InstanceId"), named(s("web-1")).id}}).value(s("passwordData")),
                 QString());
        QCOMPARE(call(s("GetPasswordData"), {{s("InstanceId"), named(s("win-build-02")).id}}).value(s("passwordData")),
                 QString());
        const QDateTime now(QDate(2025, 6, 1), QTime(10, 0), Qt::UTC);
        Instance* fresh = m_fleet.instance(named(s("win-ad-01")).id);
        fresh->passwordReadyAt = now.addSecs(240);
        const QueryParams params {{s("InstanceId"), fresh->id}};
        QCOMPARE(call(s("GetPasswordData"), params, s("us-east-1"), now).value(s("passwordData")), QString());
        QCOMPARE(decryptPassword(
                     call(s("GetPasswordData"), params, s("us-east-1"), now.addSecs(240)).value(s("passwordData"))),
                 fresh->password.toUtf8());
        QCOMPARE(errorCode(s("GetPasswordData"), {}), s("MissingParameter"));
    }

    void startAndStopInstances()
    {
        m_fleet.setTransitionMs(5000);
        const QDateTime t0(QDate(2025, 6, 1), QTime(10, 0), Qt::UTC);
        const QString id = named(s("batch-worker-1")).id;
        XmlNode r = call(s("StartInstances"), {{s("InstanceId.1"), id}}, s("us-east-1"), t0);
        QCOMPARE(r.name, s("StartInstancesResponse"));
        QCOMPARE(r.value(s("instancesSet/item/instanceId")), id);
        QCOMPARE(r.value(s("instancesSet/item/currentState/name")), s("pending"));
        QCOMPARE(r.value(s("instancesSet/item/currentState/code")), s("0"));
        QCOMPARE(r.value(s("instancesSet/item/previousState/name")), s("stopped"));
        QCOMPARE(r.value(s("instancesSet/item/previousState/code")), s("80"));
        auto stateAt = [&](const QDateTime& t) {
            return instanceItems(call(s("DescribeInstances"), {{s("InstanceId.1"), id}}, s("us-east-1"), t))
                .first()
                ->value(s("instanceState/name"));
        };
        QCOMPARE(stateAt(t0.addSecs(2)), s("pending"));
        QCOMPARE(stateAt(t0.addSecs(5)), s("running"));
        r = call(s("StopInstances"), {{s("InstanceId.1"), id}}, s("us-east-1"), t0.addSecs(10));
        QCOMPARE(r.value(s("instancesSet/item/currentState/name")), s("stopping"));
        QCOMPARE(r.value(s("instancesSet/item/previousState/name")), s("running"));
        QCOMPARE(stateAt(t0.addSecs(16)), s("stopped"));
    }

    void terminatedInstancesRefuseStartAndNothingChanges()
    {
        const QString stopped = named(s("batch-worker-2")).id;
        const QString terminated = named(s("old-ci")).id;
        QCOMPARE(errorCode(s("StartInstances"), {{s("InstanceId.1"), stopped}, {s("InstanceId.2"), terminated}}),
                 s("IncorrectInstanceState"));
        QCOMPARE(m_fleet.instance(stopped)->state, InstanceState::Stopped);
        QCOMPARE(errorCode(s("StopInstances"), {{s("InstanceId.1"), terminated}}), s("IncorrectInstanceState"));
        QCOMPARE(errorCode(s("StartInstances"), {}), s("MissingParameter"));
    }

    void requestLevelErrors()
    {
        QCOMPARE(errorCode(s("RunInstances"), {}), s("InvalidAction"));
        Ec2Service service(m_fleet);
        HttpRequest noVersion = FleetRequests::ec2(s("DescribeInstances"));
        noVersion.body = "Action=DescribeInstances";
        HttpResponse r = service.handle(noVersion, FleetRequests::context(s("us-east-1")));
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("<Code>MissingParameter</Code>"));
        HttpRequest noAction = FleetRequests::ec2(s("DescribeInstances"));
        noAction.body = "Version=2016-11-15";
        QVERIFY(service.handle(noAction, FleetRequests::context(s("us-east-1"))).body.contains("MissingAction"));
        r = service.handle(FleetRequests::ec2(s("DescribeInstances"), {{s("DryRun"), s("true")}}),
                           FleetRequests::context(s("us-east-1")));
        QCOMPARE(r.status, 412);
        QVERIFY(r.body.contains("<Code>DryRunOperation</Code>"));
    }
};

QTEST_GUILESS_MAIN(TestEc2Service)
#include "TestEc2Service.moc"
