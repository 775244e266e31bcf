// The desktop app's composition root: which profiles become sources (those that can produce credentials,
// plus the environment's keys), which regions each one lists, a broken profile shown as a problem
// instead of silently missing, and an app account keeping its session across a reload (but not across being
// removed and added again). Nothing is listed here, so no server is needed.

#include "app/gui/GuiServices.h"
#include "app/gui/GuiSettings.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

class TestGuiServices : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Favourites default to the config directory: keep the tests away from the real one.
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void profilesThatCanProduceCredentials();
    void allRegionsSetting();
    void noCredentialsAtAll();
    void appAccountsGoToTheCliAsAccounts();
    void reloadKeepsAnAppAccountsSession();
    void tunnelsFavouritesAndOverrides();
};

namespace {

const QByteArray kConfig = "[default]\nregion = eu-west-1\n\n"
                           "[profile no-region]\n\n"
                           "[profile region-only]\nregion = us-west-2\n\n"
                           "[profile broken-role]\nrole_arn = arn:aws:iam::123456789012:role/X\n"
                           "source_profile = does-not-exist\nregion = us-east-2\n";
const QByteArray kCredentials = "[default]\naws_access_key_id = AKIADEFAULT000000000\n"
                                "aws_secret_access_key = secret\n\n"
                                "[no-region]\naws_access_key_id = AKIANOREGION00000000\n"
                                "aws_secret_access_key = secret\n";

struct Env
{
    Env()
    {
        QFile config(dir.filePath(QStringLiteral("config")));
        QFile creds(dir.filePath(QStringLiteral("credentials")));
        ok = config.open(QIODevice::WriteOnly) && config.write(kConfig) == kConfig.size()
            && creds.open(QIODevice::WriteOnly) && creds.write(kCredentials) == kCredentials.size();
        env.insert(QStringLiteral("HOME"), dir.path());
        env.insert(QStringLiteral("AWS_CONFIG_FILE"), dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), dir.filePath(QStringLiteral("credentials")));
    }
    QTemporaryDir dir;
    QProcessEnvironment env;
    bool ok = false;
};

const InventorySource* find(const InstanceStore& store, const QString& label)
{
    return store.source(label);
}

} // namespace

void TestGuiServices::profilesThatCanProduceCredentials()
{
    Env e;
    QVERIFY(e.ok);
    e.env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIAENVIRONMENT00000"));
    e.env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("secret"));
    QSettings settings(e.dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    const GuiSettings gui(settings);
    GuiServices services(e.env, gui, {});
    const InstanceStore& store = services.store();

    QStringList labels;
    for (const InventorySource& s : store.sources())
        labels << s.label;
    QCOMPARE(labels,
             (QStringList {QStringLiteral("environment"), QStringLiteral("default"), QStringLiteral("no-region")}));

    const InventorySource* environment = find(store, QStringLiteral("environment"));
    QVERIFY(environment->cliProfile.isEmpty()); // the CLI without --profile uses the environment's keys too
    QCOMPARE(environment->regions, QStringList {QStringLiteral("eu-west-1")}); // the default profile's region
    QCOMPARE(find(store, QStringLiteral("default"))->cliProfile, QStringLiteral("default"));
    QCOMPARE(find(store, QStringLiteral("default"))->regions, QStringList {QStringLiteral("eu-west-1")});
    QVERIFY(find(store, QStringLiteral("no-region"))->regions.isEmpty()); // no region of its own: everywhere

    // region-only has no credentials and is left out quietly; broken-role is broken and says so.
    QCOMPARE(store.errors().size(), 1);
    QCOMPARE(store.errors().constFirst().source, QStringLiteral("broken-role"));
    QCOMPARE(store.errors().constFirst().error.kind, ErrorKind::Config);
    QVERIFY(store.refreshInterval() > 0);
}

void TestGuiServices::allRegionsSetting()
{
    Env e;
    QVERIFY(e.ok);
    QSettings settings(e.dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("profiles/default/allRegions"), true);
    settings.setValue(QStringLiteral("inventory/refreshIntervalSeconds"), 0);
    const GuiSettings gui(settings);
    GuiServices services(e.env, gui, {});
    QVERIFY(find(services.store(), QStringLiteral("default"))->regions.isEmpty());
    QCOMPARE(services.store().refreshInterval(), 0);

    GuiOptions everywhere;
    everywhere.allRegions = true;
    settings.setValue(QStringLiteral("profiles/default/allRegions"), false);
    GuiServices all(e.env, gui, everywhere);
    for (const InventorySource& s : all.store().sources())
        QVERIFY2(s.regions.isEmpty(), qPrintable(s.label));
}

void TestGuiServices::noCredentialsAtAll()
{
    QTemporaryDir home;
    QProcessEnvironment env;
    env.insert(QStringLiteral("HOME"), home.path());
    QSettings settings(home.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    const GuiSettings gui(settings);
    GuiServices services(env, gui, {});
    QVERIFY(services.store().sources().isEmpty());
    QVERIFY(services.store().errors().isEmpty());
}

void TestGuiServices::appAccountsGoToTheCliAsAccounts()
{
    Env e;
    QVERIFY(e.ok);
    QSettings settings(e.dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    // As the Accounts dialog leaves it; the secret would be in the keychain, which nothing here reads.
    settings.setValue(QStringLiteral("accounts/work/accessKeyId"), QStringLiteral("AKIAWORKACCOUNT00001"));
    settings.setValue(QStringLiteral("accounts/work/region"), QStringLiteral("eu-central-1"));
    const GuiSettings gui(settings);
    GuiServices services(e.env, gui, {});
    const InventorySource* work = find(services.store(), QStringLiteral("work"));
    QVERIFY(work);
    QCOMPARE(work->cliAccount, QStringLiteral("work")); // bastionless-cli --account work
    QVERIFY(work->cliProfile.isEmpty());
    QCOMPARE(work->regions, QStringList {QStringLiteral("eu-central-1")});
    const InventorySource* profile = find(services.store(), QStringLiteral("default"));
    QVERIFY(profile);
    QVERIFY(profile->cliAccount.isEmpty());
    QCOMPARE(profile->cliProfile, QStringLiteral("default"));
}

void TestGuiServices::reloadKeepsAnAppAccountsSession()
{
    Env e;
    QVERIFY(e.ok);
    // reloadSources() refreshes the store: keep its requests on this machine (a closed port).
    e.env.insert(QStringLiteral("AWS_ENDPOINT_URL"), QStringLiteral("http://127.0.0.1:9"));
    QSettings settings(e.dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("accounts/work/accessKeyId"), QStringLiteral("AKIAWORKACCOUNT00001"));
    settings.setValue(QStringLiteral("accounts/work/region"), QStringLiteral("eu-central-1"));
    const GuiSettings gui(settings);
    GuiServices services(e.env, gui, {});
    AwsSession* session = services.sessionFor(QStringLiteral("work"));
    QVERIFY(session);
    services.reloadSources();
    // The same session (its secret, once read from the keychain, is not asked for again), the same source.
    QCOMPARE(services.sessionFor(QStringLiteral("work")), session);
    const InventorySource* work = find(services.store(), QStringLiteral("work"));
    QVERIFY(work);
    QCOMPARE(work->session, session);
    QCOMPARE(work->cliAccount, QStringLiteral("work"));
    QCOMPARE(work->regions, QStringList {QStringLiteral("eu-central-1")});
    QVERIFY(find(services.store(), QStringLiteral("default")));

    // Removed, then added again under the same name (say with a corrected secret): a new session, which reads
    // the new secret, not the old one with what it had read.
    settings.remove(QStringLiteral("accounts/work"));
    services.reloadSources();
    QVERIFY(!find(services.store(), QStringLiteral("work")));
    settings.setValue(QStringLiteral("accounts/work/accessKeyId"), QStringLiteral("AKIAWORKACCOUNT00002"));
    services.reloadSources();
    work = find(services.store(), QStringLiteral("work"));
    QVERIFY(work);
    QVERIFY(work->session != session);
    QCOMPARE(services.sessionFor(QStringLiteral("work")), work->session);
}

void TestGuiServices::tunnelsFavouritesAndOverrides()
{
    Env e;
    QVERIFY(e.ok);
    // The reopened favourite looks its instance up: at a closed local port, never at AWS.
    e.env.insert(QStringLiteral("AWS_ENDPOINT_URL"), QStringLiteral("https://127.0.0.1:9"));
    QSettings settings(e.dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("transport/i-0aaa"), QStringLiteral("direct"));
    settings.setValue(QStringLiteral("transport/i-0bbb"), QStringLiteral("carrier-pigeon")); // unknown: ignored
    const GuiSettings gui(settings);
    GuiOptions options;
    options.favouritesPath = e.dir.filePath(QStringLiteral("favourites.json"));
    {
        QFile favourites(options.favouritesPath);
        QVERIFY(favourites.open(QIODevice::WriteOnly));
        favourites.write("{\"version\":1,\"favourites\":[{\"name\":\"db\",\"instanceId\":\"i-0aaa\","
                         "\"profile\":\"default\",\"region\":\"eu-west-1\",\"remotePort\":5432,\"localPort\":0,"
                         "\"via\":\"direct\",\"enabled\":true}]}");
    }
    GuiServices services(e.env, gui, options);

    // Real tunnels instead of NoTunnels: RDP and VNC are offered.
    QVERIFY(services.connectService().tunnels().unavailableReason().isEmpty());
    QCOMPARE(services.actions().managedTunnels(), &services.managedTunnels());
    QVERIFY(services.sessionFor(QStringLiteral("default")));
    QVERIFY(!services.sessionFor(QStringLiteral("nope")));

    // Overrides come from the settings and go back to them.
    QCOMPARE(services.viaOverrides().via(QStringLiteral("i-0aaa")), TransportChooser::Via::Direct);
    QCOMPARE(services.viaOverrides().via(QStringLiteral("i-0bbb")), TransportChooser::Via::Auto);
    services.viaOverrides().set(QStringLiteral("i-0ccc"), TransportChooser::Via::Eice);
    services.viaOverrides().set(QStringLiteral("i-0aaa"), TransportChooser::Via::Auto);
    QCOMPARE(settings.value(QStringLiteral("transport/i-0ccc")).toString(), QStringLiteral("eice"));
    QVERIFY(!settings.contains(QStringLiteral("transport/i-0aaa")));

    // A favourite left on reopens once the event loop runs.
    QCOMPARE(services.favourites().count(), 1);
    QVERIFY(services.tunnelManager().ids().isEmpty());
    QTRY_COMPARE(services.tunnelManager().ids().size(), 1);
    const ManagedTunnel* t = services.tunnelManager().tunnel(services.tunnelManager().ids().first());
    QCOMPARE(t->target.remotePort, 5432);
    QCOMPARE(t->target.source, QStringLiteral("default"));
    QCOMPARE(t->target.via, TransportChooser::Via::Direct);
    services.tunnelManager().stopAll();
}

QTEST_MAIN(TestGuiServices)
#include "TestGuiServices.moc"
