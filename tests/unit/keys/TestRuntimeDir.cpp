#include "core/keys/RuntimeDir.h"

#include "ResultText.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using bl::RuntimeDir;

namespace {

constexpr uid_t kNobody = 65534;

mode_t modeOf(const QString& path)
{
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return st.st_mode & 07777;
}

bool makeDir(const QString& path, mode_t mode)
{
    return ::mkdir(QFile::encodeName(path).constData(), mode) == 0
        && ::chmod(QFile::encodeName(path).constData(), mode) == 0;
}

} // namespace

class TestRuntimeDir : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_tmp.reset(new QTemporaryDir);
        QVERIFY(m_tmp->isValid());
    }

    void choosesXdgRuntimeDirWhenUsable()
    {
        const QString xdg = m_tmp->filePath(QStringLiteral("xdg"));
        QVERIFY(makeDir(xdg, 0700));
        QCOMPARE(RuntimeDir::choosePath(xdg, m_tmp->path()), xdg + QStringLiteral("/bastionless"));
        QCOMPARE(RuntimeDir::choosePath(xdg + QStringLiteral("/"), m_tmp->path()),
                 xdg + QStringLiteral("/bastionless"));
    }

    void fallsBackToTmp_data()
    {
        QTest::addColumn<QString>("xdg");
        QTest::newRow("unset") << QString();
        QTest::newRow("relative") << QStringLiteral("run/user/1000");
        QTest::newRow("missing") << QStringLiteral("@tmp/does-not-exist");
        QTest::newRow("a file") << QStringLiteral("@tmp/file");
    }
    void fallsBackToTmp()
    {
        QFETCH(QString, xdg);
        xdg.replace(QStringLiteral("@tmp"), m_tmp->path());
        QFile file(m_tmp->filePath(QStringLiteral("file")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(RuntimeDir::choosePath(xdg, m_tmp->path()),
                 m_tmp->path() + QStringLiteral("/bastionless-") + QString::number(::geteuid()));
    }

    void fallsBackWhenXdgBelongsToSomeoneElse()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to hand a directory to another user");
        const QString xdg = m_tmp->filePath(QStringLiteral("xdg"));
        QVERIFY(makeDir(xdg, 0700));
        QVERIFY(::chown(QFile::encodeName(xdg).constData(), kNobody, kNobody) == 0);
        QVERIFY(RuntimeDir::choosePath(xdg, m_tmp->path()).startsWith(m_tmp->path() + QStringLiteral("/bastionless-")));
    }

    void createsPrivateDirectory()
    {
        const mode_t oldMask = ::umask(0);
        const QString path = m_tmp->filePath(QStringLiteral("bastionless-test"));
        auto result = RuntimeDir::ensure(path);
        ::umask(oldMask);
        QVERIFY2(result.ok(), resultText(result).constData());
        QCOMPARE(*result, path);
        QVERIFY(QFileInfo(path).isDir());
        QCOMPARE(modeOf(path), mode_t(0700));
        // A second call accepts the directory it made.
        QVERIFY(RuntimeDir::ensure(path).ok());
    }

    void tightensExistingDirectory()
    {
        const QString path = m_tmp->filePath(QStringLiteral("loose"));
        QVERIFY(makeDir(path, 0755));
        auto result = RuntimeDir::ensure(path);
        QVERIFY2(result.ok(), resultText(result).constData());
        QCOMPARE(modeOf(path), mode_t(0700));
    }

    void refusesSymlink()
    {
        const QString target = m_tmp->filePath(QStringLiteral("elsewhere"));
        const QString link = m_tmp->filePath(QStringLiteral("bastionless"));
        QVERIFY(makeDir(target, 0755));
        QVERIFY(QFile::link(target, link));
        auto result = RuntimeDir::ensure(link);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, bl::ErrorKind::Io);
        QVERIFY2(result.error().message.contains(QStringLiteral("symbolic link")), resultText(result).constData());
        QVERIFY(!result.error().hint.isEmpty());
        QCOMPARE(modeOf(target), mode_t(0755)); // the link's target was not touched
    }

    void refusesFile()
    {
        const QString path = m_tmp->filePath(QStringLiteral("bastionless"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        auto result = RuntimeDir::ensure(path);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(QStringLiteral("not a directory")), resultText(result).constData());
    }

    void refusesOtherOwner()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to hand a directory to another user");
        const QString path = m_tmp->filePath(QStringLiteral("theirs"));
        QVERIFY(makeDir(path, 0777));
        QVERIFY(::chown(QFile::encodeName(path).constData(), kNobody, kNobody) == 0);
        auto result = RuntimeDir::ensure(path);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(QStringLiteral("another user")), resultText(result).constData());
        QCOMPARE(modeOf(path), mode_t(0777)); // not "repaired": it is not ours to change
    }

    void refusesMissingParentAndRelativePath()
    {
        auto missing = RuntimeDir::ensure(m_tmp->filePath(QStringLiteral("no/such/parent")));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.contains(QStringLiteral("Cannot create")), resultText(missing).constData());
        QVERIFY(!RuntimeDir::ensure(QStringLiteral("relative/dir")).ok());
        QVERIFY(!RuntimeDir::ensure(QString()).ok());
    }

    void ensureDefaultUsesEnvironment()
    {
        const QByteArray saved = qgetenv("XDG_RUNTIME_DIR");
        const bool hadValue = qEnvironmentVariableIsSet("XDG_RUNTIME_DIR");
        QVERIFY(::chmod(QFile::encodeName(m_tmp->path()).constData(), 0700) == 0);
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_tmp->path()));
        auto result = RuntimeDir::ensureDefault();
        if (hadValue)
            qputenv("XDG_RUNTIME_DIR", saved);
        else
            qunsetenv("XDG_RUNTIME_DIR");
        QVERIFY2(result.ok(), resultText(result).constData());
        QCOMPARE(*result, m_tmp->path() + QStringLiteral("/bastionless"));
        QCOMPARE(modeOf(*result), mode_t(0700));
    }

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
};

QTEST_GUILESS_MAIN(TestRuntimeDir)
#include "TestRuntimeDir.moc"
