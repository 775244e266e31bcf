#include "core/keys/KnownHosts.h"

#include "core/keys/Ed25519KeyPair.h"

#include "ResultText.h"
#include "ToolRunner.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using bl::KnownHosts;

namespace {

const QString kId = QStringLiteral("i-0123456789abcdef0");
const QString kOtherId = QStringLiteral("i-0fedcba9876543210");

QString newEd25519Key()
{
    auto key = bl::Ed25519KeyPair::generate(QStringLiteral("root@host"));
    return key.ok() ? key->publicKeyLine() : QString();
}

QString typeAndBlob(const QString& line)
{
    return line.section(QLatin1Char(' '), 0, 1);
}

// A syntactically valid ssh-rsa blob (string "ssh-rsa", e, n); ssh-keygen -F does not validate it.
QString rsaKey(char fill)
{
    QByteArray blob;
    for (const QByteArray& part : {QByteArray("ssh-rsa"), QByteArray::fromHex("010001"), QByteArray(257, fill)}) {
        const quint32 n = quint32(part.size());
        blob.append(char(n >> 24)).append(char(n >> 16)).append(char(n >> 8)).append(char(n));
        blob.append(part);
    }
    return QStringLiteral("ssh-rsa ") + QString::fromLatin1(blob.toBase64());
}

QString readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

bool writeAll(const QString& path, const QString& text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) == text.toUtf8().size();
}

} // namespace

class TestKnownHosts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_tmp.reset(new QTemporaryDir);
        QVERIFY(m_tmp->isValid());
        m_path = m_tmp->filePath(QStringLiteral("state/known_hosts"));
    }

    void missingFileKnowsNothing()
    {
        KnownHosts hosts(m_path);
        auto keys = hosts.lookup(kId);
        QVERIFY2(keys.ok(), resultText(keys).constData());
        QVERIFY(keys->isEmpty());
        auto status = hosts.check(kId, newEd25519Key());
        QVERIFY(status.ok());
        QCOMPARE(*status, KnownHosts::Status::Unknown);
    }

    void recordsAndMatches()
    {
        KnownHosts hosts(m_path);
        const QString key = newEd25519Key();
        auto recorded = hosts.record(kId, key);
        QVERIFY2(recorded.ok(), resultText(recorded).constData());
        QCOMPARE(readAll(m_path), kId + QLatin1Char(' ') + typeAndBlob(key) + QLatin1Char('\n'));
        QCOMPARE(*hosts.lookup(kId), QStringList {typeAndBlob(key)});
        QCOMPARE(*hosts.check(kId, key), KnownHosts::Status::Matches);
        QCOMPARE(*hosts.check(QStringLiteral("i-0123456789ABCDEF0"), key), KnownHosts::Status::Matches);
        QCOMPARE(*hosts.check(kOtherId, key), KnownHosts::Status::Unknown);
    }

    void detectsChangedKey()
    {
        KnownHosts hosts(m_path);
        QVERIFY(hosts.record(kId, newEd25519Key()).ok());
        QCOMPARE(*hosts.check(kId, newEd25519Key()), KnownHosts::Status::Changed);
        // A key of a type we have no record of is new, not changed (ssh asks for known types first).
        QCOMPARE(*hosts.check(kId, rsaKey('a')), KnownHosts::Status::Unknown);
    }

    // Recording replaces the key of that type only, and leaves every other line as it was.
    void recordReplacesSameTypeOnly()
    {
        const QString oldKey = newEd25519Key();
        const QString otherHostKey = newEd25519Key();
        const QString original = QStringLiteral("# managed by Bastionless\n") + kId + QLatin1Char(' ')
            + typeAndBlob(oldKey) + QLatin1Char('\n') + kId + QLatin1Char(' ') + rsaKey('b') + QLatin1Char('\n')
            + kOtherId + QLatin1Char(' ') + typeAndBlob(otherHostKey) + QLatin1Char('\n')
            + QStringLiteral("@cert-authority *.example.com ") + rsaKey('c') + QLatin1Char('\n')
            + QStringLiteral("|1|c2FsdA==|aGFzaA== ") + rsaKey('d') + QLatin1Char('\n');
        QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
        QVERIFY(writeAll(m_path, original));

        KnownHosts hosts(m_path);
        const QString newKey = newEd25519Key();
        QVERIFY(hosts.record(kId, newKey).ok());
        QCOMPARE(*hosts.check(kId, newKey), KnownHosts::Status::Matches);
        QCOMPARE(*hosts.check(kId, oldKey), KnownHosts::Status::Changed);
        QCOMPARE(*hosts.check(kId, rsaKey('b')), KnownHosts::Status::Matches);
        QCOMPARE(*hosts.check(kOtherId, otherHostKey), KnownHosts::Status::Matches);
        const QString text = readAll(m_path);
        QVERIFY(text.contains(QStringLiteral("# managed by Bastionless\n")));
        QVERIFY(text.contains(QStringLiteral("@cert-authority *.example.com ")));
        QVERIFY(text.contains(QStringLiteral("|1|c2FsdA==|aGFzaA== ")));
        QVERIFY(!text.contains(typeAndBlob(oldKey)));
        QCOMPARE(hosts.lookup(kId)->size(), 2);
    }

    void forgetKeepsSharedLinesForOtherHosts()
    {
        QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
        const QString shared = typeAndBlob(newEd25519Key());
        QVERIFY(writeAll(m_path,
                         kId + QLatin1Char(',') + kOtherId + QLatin1Char(' ') + shared + QStringLiteral(" a comment\n")
                             + kId + QLatin1Char(' ') + rsaKey('e') + QLatin1Char('\n')));
        KnownHosts hosts(m_path);
        QCOMPARE(hosts.lookup(kId)->size(), 2);
        QVERIFY(hosts.forget(kId).ok());
        QVERIFY(hosts.lookup(kId)->isEmpty());
        QCOMPARE(*hosts.lookup(kOtherId), QStringList {shared});
        QCOMPARE(readAll(m_path), kOtherId + QLatin1Char(' ') + shared + QStringLiteral(" a comment\n"));
    }

    // ssh itself (through ssh-keygen -F, which uses the same matching) finds what we recorded under the alias
    // that ssh is given as HostKeyAlias.
    void sshFindsRecordedAlias()
    {
        KnownHosts hosts(m_path);
        const QString key = newEd25519Key();
        QVERIFY(hosts.record(kId, key).ok());
        QVERIFY(hosts.record(kOtherId, rsaKey('f')).ok());
        const ToolResult found =
            ToolRunner::run(QStringLiteral("ssh-keygen"), {QStringLiteral("-F"), kId, QStringLiteral("-f"), m_path});
        QVERIFY2(found.exitCode == 0, found.err.constData());
        QVERIFY(QString::fromUtf8(found.out).contains(kId + QLatin1Char(' ') + typeAndBlob(key)));
        QVERIFY(!QString::fromUtf8(found.out).contains(kOtherId));
        const ToolResult absent = ToolRunner::run(
            QStringLiteral("ssh-keygen"),
            {QStringLiteral("-F"), QStringLiteral("i-0000000000000000f"), QStringLiteral("-f"), m_path});
        QCOMPARE(absent.exitCode, 1);
    }

    void rejectsBadInput_data()
    {
        QTest::addColumn<QString>("alias");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("kind");
        QTest::newRow("no blob") << kId << QStringLiteral("ssh-ed25519") << int(bl::ErrorKind::Parse);
        QTest::newRow("not base64") << kId << QStringLiteral("ssh-ed25519 !!!!") << int(bl::ErrorKind::Parse);
        QTest::newRow("type mismatch") << kId
                                       << QStringLiteral("ssh-rsa ") + newEd25519Key().section(QLatin1Char(' '), 1, 1)
                                       << int(bl::ErrorKind::Parse);
        QTest::newRow("alias with space") << QStringLiteral("i-1 evil") << newEd25519Key() << int(bl::ErrorKind::Usage);
        QTest::newRow("alias pattern") << QStringLiteral("*") << newEd25519Key() << int(bl::ErrorKind::Usage);
        QTest::newRow("alias list") << QStringLiteral("i-1,i-2") << newEd25519Key() << int(bl::ErrorKind::Usage);
        QTest::newRow("empty alias") << QString() << newEd25519Key() << int(bl::ErrorKind::Usage);
    }
    void rejectsBadInput()
    {
        QFETCH(QString, alias);
        QFETCH(QString, key);
        QFETCH(int, kind);
        KnownHosts hosts(m_path);
        auto recorded = hosts.record(alias, key);
        QVERIFY(!recorded.ok());
        QCOMPARE(int(recorded.error().kind), kind);
        QVERIFY(!QFile::exists(m_path));
    }

    void reportsUnreadableFile()
    {
        QVERIFY(QDir().mkpath(m_path)); // a directory where the file should be
        KnownHosts hosts(m_path);
        auto keys = hosts.lookup(kId);
        QVERIFY(!keys.ok());
        QCOMPARE(keys.error().kind, bl::ErrorKind::Io);
        QVERIFY(!hosts.record(kId, newEd25519Key()).ok());
    }

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_path;
};

QTEST_GUILESS_MAIN(TestKnownHosts)
#include "TestKnownHosts.moc"
