#pragma once
// The desktop app's few settings for this version, read from QSettings: which regions to list per profile,
// how often to refresh, which terminal and viewers to start, and the transport chosen per instance. The settings dialog
// comes later; until then the keys can be set in ~/.config/Bastionless/Bastionless.conf.

#include "core/connect/ViaOverrides.h"
#include "core/launch/ConnectService.h"

#include <QString>

class QSettings;

namespace bl {

class GuiSettings
{
public:
    explicit GuiSettings(QSettings& settings);
    QSettings& settings() const { return m_settings; }

    // [inventory] allRegions=true lists every enabled region; [profiles] <name>\allRegions overrides per profile.
    bool allRegions(const QString& profile) const;
    int refreshIntervalSeconds() const; // [inventory] refreshIntervalSeconds, default 300; 0 = manual only
    ConnectSettings connectSettings(const QString& defaultCli) const; // [connect] terminal, rdpViewer, vncViewer

    // [transport] <instance id>=eice|direct|...: the per-instance transport overrides. load() fills overrides;
    // keep() saves every later change to them (the settings object must outlive overrides).
    void loadOverrides(ViaOverrides& overrides) const;
    void keepOverrides(ViaOverrides& overrides) const;

private:
    QSettings& m_settings;
};

} // namespace bl
