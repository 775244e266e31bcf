// Fleet: JSON round trip, errors for malformed fleet files, start/stop transitions, generated fleets.

#include "Fleet.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace fakeaws;

namespace {

// One region, one VPC, one subnet, one instance: the smallest useful fleet file.
QJsonObject baseFleet()
{
    return QJsonDocument::fromJson(R"({
        "format": "bastionless-fakeaws-fleet", "version": 1,
        "regions": [{"name": "us-east-1"}],
        "vpcs": [{"id": "vpc-0123456789abcdef0", "region": "us-east-1", "cidr": "10.0.0.0/16"}],
        "subnets": [{"id": "subnet-0123456789abcdef0", "vpcId": "vpc-0123456789abcdef0",
                     "availabilityZone": "us-east-1a", "cidr": "10.0.1.0/24", "public": false}],
        "instances": [{"id": "i-0123456789abcdef0", "region": "us-east-1", "availabilityZone": "us-east-1a",
                       "subnetId": "subnet-0123456789abcdef0", "privateIp": "10.0.1.10", "state": "stopped",
                       "tags": {"Name": "one"}}]
    })")
        .object();
}

QJsonObject withInstanceField(const QString& key, const QJsonValue& value)
{
    QJsonObject root = baseFleet();
    QJsonArray instances = root.value(QStringLiteral("instances")).toArray();
    QJsonObject instance = instances.at(0).toObject();
    instance.insert(key, value);
    instances.replace(0, instance);
    root.insert(QStringLiteral("instances"), instances);
    return root;
}

QJsonObject withRootField(const QString& key, const QJsonValue& value)
{
    QJsonObject root = baseFleet();
    root.insert(key, value);
    return root;
}

QByteArray bytes(const QJsonObject& o)
{
    return QJsonDocument(o).toJson();
}

} // namespace

class TestFleet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void minimalFleetLoadsWithDefaults()
    {
        QString error;
        const auto fleet = Fleet::fromJson(bytes(baseFleet()), &error);
        QVERIFY2(fleet, qPrintable(error));
        const Instance* i = fleet->instance(QStringLiteral("i-0123456789abcdef0"));
        QVERIFY(i);
        QCOMPARE(i->name(), QStringLiteral("one"));
        QCOMPARE(i->state, InstanceState::Stopped);
        QCOMPARE(i->vpcId, QStringLiteral("vpc-0123456789abcdef0")); // derived from the subnet
        QCOMPARE(i->instanceType, QStringLiteral("t3.micro"));
        QCOMPARE(fleet->accountId(), QStringLiteral("123456789012"));
    }

    void roundTrip_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("demo") << 0;
        QTest::newRow("generated") << 1;
        QTest::newRow("knobs") << 2;
    }
    void roundTrip()
    {
        QFETCH(int, which);
        Fleet fleet = which == 1 ? Fleet::generated(120, 6, 7) : Fleet::demo();
        if (which == 2) {
            fleet.setPaging({7, 3});
            fleet.setTransitionMs(1234);
            Instance* i = fleet.instance(fleet.instances().first().id);
            i->targets = {{22, 40022}, {3389, 43389}};
            i->passwordReadyAt = QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC);
        }
        const QByteArray json = fleet.toJson();
        QString error;
        const auto loaded = Fleet::fromJson(json, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->toJson(), json);
        QCOMPARE(loaded->instances().size(), fleet.instances().size());
        QCOMPARE(loaded->paging().maxPageSize, fleet.paging().maxPageSize);
        QCOMPARE(loaded->paging().emptyPageEvery, fleet.paging().emptyPageEvery);
        QCOMPARE(loaded->transitionMs(), fleet.transitionMs());
        for (const Instance& original : fleet.instances()) {
            const Instance* copy = loaded->instance(original.id);
            QVERIFY(copy);
            QCOMPARE(copy->targets, original.targets);
            QCOMPARE(copy->ssm.pingStatus, original.ssm.pingStatus);
            QCOMPARE(copy->launchTime, original.launchTime);
            // Passwords are re-encrypted on load (PKCS#1 v1.5 is randomised), so only presence is comparable.
            QCOMPARE(copy->passwordData.isEmpty(), original.passwordData.isEmpty());
        }
    }

    void malformedFleetsAreRejected_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{\"format\": ") << QStringLiteral("not JSON");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("top level must be an object");
        QJsonObject noFormat = baseFleet();
        noFormat.remove(QStringLiteral("format"));
        QTest::newRow("no format") << bytes(noFormat) << QStringLiteral("missing required field 'format'");
        QTest::newRow("version") << bytes(withRootField(QStringLiteral("version"), 2)) << QStringLiteral("version");
        QTest::newRow("typo at top") << bytes(withRootField(QStringLiteral("instancez"), QJsonArray()))
                                     << QStringLiteral("unknown field 'instancez'");
        QTest::newRow("bad state") << bytes(withInstanceField(QStringLiteral("state"), QStringLiteral("runing")))
                                   << QStringLiteral("instances[0].state: 'runing' is not one of");
        QTest::newRow("typo in instance") << bytes(withInstanceField(QStringLiteral("privateIP"), QStringLiteral("x")))
                                          << QStringLiteral("instances[0]: unknown field 'privateIP'");
        QTest::newRow("unknown subnet") << bytes(
            withInstanceField(QStringLiteral("subnetId"), QStringLiteral("subnet-0000000000000000f")))
                                        << QStringLiteral("unknown subnet 'subnet-0000000000000000f'");
        QTest::newRow("unknown region") << bytes(
            withInstanceField(QStringLiteral("region"), QStringLiteral("eu-west-9")))
                                        << QStringLiteral("unknown region 'eu-west-9'");
        QTest::newRow("malformed id") << bytes(withInstanceField(QStringLiteral("id"), QStringLiteral("i-XYZ")))
                                      << QStringLiteral("malformed id");
        QTest::newRow("wrong type") << bytes(withInstanceField(QStringLiteral("privateIp"), 10))
                                    << QStringLiteral("instances[0].privateIp: expected a string");
        QTest::newRow("tags not object") << bytes(withInstanceField(QStringLiteral("tags"), QJsonArray {1}))
                                         << QStringLiteral("instances[0].tags: expected an object");
        QTest::newRow("ssm status") << bytes(
            withInstanceField(QStringLiteral("ssm"),
                              QJsonObject {{QStringLiteral("pingStatus"), QStringLiteral("Offline")},
                                           {QStringLiteral("agentVersion"), QStringLiteral("3.3.40.0")}}))
                                    << QStringLiteral("instances[0].ssm.pingStatus: 'Offline'");
        QTest::newRow("password without key")
            << bytes(withInstanceField(QStringLiteral("password"), QStringLiteral("secret")))
            << QStringLiteral("key pair '' is not in keyPairs");
        QTest::newRow("target port") << bytes(
            withInstanceField(QStringLiteral("targets"), QJsonObject {{QStringLiteral("22"), 70000}}))
                                     << QStringLiteral("is not a pair of TCP ports");
        QTest::newRow("every page empty")
            << bytes(withRootField(QStringLiteral("paging"), QJsonObject {{QStringLiteral("emptyPageEvery"), 1}}))
            << QStringLiteral("paging.emptyPageEvery");
        QJsonObject twice = baseFleet();
        QJsonArray instances = twice.value(QStringLiteral("instances")).toArray();
        instances.append(instances.at(0));
        twice.insert(QStringLiteral("instances"), instances);
        QTest::newRow("duplicate id") << bytes(twice) << QStringLiteral("defined twice");
        QJsonObject badKey = withInstanceField(QStringLiteral("password"), QStringLiteral("secret"));
        badKey.insert(QStringLiteral("keyPairs"),
                      QJsonArray {QJsonObject {{QStringLiteral("name"), QStringLiteral("k")},
                                               {QStringLiteral("publicKeyPem"), QStringLiteral("not a key")}}});
        QJsonArray withKey = badKey.value(QStringLiteral("instances")).toArray();
        QJsonObject keyed = withKey.at(0).toObject();
        keyed.insert(QStringLiteral("keyName"), QStringLiteral("k"));
        withKey.replace(0, keyed);
        badKey.insert(QStringLiteral("instances"), withKey);
        QTest::newRow("bad public key") << bytes(badKey) << QStringLiteral("cannot encrypt its password");
    }
    void malformedFleetsAreRejected()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QString error;
        const auto fleet = Fleet::fromJson(json, &error);
        QVERIFY(!fleet);
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.startsWith(QLatin1String("malformed fleet: ")), qPrintable(error));
    }

    void missingFileNamesThePath()
    {
        QString error;
        QVERIFY(!Fleet::fromFile(QStringLiteral("/nonexistent/fleet.json"), &error));
        QVERIFY2(error.contains(QLatin1String("/nonexistent/fleet.json")), qPrintable(error));
    }

    void startAndStopSettleAfterTheDelay()
    {
        auto fleet = Fleet::fromJson(bytes(baseFleet()), nullptr);
        QVERIFY(fleet);
        fleet->setTransitionMs(2000);
        const QString id = QStringLiteral("i-0123456789abcdef0");
        const QDateTime t0(QDate(2025, 5, 1), QTime(12, 0), Qt::UTC);
        QString error;
        auto change = fleet->start(id, t0, &error);
        QVERIFY(change);
        QCOMPARE(change->previous, InstanceState::Stopped);
        QCOMPARE(change->current, InstanceState::Pending);
        QCOMPARE(fleet->instance(id)->launchTime, t0);
        fleet->settle(t0.addMSecs(1999));
        QCOMPARE(fleet->instance(id)->state, InstanceState::Pending);
        fleet->settle(t0.addMSecs(2000));
        QCOMPARE(fleet->instance(id)->state, InstanceState::Running);

        change = fleet->stop(id, t0.addSecs(10), &error);
        QVERIFY(change);
        QCOMPARE(change->current, InstanceState::Stopping);
        fleet->settle(t0.addSecs(11));
        QCOMPARE(fleet->instance(id)->state, InstanceState::Stopping);
        fleet->settle(t0.addSecs(12));
        QCOMPARE(fleet->instance(id)->state, InstanceState::Stopped);
        QVERIFY(fleet->instance(id)->stateReason.startsWith(QLatin1String("User initiated (2025-05-01 12:00:12")));

        // Stopping a stopped instance changes nothing; a terminated one cannot be started or stopped.
        change = fleet->stop(id, t0.addSecs(20), &error);
        QVERIFY(change);
        QCOMPARE(change->current, InstanceState::Stopped);
        QVERIFY(fleet->setState(id, InstanceState::Terminated, t0));
        QVERIFY(!fleet->start(id, t0, &error));
        QVERIFY2(error.contains(QLatin1String("cannot be started")) || error.contains(QLatin1String("can be started")),
                 qPrintable(error));
        QVERIFY(!fleet->stop(id, t0, &error));
    }

    void staticTransientStatesStayPut()
    {
        // A pending instance written in a fleet file (no settlesAt) stays pending: the demo relies on it.
        auto fleet =
            Fleet::fromJson(bytes(withInstanceField(QStringLiteral("state"), QStringLiteral("pending"))), nullptr);
        QVERIFY(fleet);
        fleet->settle(QDateTime::currentDateTimeUtc().addYears(5));
        QCOMPARE(fleet->instances().first().state, InstanceState::Pending);
    }

    void generatedFleetIsDeterministicAndMixed()
    {
        const Fleet a = Fleet::generated(300, 17, 42);
        QCOMPARE(a.toJson(), Fleet::generated(300, 17, 42).toJson());
        QVERIFY(a.toJson() != Fleet::generated(300, 17, 43).toJson());
        QCOMPARE(a.instances().size(), 300);
        int enabled = 0;
        int notOptedIn = 0;
        for (const Region& r : a.regions())
            (r.isEnabled() ? enabled : notOptedIn)++;
        QCOMPARE(enabled, 17);
        QCOMPARE(notOptedIn, 1);
        QSet<QString> regionsUsed;
        QMap<InstanceState, int> states;
        int windows = 0;
        for (const Instance& i : a.instances()) {
            regionsUsed.insert(i.region);
            states[i.state]++;
            windows += i.isWindows() && !i.passwordData.isEmpty();
        }
        QCOMPARE(regionsUsed.size(), 17);
        QVERIFY(states.value(InstanceState::Running) > 150);
        QVERIFY(states.value(InstanceState::Stopped) > 10);
        QVERIFY(states.value(InstanceState::Terminated) > 0);
        QVERIFY(windows > 10);
        QVERIFY2(a.validate().isEmpty(), qPrintable(a.validate()));
    }
};

QTEST_GUILESS_MAIN(TestFleet)
#include "TestFleet.moc"
