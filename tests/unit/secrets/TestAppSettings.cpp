// AppSettings: reads the keys app/gui/GuiSettings has always read, saves them back with a version, rejects
// values a person must correct (leaving the file untouched), parses "regions per profile", and replaces the
// settings file atomically (a new file renamed over the old one: its inode changes, no temporary file stays).
#include "core/connect/AppSettings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace bl;

namespace {

ino_t inodeOf(const QString& path)
{
    struct stat st
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_ino : 0;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestAppSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void defaults();
    void readsGuiSettingsKeys();
    void saveRoundTrip();
    void invalidValuesAreNotSaved_data();
    void invalidValuesAreNotSaved();
    void parseRegions_data();
    void parseRegions();
    void saveReplacesFileAtomically();
    void unwritableDirectoryIsAnError();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("Bastionless.conf")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestAppSettings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestAppSettings::defaults()
{
    QSettings s(path(), QSettings::IniFormat);
    AppSettings settings(s);
    QCOMPARE(settings.values(), AppSettingsValues());
    QCOMPARE(settings.values().defaultTransport, QStringLiteral("auto"));
    QCOMPARE(settings.values().refreshIntervalSeconds, 300);
    QVERIFY(settings.regionsFor(QStringLiteral("any")).isDefault());
}

void TestAppSettings::readsGuiSettingsKeys()
{
    {
        QSettings s(path(), QSettings::IniFormat);
        s.setValue(QStringLiteral("connect/terminal"), QStringLiteral("konsole"));
        s.setValue(QStringLiteral("connect/rdpViewer"), QStringLiteral("remmina"));
        s.setValue(QStringLiteral("connect/cli"), QStringLiteral("/opt/bl/bastionless-cli"));
        s.setValue(QStringLiteral("inventory/refreshIntervalSeconds"), 60);
        s.setValue(QStringLiteral("inventory/allRegions"), true);
        s.setValue(QStringLiteral("profiles/dev/allRegions"), false);
    }
    QSettings s(path(), QSettings::IniFormat);
    AppSettings settings(s);
    QCOMPARE(settings.values().terminal, QStringLiteral("konsole"));
    QCOMPARE(settings.values().rdpViewer, QStringLiteral("remmina"));
    QCOMPARE(settings.values().refreshIntervalSeconds, 60);
    QVERIFY(settings.values().allRegions);
    QVERIFY(settings.regionsFor(QStringLiteral("prod")).all);
    QVERIFY(!settings.regionsFor(QStringLiteral("dev")).all);

    // Saving keeps keys it does not own.
    QVERIFY(settings.save(settings.values()).ok());
    QSettings after(path(), QSettings::IniFormat);
    QCOMPARE(after.value(QStringLiteral("connect/cli")).toString(), QStringLiteral("/opt/bl/bastionless-cli"));
    QCOMPARE(after.value(QStringLiteral("settings/version")).toInt(), AppSettings::Version);
    QCOMPARE(after.value(QStringLiteral("profiles/dev/allRegions")).toBool(), false);
}

void TestAppSettings::saveRoundTrip()
{
    AppSettingsValues v;
    v.terminal = QStringLiteral("xterm");
    v.vncViewer = QStringLiteral("vncviewer");
    v.defaultTransport = QStringLiteral("ssm");
    v.refreshIntervalSeconds = 0;
    v.profileRegions.insert(QStringLiteral("prod"),
                            {false, {QStringLiteral("eu-west-1"), QStringLiteral("us-east-1")}});
    v.profileRegions.insert(QStringLiteral("lab"), {true, {}});
    {
        QSettings s(path(), QSettings::IniFormat);
        AppSettings settings(s);
        QSignalSpy changed(&settings, &AppSettings::changed);
        const Result<void> saved = settings.save(v);
        QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().toString()));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(settings.values(), v);
    }
    QSettings s(path(), QSettings::IniFormat);
    AppSettings reloaded(s);
    QCOMPARE(reloaded.values(), v);
    QCOMPARE(reloaded.regionsFor(QStringLiteral("prod")).regions,
             (QStringList {QStringLiteral("eu-west-1"), QStringLiteral("us-east-1")}));
    // What GuiSettings reads today.
    QCOMPARE(s.value(QStringLiteral("profiles/lab/allRegions")).toBool(), true);
    QCOMPARE(s.value(QStringLiteral("profiles/prod/allRegions")).toBool(), false);

    // Back to the default removes the override.
    v.profileRegions.remove(QStringLiteral("lab"));
    QVERIFY(reloaded.save(v).ok());
    QVERIFY(!s.contains(QStringLiteral("profiles/lab/allRegions")));
}

void TestAppSettings::invalidValuesAreNotSaved_data()
{
    QTest::addColumn<QString>("transport");
    QTest::addColumn<int>("refresh");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("errorPart");
    QTest::newRow("transport") << "telnet" << 300 << "eu-west-1"
                               << "not a transport";
    QTest::newRow("negative refresh") << "auto" << -1 << "eu-west-1"
                                      << "out of range";
    QTest::newRow("huge refresh") << "auto" << 999999 << "eu-west-1"
                                  << "out of range";
    QTest::newRow("region") << "auto" << 300 << "Frankfurt"
                            << "not a region";
}

void TestAppSettings::invalidValuesAreNotSaved()
{
    QFETCH(QString, transport);
    QFETCH(int, refresh);
    QFETCH(QString, region);
    QFETCH(QString, errorPart);
    QSettings s(path(), QSettings::IniFormat);
    AppSettings settings(s);
    QVERIFY(settings.save(settings.values()).ok());
    const QByteArray before = readAll(path());

    AppSettingsValues v;
    v.defaultTransport = transport;
    v.refreshIntervalSeconds = refresh;
    v.profileRegions.insert(QStringLiteral("p"), {false, {region}});
    const Result<void> saved = settings.save(v);
    QVERIFY(!saved.ok());
    QCOMPARE(saved.error().kind, ErrorKind::Usage);
    QVERIFY2(saved.error().message.contains(errorPart), qPrintable(saved.error().message));
    QCOMPARE(readAll(path()), before);
    QCOMPARE(settings.values(), AppSettingsValues());
}

void TestAppSettings::parseRegions_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<bool>("all");
    QTest::addColumn<QStringList>("regions");
    QTest::newRow("empty") << "" << true << false << QStringList();
    QTest::newRow("all") << " ALL " << true << true << QStringList();
    QTest::newRow("list") << "eu-west-1, us-east-1" << true << false
                          << QStringList {QStringLiteral("eu-west-1"), QStringLiteral("us-east-1")};
    QTest::newRow("spaces and duplicates")
        << "eu-west-1 eu-west-1  ap-southeast-2" << true << false
        << QStringList {QStringLiteral("eu-west-1"), QStringLiteral("ap-southeast-2")};
    QTest::newRow("gov") << "us-gov-west-1" << true << false << QStringList {QStringLiteral("us-gov-west-1")};
    QTest::newRow("garbage") << "eu-west-1, moon" << false << false << QStringList();
}

void TestAppSettings::parseRegions()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(bool, all);
    QFETCH(QStringList, regions);
    const Result<ProfileRegions> r = AppSettings::parseRegions(text);
    QCOMPARE(r.ok(), ok);
    if (!ok) {
        QVERIFY(r.error().message.contains(QLatin1String("moon")));
        return;
    }
    QCOMPARE(r->all, all);
    QCOMPARE(r->regions, regions);
    QCOMPARE(AppSettings::parseRegions(AppSettings::formatRegions(r.value())).value(), r.value());
}

void TestAppSettings::saveReplacesFileAtomically()
{
    QSettings s(path(), QSettings::IniFormat);
    AppSettings settings(s);
    QVERIFY(settings.save(settings.values()).ok());
    const ino_t first = inodeOf(path());
    QVERIFY(first != 0);
    AppSettingsValues v = settings.values();
    v.terminal = QStringLiteral("alacritty");
    QVERIFY(settings.save(v).ok());
    // QSettings writes a new file (QSaveFile) and renames it over the old one: never a half-written file.
    QVERIFY(inodeOf(path()) != first);
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden),
             QStringList {QStringLiteral("Bastionless.conf")});
    QVERIFY(readAll(path()).contains("alacritty"));
}

void TestAppSettings::unwritableDirectoryIsAnError()
{
    if (::geteuid() == 0)
        QSKIP("root writes anywhere");
    const QString dir = m_dir->filePath(QStringLiteral("ro"));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    QSettings s(dir + QStringLiteral("/Bastionless.conf"), QSettings::IniFormat);
    AppSettings settings(s);
    AppSettingsValues v;
    v.terminal = QStringLiteral("xterm");
    const Result<void> saved = settings.save(v);
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY(!saved.ok());
    QCOMPARE(saved.error().kind, ErrorKind::Io);
    QVERIFY(saved.error().message.contains(QLatin1String("Bastionless.conf")));
}

QTEST_GUILESS_MAIN(TestAppSettings)
#include "TestAppSettings.moc"
