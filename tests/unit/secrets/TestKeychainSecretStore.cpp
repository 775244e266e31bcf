// KeychainSecretStore against the real Secret Service. Under run-with-keyring.sh (BL_KEYRING_MODE=real) a
// private gnome-keyring-daemon answers: write, read back, overwrite, delete, read missing, the entries are
// visible to secret-tool (so they really are in the Secret Service, not a file), app accounts keep the secret
// out of the settings file and KeychainCredentialsProvider returns the stored keys. Without any D-Bus session
// (BL_KEYRING_MODE=none) every operation fails with an error that says to start a keyring.
#include "core/aws/credentials/KeychainCredentialsProvider.h"
#include "core/secrets/AppAccounts.h"
#include "core/secrets/KeychainSecretStore.h"

#include <qt6keychain/keychain.h>

#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace bl;

namespace {

const QString KeyId = QStringLiteral("AKIAIOSFODNN7EXAMPLE");
const QString Secret = QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

template<typename T, typename Start>
std::optional<Result<T>> wait(Start start, int timeoutMs = 20000)
{
    QObject context;
    std::optional<Result<T>> out;
    start(&context, [&out](Result<T> r) { out = std::move(r); });
    if (out) {
        qWarning("answered synchronously");
        return std::nullopt;
    }
    (void)QTest::qWaitFor([&] { return out.has_value(); }, timeoutMs);
    return out;
}

// What secret-tool (libsecret's own client) finds for key: proves the entry is in the Secret Service.
QString secretToolLookup(const QString& key)
{
    QProcess p;
    p.start(QStringLiteral("secret-tool"),
            {QStringLiteral("lookup"), QStringLiteral("server"), QStringLiteral("Bastionless"), QStringLiteral("user"),
             key});
    if (!p.waitForFinished(10000))
        return QStringLiteral("<secret-tool timed out>");
    return QString::fromUtf8(p.readAllStandardOutput());
}

} // namespace

class TestKeychainSecretStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void roundTrip_data();
    void roundTrip();
    void readMissingIsNotFound();
    void appAccountKeepsSecretOutOfSettings();
    void noSecretServiceSaysWhatToStart();
    void errorMapping_data();
    void errorMapping();

private:
    bool m_real = false;
    KeychainSecretStore m_store;
};

void TestKeychainSecretStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString mode = qEnvironmentVariable("BL_KEYRING_MODE");
    if (mode.isEmpty())
        QSKIP("run through ctest: run-with-keyring.sh starts the Secret Service this test needs");
    m_real = mode == QLatin1String("real");
    if (m_real && QStandardPaths::findExecutable(QStringLiteral("secret-tool")).isEmpty())
        QFAIL("secret-tool not found: install the Debian package libsecret-tools");
}

void TestKeychainSecretStore::roundTrip_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::newRow("aws secret") << Secret << QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    QTest::newRow("unicode and spaces") << QStringLiteral("pässwörd with spaces ✓") << QStringLiteral("x");
}

void TestKeychainSecretStore::roundTrip()
{
    if (!m_real)
        QSKIP("needs the Secret Service");
    QFETCH(QString, first);
    QFETCH(QString, second);
    const QString key = QStringLiteral("test/%1").arg(QString::fromLatin1(QTest::currentDataTag()));

    auto written = wait<void>([&](QObject* c, Callback<void> d) { m_store.write(key, first, c, d); });
    QVERIFY(written);
    QVERIFY2(written->ok(), qPrintable(written->error().toString()));
    auto read = wait<QString>([&](QObject* c, Callback<QString> d) { m_store.read(key, c, d); });
    QVERIFY(read && read->ok());
    QCOMPARE(read->value(), first);
    QCOMPARE(secretToolLookup(key), first);

    written = wait<void>([&](QObject* c, Callback<void> d) { m_store.write(key, second, c, d); });
    QVERIFY(written && written->ok());
    read = wait<QString>([&](QObject* c, Callback<QString> d) { m_store.read(key, c, d); });
    QVERIFY(read && read->ok());
    QCOMPARE(read->value(), second);

    auto removed = wait<void>([&](QObject* c, Callback<void> d) { m_store.remove(key, c, d); });
    QVERIFY(removed && removed->ok());
    read = wait<QString>([&](QObject* c, Callback<QString> d) { m_store.read(key, c, d); });
    QVERIFY(read && !read->ok());
    QCOMPARE(read->error().kind, ErrorKind::NotFound);
    QCOMPARE(secretToolLookup(key), QString());
    // Removing again leaves the keychain as asked: not an error.
    removed = wait<void>([&](QObject* c, Callback<void> d) { m_store.remove(key, c, d); });
    QVERIFY(removed && removed->ok());
}

void TestKeychainSecretStore::readMissingIsNotFound()
{
    if (!m_real)
        QSKIP("needs the Secret Service");
    auto read = wait<QString>([&](QObject* c, Callback<QString> d) { m_store.read(QStringLiteral("never"), c, d); });
    QVERIFY(read && !read->ok());
    QCOMPARE(read->error().kind, ErrorKind::NotFound);
    QVERIFY(read->error().message.contains(QLatin1String("never")));
}

void TestKeychainSecretStore::appAccountKeepsSecretOutOfSettings()
{
    if (!m_real)
        QSKIP("needs the Secret Service");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("Bastionless.conf"));
    QSettings settings(path, QSettings::IniFormat);
    AppAccounts accounts(settings, m_store);
    const AppAccount account {QStringLiteral("work"), KeyId, QStringLiteral("eu-west-1")};

    auto added = wait<void>([&](QObject* c, Callback<void> d) { accounts.add(account, Secret, c, d); });
    QVERIFY(added);
    QVERIFY2(added->ok(), qPrintable(added->error().toString()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains(KeyId.toLatin1()));
    QVERIFY(!text.contains(Secret.toLatin1()));
    QVERIFY(!text.contains(QByteArrayLiteral("wJalrXUtnFEMI")));
    QCOMPARE(secretToolLookup(AppAccounts::secretKey(QStringLiteral("work"))), Secret);

    KeychainCredentialsProvider provider(m_store, account.name, account.accessKeyId,
                                         AppAccounts::secretKey(account.name));
    auto creds = wait<Credentials>([&](QObject* c, Callback<Credentials> d) { provider.fetch(c, d); });
    QVERIFY(creds && creds->ok());
    QCOMPARE(creds->value().accessKeyId, KeyId);
    QCOMPARE(creds->value().secretAccessKey, Secret);
    QVERIFY(creds->value().sessionToken.isEmpty());

    auto removed = wait<void>([&](QObject* c, Callback<void> d) { accounts.remove(QStringLiteral("work"), c, d); });
    QVERIFY(removed && removed->ok());
    QVERIFY(accounts.accounts().isEmpty());
    provider.invalidate();
    creds = wait<Credentials>([&](QObject* c, Callback<Credentials> d) { provider.fetch(c, d); });
    QVERIFY(creds && !creds->ok());
    QCOMPARE(creds->error().kind, ErrorKind::Credentials);
}

void TestKeychainSecretStore::noSecretServiceSaysWhatToStart()
{
    if (m_real)
        QSKIP("only without a D-Bus session (TestKeychainSecretStoreNoService)");
    auto written = wait<void>([&](QObject* c, Callback<void> d) { m_store.write(QStringLiteral("k"), Secret, c, d); });
    QVERIFY(written && !written->ok());
    const Error& e = written->error();
    QVERIFY2(e.kind == ErrorKind::Config, qPrintable(e.toString()));
    QVERIFY2(e.hint.contains(QLatin1String("gnome-keyring")), qPrintable(e.toString()));
    QVERIFY(!e.toString().contains(Secret));
    auto read = wait<QString>([&](QObject* c, Callback<QString> d) { m_store.read(QStringLiteral("k"), c, d); });
    QVERIFY(read && !read->ok());
    QCOMPARE(read->error().kind, ErrorKind::Config);
}

void TestKeychainSecretStore::errorMapping_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("hintPart");
    QTest::newRow("missing") << int(QKeychain::EntryNotFound) << QString() << int(ErrorKind::NotFound)
                             << QStringLiteral("Accounts");
    QTest::newRow("no backend") << int(QKeychain::NoBackendAvailable) << QString() << int(ErrorKind::Config)
                                << QStringLiteral("gnome-keyring");
    QTest::newRow("service not provided")
        << int(QKeychain::OtherError)
        << QStringLiteral("The name org.freedesktop.secrets was not provided by any .service files")
        << int(ErrorKind::Config) << QStringLiteral("gnome-keyring");
    QTest::newRow("no session bus") << int(QKeychain::OtherError)
                                    << QStringLiteral("Could not connect: No such file or directory")
                                    << int(ErrorKind::Config) << QStringLiteral("dbus-user-session");
    QTest::newRow("prompt dismissed") << int(QKeychain::AccessDeniedByUser) << QString() << int(ErrorKind::Cancelled)
                                      << QStringLiteral("Unlock");
    QTest::newRow("other") << int(QKeychain::OtherError) << QStringLiteral("disk on fire") << int(ErrorKind::Io)
                           << QStringLiteral("unlocked");
}

void TestKeychainSecretStore::errorMapping()
{
    QFETCH(int, code);
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(QString, hintPart);
    const Error e = KeychainSecretStore::errorFor(code, text, QStringLiteral("read"), QStringLiteral("aws/x"));
    QCOMPARE(int(e.kind), kind);
    QVERIFY2(e.hint.contains(hintPart), qPrintable(e.toString()));
    QVERIFY(e.message.contains(QLatin1String("aws/x")));
}

QTEST_GUILESS_MAIN(TestKeychainSecretStore)
#include "TestKeychainSecretStore.moc"
