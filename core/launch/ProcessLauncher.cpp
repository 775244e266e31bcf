#include "core/launch/ProcessLauncher.h"

#include <QFileInfo>
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

} // namespace bl
