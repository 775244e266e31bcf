// ConnectionPreferences reads the app's settings file once: a change made afterwards (by the app, through
// OsUserOverrides or the settings dialog) is seen after reload(), not before; reload() also picks up a file that
// did not exist at load() and forgets one that is gone.

#include "core/connect/ConnectionPreferences.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

class TestConnectionPreferences : public QObject
{
    Q_OBJECT

private:
    static void write(const QString& path, const QString& key, const QString& value)
    {
        QSettings s(path, QSettings::IniFormat);
        s.setValue(key, value);
        s.sync();
    }

private Q_SLOTS:
    void readOnceUntilReload()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("Bastionless.conf"));
        const QString id = QStringLiteral("i-0123456789abcdef0");
        write(path, ConnectionPreferences::osUserKey(id), QStringLiteral("ops"));
        write(path, ConnectionPreferences::viaKey(id), QStringLiteral("eice"));

        ConnectionPreferences prefs = ConnectionPreferences::load(path);
        QCOMPARE(prefs.osUser(id), QStringLiteral("ops"));
        QCOMPARE(prefs.via(id), QStringLiteral("eice"));

        write(path, ConnectionPreferences::osUserKey(id), QStringLiteral("deploy"));
        write(path, ConnectionPreferences::viaKey(id), QStringLiteral("ssm"));
        write(path, ConnectionPreferences::defaultOsUserKey(), QStringLiteral("admin"));
        // Still what load() read.
        QCOMPARE(prefs.osUser(id), QStringLiteral("ops"));
        QCOMPARE(prefs.via(id), QStringLiteral("eice"));
        QCOMPARE(prefs.defaultOsUser(), QString());

        prefs.reload();
        QCOMPARE(prefs.osUser(id), QStringLiteral("deploy"));
        QCOMPARE(prefs.via(id), QStringLiteral("ssm"));
        QCOMPARE(prefs.defaultOsUser(), QStringLiteral("admin"));
        QCOMPARE(prefs.osUser(QStringLiteral("i-0fffffffffffffff0")), QString());
        QCOMPARE(prefs.osUser(QString()), QString());
    }

    void reloadFollowsTheFileAppearingAndGoing()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("Bastionless.conf"));
        const QString id = QStringLiteral("i-0123456789abcdef0");
        ConnectionPreferences prefs = ConnectionPreferences::load(path);
        QCOMPARE(prefs.osUser(id), QString());

        write(path, ConnectionPreferences::osUserKey(id), QStringLiteral("  ubuntu "));
        prefs.reload();
        QCOMPARE(prefs.osUser(id), QStringLiteral("ubuntu"));

        QVERIFY(QFile::remove(path));
        prefs.reload();
        QCOMPARE(prefs.osUser(id), QString());
    }
};

QTEST_GUILESS_MAIN(TestConnectionPreferences)
#include "TestConnectionPreferences.moc"
