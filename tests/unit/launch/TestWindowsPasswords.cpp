// WindowsPasswords against fakeaws's demo fleet: GetPasswordData decrypted with the demo key pair's .pem from
// the secret store, and the errors a person can act on (no .pem given, no password yet, a .pem of another key
// pair, a file that is no key); the password never reaches the log.

#include "DemoWindows.h"
#include "tests/unit/api/FakeAwsHarness.h"

#include "core/launch/WindowsPasswords.h"
#include "core/secrets/MemorySecretStore.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;
using apitest::await;
using apitest::FakeAwsHarness;
using launchtest::demoInstance;
using launchtest::demoWindowsKey;
using launchtest::entryFor;

namespace {

QStringList g_log;

void recordLog(QtMsgType, const QMessageLogContext&, const QString& message)
{
    g_log.append(message);
}

// A fresh RSA key that did not launch any instance.
QByteArray otherRsaKey()
{
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"), {QStringLiteral("genrsa"), QStringLiteral("2048")});
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
        return {};
    return openssl.readAllStandardOutput();
}

} // namespace

class TestWindowsPasswords : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void storedKeyDecryptsPassword();
    void keyGivenNowIsNotStored();
    void noKeyStored();
    void notReadyYet();
    void keyOfAnotherKeyPair();
    void notAKey_data();
    void notAKey();
    void notWindows();
    void keyIsPerKeyPair();

private:
    std::unique_ptr<FakeAwsHarness> m_h;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<WindowsPasswords> m_passwords;
    std::unique_ptr<QObject> m_context;

    InventoryEntry entry(const QString& name)
    {
        const fakeaws::Instance* i = demoInstance(m_h->fleet(), name);
        return i ? entryFor(*i) : InventoryEntry {};
    }
    QString expectedPassword(const QString& name) { return demoInstance(m_h->fleet(), name)->password; }
    Result<void> store(const InventoryEntry& e, const QByteArray& pem)
    {
        auto r = await<void>([&](auto done) { m_passwords->storeKey(e, pem, m_context.get(), done); });
        return r ? *r : Result<void>(Error::make(ErrorKind::Timeout, QStringLiteral("no answer")));
    }
    Result<QString> password(const InventoryEntry& e)
    {
        auto r = await<QString>([&](auto done) { m_passwords->password(e, m_context.get(), done); });
        return r ? *r : Result<QString>(Error::make(ErrorKind::Timeout, QStringLiteral("no answer")));
    }
};

void TestWindowsPasswords::init()
{
    m_h = std::make_unique<FakeAwsHarness>();
    QVERIFY2(m_h->ok(), qPrintable(m_h->error()));
    m_secrets = std::make_unique<MemorySecretStore>();
    m_passwords = std::make_unique<WindowsPasswords>(*m_secrets, [this](const QString& source) {
        return source == QLatin1String("prod") ? &m_h->session() : nullptr;
    });
    m_context = std::make_unique<QObject>();
    QVERIFY(!demoWindowsKey().isEmpty());
}

void TestWindowsPasswords::storedKeyDecryptsPassword()
{
    const InventoryEntry e = entry(QStringLiteral("win-ad-01"));
    QVERIFY(e.instance.isWindows());
    QVERIFY(store(e, demoWindowsKey()).ok());
    QVERIFY(m_secrets->contains(WindowsPasswords::secretKey(e)));
    g_log.clear();
    const QtMessageHandler previous = qInstallMessageHandler(recordLog);
    const Result<QString> r = password(e);
    qInstallMessageHandler(previous);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(*r, expectedPassword(QStringLiteral("win-ad-01")));
    QCOMPARE(m_h->requests("GetPasswordData"), 1);
    for (const QString& line : std::as_const(g_log))
        QVERIFY2(!line.contains(*r), "the password was logged");
}

void TestWindowsPasswords::keyGivenNowIsNotStored()
{
    const InventoryEntry e = entry(QStringLiteral("win-ad-01"));
    auto r =
        await<QString>([&](auto done) { m_passwords->passwordWithKey(e, demoWindowsKey(), m_context.get(), done); });
    QVERIFY(r && r->ok());
    QCOMPARE(r->value(), expectedPassword(QStringLiteral("win-ad-01")));
    QVERIFY(m_secrets->keys().isEmpty());
}

void TestWindowsPasswords::noKeyStored()
{
    const Result<QString> r = password(entry(QStringLiteral("win-ad-01")));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::NotFound);
    QVERIFY2(r.error().message.contains(QStringLiteral("demo-windows")), qPrintable(r.error().message));
    QVERIFY2(r.error().hint.contains(QStringLiteral(".pem")), qPrintable(r.error().hint));
    QCOMPARE(m_h->requests("GetPasswordData"), 0); // no key, no point asking EC2
}

void TestWindowsPasswords::notReadyYet()
{
    const InventoryEntry e = entry(QStringLiteral("win-build-02"));
    QVERIFY(e.instance.isWindows());
    QVERIFY(store(e, demoWindowsKey()).ok());
    const Result<QString> r = password(e);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(QStringLiteral("no password")), qPrintable(r.error().message));
    QVERIFY2(r.error().hint.contains(QStringLiteral("few minutes after launch")), qPrintable(r.error().hint));
}

void TestWindowsPasswords::keyOfAnotherKeyPair()
{
    const QByteArray other = otherRsaKey();
    if (other.isEmpty())
        QSKIP("openssl genrsa is not available");
    const InventoryEntry e = entry(QStringLiteral("win-ad-01"));
    QVERIFY(store(e, other).ok());
    const Result<QString> r = password(e);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::Credentials);
    QVERIFY2(r.error().message.contains(QStringLiteral("does not decrypt")), qPrintable(r.error().message));
    QVERIFY2(r.error().hint.contains(QStringLiteral("demo-windows")), qPrintable(r.error().hint));
}

void TestWindowsPasswords::notAKey_data()
{
    QTest::addColumn<QByteArray>("pem");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("text") << QByteArray("hello\n");
    QTest::newRow("public key") << QByteArray(fakeaws::Fleet::demoWindowsPublicKey());
    QTest::newRow("truncated") << demoWindowsKey().left(120);
}

void TestWindowsPasswords::notAKey()
{
    QFETCH(QByteArray, pem);
    const InventoryEntry e = entry(QStringLiteral("win-ad-01"));
    const Result<void> stored = store(e, pem);
    auto r = await<QString>([&](auto done) { m_passwords->passwordWithKey(e, pem, m_context.get(), done); });
    QVERIFY(r.has_value());
    QVERIFY(!r->ok());
    QVERIFY2(!r->error().hint.isEmpty(), qPrintable(r->error().message));
    if (pem.contains("PRIVATE KEY")) {
        // Looks like a key, so it is kept; decrypting with it fails cleanly.
        QCOMPARE(r->error().kind, ErrorKind::Credentials);
    } else {
        QVERIFY(!stored.ok());
        QCOMPARE(r->error().kind, ErrorKind::Usage);
        QVERIFY(m_secrets->keys().isEmpty());
    }
}

void TestWindowsPasswords::notWindows()
{
    const fakeaws::Instance* linux = demoInstance(m_h->fleet(), QStringLiteral("web-1"));
    QVERIFY(linux);
    const Result<QString> r = password(entryFor(*linux));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::Usage);
    QVERIFY(r.error().message.contains(QStringLiteral("not a Windows instance")));
}

void TestWindowsPasswords::keyIsPerKeyPair()
{
    // Two instances launched with the same key pair share one stored .pem; another source does not.
    const InventoryEntry a = entry(QStringLiteral("win-ad-01"));
    const InventoryEntry b = entry(QStringLiteral("win-build-02"));
    QCOMPARE(a.instance.keyName, b.instance.keyName);
    QCOMPARE(WindowsPasswords::secretKey(a), WindowsPasswords::secretKey(b));
    InventoryEntry elsewhere = a;
    elsewhere.source = QStringLiteral("staging");
    QVERIFY(WindowsPasswords::secretKey(a) != WindowsPasswords::secretKey(elsewhere));
    InventoryEntry noPair = a;
    noPair.instance.keyName.clear();
    QVERIFY(WindowsPasswords::secretKey(noPair).contains(a.instance.id));
}

QTEST_GUILESS_MAIN(TestWindowsPasswords)
#include "TestWindowsPasswords.moc"
