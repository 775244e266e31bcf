// Fleet::demo() keeps the variety the README's demo and the end-to-end tests rely on, and
// tests/fakeaws/fleets/demo.json stays what toJson() makes of it.
// Regenerate the file after changing DemoFleet.cpp:  BL_REGENERATE_FLEETS=1 ./TestDemoFleet

#include "Fleet.h"

#include <QFile>
#include <QtTest>

using namespace fakeaws;

namespace {

const QString kDemoJson = QStringLiteral(BL_TESTDATA_DIR "/../fakeaws/fleets/demo.json");

bool usableEndpointInVpc(const Fleet& fleet, const QString& vpcId)
{
    static const QStringList usable = {QStringLiteral("create-complete"), QStringLiteral("update-in-progress"),
                                       QStringLiteral("update-failed"), QStringLiteral("update-complete")};
    for (const InstanceConnectEndpoint& e : fleet.endpoints()) {
        if (e.vpcId == vpcId && usable.contains(e.state))
            return true;
    }
    return false;
}

// How a client would reach a running instance (§5.1, §6.1), judged independently of the notes.
QString route(const Fleet& fleet, const Instance& i)
{
    if (i.state != InstanceState::Running)
        return QStringLiteral("not-running");
    if (i.ssm.pingStatus == QLatin1String("Online"))
        return QStringLiteral("ssm");
    const bool hasAddress = !i.privateIp.isEmpty() || !i.ipv6.isEmpty();
    if (hasAddress && !i.vpcId.isEmpty() && usableEndpointInVpc(fleet, i.vpcId))
        return QStringLiteral("eice");
    if (!i.publicIp.isEmpty())
        return QStringLiteral("direct");
    if (!hasAddress && i.publicIp.isEmpty())
        return QStringLiteral("unreachable:no-address");
    if (i.ssm.isRegistered())
        return QStringLiteral("unreachable:agent-offline");
    return QStringLiteral("unreachable:no-route");
}

} // namespace

class TestDemoFleet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isValidAndSpread()
    {
        const Fleet fleet = Fleet::demo();
        QVERIFY2(fleet.validate().isEmpty(), qPrintable(fleet.validate()));
        QVERIFY(fleet.instances().size() >= 30);
        QSet<QString> regions;
        for (const Instance& i : fleet.instances()) {
            regions.insert(i.region);
            QVERIFY2(!i.note.isEmpty(), qPrintable(i.id));
            QVERIFY2(!i.name().isEmpty(), qPrintable(i.id));
            for (const char* key : {"Env", "Team", "Owner"})
                QVERIFY2(!i.tag(QString::fromLatin1(key)).isEmpty(), qPrintable(i.name()));
        }
        QVERIFY(regions.size() >= 4);
        int notOptedIn = 0;
        for (const Region& r : fleet.regions())
            notOptedIn += !r.isEnabled();
        QVERIFY(notOptedIn >= 1);
    }

    void coversEveryPlacementAndFailure()
    {
        const Fleet fleet = Fleet::demo();
        QMap<QString, int> placements;
        QMap<InstanceState, int> states;
        int windowsWithPassword = 0;
        int windowsWithoutPasswordYet = 0;
        for (const Instance& i : fleet.instances()) {
            states[i.state]++;
            const QString how = route(fleet, i);
            const Subnet* subnet = fleet.subnet(i.subnetId);
            const bool isPublic = subnet && subnet->isPublic;
            if (how == QLatin1String("ssm") || how == QLatin1String("eice"))
                placements[how + (isPublic ? QStringLiteral("+public") : QStringLiteral("+private"))]++;
            else
                placements[how]++;
            if (i.isWindows())
                (i.passwordData.isEmpty() ? windowsWithoutPasswordYet : windowsWithPassword)++;
        }
        for (const char* placement : {"ssm+public", "ssm+private", "eice+public", "eice+private", "direct",
                                      "unreachable:no-address", "unreachable:agent-offline", "unreachable:no-route"})
            QVERIFY2(placements.value(QString::fromLatin1(placement)) >= 1, placement);
        QVERIFY(placements.value(QStringLiteral("unreachable:no-route")) >= 2); // no EICE, and EICE not ready
        QVERIFY(states.value(InstanceState::Stopped) >= 3);
        QVERIFY(states.value(InstanceState::Pending) >= 1);
        QVERIFY(states.value(InstanceState::Stopping) >= 1);
        QVERIFY(states.value(InstanceState::Terminated) >= 1);
        QVERIFY(windowsWithPassword >= 2);
        QVERIFY(windowsWithoutPasswordYet >= 1);
    }

    void hasALinuxDesktopWithRdpAndVnc()
    {
        const Fleet fleet = Fleet::demo();
        bool found = false;
        for (const Instance& i : fleet.instances()) {
            const QString desktop = i.tag(QStringLiteral("Desktop"));
            if (!i.isWindows() && desktop.contains(QLatin1String("3389")) && desktop.contains(QLatin1String("5901"))
                && i.state == InstanceState::Running && route(fleet, i) == QLatin1String("ssm"))
                found = true;
        }
        QVERIFY(found);
    }

    void endpointsPointAtLocalhost()
    {
        const Fleet fleet = Fleet::demo();
        QVERIFY(fleet.endpoints().size() >= 4);
        bool fips = false;
        bool preserve = false;
        for (const InstanceConnectEndpoint& e : fleet.endpoints()) {
            QVERIFY2(e.dnsName.endsWith(QLatin1String(".localhost")), qPrintable(e.dnsName));
            fips = fips || !e.fipsDnsName.isEmpty();
            preserve = preserve || e.preserveClientIp;
        }
        QVERIFY(fips);
        QVERIFY(preserve);
    }

    void demoJsonIsTheDemoFleet()
    {
        const QByteArray json = Fleet::demo().toJson();
        if (qEnvironmentVariableIsSet("BL_REGENERATE_FLEETS")) {
            QFile out(kDemoJson);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            QCOMPARE(out.write(json), json.size());
        }
        QString error;
        const auto loaded = Fleet::fromFile(kDemoJson, &error);
        QVERIFY2(loaded, qPrintable(error));
        QVERIFY2(loaded->toJson() == json,
                 "tests/fakeaws/fleets/demo.json is stale: run TestDemoFleet with BL_REGENERATE_FLEETS=1");
    }
};

QTEST_GUILESS_MAIN(TestDemoFleet)
#include "TestDemoFleet.moc"
