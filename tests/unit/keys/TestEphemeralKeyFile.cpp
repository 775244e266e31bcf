#include "core/keys/EphemeralKeyFile.h"

#include "core/keys/Ed25519KeyPair.h"
#include "core/keys/RuntimeDir.h"

#include "ResultText.h"
#include "ToolRunner.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

using bl::EphemeralKeyFile;

namespace {

mode_t modeOf(const QString& path)
{
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return st.st_mode & 07777;
}

bool setAge(const QString& path, qint64 secondsAgo)
{
    struct timeval times[2] = {};
    times[0].tv_sec = times[1].tv_sec = ::time(nullptr) - secondsAgo;
    return ::lutimes(QFile::encodeName(path).constData(), times) == 0;
}

bool touch(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly);
}

} // namespace

class TestEphemeralKeyFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_tmp.reset(new QTemporaryDir);
        QVERIFY(m_tmp->isValid());
        auto dir = bl::RuntimeDir::ensure(m_tmp->filePath(QStringLiteral("run")));
        QVERIFY2(dir.ok(), resultText(dir).constData());
        m_dir = *dir;
    }

    // Whatever the umask, the key is 0600 (ssh refuses group/other-readable keys) in the 0700 directory, and
    // ssh-keygen reads back the key we meant to write.
    void writesPrivateFiles_data()
    {
        QTest::addColumn<int>("umask");
        QTest::newRow("umask 000") << 0;
        QTest::newRow("umask 022") << 022;
        QTest::newRow("umask 377") << 0377;
    }
    void writesPrivateFiles()
    {
        QFETCH(int, umask);
        auto key = bl::Ed25519KeyPair::generate(QStringLiteral("ephemeral"));
        QVERIFY(key.ok());
        const mode_t old = ::umask(mode_t(umask));
        auto file = EphemeralKeyFile::create(m_dir, *key);
        ::umask(old);
        QVERIFY2(file.ok(), resultText(file).constData());

        QCOMPARE(QFileInfo(file->path()).absolutePath(), m_dir);
        QVERIFY(QFileInfo(file->path()).fileName().startsWith(EphemeralKeyFile::filePrefix()));
        QCOMPARE(file->publicKeyPath(), file->path() + QStringLiteral(".pub"));
        QCOMPARE(modeOf(m_dir), mode_t(0700));
        QCOMPARE(modeOf(file->path()), mode_t(0600));
        QCOMPARE(modeOf(file->publicKeyPath()), mode_t(0600));

        QFile pub(file->publicKeyPath());
        QVERIFY(pub.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(pub.readAll()), key->publicKeyLine() + QLatin1Char('\n'));
        const ToolResult derived =
            ToolRunner::run(QStringLiteral("ssh-keygen"), {QStringLiteral("-y"), QStringLiteral("-f"), file->path()});
        QVERIFY2(derived.exitCode == 0, derived.err.constData());
        QCOMPARE(QString::fromUtf8(derived.out.trimmed()), key->publicKeyLine());
    }

    void removesFilesWhenDestroyed()
    {
        auto key = bl::Ed25519KeyPair::generate();
        QVERIFY(key.ok());
        QString path, pubPath;
        {
            auto file = EphemeralKeyFile::create(m_dir, *key);
            QVERIFY(file.ok());
            path = file->path();
            pubPath = file->publicKeyPath();
            QVERIFY(QFile::exists(path));
            QVERIFY(QFile::exists(pubPath));
        }
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(pubPath));
        QVERIFY(QDir(m_dir).isEmpty());
    }

    void removeIsExplicitAndIdempotent()
    {
        auto key = bl::Ed25519KeyPair::generate();
        QVERIFY(key.ok());
        auto file = EphemeralKeyFile::create(m_dir, *key);
        QVERIFY(file.ok());
        const QString path = file->path();
        file->remove();
        QVERIFY(!QFile::exists(path));
        QVERIFY(file->path().isEmpty());
        file->remove();
        QVERIFY(QDir(m_dir).isEmpty());
    }

    void moveTransfersOwnership()
    {
        auto key = bl::Ed25519KeyPair::generate();
        QVERIFY(key.ok());
        auto created = EphemeralKeyFile::create(m_dir, *key);
        QVERIFY(created.ok());
        const QString path = created->path();
        std::optional<EphemeralKeyFile> holder;
        {
            EphemeralKeyFile moved = std::move(created).value();
            holder.emplace(std::move(moved));
        } // the moved-from object dies here and must not delete the files
        QVERIFY(QFile::exists(path));
        QCOMPARE(holder->path(), path);
        holder.reset();
        QVERIFY(!QFile::exists(path));
    }

    void eachKeyGetsItsOwnFile()
    {
        auto a = EphemeralKeyFile::create(m_dir, QByteArray("secret a"), QByteArray());
        auto b = EphemeralKeyFile::create(m_dir, QByteArray("secret b"), QByteArray());
        QVERIFY(a.ok() && b.ok());
        QVERIFY(a->path() != b->path());
        QVERIFY(a->publicKeyPath().isEmpty());
        QCOMPARE(QDir(m_dir).entryList(QDir::Files).size(), 2);
    }

    void reportsUnwritableDirectory()
    {
        const QString missing = m_tmp->filePath(QStringLiteral("gone"));
        auto file = EphemeralKeyFile::create(missing, QByteArray("secret"), QByteArray("ssh-ed25519 AAAA"));
        QVERIFY(!file.ok());
        QCOMPARE(file.error().kind, bl::ErrorKind::Io);
        QVERIFY2(file.error().message.contains(missing), resultText(file).constData());
    }

    // Files a crashed run left behind are swept by age; fresh keys of a running session and files that are not
    // ours stay, and a planted symlink is removed without touching its target.
    void removesStaleFiles()
    {
        const QString oldKey = QDir(m_dir).filePath(EphemeralKeyFile::filePrefix() + QStringLiteral("0001"));
        const QString oldPub = oldKey + QStringLiteral(".pub");
        const QString freshKey = QDir(m_dir).filePath(EphemeralKeyFile::filePrefix() + QStringLiteral("0002"));
        const QString foreign = QDir(m_dir).filePath(QStringLiteral("notes.txt"));
        const QString target = m_tmp->filePath(QStringLiteral("precious"));
        const QString oldLink = QDir(m_dir).filePath(EphemeralKeyFile::filePrefix() + QStringLiteral("0003"));
        QVERIFY(touch(oldKey) && touch(oldPub) && touch(freshKey) && touch(foreign) && touch(target));
        QVERIFY(QFile::link(target, oldLink));
        for (const QString& path : {oldKey, oldPub, foreign, target, oldLink})
            QVERIFY(setAge(path, 3 * 3600));
        QVERIFY(setAge(freshKey, 10 * 60));

        QCOMPARE(EphemeralKeyFile::removeStale(m_dir, std::chrono::minutes(60)), 3);
        QVERIFY(!QFile::exists(oldKey));
        QVERIFY(!QFile::exists(oldPub));
        QVERIFY(!QFileInfo(oldLink).isSymLink());
        QVERIFY(QFile::exists(target));
        QVERIFY(QFile::exists(freshKey));
        QVERIFY(QFile::exists(foreign));

        // Measured from the given "now": an hour later the fresh key is stale too.
        QCOMPARE(EphemeralKeyFile::removeStale(m_dir, std::chrono::minutes(60),
                                               QDateTime::currentDateTimeUtc().addSecs(3600)),
                 1);
        QVERIFY(!QFile::exists(freshKey));
        QCOMPARE(EphemeralKeyFile::removeStale(m_tmp->filePath(QStringLiteral("missing")), std::chrono::minutes(1)), 0);
    }

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_dir;
};

QTEST_GUILESS_MAIN(TestEphemeralKeyFile)
#include "TestEphemeralKeyFile.moc"
