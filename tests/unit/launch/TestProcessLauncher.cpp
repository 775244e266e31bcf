// ProcessLauncher on this machine: programs found in PATH or by path, a real detached start whose standard
// input (a password's way in) arrives through a pipe and ends, and a clear error for what cannot start.

#include "core/launch/ProcessLauncher.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

class TestProcessLauncher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void findsPrograms();
    void standardInputReachesProgram_data();
    void standardInputReachesProgram();
    void missingProgram();
    void oversizedInput();
};

namespace {

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

void TestProcessLauncher::findsPrograms()
{
    ProcessLauncher launcher;
    QCOMPARE(launcher.findProgram(QStringLiteral("sh")).isEmpty(), false);
    QCOMPARE(launcher.findProgram(QStringLiteral("/bin/sh")), QStringLiteral("/bin/sh"));
    QVERIFY(launcher.findProgram(QStringLiteral("bastionless-no-such-program")).isEmpty());
    QVERIFY(launcher.findProgram(QStringLiteral("/nonexistent/xfreerdp")).isEmpty());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile plain(dir.filePath(QStringLiteral("notes.txt")));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.close();
    QVERIFY(launcher.findProgram(plain.fileName()).isEmpty()); // a file, not executable
    QVERIFY(launcher.findProgram(dir.path()).isEmpty()); // a directory
}

void TestProcessLauncher::standardInputReachesProgram_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("password line") << QByteArray("Correct-Horse-42!\n");
    QTest::newRow("none") << QByteArray();
    QTest::newRow("4 KiB") << QByteArray(ProcessLauncher::maxStandardInput, 'x');
}

void TestProcessLauncher::standardInputReachesProgram()
{
    QFETCH(QByteArray, input);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString out = dir.filePath(QStringLiteral("stdin.txt"));
    const QString done = dir.filePath(QStringLiteral("done"));
    // Copies stdin to a file and marks the end: with no input, stdin is whatever the app had, so it is not read.
    const QString script =
        input.isEmpty() ? QStringLiteral(": > \"$1\"; : > \"$2\"") : QStringLiteral("cat > \"$1\"; : > \"$2\"");
    LaunchCommand command;
    command.program = QStringLiteral("/bin/sh");
    command.arguments = {QStringLiteral("-c"), script, QStringLiteral("sh"), out, done};
    command.standardInput = input;
    ProcessLauncher launcher;
    const Result<void> started = launcher.start(command);
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().toString()));
    // cat only finishes when stdin ends: the pipe's write end must have been closed.
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(done), 10000);
    QCOMPARE(readFile(out), input);
}

void TestProcessLauncher::missingProgram()
{
    LaunchCommand command;
    command.program = QStringLiteral("/nonexistent/xfreerdp");
    command.standardInput = "secret\n";
    ProcessLauncher launcher;
    const Result<void> started = launcher.start(command);
    QVERIFY(!started.ok());
    QCOMPARE(started.error().kind, ErrorKind::Io);
    QVERIFY(started.error().message.contains(QStringLiteral("/nonexistent/xfreerdp")));
    QVERIFY(!started.error().message.contains(QStringLiteral("secret")));
}

void TestProcessLauncher::oversizedInput()
{
    LaunchCommand command;
    command.program = QStringLiteral("/bin/true");
    command.standardInput = QByteArray(ProcessLauncher::maxStandardInput + 1, 'x');
    ProcessLauncher launcher;
    QVERIFY(!launcher.start(command).ok());
}

QTEST_GUILESS_MAIN(TestProcessLauncher)
#include "TestProcessLauncher.moc"
