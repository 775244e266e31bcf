#pragma once
// The product's Launcher: QStandardPaths finds programs, QProcess::startDetached starts them, so a viewer
// or terminal keeps running when the app quits.

#include "ui/Launcher.h"

namespace bl {

class ProcessLauncher final : public Launcher
{
public:
    QString findProgram(const QString& program) const override;
    Result<void> start(const LaunchCommand& command) override;
};

} // namespace bl
