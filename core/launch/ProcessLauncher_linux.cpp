// Linux: QProcess::startDetached, with the command's standard input (if any) handed over through a pipe that
// is filled and closed before the start, so the secret never touches the disk or the command line.

#include "core/launch/ProcessLauncher.h"

#include "core/util/Log.h"

#include <QProcess>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace bl {

namespace {

// Closes both ends of a pipe on every path out of start().
struct Pipe
{
    int fds[2] = {-1, -1};
    ~Pipe()
    {
        for (int fd : fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }
};

Error startError(const QString& program, const QString& why)
{
    return Error::make(ErrorKind::Io, QStringLiteral("Could not start %1: %2").arg(program, why),
                       QStringLiteral("Check that the program is installed and executable."));
}

} // namespace

Result<void> ProcessLauncher::start(const LaunchCommand& command)
{
    // argv only: standardInput may hold a password.
    qCInfo(lcLaunch) << "starting" << command.program << command.arguments
                     << (command.standardInput.isEmpty() ? "" : "(with standard input)");
    QProcess process;
    process.setProgram(command.program);
    process.setArguments(command.arguments);
    Pipe pipe;
    if (!command.standardInput.isEmpty()) {
        if (command.standardInput.size() > maxStandardInput)
            return Error::make(
                ErrorKind::Internal,
                QStringLiteral("Could not start %1: its standard input is too large").arg(command.program));
        if (::pipe2(pipe.fds, O_CLOEXEC) != 0)
            return startError(command.program, QString::fromLocal8Bit(std::strerror(errno)));
        // A pipe holds at least 4096 bytes, so this write cannot block; closing the write end gives the program
        // end-of-file after the data.
        const ssize_t written =
            ::write(pipe.fds[1], command.standardInput.constData(), static_cast<size_t>(command.standardInput.size()));
        if (written != command.standardInput.size())
            return startError(command.program, QStringLiteral("could not fill its standard input"));
        ::close(pipe.fds[1]);
        pipe.fds[1] = -1;
        // The child opens this path before exec: reopening a pipe through /proc gives its read end, no file.
        process.setStandardInputFile(QStringLiteral("/proc/self/fd/%1").arg(pipe.fds[0]));
    }
    qint64 pid = 0;
    if (!process.startDetached(&pid))
        return startError(command.program, process.errorString());
    return {};
}

} // namespace bl
