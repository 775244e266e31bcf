#include "ui/ProcessLauncher.h"

#include "core/util/Log.h"

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

namespace bl {

QString ProcessLauncher::findProgram(const QString& program) const
{
    if (program.contains(QLatin1Char('/'))) {
        const QFileInfo info(program);
        return info.isFile() && info.isExecutable() ? info.absoluteFilePath() : QString();
    }
    return QStandardPaths::findExecutable(program);
}

Result<void> ProcessLauncher::start(const LaunchCommand& command)
{
    qCInfo(lcLaunch) << "starting" << command.program << command.arguments;
    QProcess process;
    process.setProgram(command.program);
    process.setArguments(command.arguments);
    qint64 pid = 0;
    if (!process.startDetached(&pid)) {
        return Error::make(ErrorKind::Io,
                           QStringLiteral("Could not start %1: %2").arg(command.program, process.errorString()),
                           QStringLiteral("Check that the program is installed and executable."));
    }
    return {};
}

} // namespace bl
