#include "XvfbSession.h"

#include <QDeadlineTimer>
#include <QStandardPaths>

#include <csignal>
#include <sys/prctl.h>

namespace guitest {

XvfbSession::~XvfbSession()
{
    stop(m_tray); // a client of the server: first
    stop(m_xvfb);
}

std::unique_ptr<QProcess> XvfbSession::spawn(const QString& program, const QStringList& args)
{
    auto process = std::make_unique<QProcess>();
    process->setProgram(program);
    process->setArguments(args);
    // Whatever happens to the test (a crash, ctest's timeout), the child goes with it.
    process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    process->start(QIODevice::ReadOnly);
    return process;
}

void XvfbSession::stop(std::unique_ptr<QProcess>& process)
{
    if (!process)
        return;
    if (process->state() != QProcess::NotRunning) {
        process->terminate();
        if (!process->waitForFinished(3000)) {
            process->kill();
            process->waitForFinished(3000);
        }
    }
    process.reset();
}

QString XvfbSession::start(int timeoutMs)
{
    const QString xvfb = QStandardPaths::findExecutable(QStringLiteral("Xvfb"));
    if (xvfb.isEmpty())
        return QStringLiteral("Xvfb is not installed (apt install xvfb)");
    // -displayfd 1: the server picks a free display and writes its number to stdout once it accepts clients.
    m_xvfb = spawn(xvfb,
                   {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"), QStringLiteral("0"),
                    QStringLiteral("1280x800x24"), QStringLiteral("-nolisten"), QStringLiteral("tcp")});
    if (!m_xvfb->waitForStarted(timeoutMs))
        return QStringLiteral("Xvfb did not start: %1").arg(m_xvfb->errorString());
    QDeadlineTimer deadline(timeoutMs);
    QByteArray out;
    while (!out.contains('\n') && !deadline.hasExpired() && m_xvfb->state() == QProcess::Running) {
        m_xvfb->waitForReadyRead(static_cast<int>(qMax<qint64>(1, deadline.remainingTime())));
        out += m_xvfb->readAllStandardOutput();
    }
    bool ok = false;
    const int number = out.trimmed().toInt(&ok);
    if (!ok) {
        const QString log = QString::fromLocal8Bit(m_xvfb->readAllStandardError()).trimmed();
        stop(m_xvfb);
        return QStringLiteral("Xvfb did not report a display within %1 ms: %2").arg(timeoutMs).arg(log);
    }
    m_display = QStringLiteral(":%1").arg(number);
    qputenv("DISPLAY", m_display.toLocal8Bit());
    qputenv("QT_QPA_PLATFORM", "xcb");
    return {};
}

QString XvfbSession::startTrayHost(int timeoutMs)
{
    if (m_display.isEmpty())
        return QStringLiteral("start the X server first");
    const QString trayer = QStandardPaths::findExecutable(QStringLiteral("trayer"));
    if (trayer.isEmpty())
        return QStringLiteral("trayer is not installed (apt install trayer)");
    m_tray =
        spawn(trayer,
              {QStringLiteral("--edge"), QStringLiteral("top"), QStringLiteral("--align"), QStringLiteral("right"),
               QStringLiteral("--widthtype"), QStringLiteral("request"), QStringLiteral("--height"),
               QStringLiteral("28"), QStringLiteral("--transparent"), QStringLiteral("false"), QStringLiteral("--tint"),
               QStringLiteral("0x2b2b2b"), QStringLiteral("--margin"), QStringLiteral("0")});
    if (!m_tray->waitForStarted(timeoutMs))
        return QStringLiteral("trayer did not start: %1").arg(m_tray->errorString());
    // trayer has no "ready" output: it either stays up or exits at once (no display, another tray host).
    if (m_tray->waitForFinished(300))
        return QStringLiteral("trayer exited: %1").arg(QString::fromLocal8Bit(m_tray->readAllStandardError()));
    return {};
}

void XvfbSession::stopTrayHost()
{
    stop(m_tray);
}

bool XvfbSession::trayHostRunning() const
{
    return m_tray && m_tray->state() == QProcess::Running;
}

} // namespace guitest
