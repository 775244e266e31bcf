#include "CliRunner.h"

#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

CliRunner::CliRunner(QProcessEnvironment env, QObject* parent)
    : QObject(parent)
{
    // In sanitized builds the child is sanitized too; OpenSSL state that Qt's TLS backend leaves to OpenSSL's
    // own exit handling is not a leak of ours (see lsan-suppressions.txt).
    // The suppressions match Qt frames, which only the slow unwinder sees through OpenSSL (no frame pointers).
    if (!env.contains(QStringLiteral("LSAN_OPTIONS")))
        env.insert(QStringLiteral("LSAN_OPTIONS"),
                   QStringLiteral("print_suppressions=0:suppressions=" BL_LSAN_SUPPRESSIONS));
    const QString asan = env.value(QStringLiteral("ASAN_OPTIONS"));
    if (!asan.contains(QLatin1String("fast_unwind_on_malloc")))
        env.insert(QStringLiteral("ASAN_OPTIONS"),
                   asan + (asan.isEmpty() ? QString() : QStringLiteral(":"))
                       + QStringLiteral("fast_unwind_on_malloc=0"));
    m_process.setProcessEnvironment(env);
    // No controlling terminal: an MFA or login prompt must fail cleanly instead of waiting for a person. And the
    // CLI dies with the test, even when the test is killed (a timed-out test must not leave a tunnel running).
    m_process.setChildProcessModifier([] {
        ::setsid();
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
    connect(&m_process, &QProcess::readyReadStandardOutput, this,
            [this] { m_out += m_process.readAllStandardOutput(); });
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] { m_err += m_process.readAllStandardError(); });
}

CliRunner::~CliRunner()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000); // the child only; nothing else needs the event loop any more
    }
}

QString CliRunner::program()
{
    return QStringLiteral(BL_CLI_PATH);
}

void CliRunner::start(const QStringList& args)
{
    m_args = args;
    m_process.start(program(), args);
    m_process.closeWriteChannel();
}

CliResult CliRunner::waitForFinished(int timeoutMs)
{
    CliResult r;
    r.args = m_args;
    if (m_process.state() != QProcess::NotRunning) {
        QSignalSpy finished(&m_process, &QProcess::finished);
        if (!finished.wait(timeoutMs)) {
            r.timedOut = true;
            m_process.kill();
            finished.wait(5000);
        }
    }
    m_out += m_process.readAllStandardOutput();
    m_err += m_process.readAllStandardError();
    r.out = QString::fromUtf8(m_out);
    r.err = QString::fromUtf8(m_err);
    if (m_process.error() == QProcess::FailedToStart) {
        r.crashed = true;
        r.err += QStringLiteral("[test] cannot start %1: %2\n").arg(program(), m_process.errorString());
        return r;
    }
    r.crashed = r.crashed || (!r.timedOut && m_process.exitStatus() == QProcess::CrashExit);
    r.exitCode = m_process.exitCode();
    return r;
}

QString CliRunner::outputSoFar()
{
    QTest::qWait(20);
    m_out += m_process.readAllStandardOutput();
    return QString::fromUtf8(m_out);
}

QString CliRunner::errorsSoFar()
{
    QTest::qWait(20);
    m_err += m_process.readAllStandardError();
    return QString::fromUtf8(m_err);
}

void CliRunner::sendSignal(int signo)
{
    const qint64 pid = m_process.processId();
    if (pid > 0)
        ::kill(static_cast<pid_t>(pid), signo);
}

CliResult CliRunner::run(const QStringList& args, const QProcessEnvironment& env, int timeoutMs)
{
    CliRunner runner(env);
    runner.start(args);
    return runner.waitForFinished(timeoutMs);
}
