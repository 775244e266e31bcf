#pragma once
// The desktop app's settings as one typed value (terminal, viewers, default transport, regions per profile,
// refresh interval), loaded from and saved to QSettings with the keys app/gui/GuiSettings reads. A save checks
// the values, writes them, syncs and reports failure; QSettings' INI backend replaces the file atomically
// (QSaveFile: temporary file, then rename), so a crash never leaves half a file. A dialog edits a copy of
// values() and hands it back to save(); it holds no rules of its own.

#include "core/util/Result.h"

#include <QMap>
#include <QObject>
#include <QStringList>

class QSettings;

namespace bl {

// Which regions a profile's instances are listed from.
struct ProfileRegions
{
    bool all = false; // every enabled region
    QStringList regions; // these; empty and !all = the profile's own region

    bool isDefault() const { return !all && regions.isEmpty(); }
    bool operator==(const ProfileRegions&) const = default;
};

struct AppSettingsValues
{
    QString terminal; // empty: the first known terminal that is installed
    QString rdpViewer; // empty: the first known RDP viewer that is installed
    QString vncViewer; // empty: the first known VNC viewer that is installed
    QString defaultTransport = QStringLiteral("auto"); // auto, eice, direct or ssm
    bool allRegions = false; // default for profiles without their own entry
    QMap<QString, ProfileRegions> profileRegions; // only profiles that differ from the default
    int refreshIntervalSeconds = 300; // 0 = refresh by hand only

    bool operator==(const AppSettingsValues&) const = default;
};

class AppSettings : public QObject
{
    Q_OBJECT
public:
    static constexpr int Version = 1;
    static constexpr int MaxRefreshIntervalSeconds = 24 * 3600;

    static QStringList transports(); // auto, eice, direct, ssm

    // settings must outlive this object. Loads at once.
    explicit AppSettings(QSettings& settings, QObject* parent = nullptr);

    const AppSettingsValues& values() const { return m_values; }
    // The regions for profile: its own entry, else the global default.
    ProfileRegions regionsFor(const QString& profile) const;

    // Re-reads the settings file.
    void load();
    // Checks, writes and syncs; on failure nothing in values() changes. Emits changed() when saved.
    Result<void> save(const AppSettingsValues& values);

    // Usage errors a person can fix in the dialog.
    static Result<void> validate(const AppSettingsValues& values);
    // "all", "" (the profile's own region) or "eu-west-1, us-east-1" (commas or spaces).
    static Result<ProfileRegions> parseRegions(const QString& text);
    static QString formatRegions(const ProfileRegions& regions);

Q_SIGNALS:
    void changed();

private:
    QSettings& m_settings;
    AppSettingsValues m_values;
};

} // namespace bl
