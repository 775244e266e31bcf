// AccountsModel over a sample ~/.aws (tests/data/accounts) under QAbstractItemModelTester: every profile is
// listed with the kind a person expects (keys, role, role with MFA, SSO, process), the environment's keys get
// a row of their own, accounts added in the app appear as "keys in keychain", and no secret is ever shown.
#include "core/secrets/AppAccounts.h"
#include "core/secrets/MemorySecretStore.h"
#include "ui/AccountsModel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

namespace {

const QString Secret = QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

QByteArray fixture(const QString& name)
{
    QFile f(QStringLiteral(BL_TESTDATA_DIR "/accounts/") + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

AwsConfig sampleConfig()
{
    Result<AwsConfig> c =
        AwsConfig::fromText(fixture(QStringLiteral("config")), fixture(QStringLiteral("credentials")));
    return c.ok() ? c.value() : AwsConfig();
}

} // namespace

class TestAccountsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void kinds_data();
    void kinds();
    void noSecretIsShown();
    void environmentRow();
    void appAccountsAppear();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    MemorySecretStore m_store;
    std::unique_ptr<AppAccounts> m_accounts;
    std::unique_ptr<AccountsModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestAccountsModel::init()
{
    m_tester.reset();
    m_model.reset();
    m_accounts.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("app.conf")), QSettings::IniFormat);
    m_accounts = std::make_unique<AppAccounts>(*m_settings, m_store);
    m_model = std::make_unique<AccountsModel>(m_accounts.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setConfig(sampleConfig(), QProcessEnvironment());
}

void TestAccountsModel::kinds_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("detailPart");
    QTest::addColumn<bool>("canSso");
    QTest::newRow("default") << "default"
                             << "keys"
                             << "eu-west-1"
                             << "AKIAIOSFODNN7EXAMPLE" << false;
    QTest::newRow("admin") << "admin"
                           << "role (MFA)"
                           << ""
                           << "role/Admin via profile default" << false;
    QTest::newRow("readonly") << "readonly"
                              << "role"
                              << "us-east-1"
                              << "role/ReadOnly" << false;
    QTest::newRow("sso") << "sso-dev"
                         << "SSO"
                         << "eu-central-1"
                         << "444455556666 / Developer (session corp)" << true;
    QTest::newRow("process") << "vault"
                             << "process"
                             << ""
                             << "runs /usr/local/bin/aws-vault" << false;
    QTest::newRow("nothing") << "regiononly"
                             << "no credentials"
                             << "ap-southeast-2"
                             << "" << false;
}

void TestAccountsModel::kinds()
{
    QFETCH(QString, name);
    QFETCH(QString, kind);
    QFETCH(QString, region);
    QFETCH(QString, detailPart);
    QFETCH(bool, canSso);
    QCOMPARE(m_model->rowCount(), 6);
    const int row = m_model->rowOf(name);
    QVERIFY(row >= 0);
    QCOMPARE(m_model->index(row, AccountsModel::Kind).data().toString(), kind);
    QCOMPARE(m_model->index(row, AccountsModel::Region).data().toString(), region);
    QVERIFY2(m_model->index(row, AccountsModel::Details).data().toString().contains(detailPart),
             qPrintable(m_model->index(row, AccountsModel::Details).data().toString()));
    QCOMPARE(m_model->index(row, 0).data(AccountsModel::CanSsoLoginRole).toBool(), canSso);
    QCOMPARE(m_model->index(row, 0).data(AccountsModel::IsAppAccountRole).toBool(), false);
}

void TestAccountsModel::noSecretIsShown()
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        for (int column = 0; column < m_model->columnCount(); ++column) {
            for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole)}) {
                QVERIFY(!m_model->index(row, column).data(role).toString().contains(Secret));
                // credential_process arguments are not shown either.
                QVERIFY(!m_model->index(row, column).data(role).toString().contains(QLatin1String("--format")));
            }
        }
    }
}

void TestAccountsModel::environmentRow()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIAENVIRONMENT00000"));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), Secret);
    env.insert(QStringLiteral("AWS_REGION"), QStringLiteral("sa-east-1"));
    m_model->setConfig(sampleConfig(), env);
    QCOMPARE(m_model->rowCount(), 7);
    QCOMPARE(m_model->index(0, AccountsModel::Name).data().toString(), QStringLiteral("environment"));
    QCOMPARE(m_model->index(0, AccountsModel::Kind).data().toString(), QStringLiteral("environment"));
    QCOMPARE(m_model->index(0, AccountsModel::Region).data().toString(), QStringLiteral("sa-east-1"));
    QVERIFY(!m_model->index(0, AccountsModel::Details).data().toString().contains(Secret));
}

void TestAccountsModel::appAccountsAppear()
{
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QObject context;
    bool done = false;
    m_accounts->add({QStringLiteral("lab"), QStringLiteral("AKIAIOSFODNN7LABLAB1"), QStringLiteral("us-west-2")},
                    Secret, &context, [&](Result<void> r) {
                        QVERIFY(r.ok());
                        done = true;
                    });
    QTRY_VERIFY(done);
    QCOMPARE(reset.count(), 1);
    const int row = m_model->rowOf(QStringLiteral("lab"));
    QVERIFY(row >= 0);
    QCOMPARE(m_model->index(row, AccountsModel::Kind).data().toString(), QStringLiteral("keys in keychain"));
    QVERIFY(m_model->index(row, 0).data(AccountsModel::IsAppAccountRole).toBool());
    QVERIFY(
        m_model->index(row, AccountsModel::Details).data().toString().contains(QLatin1String("AKIAIOSFODNN7LABLAB1")));
    QVERIFY(!m_model->index(row, AccountsModel::Details).data().toString().contains(Secret));
}

QTEST_MAIN(TestAccountsModel)
#include "TestAccountsModel.moc"
