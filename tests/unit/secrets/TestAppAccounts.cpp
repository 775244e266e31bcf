// AppAccounts over MemorySecretStore and a temporary settings file: what a person may type is checked with an
// error naming the field, the secret goes only to the store (never the settings file), a store that fails
// leaves no half-added account, removing drops both halves, and KeychainCredentialsProvider turns an account
// into credentials (or a clear error when its secret is gone).
#include "core/aws/credentials/KeychainCredentialsProvider.h"
#include "core/secrets/AppAccounts.h"
#include "core/secrets/MemorySecretStore.h"

#include "SecretsTestUtil.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace bl;
using secretstest::wait;

namespace {
const QString KeyId = QStringLiteral("AKIAIOSFODNN7EXAMPLE");
const QString Secret = QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
} // namespace

class TestAppAccounts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void validate_data();
    void validate();
    void addStoresSecretOnlyInStore();
    void failingStoreAddsNothing();
    void removeDropsSettingsAndSecret();
    void providerReturnsKeys();
    void providerWithoutSecretExplains();

private:
    Result<void> add(const AppAccount& a, const QString& secret)
    {
        auto r = wait<void>([&](QObject* c, Callback<void> d) { m_accounts->add(a, secret, c, d); });
        return r ? *r : Error::make(ErrorKind::Timeout, QStringLiteral("no answer"));
    }
    QByteArray settingsText() const
    {
        m_settings->sync();
        QFile f(m_settings->fileName());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    MemorySecretStore m_store;
    std::unique_ptr<AppAccounts> m_accounts;
};

void TestAppAccounts::init()
{
    m_accounts.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("app.conf")), QSettings::IniFormat);
    m_store = MemorySecretStore();
    m_accounts = std::make_unique<AppAccounts>(*m_settings, m_store);
}

void TestAppAccounts::validate_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("keyId");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("errorPart"); // empty: valid
    QTest::newRow("ok") << "work" << KeyId << Secret << "eu-west-1"
                        << "";
    QTest::newRow("ok without region") << "a.b_c-1" << KeyId << Secret << ""
                                       << "";
    QTest::newRow("temporary key id") << "t"
                                      << "ASIAIOSFODNN7EXAMPLE" << Secret << ""
                                      << "";
    QTest::newRow("no name") << "" << KeyId << Secret << ""
                             << "needs a name";
    QTest::newRow("slash in name") << "a/b" << KeyId << Secret << ""
                                   << "not a usable account name";
    QTest::newRow("taken by profile") << "default" << KeyId << Secret << ""
                                      << "already exists";
    QTest::newRow("short key id") << "x"
                                  << "AKIA123" << Secret << ""
                                  << "not an AWS access key id";
    QTest::newRow("lowercase key id") << "x"
                                      << "akiaiosfodnn7example" << Secret << ""
                                      << "not an AWS access key id";
    QTest::newRow("short secret") << "x" << KeyId << "abc"
                                  << ""
                                  << "secret access key";
    QTest::newRow("secret with space") << "x" << KeyId << "wJalrXUtnFEMI/K7MDENG bPxRfiCYEXAMPLEKEY"
                                       << ""
                                       << "secret access key";
    QTest::newRow("bad region") << "x" << KeyId << Secret << "Europe"
                                << "not an AWS region";
}

void TestAppAccounts::validate()
{
    QFETCH(QString, name);
    QFETCH(QString, keyId);
    QFETCH(QString, secret);
    QFETCH(QString, region);
    QFETCH(QString, errorPart);
    const Result<void> r = m_accounts->validate({name, keyId, region}, secret, {QStringLiteral("default")});
    if (errorPart.isEmpty()) {
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        return;
    }
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::Usage);
    QVERIFY2(r.error().message.contains(errorPart), qPrintable(r.error().message));
    QVERIFY(!r.error().hint.isEmpty());
    // A secret is never quoted back.
    if (secret.size() > 3)
        QVERIFY(!r.error().toString().contains(secret));
}

void TestAppAccounts::addStoresSecretOnlyInStore()
{
    QSignalSpy changed(m_accounts.get(), &AppAccounts::changed);
    const Result<void> r = add({QStringLiteral("work"), KeyId, QStringLiteral("eu-west-1")}, Secret);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_accounts->accounts().size(), 1);
    QCOMPARE(m_accounts->accounts().first(), (AppAccount {QStringLiteral("work"), KeyId, QStringLiteral("eu-west-1")}));
    QVERIFY(m_store.contains(AppAccounts::secretKey(QStringLiteral("work"))));

    const QByteArray text = settingsText();
    QVERIFY(text.contains(KeyId.toLatin1()));
    QVERIFY(!text.contains(Secret.toLatin1()));
    // A second settings object on the same file (the next start of the app) sees the account.
    QSettings again(m_settings->fileName(), QSettings::IniFormat);
    AppAccounts reloaded(again, m_store);
    QVERIFY(reloaded.account(QStringLiteral("work")).has_value());

    const Result<void> duplicate = add({QStringLiteral("work"), KeyId, {}}, Secret);
    QVERIFY(!duplicate.ok());
    QCOMPARE(duplicate.error().kind, ErrorKind::Usage);
}

void TestAppAccounts::failingStoreAddsNothing()
{
    m_store.setFailure(Error::make(ErrorKind::Config, QStringLiteral("no keychain"), QStringLiteral("start one")));
    const Result<void> r = add({QStringLiteral("work"), KeyId, {}}, Secret);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::Config);
    QCOMPARE(r.error().hint, QStringLiteral("start one"));
    QVERIFY(m_accounts->accounts().isEmpty());
    QVERIFY(!settingsText().contains(KeyId.toLatin1()));
}

void TestAppAccounts::removeDropsSettingsAndSecret()
{
    QVERIFY(add({QStringLiteral("work"), KeyId, {}}, Secret).ok());
    auto removed = wait<void>([&](QObject* c, Callback<void> d) { m_accounts->remove(QStringLiteral("work"), c, d); });
    QVERIFY(removed && removed->ok());
    QVERIFY(m_accounts->accounts().isEmpty());
    QVERIFY(m_store.keys().isEmpty());
    QVERIFY(!settingsText().contains(KeyId.toLatin1()));

    removed = wait<void>([&](QObject* c, Callback<void> d) { m_accounts->remove(QStringLiteral("work"), c, d); });
    QVERIFY(removed && !removed->ok());
    QCOMPARE(removed->error().kind, ErrorKind::NotFound);
}

void TestAppAccounts::providerReturnsKeys()
{
    QVERIFY(add({QStringLiteral("work"), KeyId, {}}, Secret).ok());
    KeychainCredentialsProvider provider(m_store, QStringLiteral("work"), KeyId,
                                         AppAccounts::secretKey(QStringLiteral("work")));
    QVERIFY(provider.describe().contains(KeyId));
    QVERIFY(!provider.describe().contains(Secret));
    auto creds = wait<Credentials>([&](QObject* c, Callback<Credentials> d) { provider.fetch(c, d); });
    QVERIFY(creds && creds->ok());
    QCOMPARE(creds->value().accessKeyId, KeyId);
    QCOMPARE(creds->value().secretAccessKey, Secret);
    QVERIFY(!creds->value().expiration.has_value());

    // Cached: the keychain is not asked again until invalidate().
    m_store.setFailure(Error::make(ErrorKind::Io, QStringLiteral("locked")));
    creds = wait<Credentials>([&](QObject* c, Callback<Credentials> d) { provider.fetch(c, d); });
    QVERIFY(creds && creds->ok());
    provider.invalidate();
    creds = wait<Credentials>([&](QObject* c, Callback<Credentials> d) { provider.fetch(c, d); });
    QVERIFY(creds && !creds->ok());
    QVERIFY(creds->error().message.contains(QLatin1String("work")));
}

void TestAppAccounts::providerWithoutSecretExplains()
{
    KeychainCredentialsProvider provider(m_store, QStringLiteral("gone"), KeyId,
                                         AppAccounts::secretKey(QStringLiteral("gone")));
    auto creds = wait<Credentials>([&](QObject* c, Callback<Credentials> d) { provider.fetch(c, d); });
    QVERIFY(creds && !creds->ok());
    QCOMPARE(creds->error().kind, ErrorKind::Credentials);
    QVERIFY(creds->error().message.contains(QLatin1String("gone")));
    QVERIFY(creds->error().hint.contains(QLatin1String("add its access keys again")));
}

QTEST_GUILESS_MAIN(TestAppAccounts)
#include "TestAppAccounts.moc"
