#include "app/gui/GuiSettings.h"

#include <QSettings>

namespace bl {

GuiSettings::GuiSettings(QSettings& settings)
    : m_settings(settings)
{ }

bool GuiSettings::allRegions(const QString& profile) const
{
    const bool everywhere = m_settings.value(QStringLiteral("inventory/allRegions"), false).toBool();
    return m_settings.value(QStringLiteral("profiles/%1/allRegions").arg(profile), everywhere).toBool();
}

int GuiSettings::refreshIntervalSeconds() const
{
    return qMax(0, m_settings.value(QStringLiteral("inventory/refreshIntervalSeconds"), 300).toInt());
}

ConnectSettings GuiSettings::connectSettings(const QString& defaultCli) const
{
    ConnectSettings s;
    s.terminal = m_settings.value(QStringLiteral("connect/terminal")).toString();
    s.rdpViewer = m_settings.value(QStringLiteral("connect/rdpViewer")).toString();
    s.vncViewer = m_settings.value(QStringLiteral("connect/vncViewer")).toString();
    s.cliProgram = m_settings.value(QStringLiteral("connect/cli"), defaultCli).toString();
    return s;
}

} // namespace bl
