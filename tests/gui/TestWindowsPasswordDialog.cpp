// WindowsPasswordDialog against fakeaws's demo fleet: with no .pem kept it says what to give; a .pem file that
// decrypts the password shows it masked (Show, Copy) and is kept in the keychain; the wrong file or a file that
// is no key says why and keeps nothing. The "Get Windows password…" action is there for Windows instances and
// opens the dialog over the main window.

#include "AppFixture.h"
#include "tests/unit/api/FakeAwsHarness.h"
#include "tests/unit/launch/DemoWindows.h"

#include "core/launch/WindowsPasswords.h"
#include "core/secrets/MemorySecretStore.h"
#include "ui/WindowsPasswordDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

class TestWindowsPasswordDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void pemFileGivesPasswordAndIsKept();
    void storedPemIsUsedAtOnce();
    void wrongFiles_data();
    void wrongFiles();
    void actionForWindowsOnly();

private:
    std::unique_ptr<apitest::FakeAwsHarness> m_aws;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<WindowsPasswords> m_passwords;
    InventoryEntry m_entry;
    QString m_expected;
    QTemporaryDir m_dir;

    QString writeFile(const QString& name, const QByteArray& data)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(data);
        return f.fileName();
    }
};

void TestWindowsPasswordDialog::init()
{
    m_aws = std::make_unique<apitest::FakeAwsHarness>();
    QVERIFY2(m_aws->ok(), qPrintable(m_aws->error()));
    m_secrets = std::make_unique<MemorySecretStore>();
    m_passwords = std::make_unique<WindowsPasswords>(*m_secrets, [this](const QString&) { return &m_aws->session(); });
    const fakeaws::Instance* i = launchtest::demoInstance(m_aws->fleet(), QStringLiteral("win-ad-01"));
    QVERIFY(i);
    m_entry = launchtest::entryFor(*i);
    m_expected = i->password;
    QVERIFY(m_dir.isValid());
}

void TestWindowsPasswordDialog::pemFileGivesPasswordAndIsKept()
{
    WindowsPasswordDialog dialog(*m_passwords, m_entry);
    dialog.show();
    auto* field = dialog.findChild<QLineEdit*>(QStringLiteral("windowsPasswordField"));
    auto* show = dialog.findChild<QPushButton*>(QStringLiteral("windowsPasswordShow"));
    auto* copy = dialog.findChild<QPushButton*>(QStringLiteral("windowsPasswordCopy"));
    auto* choose = dialog.findChild<QPushButton*>(QStringLiteral("windowsPasswordChoosePem"));
    QVERIFY(field && show && copy && choose);
    // Nothing kept yet: it says which file to give.
    QTRY_VERIFY(dialog.status().contains(QStringLiteral(".pem")));
    QVERIFY(choose->isEnabled());
    QVERIFY(!copy->isEnabled());
    QVERIFY(field->text().isEmpty());

    dialog.usePemFile(writeFile(QStringLiteral("demo-windows.pem"), launchtest::demoWindowsKey()));
    QTRY_COMPARE(field->text(), m_expected);
    QCOMPARE(field->echoMode(), QLineEdit::Password);
    QTRY_VERIFY(m_secrets->contains(WindowsPasswords::secretKey(m_entry)));
    QTRY_VERIFY(dialog.status().contains(QStringLiteral("keychain")));

    QTest::mouseClick(show, Qt::LeftButton);
    QCOMPARE(field->echoMode(), QLineEdit::Normal);
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), m_expected);
    QGuiApplication::clipboard()->clear();
}

void TestWindowsPasswordDialog::storedPemIsUsedAtOnce()
{
    std::optional<Result<void>> stored;
    m_passwords->storeKey(m_entry, launchtest::demoWindowsKey(), this, [&stored](Result<void> r) { stored = r; });
    QTRY_VERIFY(stored.has_value() && stored->ok());
    WindowsPasswordDialog dialog(*m_passwords, m_entry);
    auto* field = dialog.findChild<QLineEdit*>(QStringLiteral("windowsPasswordField"));
    QTRY_COMPARE(field->text(), m_expected);
    QCOMPARE(m_aws->requests("GetPasswordData"), 1);
}

void TestWindowsPasswordDialog::wrongFiles_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("public key") << fakeaws::Fleet::demoWindowsPublicKey() << QStringLiteral("not an unencrypted RSA");
    QTest::newRow("text") << QByteArray("just some notes\n") << QStringLiteral("not an unencrypted RSA");
    QTest::newRow("too large") << QByteArray(200 * 1024, 'A') << QStringLiteral("too large");
}

void TestWindowsPasswordDialog::wrongFiles()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, mentions);
    WindowsPasswordDialog dialog(*m_passwords, m_entry);
    QTRY_VERIFY(dialog.status().contains(QStringLiteral(".pem")));
    dialog.usePemFile(writeFile(QStringLiteral("wrong.pem"), contents));
    QTRY_VERIFY2(dialog.status().contains(mentions), qPrintable(dialog.status()));
    QVERIFY(dialog.findChild<QLineEdit*>(QStringLiteral("windowsPasswordField"))->text().isEmpty());
    QVERIFY(m_secrets->keys().isEmpty());
}

void TestWindowsPasswordDialog::actionForWindowsOnly()
{
    guitest::AppFixture app;
    QVERIFY(app.ok());
    QVERIFY(app.refresh());
    const QString windows = InventoryEntry::makeKey(QStringLiteral("demo"), app.aws.idOf(QStringLiteral("win-ad-01")));
    const QString linux = InventoryEntry::makeKey(QStringLiteral("demo"), app.aws.idOf(QStringLiteral("web-1")));
    QVERIFY(app.store.entry(windows) && app.store.entry(linux));

    // Without a password service (no keychain) it says why it is off.
    ActionState s = app.actions.state(InstanceAction::WindowsPassword, app.store.entry(windows));
    QVERIFY(!s.enabled);
    QVERIFY(s.tooltip.contains(QStringLiteral("keychain")));

    MemorySecretStore secrets;
    // No session: the dialog opens and says so; what it shows with one is the tests above.
    WindowsPasswords passwords(secrets, [](const QString&) -> AwsSession* { return nullptr; });
    app.connect.setWindowsPasswords(&passwords);
    s = app.actions.state(InstanceAction::WindowsPassword, app.store.entry(windows));
    QVERIFY(s.enabled);
    QCOMPARE(s.text, QStringLiteral("Get Windows password…"));
    s = app.actions.state(InstanceAction::WindowsPassword, app.store.entry(linux));
    QVERIFY(!s.enabled);
    QVERIFY(s.tooltip.contains(QStringLiteral("Only Windows")));

    MainWindow& window = app.openWindow();
    app.actions.trigger(InstanceAction::WindowsPassword, windows);
    QTRY_VERIFY(window.findChild<WindowsPasswordDialog*>(QStringLiteral("windowsPasswordDialog")));
    auto* dialog = window.findChild<WindowsPasswordDialog*>(QStringLiteral("windowsPasswordDialog"));
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->windowTitle().contains(QStringLiteral("win-ad-01")));
    dialog->close();
}

QTEST_MAIN(TestWindowsPasswordDialog)
#include "TestWindowsPasswordDialog.moc"
