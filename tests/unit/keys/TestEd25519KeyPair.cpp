#include "core/keys/Ed25519KeyPair.h"
#include "core/keys/SshWire.h"

#include "ResultText.h"
#include "ToolRunner.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using bl::Ed25519KeyPair;

namespace {

// Writes the private key (and .pub) the way ssh expects it: mode 0600, else ssh-keygen refuses to read it.
QString writeKey(const QTemporaryDir& dir, const Ed25519KeyPair& key, const QString& name)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(QFile::ReadOwner | QFile::WriteOwner))
        return {};
    file.write(key.toOpenSshPrivateKey());
    file.close();
    QFile pub(path + QStringLiteral(".pub"));
    if (!pub.open(QIODevice::WriteOnly))
        return {};
    pub.write(key.publicKeyLine().toUtf8() + '\n');
    return path;
}

QByteArray sshKeygenBody(const QByteArray& text)
{
    QByteArray base64;
    for (const QByteArray& line : text.split('\n')) {
        if (!line.startsWith("-----"))
            base64 += line;
    }
    return QByteArray::fromBase64(base64);
}

} // namespace

class TestEd25519KeyPair : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("ssh-keygen")).isEmpty(),
                 "ssh-keygen (Debian package openssh-client) is needed to check the key formats");
    }

    // RFC 8032 §7.1, TEST 1: the public key derived from a published secret key.
    void derivesRfc8032PublicKey()
    {
        const auto seed = QByteArray::fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        auto key = Ed25519KeyPair::fromSeed(seed, QStringLiteral("rfc8032"));
        QVERIFY2(key.ok(), resultText(key).constData());
        QCOMPARE(key->publicKey().toHex(),
                 QByteArrayLiteral("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        QCOMPARE(key->sshPrivateKey(), seed + key->publicKey());
        // The blob is string "ssh-ed25519", string pub (RFC 8709 §4).
        QCOMPARE(key->publicKeyBlob(),
                 QByteArray::fromHex("0000000b") + "ssh-ed25519" + QByteArray::fromHex("00000020") + key->publicKey());
        QCOMPARE(key->publicKeyLine(),
                 QStringLiteral("ssh-ed25519 ") + QString::fromLatin1(key->publicKeyBlob().toBase64())
                     + QStringLiteral(" rfc8032"));
    }

    void rejectsSeedOfWrongLength()
    {
        auto key = Ed25519KeyPair::fromSeed(QByteArray(31, 'a'));
        QVERIFY(!key.ok());
        QVERIFY(key.error().message.contains(QStringLiteral("32 bytes")));
    }

    // SendSSHPublicKey needs at least 80 characters; a bare ed25519 line is exactly that long.
    void publicLineLength_data()
    {
        QTest::addColumn<QString>("comment");
        QTest::addColumn<QString>("expectedComment");
        QTest::newRow("no comment") << QString() << QString();
        QTest::newRow("comment") << QStringLiteral("bastionless@laptop") << QStringLiteral("bastionless@laptop");
        QTest::newRow("newline stripped") << QStringLiteral("evil\nssh-rsa AAAA") << QStringLiteral("evilssh-rsa AAAA");
    }
    void publicLineLength()
    {
        QFETCH(QString, comment);
        QFETCH(QString, expectedComment);
        auto key = Ed25519KeyPair::generate(comment);
        QVERIFY(key.ok());
        QCOMPARE(key->comment(), expectedComment);
        const QString line = key->publicKeyLine();
        QCOMPARE(line.size(), expectedComment.isEmpty() ? 80 : 81 + expectedComment.size());
        QVERIFY(line.startsWith(QStringLiteral("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI")));
        QVERIFY(!line.contains(QLatin1Char('\n')));
    }

    void generatesDistinctKeys()
    {
        auto a = Ed25519KeyPair::generate();
        auto b = Ed25519KeyPair::generate();
        QVERIFY(a.ok() && b.ok());
        QVERIFY(a->publicKey() != b->publicKey());
        QVERIFY(a->sshPrivateKey() != b->sshPrivateKey());
        QVERIFY(a->sshPrivateKey().left(32) != QByteArray(32, '\0'));
    }

    // The openssh-key-v1 layout, field by field (PROTOCOL.key in OpenSSH).
    void privateKeyLayout()
    {
        auto key = Ed25519KeyPair::generate(QStringLiteral("layout"));
        QVERIFY(key.ok());
        const QByteArray text = key->toOpenSshPrivateKey();
        const QList<QByteArray> lines = text.split('\n');
        QCOMPARE(lines.first(), QByteArrayLiteral("-----BEGIN OPENSSH PRIVATE KEY-----"));
        QCOMPARE(lines.at(lines.size() - 2), QByteArrayLiteral("-----END OPENSSH PRIVATE KEY-----"));
        QCOMPARE(lines.last(), QByteArray()); // ends with a newline
        for (qsizetype i = 1; i < lines.size() - 3; ++i)
            QCOMPARE(lines.at(i).size(), 70);
        QVERIFY(lines.at(lines.size() - 3).size() <= 70);

        const QByteArray body = sshKeygenBody(text);
        QVERIFY(body.startsWith(QByteArray("openssh-key-v1", 15)));
        qsizetype pos = 15;
        QByteArray cipher, kdf, kdfOptions, pub, section;
        quint32 count = 0;
        QVERIFY(bl::SshWire::readString(body, pos, cipher));
        QVERIFY(bl::SshWire::readString(body, pos, kdf));
        QVERIFY(bl::SshWire::readString(body, pos, kdfOptions));
        QVERIFY(bl::SshWire::readUint32(body, pos, count));
        QVERIFY(bl::SshWire::readString(body, pos, pub));
        QVERIFY(bl::SshWire::readString(body, pos, section));
        QCOMPARE(pos, body.size());
        QCOMPARE(cipher, QByteArray("none"));
        QCOMPARE(kdf, QByteArray("none"));
        QCOMPARE(kdfOptions, QByteArray());
        QCOMPARE(count, 1u);
        QCOMPARE(pub, key->publicKeyBlob());
        QCOMPARE(section.size() % 8, 0);

        qsizetype p = 0;
        quint32 check1 = 0, check2 = 0;
        QByteArray type, pubRaw, priv, comment;
        QVERIFY(bl::SshWire::readUint32(section, p, check1));
        QVERIFY(bl::SshWire::readUint32(section, p, check2));
        QCOMPARE(check1, check2);
        QVERIFY(bl::SshWire::readString(section, p, type));
        QVERIFY(bl::SshWire::readString(section, p, pubRaw));
        QVERIFY(bl::SshWire::readString(section, p, priv));
        QVERIFY(bl::SshWire::readString(section, p, comment));
        QCOMPARE(type, QByteArray("ssh-ed25519"));
        QCOMPARE(pubRaw, key->publicKey());
        QCOMPARE(priv, key->sshPrivateKey());
        QCOMPARE(comment, QByteArray("layout"));
        for (char expected = 1; p < section.size(); ++expected, ++p)
            QCOMPARE(section.at(p), expected);
    }

    // The real ssh-keygen reads our private key back, derives the same public line and the same fingerprint,
    // and signs with it (which only verifies if the seed and the public key belong together).
    void acceptedBySshKeygen_data()
    {
        QTest::addColumn<QString>("comment");
        QTest::newRow("no comment") << QString();
        QTest::newRow("plain") << QStringLiteral("bastionless");
        QTest::newRow("spaces") << QStringLiteral("bastionless i-0123456789abcdef0 ec2-user");
        QTest::newRow("utf8") << QStringLiteral("cl\u00e9 \u043a\u043b\u044e\u0447");
        QTest::newRow("long") << QString(200, QLatin1Char('c'));
    }
    void acceptedBySshKeygen()
    {
        QFETCH(QString, comment);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (int round = 0; round < 3; ++round) {
            auto key = Ed25519KeyPair::generate(comment);
            QVERIFY(key.ok());
            const QString path = writeKey(dir, *key, QStringLiteral("key%1").arg(round));
            QVERIFY(!path.isEmpty());

            const ToolResult pub =
                ToolRunner::run(QStringLiteral("ssh-keygen"), {QStringLiteral("-y"), QStringLiteral("-f"), path});
            QVERIFY2(pub.exitCode == 0, pub.err.constData());
            QCOMPARE(QString::fromUtf8(pub.out.trimmed()), key->publicKeyLine());

            for (const QString& file : {path, path + QStringLiteral(".pub")}) {
                const ToolResult fp =
                    ToolRunner::run(QStringLiteral("ssh-keygen"), {QStringLiteral("-l"), QStringLiteral("-f"), file});
                QVERIFY2(fp.exitCode == 0, fp.err.constData());
                const QList<QByteArray> fields = fp.out.trimmed().split(' ');
                QCOMPARE(fields.value(0), QByteArray("256"));
                QCOMPARE(QString::fromLatin1(fields.value(1)), key->fingerprint());
                QVERIFY(fp.out.trimmed().endsWith("(ED25519)"));
            }

            QFile data(dir.filePath(QStringLiteral("data%1").arg(round)));
            QVERIFY(data.open(QIODevice::WriteOnly));
            data.write("signed by bastionless");
            data.close();
            const ToolResult sign =
                ToolRunner::run(QStringLiteral("ssh-keygen"),
                                {QStringLiteral("-Y"), QStringLiteral("sign"), QStringLiteral("-f"), path,
                                 QStringLiteral("-n"), QStringLiteral("test"), data.fileName()});
            QVERIFY2(sign.exitCode == 0, sign.err.constData());
            QFile sig(data.fileName() + QStringLiteral(".sig"));
            QVERIFY(sig.open(QIODevice::ReadOnly));
            const ToolResult check =
                ToolRunner::run(QStringLiteral("ssh-keygen"),
                                {QStringLiteral("-Y"), QStringLiteral("check-novalidate"), QStringLiteral("-n"),
                                 QStringLiteral("test"), QStringLiteral("-s"), sig.fileName()},
                                QProcessEnvironment::systemEnvironment(), QByteArray("signed by bastionless"));
            QVERIFY2(check.exitCode == 0, check.err.constData());
        }
    }

    // The fingerprint format ssh-keygen -l prints for the RFC key: no '=' padding, 43 base64 characters.
    void fingerprintFormat()
    {
        auto key = Ed25519KeyPair::fromSeed(QByteArray(32, '\x42'));
        QVERIFY(key.ok());
        const QString fp = key->fingerprint();
        QVERIFY(fp.startsWith(QStringLiteral("SHA256:")));
        QCOMPARE(fp.size(), 7 + 43);
        QVERIFY(!fp.endsWith(QLatin1Char('=')));
        QTemporaryDir dir;
        const QString path = writeKey(dir, *key, QStringLiteral("fixed"));
        const ToolResult out = ToolRunner::run(QStringLiteral("ssh-keygen"),
                                               {QStringLiteral("-l"), QStringLiteral("-E"), QStringLiteral("sha256"),
                                                QStringLiteral("-f"), path + QStringLiteral(".pub")});
        QCOMPARE(QString::fromLatin1(out.out.split(' ').value(1)), fp);
    }

    void moveLeavesNoSecretBehind()
    {
        auto generated = Ed25519KeyPair::generate(QStringLiteral("moved"));
        QVERIFY(generated.ok());
        Ed25519KeyPair original = std::move(generated).value();
        const QByteArray secret = original.sshPrivateKey();
        Ed25519KeyPair moved = std::move(original);
        QCOMPARE(moved.sshPrivateKey(), secret);
        QCOMPARE(moved.comment(), QStringLiteral("moved"));
        // NOLINTNEXTLINE(bugprone-use-after-move): checking that the source was wiped is the point
        QCOMPARE(original.sshPrivateKey().left(32), QByteArray(32, '\0'));
    }
};

QTEST_GUILESS_MAIN(TestEd25519KeyPair)
#include "TestEd25519KeyPair.moc"
