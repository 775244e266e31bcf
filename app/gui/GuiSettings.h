#pragma once
// The desktop app's few settings for this version, read from QSettings: which regions to list per profile,
// how often to refresh, and which terminal and viewers to start. The settings dialog comes later; until then
// the keys can be set in ~/.config/Bastionless/Bastionless.conf.

#include "ui/ConnectService.h"

#include <QString>

class QSettings;

namespace bl {

class GuiSettings
{
public:
    explicit GuiSettings(QSettings& settings);

    // [inventory] allRegions=true lists every enabled region; [profiles] <name>\allRegions overrides per profile.
    bool allRegions(const QString& profile) const;
    int refreshIntervalSeconds() const; // [inventory] refreshIntervalSeconds, default 300; 0 = manual only
    ConnectSettings connectSettings(const QString& defaultCli) const; // [connect] terminal, rdpViewer, vncViewer

private:
    QSettings& m_settings;
};

} // namespace bl
