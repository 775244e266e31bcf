#pragma once
// The product's Launcher: QStandardPaths finds programs, a detached start keeps a viewer or terminal running
// when the app quits. Starting is per OS (ProcessLauncher_linux.cpp); only Linux is implemented so far: a
// macOS or Windows port adds ProcessLauncher_macos.cpp / _windows.cpp, which core/CMakeLists.txt picks.

#include "core/launch/Launcher.h"

namespace bl {

class ProcessLauncher final : public Launcher
{
public:
    // The most standard input a command may carry: it must fit in a pipe's buffer, which is written before
    // the program starts (a password needs a few dozen bytes).
    static constexpr qsizetype maxStandardInput = 4096;

    QString findProgram(const QString& program) const override;
    Result<void> start(const LaunchCommand& command) override;
};

} // namespace bl
