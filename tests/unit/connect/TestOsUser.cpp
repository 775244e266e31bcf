// Which OS user Bastionless logs in as when the person did not say, and where the shared connection preferences
// come from: a wrong guess means "Permission denied (publickey)" for a person who did nothing wrong.

#include "core/connect/ConnectionPreferences.h"
#include "core/connect/OsUser.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

class TestOsUser : public QObject
{
    Q_OBJECT

private:
    static Instance linux(const QString& details = QStringLiteral("Linux/UNIX"), const QList<Tag>& tags = {})
    {
        Instance i;
        i.id = QStringLiteral("i-0123456789abcdef0");
        i.platform = QStringLiteral("linux");
        i.platformDetails = details;
        i.tags = tags;
        return i;
    }

private Q_SLOTS:
    void order_data()
    {
        QTest::addColumn<QString>("explicitUser");
        QTest::addColumn<QString>("overrideUser");
        QTest::addColumn<QString>("tagUser");
        QTest::addColumn<QString>("details");
        QTest::addColumn<QString>("defaultUser");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("reasonWord");
        const QString none;
        QTest::newRow("nothing known: the AWS CLI's ec2-user")
            << none << none << none << QStringLiteral("Linux/UNIX") << none << QStringLiteral("ec2-user")
            << QStringLiteral("default");
        QTest::newRow("configured default")
            << none << none << none << QStringLiteral("Linux/UNIX") << QStringLiteral("admin")
            << QStringLiteral("admin") << QStringLiteral("setting");
        QTest::newRow("Ubuntu Pro image")
            << none << none << none << QStringLiteral("Ubuntu Pro") << QStringLiteral("admin")
            << QStringLiteral("ubuntu") << QStringLiteral("image");
        QTest::newRow("RHEL image") << none << none << none << QStringLiteral("Red Hat Enterprise Linux") << none
                                    << QStringLiteral("ec2-user") << QStringLiteral("image");
        QTest::newRow("tag beats the guess") << none << none << QStringLiteral("deploy") << QStringLiteral("Ubuntu Pro")
                                             << none << QStringLiteral("deploy") << QStringLiteral("tag");
        QTest::newRow("per-instance setting beats the tag")
            << none << QStringLiteral("ops") << QStringLiteral("deploy") << QStringLiteral("Ubuntu Pro") << none
            << QStringLiteral("ops") << QStringLiteral("instance");
        QTest::newRow("--os-user beats everything")
            << QStringLiteral("root") << QStringLiteral("ops") << QStringLiteral("deploy")
            << QStringLiteral("Ubuntu Pro") << QStringLiteral("admin") << QStringLiteral("root")
            << QStringLiteral("given");
    }

    void order()
    {
        QFETCH(QString, explicitUser);
        QFETCH(QString, overrideUser);
        QFETCH(QString, tagUser);
        QFETCH(QString, details);
        QFETCH(QString, defaultUser);
        QFETCH(QString, expected);
        QFETCH(QString, reasonWord);
        QList<Tag> tags {{QStringLiteral("Name"), QStringLiteral("web-1")}};
        if (!tagUser.isEmpty())
            tags << Tag {QLatin1String(OsUser::TagKey), tagUser};
        const OsUser::Choice c = OsUser::choose(linux(details, tags), explicitUser, overrideUser, defaultUser);
        QCOMPARE(c.user, expected);
        QVERIFY2(c.reason.contains(reasonWord), qPrintable(c.reason));
    }

    void guessFromImageTags()
    {
        QCOMPARE(
            OsUser::guess(linux(QStringLiteral("Linux/UNIX"), {{QStringLiteral("os"), QStringLiteral("Debian 12")}})),
            QStringLiteral("admin"));
        QCOMPARE(OsUser::guess(linux()), QString());
    }

    void preferencesFromTheAppSettingsFile()
    {
        QTemporaryDir dir;
        QProcessEnvironment env;
        env.insert(QStringLiteral("HOME"), dir.path());
        const QString path = ConnectionPreferences::defaultPath(env);
        QCOMPARE(path, dir.path() + QStringLiteral("/.config/Bastionless/Bastionless.conf"));
        // A missing file: no preferences, no error.
        QCOMPARE(ConnectionPreferences::load(path).defaultOsUser(), QString());
        {
            QSettings s(path, QSettings::IniFormat);
            s.setValue(ConnectionPreferences::defaultOsUserKey(), QStringLiteral("admin"));
            s.setValue(ConnectionPreferences::osUserKey(QStringLiteral("i-0123456789abcdef0")), QStringLiteral("ops"));
            s.setValue(ConnectionPreferences::viaKey(QStringLiteral("i-0123456789abcdef0")), QStringLiteral("direct"));
        }
        const ConnectionPreferences prefs = ConnectionPreferences::load(path);
        QCOMPARE(prefs.defaultOsUser(), QStringLiteral("admin"));
        QCOMPARE(prefs.osUser(QStringLiteral("i-0123456789abcdef0")), QStringLiteral("ops"));
        QCOMPARE(prefs.via(QStringLiteral("i-0123456789abcdef0")), QStringLiteral("direct"));
        QCOMPARE(prefs.osUser(QStringLiteral("i-0fffffffffffffff0")), QString());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.path() + QStringLiteral("/xdg"));
        QCOMPARE(ConnectionPreferences::defaultPath(env),
                 dir.path() + QStringLiteral("/xdg/Bastionless/Bastionless.conf"));
    }
};

QTEST_GUILESS_MAIN(TestOsUser)
#include "TestOsUser.moc"
