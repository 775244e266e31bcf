#include "core/keys/WindowsPassword.h"

#include "core/keys/Ed25519KeyPair.h"

#include "ResultText.h"

#include <QFile>
#include <QTest>

using bl::WindowsPassword;

namespace {

// The password the openssl tool encrypted into password-data.b64 (see tests/data/keys/README.md).
const QString kFixturePassword = QStringLiteral("r8T&qv=2Ld;Wm(HkZ*x4EcJp");

QByteArray fixture(const char* name)
{
    QFile file(QStringLiteral(BL_TESTDATA_DIR "/keys/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return file.readAll();
}

} // namespace

class TestWindowsPassword : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Ciphertext made by the openssl command line, decrypted with both PEM encodings of the key.
    void decryptsOpenSslCiphertext_data()
    {
        QTest::addColumn<QByteArray>("keyFile");
        QTest::newRow("PKCS#1") << QByteArray("rsa2048-pkcs1.pem");
        QTest::newRow("PKCS#8") << QByteArray("rsa2048-pkcs8.pem");
    }
    void decryptsOpenSslCiphertext()
    {
        QFETCH(QByteArray, keyFile);
        auto password = WindowsPassword::decrypt(fixture("password-data.b64"), fixture(keyFile.constData()));
        QVERIFY2(password.ok(), resultText(password).constData());
        QCOMPARE(*password, kFixturePassword);
    }

    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("encryptWith");
        QTest::addColumn<QByteArray>("decryptWith");
        QTest::addColumn<QString>("password");
        QTest::newRow("SPKI public, PKCS#1 private")
            << QByteArray("rsa2048-public.pem") << QByteArray("rsa2048-pkcs1.pem") << QStringLiteral("Simple1!");
        QTest::newRow("PKCS#1 public, PKCS#8 private")
            << QByteArray("rsa2048-public-pkcs1.pem") << QByteArray("rsa2048-pkcs8.pem")
            << QStringLiteral("%;a)x=Rk?3bN@Ww9-(u&t\"Q'");
        QTest::newRow("private key as public source")
            << QByteArray("rsa2048-pkcs8.pem") << QByteArray("rsa2048-pkcs1.pem") << QString(120, QLatin1Char('p'));
    }
    void roundTrip()
    {
        QFETCH(QByteArray, encryptWith);
        QFETCH(QByteArray, decryptWith);
        QFETCH(QString, password);
        auto data = WindowsPassword::encrypt(password, fixture(encryptWith.constData()));
        QVERIFY2(data.ok(), resultText(data).constData());
        QCOMPARE(QByteArray::fromBase64(*data).size(), 256); // one RSA-2048 block, like EC2's
        auto again = WindowsPassword::encrypt(password, fixture(encryptWith.constData()));
        QVERIFY(again.ok());
        QVERIFY(*again != *data); // PKCS#1 v1.5 padding is random
        auto decrypted = WindowsPassword::decrypt(*data, fixture(decryptWith.constData()));
        QVERIFY2(decrypted.ok(), resultText(decrypted).constData());
        QCOMPARE(*decrypted, password);
    }

    // EC2 returns the base64 with line breaks; users paste it with more.
    void ignoresWhitespace()
    {
        QByteArray data = fixture("password-data.b64");
        QVERIFY(data.contains('\n'));
        data.insert(10, " \t");
        data.insert(100, "\r\n  ");
        data.prepend("\n  ");
        data.append("\r\n\r\n");
        auto password = WindowsPassword::decrypt(data, fixture("rsa2048-pkcs8.pem"));
        QVERIFY2(password.ok(), resultText(password).constData());
        QCOMPARE(*password, kFixturePassword);
    }

    void emptyDataMeansNotReadyYet_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("whitespace") << QByteArray(" \n\t\r\n ");
    }
    void emptyDataMeansNotReadyYet()
    {
        QFETCH(QByteArray, data);
        auto password = WindowsPassword::decrypt(data, fixture("rsa2048-pkcs8.pem"));
        QVERIFY(!password.ok());
        QCOMPARE(password.error().kind, bl::ErrorKind::NotFound);
        QVERIFY2(password.error().message.contains(QStringLiteral("has not generated the password yet")),
                 resultText(password).constData());
        QVERIFY(password.error().message.contains(QStringLiteral("15")));
    }

    void wrongKeyIsNamed_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::newRow("fixture data") << fixture("password-data.b64");
        QTest::newRow("truncated ciphertext")
            << QByteArray::fromBase64(fixture("password-data.b64")).left(100).toBase64();
    }
    void wrongKeyIsNamed()
    {
        QFETCH(QByteArray, data);
        auto password = WindowsPassword::decrypt(data, fixture("other-rsa2048.pem"));
        QVERIFY(!password.ok());
        QVERIFY2(
            password.error().message.contains(QStringLiteral("this key does not belong to the instance's key pair")),
            resultText(password).constData());
    }

    void badKeysGetClearErrors_data()
    {
        QTest::addColumn<QByteArray>("pem");
        QTest::addColumn<QString>("expected");
        QTest::newRow("encrypted") << fixture("rsa2048-encrypted.pem") << QStringLiteral("passphrase");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("not a PEM");
        QTest::newRow("garbage") << QByteArray("hello world") << QStringLiteral("not a PEM");
        QTest::newRow("truncated") << fixture("rsa2048-pkcs1.pem").left(400) << QStringLiteral("could not be read");
        QTest::newRow("public key") << fixture("rsa2048-public.pem") << QStringLiteral("could not be read");
        QTest::newRow("ed25519") << fixture("ed25519.pem") << QStringLiteral("RSA key pairs");
        auto openssh = bl::Ed25519KeyPair::generate();
        QTest::newRow("OpenSSH format") << openssh->toOpenSshPrivateKey() << QStringLiteral("OpenSSH format");
    }
    void badKeysGetClearErrors()
    {
        QFETCH(QByteArray, pem);
        QFETCH(QString, expected);
        auto password = WindowsPassword::decrypt(fixture("password-data.b64"), pem);
        QVERIFY(!password.ok());
        QCOMPARE(password.error().kind, bl::ErrorKind::Usage);
        QVERIFY2(password.error().message.contains(expected), resultText(password).constData());
        QVERIFY(!password.error().hint.isEmpty());
    }

    void rejectsInvalidBase64()
    {
        auto password = WindowsPassword::decrypt(QByteArray("not*base64!"), fixture("rsa2048-pkcs8.pem"));
        QVERIFY(!password.ok());
        QCOMPARE(password.error().kind, bl::ErrorKind::Parse);
    }

    void encryptRejectsBadInput()
    {
        QVERIFY(!WindowsPassword::encrypt(QStringLiteral("x"), QByteArray("junk")).ok());
        QVERIFY(!WindowsPassword::encrypt(QStringLiteral("x"), fixture("ed25519.pem")).ok());
        QVERIFY(!WindowsPassword::encrypt(QStringLiteral("x"), fixture("rsa2048-encrypted.pem")).ok());
        // PKCS#1 v1.5 leaves room for at most 245 bytes in a 2048-bit block.
        auto tooLong = WindowsPassword::encrypt(QString(300, QLatin1Char('x')), fixture("rsa2048-public.pem"));
        QVERIFY(!tooLong.ok());
        QVERIFY2(tooLong.error().message.contains(QStringLiteral("too long")), resultText(tooLong).constData());
    }
};

QTEST_GUILESS_MAIN(TestWindowsPassword)
#include "TestWindowsPassword.moc"
