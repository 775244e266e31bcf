#include "Program.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSignalSpy>

QString ProgramResult::describe() const
{
    return QStringLiteral("exit %1%2\nstdout: %3\nstderr: %4")
        .arg(exitCode)
        .arg(ok ? QString() : QStringLiteral(" (did not end normally)"), out.left(2000), err.left(4000));
}

Program::Program(const QString& program, const QStringList& args, const QProcessEnvironment& env)
{
    m_process.setProcessEnvironment(env);
    m_process.start(program, args);
    m_process.closeWriteChannel();
}

Program::~Program()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

ProgramResult Program::wait(int timeoutMs)
{
    ProgramResult r;
    if (m_process.state() != QProcess::NotRunning) {
        QSignalSpy finished(&m_process, &QProcess::finished);
        if (!finished.wait(timeoutMs)) {
            m_process.kill();
            finished.wait(5000);
            r.err = QStringLiteral("[test] timed out after %1 ms\n").arg(timeoutMs);
            r.out = QString::fromUtf8(m_process.readAllStandardOutput());
            r.err += QString::fromUtf8(m_process.readAllStandardError());
            return r;
        }
    }
    r.out = QString::fromUtf8(m_process.readAllStandardOutput());
    r.err += QString::fromUtf8(m_process.readAllStandardError());
    r.ok = m_process.error() != QProcess::FailedToStart && m_process.exitStatus() == QProcess::NormalExit;
    r.exitCode = m_process.exitCode();
    return r;
}

QByteArray sha256File(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result().toHex();
}
