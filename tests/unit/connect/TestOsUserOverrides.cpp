// The login user chosen in the app for one instance: which names are accepted, that a choice lands in the
// settings file under the key bastionless-cli reads (and goes again on "automatic"), that it wins over the
// tag and the guess, and that a file that cannot be written is an error rather than a silent loss.

#include "core/connect/ConnectionPreferences.h"
#include "core/connect/OsUserOverrides.h"

#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

class TestOsUserOverrides : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validate_data();
    void validate();
    void setWritesTheCliKey();
    void overrideWinsOverTagAndGuess();
    void unwritableFileIsAnError();
};

namespace {

Instance ubuntu()
{
    Instance i;
    i.id = QStringLiteral("i-0123456789abcdef0");
    i.platform = QStringLiteral("linux");
    i.platformDetails = QStringLiteral("Linux/UNIX");
    i.tags = {Tag {QStringLiteral("os"), QStringLiteral("ubuntu-22.04")}};
    return i;
}

} // namespace

void TestOsUserOverrides::validate_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<bool>("ok");
    QTest::newRow("ec2-user") << QStringLiteral("ec2-user") << true;
    QTest::newRow("dots and digits") << QStringLiteral("svc.deploy2") << true;
    QTest::newRow("underscore first") << QStringLiteral("_ops") << true;
    QTest::newRow("32 characters") << QString(32, QLatin1Char('a')) << true;
    QTest::newRow("33 characters") << QString(33, QLatin1Char('a')) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << QStringLiteral("john doe") << false;
    QTest::newRow("ssh option") << QStringLiteral("-oProxyCommand=x") << false;
    QTest::newRow("shell") << QStringLiteral("root;id") << false;
    QTest::newRow("user@host") << QStringLiteral("admin@host") << false;
    QTest::newRow("non-ASCII") << QStringLiteral("jürgen") << false;
}

void TestOsUserOverrides::validate()
{
    QFETCH(QString, user);
    QFETCH(bool, ok);
    const Result<void> r = OsUserOverrides::validate(user);
    QCOMPARE(r.ok(), ok);
    if (!ok) {
        QCOMPARE(r.error().kind, ErrorKind::Usage);
        QVERIFY(r.error().message.contains(QStringLiteral("login name")));
        QVERIFY(!r.error().hint.isEmpty());
    }
}

void TestOsUserOverrides::setWritesTheCliKey()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("Bastionless.conf"));
    QSettings settings(path, QSettings::IniFormat);
    OsUserOverrides users(settings);
    QSignalSpy changed(&users, &OsUserOverrides::changed);
    const QString id = ubuntu().id;

    QVERIFY(users.set(id, QStringLiteral(" deploy ")));
    QCOMPARE(users.user(id), QStringLiteral("deploy"));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.constFirst().at(1).toString(), QStringLiteral("deploy"));
    QCOMPARE(ConnectionPreferences::load(path).osUser(id), QStringLiteral("deploy")); // on disk already
    QVERIFY(users.set(id, QStringLiteral("deploy")));
    QCOMPARE(changed.size(), 1); // no change, no signal

    const Result<void> bad = users.set(id, QStringLiteral("bad name"));
    QVERIFY(!bad);
    QCOMPARE(users.user(id), QStringLiteral("deploy"));
    QVERIFY(!users.set(QString(), QStringLiteral("deploy")));

    QVERIFY(users.set(id, QString()));
    QCOMPARE(changed.size(), 2);
    QVERIFY(users.user(id).isEmpty());
    QVERIFY(ConnectionPreferences::load(path).osUser(id).isEmpty());
    QVERIFY(!QSettings(path, QSettings::IniFormat).contains(ConnectionPreferences::osUserKey(id)));
}

void TestOsUserOverrides::overrideWinsOverTagAndGuess()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSettings settings(dir.filePath(QStringLiteral("Bastionless.conf")), QSettings::IniFormat);
    settings.setValue(ConnectionPreferences::defaultOsUserKey(), QStringLiteral("fallback"));
    OsUserOverrides users(settings);
    Instance i = ubuntu();
    QCOMPARE(users.defaultUser(), QStringLiteral("fallback"));
    QCOMPARE(users.choose(i).user, QStringLiteral("ubuntu")); // the guess beats the default
    i.tags.append(Tag {QLatin1String(OsUser::TagKey), QStringLiteral("team")});
    QCOMPARE(users.choose(i).user, QStringLiteral("team"));
    QVERIFY(users.set(i.id, QStringLiteral("me")));
    const OsUser::Choice c = users.choose(i);
    QCOMPARE(c.user, QStringLiteral("me"));
    QCOMPARE(c.reason, QStringLiteral("set for this instance"));
}

void TestOsUserOverrides::unwritableFileIsAnError()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A directory where the file should be: no one, not even root, can save over it.
    const QString path = dir.filePath(QStringLiteral("Bastionless.conf"));
    QVERIFY(QDir().mkpath(path));
    QSettings settings(path, QSettings::IniFormat);
    OsUserOverrides users(settings);
    QSignalSpy changed(&users, &OsUserOverrides::changed);
    const Result<void> r = users.set(ubuntu().id, QStringLiteral("deploy"));
    QVERIFY(!r);
    QCOMPARE(r.error().kind, ErrorKind::Io);
    QVERIFY(r.error().message.contains(path));
    QCOMPARE(changed.size(), 0);
    QVERIFY(users.user(ubuntu().id).isEmpty()); // not shown as chosen when it was not saved
}

QTEST_GUILESS_MAIN(TestOsUserOverrides)
#include "TestOsUserOverrides.moc"
