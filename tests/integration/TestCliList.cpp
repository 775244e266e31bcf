// `bastionless-cli list` against a generated fleet spread over several regions, with fakeaws paging awkwardly
// (small pages, empty pages that still carry a token): the JSON and the table show every instance of the
// regions asked for exactly once, with the fields a script needs, and --region / --filter select what EC2 would.

#include "CliSandbox.h"
#include "tests/fakeaws/FakeAws.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using fakeaws::FakeAws;

class TestCliList : public QObject
{
    Q_OBJECT

private:
    // Ids of the fleet's instances in `regions` (all enabled ones when empty) that pass `keep`.
    QStringList fleetIds(const QStringList& regions,
                         const std::function<bool(const fakeaws::Instance&)>& keep = nullptr) const
    {
        QStringList ids;
        for (const fakeaws::Instance& i : m_aws->fleet().instances()) {
            const fakeaws::Region* region = m_aws->fleet().region(i.region);
            const bool wanted = regions.isEmpty() ? (region && region->isEnabled()) : regions.contains(i.region);
            if (wanted && (!keep || keep(i)))
                ids << i.id;
        }
        ids.sort();
        return ids;
    }

    static QJsonArray parseJson(const CliResult& r)
    {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isArray())
            qWarning("list --output json printed no JSON array: %s", qPrintable(error.errorString()));
        return doc.array();
    }

    // Sorted ids of a JSON listing; duplicates stay, so a comparison catches them.
    static QStringList jsonIds(const QJsonArray& array)
    {
        QStringList ids;
        for (const QJsonValue& v : array)
            ids << v.toObject().value(QStringLiteral("id")).toString();
        ids.sort();
        return ids;
    }

    QStringList enabledRegions() const
    {
        QStringList names;
        for (const fakeaws::Region& r : m_aws->fleet().regions()) {
            if (r.isEnabled())
                names << r.name;
        }
        return names;
    }

    std::unique_ptr<FakeAws> m_aws;
    std::unique_ptr<CliSandbox> m_box;

private Q_SLOTS:
    void initTestCase()
    {
        fakeaws::FakeAwsOptions options;
        options.fleet = fakeaws::Fleet::generated(150, 5, 4242);
        m_aws = std::make_unique<FakeAws>(std::move(options));
        const bl::Result<void> started = m_aws->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().summary()));
        // Pages of at most 4 instances, every third page empty but with a token: a client that stops at the
        // first short or empty page loses instances.
        m_aws->fleet().setPaging({4, 3});
        QVERIFY(m_aws->fleet().instances().size() == 150);
    }

    void init()
    {
        m_box = std::make_unique<CliSandbox>(*m_aws);
        QVERIFY(m_box->isValid());
        m_aws->faults().clearFaults();
        m_aws->faults().resetCounters();
    }

    void allRegionsJsonIsTheWholeFleet()
    {
        const CliResult r = m_box->run({QStringLiteral("list"), QStringLiteral("--all-regions"),
                                        QStringLiteral("--output"), QStringLiteral("json")});
        CLI_EXPECT_OK(r, {m_aws->defaultIdentity().secretAccessKey});
        CLI_VERIFY(r.err.isEmpty(), r);
        const QJsonArray array = parseJson(r);
        const QStringList expected = fleetIds({});
        QCOMPARE(expected.size(), 150); // every generated instance is in an enabled region
        QCOMPARE(jsonIds(array), expected);
        // The paging knobs really forced many pages per region.
        QVERIFY(m_aws->faults().requestCount(QStringLiteral("DescribeInstances")) > 150 / 4);
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("DescribeRegions")), 1);

        for (const QJsonValue& v : array) {
            const QJsonObject o = v.toObject();
            for (const char* key : {"id", "name", "state", "type", "region", "az", "vpcId", "subnetId", "privateIp",
                                    "publicIp", "platform", "launchTime", "tags"})
                QVERIFY2(o.contains(QLatin1String(key)), key);
            const fakeaws::Instance* i = m_aws->fleet().instance(o.value(QStringLiteral("id")).toString());
            QVERIFY(i);
            const QString id = i->id;
            QCOMPARE(o.value(QStringLiteral("name")).toString(), i->name());
            QCOMPARE(o.value(QStringLiteral("state")).toString(), fakeaws::instanceStateName(i->state));
            QCOMPARE(o.value(QStringLiteral("type")).toString(), i->instanceType);
            QCOMPARE(o.value(QStringLiteral("region")).toString(), i->region);
            QCOMPARE(o.value(QStringLiteral("az")).toString(), i->availabilityZone);
            QCOMPARE(o.value(QStringLiteral("vpcId")).toString(), i->vpcId);
            QCOMPARE(o.value(QStringLiteral("subnetId")).toString(), i->subnetId);
            QCOMPARE(o.value(QStringLiteral("privateIp")).toString(), i->privateIp);
            // EC2 reports the public IP only while the instance runs (or starts).
            const QJsonValue publicIp = o.value(QStringLiteral("publicIp"));
            if (i->state == fakeaws::InstanceState::Running)
                QCOMPARE(publicIp.toString(), i->publicIp);
            else if (!publicIp.isNull())
                QCOMPARE(publicIp.toString(), i->publicIp);
            if (i->publicIp.isEmpty())
                QVERIFY2(publicIp.isNull(), qPrintable(id));
            QCOMPARE(o.value(QStringLiteral("platform")).toString(),
                     i->isWindows() ? QStringLiteral("windows") : QStringLiteral("linux"));
            const QDateTime launch =
                QDateTime::fromString(o.value(QStringLiteral("launchTime")).toString(), Qt::ISODate);
            QVERIFY2(launch.isValid(), qPrintable(id));
            QCOMPARE(launch.toSecsSinceEpoch(), i->launchTime.toSecsSinceEpoch());
            const QJsonObject tags = o.value(QStringLiteral("tags")).toObject();
            QCOMPARE(tags.size(), i->tags.size());
            for (const auto& [key, value] : i->tags)
                QCOMPARE(tags.value(key).toString(), value);
        }
    }

    void tableForOneRegion()
    {
        const QString region = enabledRegions().at(2);
        const CliResult r = m_box->run({QStringLiteral("list"), QStringLiteral("--region"), region});
        CLI_EXPECT_OK(r);
        CLI_VERIFY(r.err.isEmpty(), r);
        const QStringList lines = r.outLines();
        const QStringList expected = fleetIds({region});
        QVERIFY(!expected.isEmpty());
        QCOMPARE(lines.size(), expected.size() + 1);
        const QStringList header = lines.first().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (const char* column : {"NAME", "ID", "STATE", "TYPE", "REGION", "AZ", "PLATFORM"})
            QVERIFY2(header.contains(QLatin1String(column)), qPrintable(lines.first()));
        // One row per instance, with its name, state and region in the row.
        QStringList seen;
        for (const QString& line : lines.mid(1)) {
            const QStringList cells = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            QVERIFY2(cells.size() >= 9, qPrintable(line));
            const fakeaws::Instance* i = m_aws->fleet().instance(cells.at(1));
            QVERIFY2(i, qPrintable(line));
            QCOMPARE(cells.at(0), i->name());
            QCOMPARE(cells.at(2), fakeaws::instanceStateName(i->state));
            QCOMPARE(cells.at(4), region);
            seen << i->id;
        }
        seen.sort();
        QCOMPARE(seen, expected);
    }

    void defaultRegionFromEnvironment()
    {
        const CliResult r = m_box->run({QStringLiteral("list"), QStringLiteral("--output"), QStringLiteral("json")});
        CLI_EXPECT_OK(r);
        QCOMPARE(jsonIds(parseJson(r)), fleetIds({m_aws->region()}));
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("DescribeRegions")), 0);
    }

    void repeatedRegion()
    {
        const QStringList regions = {enabledRegions().at(1), enabledRegions().at(3)};
        const CliResult r =
            m_box->run({QStringLiteral("list"), QStringLiteral("--region"), regions.at(0), QStringLiteral("--region"),
                        regions.at(1), QStringLiteral("--output"), QStringLiteral("json")});
        CLI_EXPECT_OK(r);
        QCOMPARE(jsonIds(parseJson(r)), fleetIds(regions));
    }

    void filters_data()
    {
        QTest::addColumn<QStringList>("filters");
        QTest::addColumn<QString>("state"); // empty: any
        QTest::addColumn<QStringList>("envs"); // empty: any
        QTest::newRow("running") << QStringList {QStringLiteral("Name=instance-state-name,Values=running")}
                                 << QStringLiteral("running") << QStringList();
        QTest::newRow("stopped") << QStringList {QStringLiteral("Name=instance-state-name,Values=stopped")}
                                 << QStringLiteral("stopped") << QStringList();
        QTest::newRow("tag") << QStringList {QStringLiteral("Name=tag:Env,Values=prod")} << QString()
                             << QStringList {QStringLiteral("prod")};
        QTest::newRow("tag two values") << QStringList {QStringLiteral("Name=tag:Env,Values=prod,staging")} << QString()
                                        << QStringList {QStringLiteral("prod"), QStringLiteral("staging")};
        QTest::newRow("both") << QStringList {QStringLiteral("Name=instance-state-name,Values=running"),
                                              QStringLiteral("Name=tag:Env,Values=prod")}
                              << QStringLiteral("running") << QStringList {QStringLiteral("prod")};
        QTest::newRow("no match") << QStringList {QStringLiteral("Name=tag:Env,Values=nowhere")} << QString()
                                  << QStringList {QStringLiteral("nowhere")};
    }
    void filters()
    {
        QFETCH(QStringList, filters);
        QFETCH(QString, state);
        QFETCH(QStringList, envs);
        const QString region = m_aws->region();
        QStringList args = {QStringLiteral("list"), QStringLiteral("--output"), QStringLiteral("json")};
        for (const QString& f : filters)
            args << QStringLiteral("--filter") << f;
        const CliResult r = m_box->run(args);
        CLI_EXPECT_OK(r);
        const QStringList expected = fleetIds({region}, [&](const fakeaws::Instance& i) {
            return (state.isEmpty() || fakeaws::instanceStateName(i.state) == state)
                && (envs.isEmpty() || envs.contains(i.tag(QStringLiteral("Env"))));
        });
        if (QByteArray(QTest::currentDataTag()) != "no match")
            QVERIFY2(!expected.isEmpty() && expected.size() < fleetIds({region}).size(), "the filter must select");
        QCOMPARE(jsonIds(parseJson(r)), expected);
    }

    void verboseSummary()
    {
        const QString region = m_aws->region();
        const int count = fleetIds({region}).size();
        const QString summary = QStringLiteral("%1 instances in 1 regions").arg(count);
        const CliResult r =
            m_box->run({QStringLiteral("list"), QStringLiteral("-v"), QStringLiteral("--region"), region});
        // -v also shows core's debug log (requests, retries), never a secret.
        CLI_EXPECT_OK(r, {m_aws->defaultIdentity().secretAccessKey},
                      {QStringLiteral("listed "), summary, QStringLiteral("debug: ")});
        CLI_VERIFY(r.err.contains(QLatin1String("debug: ")), r);
        CLI_VERIFY(r.err.contains(QLatin1String("listed 1/1 regions")), r);
        CLI_VERIFY(r.err.contains(summary), r);
        QCOMPARE(r.outLines().size(), count + 1);
    }

    void malformedFilter_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::newRow("no values") << QStringLiteral("Name=tag:Env");
        QTest::newRow("no name") << QStringLiteral("Values=prod");
        QTest::newRow("shorthand") << QStringLiteral("tag:Env=prod");
        QTest::newRow("empty name") << QStringLiteral("Name=,Values=prod");
        QTest::newRow("empty values") << QStringLiteral("Name=tag:Env,Values=");
        QTest::newRow("empty") << QString();
    }
    void malformedFilter()
    {
        QFETCH(QString, filter);
        const CliResult r = m_box->run({QStringLiteral("list"), QStringLiteral("--filter"), filter});
        CLI_EXPECT_FAILURE(r, 2);
        CLI_VERIFY(r.out.isEmpty(), r);
        CLI_VERIFY(r.errorText().contains(QLatin1String("--filter")), r);
        CLI_VERIFY(r.hintText().contains(QLatin1String("Name=")), r);
        // A usage error is found before anything is sent.
        QCOMPARE(m_aws->faults().totalRequests(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCliList)
#include "TestCliList.moc"
