// The desktop app's composition root: which profiles become sources (those that can produce credentials,
// plus the environment's keys), which regions each one lists, and a broken profile shown as a problem
// instead of silently missing. Nothing is listed here, so no server is needed.

#include "app/gui/GuiServices.h"
#include "app/gui/GuiSettings.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

class TestGuiServices : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void profilesThatCanProduceCredentials();
    void allRegionsSetting();
    void noCredentialsAtAll();
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

QTEST_MAIN(TestGuiServices)
#include "TestGuiServices.moc"
