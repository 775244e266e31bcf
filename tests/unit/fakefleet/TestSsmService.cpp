// SsmService: DescribeInstanceInformation shapes, filters, paging and errors (§6.1), and the Session
// Manager extension points.

#include "FleetRequests.h"
#include "SsmService.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace fakeaws;
using namespace fakefleettest;

namespace {

QString s(const char* text)
{
    return QString::fromLatin1(text);
}

QJsonObject filter(const char* key, const QStringList& values)
{
    return {{s("Key"), s(key)}, {s("Values"), QJsonArray::fromStringList(values)}};
}

} // namespace

class TestSsmService : public QObject
{
    Q_OBJECT

private:
    Fleet m_fleet;

    QPair<int, QJsonObject> call(const QByteArray& operation, const QJsonObject& body,
                                 const QString& region = s("us-east-1"), SsmService* service = nullptr)
    {
        SsmService local(m_fleet);
        SsmService& ssm = service ? *service : local;
        const HttpResponse r =
            ssm.handle(FleetRequests::json("AmazonSSM." + operation, body), FleetRequests::context(region));
        if (r.contentType != "application/x-amz-json-1.1")
            return {-1, {}};
        return {r.status, QJsonDocument::fromJson(r.body).object()};
    }

    const Instance& named(const QString& name) const
    {
        for (const Instance& i : m_fleet.instances()) {
            if (i.name() == name)
                return i;
        }
        qFatal("no instance named %s", qPrintable(name));
    }

    QMap<QString, QJsonObject> describeAll(const QJsonObject& request, int* pages)
    {
        QMap<QString, QJsonObject> seen;
        QJsonObject body = request;
        *pages = 0;
        QString token;
        do {
            if (!token.isEmpty())
                body.insert(s("NextToken"), token);
            const auto [status, reply] = call("DescribeInstanceInformation", body);
            if (status != 200 || ++*pages > 100)
                return {};
            for (const QJsonValue v : reply.value(s("InstanceInformationList")).toArray()) {
                const QString id = v.toObject().value(s("InstanceId")).toString();
                if (seen.contains(id))
                    return {};
                seen.insert(id, v.toObject());
            }
            token = reply.value(s("NextToken")).toString();
        } while (!token.isEmpty());
        return seen;
    }

private Q_SLOTS:
    void init() { m_fleet = Fleet::demo(); }

    void listsEveryManagedInstanceOnce_data()
    {
        QTest::addColumn<int>("maxResults");
        QTest::addColumn<int>("emptyPageEvery");
        QTest::newRow("default page size") << 0 << 0;
        QTest::newRow("MaxResults 5") << 5 << 0;
        QTest::newRow("MaxResults 50") << 50 << 0;
        QTest::newRow("empty pages") << 5 << 2;
    }
    void listsEveryManagedInstanceOnce()
    {
        QFETCH(int, maxResults);
        QFETCH(int, emptyPageEvery);
        m_fleet.setPaging({0, emptyPageEvery});
        QJsonObject request;
        if (maxResults)
            request.insert(s("MaxResults"), maxResults);
        int pages = 0;
        const auto seen = describeAll(request, &pages);
        QStringList expected;
        for (const Instance& i : m_fleet.instances()) {
            if (i.region == QLatin1String("us-east-1") && i.ssm.isRegistered() && i.state != InstanceState::Terminated)
                expected.append(i.id);
        }
        expected.sort();
        QCOMPARE(seen.keys(), expected);
        const int pageSize = maxResults ? maxResults : 10;
        QVERIFY(pages >= (expected.size() + pageSize - 1) / pageSize);
    }

    void instanceInformationShape()
    {
        const Instance& web = named(s("web-1"));
        const auto [status, reply] =
            call("DescribeInstanceInformation", {{s("Filters"), QJsonArray {filter("InstanceIds", {web.id})}}});
        QCOMPARE(status, 200);
        const QJsonArray list = reply.value(s("InstanceInformationList")).toArray();
        QCOMPARE(list.size(), 1);
        const QJsonObject info = list.first().toObject();
        QCOMPARE(info.value(s("InstanceId")).toString(), web.id);
        QCOMPARE(info.value(s("PingStatus")).toString(), s("Online"));
        QVERIFY(info.value(s("LastPingDateTime")).isDouble());
        const double ping = info.value(s("LastPingDateTime")).toDouble();
        const double now = static_cast<double>(QDateTime::currentSecsSinceEpoch());
        QVERIFY(ping > now - 300 && ping <= now + 1);
        QCOMPARE(info.value(s("AgentVersion")).toString(), s("3.3.40.0"));
        QCOMPARE(info.value(s("IsLatestVersion")).toBool(), true);
        QCOMPARE(info.value(s("PlatformType")).toString(), s("Linux"));
        QCOMPARE(info.value(s("PlatformName")).toString(), s("Amazon Linux"));
        QCOMPARE(info.value(s("PlatformVersion")).toString(), s("2023"));
        QCOMPARE(info.value(s("ResourceType")).toString(), s("EC2Instance"));
        QCOMPARE(info.value(s("IPAddress")).toString(), web.privateIp);
        QCOMPARE(info.value(s("ComputerName")).toString(), web.privateDnsName);
        QVERIFY(!reply.contains(s("NextToken")));

        const auto windows = call("DescribeInstanceInformation",
                                  {{s("Filters"), QJsonArray {filter("InstanceIds", {named(s("win-ad-01")).id})}}});
        const QJsonObject win = windows.second.value(s("InstanceInformationList")).toArray().first().toObject();
        QCOMPARE(win.value(s("PlatformType")).toString(), s("Windows"));
        QVERIFY(win.value(s("ComputerName")).toString().startsWith(QLatin1String("EC2AMAZ-")));
    }

    void pingStatusFollowsTheInstance()
    {
        int pages = 0;
        const auto lost =
            describeAll({{s("Filters"), QJsonArray {filter("PingStatus", {s("ConnectionLost")})}}}, &pages);
        QVERIFY(lost.contains(named(s("postgres-replica")).id));
        QVERIFY(lost.contains(named(s("batch-worker-1")).id));
        QVERIFY(!lost.contains(named(s("web-1")).id));
        for (const QJsonObject& info : lost)
            QVERIFY(info.value(s("LastPingDateTime")).toDouble() < QDateTime::currentSecsSinceEpoch() - 3600);
        // An Online agent on an instance that stops is reported as having lost its connection.
        QVERIFY(m_fleet.setState(named(s("web-1")).id, InstanceState::Stopped, QDateTime::currentDateTimeUtc()));
        const auto after =
            describeAll({{s("Filters"), QJsonArray {filter("PingStatus", {s("ConnectionLost")})}}}, &pages);
        QVERIFY(after.contains(named(s("web-1")).id));
    }

    void filterVariants()
    {
        int pages = 0;
        const auto windows =
            describeAll({{s("Filters"), QJsonArray {filter("PlatformTypes", {s("Windows")})}}}, &pages);
        QCOMPARE(windows.keys(), QStringList {named(s("win-ad-01")).id});
        const auto oldAgent =
            describeAll({{s("Filters"), QJsonArray {filter("AgentVersion", {s("3.0.161.0")})}}}, &pages);
        QCOMPARE(oldAgent.keys(), QStringList {named(s("api-prod-2")).id});
        const auto tagged = describeAll({{s("Filters"), QJsonArray {filter("tag:Team", {s("web")})}}}, &pages);
        QCOMPARE(tagged.size(), 2);
        const auto both = describeAll(
            {{s("Filters"), QJsonArray {filter("PingStatus", {s("Online")}), filter("PlatformTypes", {s("Linux")})}}},
            &pages);
        QVERIFY(!both.isEmpty());
        for (const QJsonObject& info : both)
            QCOMPARE(info.value(s("PlatformType")).toString(), s("Linux"));
        const QJsonObject legacy {
            {s("InstanceInformationFilterList"),
             QJsonArray {
                 QJsonObject {{s("key"), s("InstanceIds")},
                              {s("valueSet"), QJsonArray {named(s("api-prod-1")).id, s("i-0000000000000000f")}}}}}};
        QCOMPARE(describeAll(legacy, &pages).keys(), QStringList {named(s("api-prod-1")).id});
        const auto unmanaged =
            describeAll({{s("Filters"), QJsonArray {filter("InstanceIds", {named(s("jenkins")).id})}}}, &pages);
        QVERIFY(unmanaged.isEmpty()); // not managed: simply absent
    }

    void errors_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("type");
        QTest::newRow("MaxResults 4") << QJsonObject {{s("MaxResults"), 4}} << s("ValidationException");
        QTest::newRow("MaxResults 51") << QJsonObject {{s("MaxResults"), 51}} << s("ValidationException");
        QTest::newRow("bad token") << QJsonObject {{s("NextToken"), s("bogus")}} << s("InvalidNextToken");
        QTest::newRow("unknown key") << QJsonObject {{s("Filters"), QJsonArray {filter("Colour", {s("x")})}}}
                                     << s("InvalidFilterKey");
        QTest::newRow("no values") << QJsonObject {{s("Filters"), QJsonArray {filter("PingStatus", {})}}}
                                   << s("InvalidInstanceInformationFilterValue");
        QTest::newRow("tag mixed") << QJsonObject {{s("Filters"),
                                                    QJsonArray {filter("tag:Team", {s("web")}),
                                                                filter("PingStatus", {s("Online")})}}}
                                   << s("InvalidFilter");
        QTest::newRow("both lists") << QJsonObject {{s("Filters"), QJsonArray {filter("PingStatus", {s("Online")})}},
                                                    {s("InstanceInformationFilterList"), QJsonArray {}}}
                                    << s("ValidationException");
    }
    void errors()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, type);
        const auto [status, reply] = call("DescribeInstanceInformation", body);
        QCOMPARE(status, 400);
        QCOMPARE(reply.value(s("__type")).toString(), type);
    }

    void unknownOperation()
    {
        const auto [status, reply] = call("DescribeEverything", {});
        QCOMPARE(status, 400);
        QCOMPARE(reply.value(s("__type")).toString(), s("UnknownOperationException"));
    }

    void sessionOperationsAreExtensionPoints()
    {
        SsmService service(m_fleet);
        // Not attached yet: the target is still checked first.
        auto r = call("StartSession", {{s("Target"), named(s("sandbox-scratch")).id}}, s("us-east-1"), &service);
        QCOMPARE(r.first, 400);
        QCOMPARE(r.second.value(s("__type")).toString(), s("TargetNotConnected"));
        r = call("StartSession", {{s("Target"), named(s("web-1")).id}}, s("us-east-1"), &service);
        QCOMPARE(r.first, 500);
        QCOMPARE(r.second.value(s("__type")).toString(), s("InternalServerError"));

        int started = 0;
        service.setOperation(s("StartSession"), [&started](const QJsonObject& body, const CallContext&) {
            ++started;
            HttpResponse response;
            response.contentType = "application/x-amz-json-1.1";
            response.body =
                QJsonDocument(QJsonObject {{s("SessionId"), s("test-") + body.value(s("Target")).toString()}})
                    .toJson(QJsonDocument::Compact);
            return response;
        });
        r = call("StartSession", {{s("Target"), named(s("web-1")).id}}, s("us-east-1"), &service);
        QCOMPARE(r.first, 200);
        QCOMPARE(r.second.value(s("SessionId")).toString(), s("test-") + named(s("web-1")).id);
        r = call("StartSession", {{s("Target"), named(s("kafka-1")).id}}, s("us-east-1"), &service);
        QCOMPARE(r.second.value(s("__type")).toString(), s("TargetNotConnected")); // other region
        r = call("StartSession", {{s("Target"), named(s("batch-worker-1")).id}}, s("us-east-1"), &service);
        QCOMPARE(r.second.value(s("__type")).toString(), s("TargetNotConnected")); // stopped
        QCOMPARE(started, 1);
    }
};

QTEST_GUILESS_MAIN(TestSsmService)
#include "TestSsmService.moc"
