#pragma once
// Edits the app's settings (AppSettings): terminal, RDP and VNC viewers, default transport, refresh interval,
// whether to list every region, and the regions of each profile. Shows a copy of the values, hands the edited
// copy to AppSettings::save() and shows its error if any; the rules live in AppSettings. Opened with open().

#include "core/connect/AppSettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QSpinBox;
class QTableWidget;

namespace bl {

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    // profiles: the names listed in the regions table (plus any that already have an entry).
    SettingsDialog(AppSettings& settings, QStringList profiles, QWidget* parent = nullptr);

    // What the form holds now; an Error when a regions cell cannot be read.
    Result<AppSettingsValues> formValues() const;

private:
    void load(const AppSettingsValues& values, QStringList profiles);
    void save();

    AppSettings& m_settings;
    QComboBox* m_terminal;
    QComboBox* m_rdpViewer;
    QComboBox* m_vncViewer;
    QComboBox* m_transport;
    QSpinBox* m_refresh;
    QCheckBox* m_allRegions;
    QTableWidget* m_regions;
    QLabel* m_error;
    QDialogButtonBox* m_buttons;
};

} // namespace bl
