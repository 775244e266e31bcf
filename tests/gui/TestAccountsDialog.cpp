// AccountsDialog driven like a person: Add access keys opens the form (secret in password echo), a mistyped key
// id is explained in the form, a good entry stores the secret in the (in-memory) secret store and not in the
// settings file and the new row appears; Remove asks first and then deletes both halves; SSO Login is offered
// only for IAM Identity Center profiles and shows why it cannot start when the factory fails.
#include "core/aws/credentials/SsoLogin.h"
#include "core/secrets/AppAccounts.h"
#include "core/secrets/MemorySecretStore.h"
#include "ui/AccountKeysDialog.h"
#include "ui/AccountsDialog.h"
#include "ui/AccountsModel.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

namespace {
const QString KeyId = QStringLiteral("AKIAIOSFODNN7EXAMPLE");
const QString Secret = QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
} // namespace

class TestAccountsDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void addKeysStoresSecretInStore();
    void badKeyIdIsExplained();
    void removeAsksThenDeletes();
    void ssoLoginOnlyForSsoProfiles();

private:
    AccountKeysDialog* openAddForm();
    void fill(AccountKeysDialog* form, const QString& name, const QString& keyId, const QString& secret);
    template<typename T>
    T* child(QObject* o, const char* name)
    {
        return o->findChild<T*>(QString::fromLatin1(name));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    MemorySecretStore m_store;
    std::unique_ptr<AppAccounts> m_accounts;
    std::unique_ptr<AccountsModel> m_model;
    std::unique_ptr<AccountsDialog> m_dialog;
    QStringList m_ssoRequests;
};

void TestAccountsDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("app.conf")), QSettings::IniFormat);
    m_store = MemorySecretStore();
    m_accounts = std::make_unique<AppAccounts>(*m_settings, m_store);
    m_model = std::make_unique<AccountsModel>(m_accounts.get());
    const QByteArray config = "[default]\nregion = eu-west-1\n\n[profile sso-dev]\nsso_start_url = "
                              "https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = "
                              "444455556666\nsso_role_name = Developer\n";
    const QByteArray credentials = "[default]\naws_access_key_id = AKIADEFAULT000000000\naws_secret_access_key = "
                                   "x\n";
    m_model->setConfig(AwsConfig::fromText(config, credentials).value(), QProcessEnvironment());
    m_ssoRequests.clear();
    SsoLoginFactory factory = [this](const QString& profile) -> Result<std::unique_ptr<SsoLogin>> {
        m_ssoRequests.append(profile);
        return Error::make(ErrorKind::Config, QStringLiteral("Profile %1 has no sso_region").arg(profile),
                           QStringLiteral("Add sso_region."));
    };
    m_dialog = std::make_unique<AccountsDialog>(*m_model, *m_accounts, factory, [](const QUrl&) { return true; });
    m_dialog->show();
}

void TestAccountsDialog::cleanup()
{
    m_dialog.reset();
    m_model.reset();
    m_accounts.reset();
}

AccountKeysDialog* TestAccountsDialog::openAddForm()
{
    QTest::mouseClick(child<QPushButton>(m_dialog.get(), "addKeysButton"), Qt::LeftButton);
    return child<AccountKeysDialog>(m_dialog.get(), "accountKeysDialog");
}

void TestAccountsDialog::fill(AccountKeysDialog* form, const QString& name, const QString& keyId, const QString& secret)
{
    QTest::keyClicks(child<QLineEdit>(form, "accountNameEdit"), name);
    QTest::keyClicks(child<QLineEdit>(form, "accessKeyIdEdit"), keyId);
    QTest::keyClicks(child<QLineEdit>(form, "secretAccessKeyEdit"), secret);
    QTest::keyClicks(child<QLineEdit>(form, "regionEdit"), QStringLiteral("eu-west-1"));
}

void TestAccountsDialog::addKeysStoresSecretInStore()
{
    QCOMPARE(m_dialog->objectName(), QStringLiteral("accountsDialog"));
    QSignalSpy changed(m_dialog.get(), &AccountsDialog::accountsChanged);
    AccountKeysDialog* form = openAddForm();
    QVERIFY(form);
    QVERIFY(form->isVisible());
    QCOMPARE(child<QLineEdit>(form, "secretAccessKeyEdit")->echoMode(), QLineEdit::Password);
    fill(form, QStringLiteral("lab"), KeyId, Secret);
    if (qEnvironmentVariableIsSet("BL_SCREENSHOT_DIR"))
        form->grab().save(qEnvironmentVariable("BL_SCREENSHOT_DIR") + QStringLiteral("/account-keys.png"));
    QTest::mouseClick(child<QPushButton>(form, "addButton"), Qt::LeftButton);

    QTRY_COMPARE(changed.count(), 1);
    QVERIFY(m_store.contains(AppAccounts::secretKey(QStringLiteral("lab"))));
    QCOMPARE(m_model->rowOf(QStringLiteral("lab")) >= 0, true);
    QCOMPARE(m_dialog->selectedName(), QStringLiteral("lab"));
    QVERIFY(child<QPushButton>(m_dialog.get(), "removeButton")->isEnabled());
    if (qEnvironmentVariableIsSet("BL_SCREENSHOT_DIR"))
        m_dialog->grab().save(qEnvironmentVariable("BL_SCREENSHOT_DIR") + QStringLiteral("/accounts.png"));
    m_settings->sync();
    QFile file(m_settings->fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains(KeyId.toLatin1()));
    QVERIFY(!text.contains(Secret.toLatin1()));
}

void TestAccountsDialog::badKeyIdIsExplained()
{
    AccountKeysDialog* form = openAddForm();
    QVERIFY(form);
    fill(form, QStringLiteral("lab"), QStringLiteral("not-a-key"), Secret);
    QTest::mouseClick(child<QPushButton>(form, "addButton"), Qt::LeftButton);
    auto* error = child<QLabel>(form, "errorLabel");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QLatin1String("not an AWS access key id")), qPrintable(error->text()));
    QVERIFY(!error->text().contains(Secret));
    QVERIFY(form->isVisible());
    QVERIFY(m_store.keys().isEmpty());

    // A name taken by a ~/.aws profile is refused too.
    child<QLineEdit>(form, "accountNameEdit")->setText(QStringLiteral("default"));
    child<QLineEdit>(form, "accessKeyIdEdit")->setText(KeyId);
    QTest::mouseClick(child<QPushButton>(form, "addButton"), Qt::LeftButton);
    QVERIFY(error->text().contains(QLatin1String("already exists")));
    QVERIFY(m_store.keys().isEmpty());
}

void TestAccountsDialog::removeAsksThenDeletes()
{
    AccountKeysDialog* form = openAddForm();
    fill(form, QStringLiteral("lab"), KeyId, Secret);
    QTest::mouseClick(child<QPushButton>(form, "addButton"), Qt::LeftButton);
    QTRY_VERIFY(m_model->rowOf(QStringLiteral("lab")) >= 0);

    // ~/.aws profiles cannot be removed here.
    m_dialog->selectName(QStringLiteral("default"));
    QVERIFY(!child<QPushButton>(m_dialog.get(), "removeButton")->isEnabled());

    m_dialog->selectName(QStringLiteral("lab"));
    auto* remove = child<QPushButton>(m_dialog.get(), "removeButton");
    QVERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    auto* box = child<QMessageBox>(m_dialog.get(), "confirmRemoveBox");
    QVERIFY(box);
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTest::qWait(50);
    QVERIFY(m_model->rowOf(QStringLiteral("lab")) >= 0);
    QTRY_VERIFY(!child<QMessageBox>(m_dialog.get(), "confirmRemoveBox"));

    QTest::mouseClick(remove, Qt::LeftButton);
    box = child<QMessageBox>(m_dialog.get(), "confirmRemoveBox");
    QVERIFY(box);
    QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
    QTRY_COMPARE(m_model->rowOf(QStringLiteral("lab")), -1);
    QVERIFY(m_store.keys().isEmpty());
    QVERIFY(m_accounts->accounts().isEmpty());
}

void TestAccountsDialog::ssoLoginOnlyForSsoProfiles()
{
    auto* sso = child<QPushButton>(m_dialog.get(), "ssoLoginButton");
    m_dialog->selectName(QStringLiteral("default"));
    QVERIFY(!sso->isEnabled());
    m_dialog->selectName(QStringLiteral("sso-dev"));
    QVERIFY(sso->isEnabled());
    QTest::mouseClick(sso, Qt::LeftButton);
    QCOMPARE(m_ssoRequests, QStringList {QStringLiteral("sso-dev")});
    auto* status = child<QLabel>(m_dialog.get(), "statusLabel");
    QVERIFY(status->isVisible());
    QVERIFY(status->text().contains(QLatin1String("no sso_region")));
    QVERIFY(status->text().contains(QLatin1String("Add sso_region.")));
}

QTEST_MAIN(TestAccountsDialog)
#include "TestAccountsDialog.moc"
