// AppSettingsFile: bastionless-cli, running under its own application name, opens the very file the desktop app
// uses (a default QSettings under the names the app sets), at $XDG_CONFIG_HOME/Bastionless/Bastionless.conf, so
// an account added in the app is found by `bastionless-cli --account`.
#include "core/secrets/AppSettingsFile.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

class TestAppSettingsFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Before the first QSettings: Qt reads the configuration directory once per process.
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.path()));
    }

    void sameFileAsTheApp()
    {
        const QString expected = m_dir.path() + QStringLiteral("/Bastionless/Bastionless.conf");
        // This process runs under another name, as bastionless-cli does.
        QCoreApplication::setOrganizationName(QStringLiteral("Bastionless"));
        QCoreApplication::setApplicationName(QStringLiteral("bastionless-cli"));
        const std::unique_ptr<QSettings> cli = AppSettingsFile::open();
        QCOMPARE(cli->fileName(), expected);

        // What the app writes through a default QSettings under its names is what the CLI reads.
        QCoreApplication::setOrganizationName(QLatin1String(AppSettingsFile::Organization));
        QCoreApplication::setApplicationName(QLatin1String(AppSettingsFile::Application));
        {
            QSettings app;
            QCOMPARE(app.fileName(), expected);
            app.setValue(QStringLiteral("accounts/work/accessKeyId"), QStringLiteral("AKIAEXAMPLEEXAMPLE01"));
            app.sync();
            QCOMPARE(app.status(), QSettings::NoError);
        }
        QCoreApplication::setApplicationName(QStringLiteral("bastionless-cli"));
        QCOMPARE(AppSettingsFile::open()->value(QStringLiteral("accounts/work/accessKeyId")).toString(),
                 QStringLiteral("AKIAEXAMPLEEXAMPLE01"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestAppSettingsFile)
#include "TestAppSettingsFile.moc"
