#pragma once
// Where the desktop app keeps its settings, app accounts among them: the per-user QSettings file of the
// organisation and application names below ($XDG_CONFIG_HOME/Bastionless/Bastionless.conf, ~/.config when the
// variable is unset). The app runs under these names; bastionless-cli, which runs under its own name, opens the
// same file through open() so that `--account NAME` finds the accounts added in the app.

#include <QSettings>

#include <memory>

namespace bl {

class AppSettingsFile
{
public:
    static constexpr const char* Organization = "Bastionless";
    static constexpr const char* Application = "Bastionless";

    // The app's settings, whatever QCoreApplication's names are in this process.
    static std::unique_ptr<QSettings> open();
};

} // namespace bl
