#include "app/gui/GuiSettings.h"

#include "core/connect/TunnelManager.h"

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

void GuiSettings::loadOverrides(ViaOverrides& overrides) const
{
    m_settings.beginGroup(QStringLiteral("transport"));
    const QStringList ids = m_settings.childKeys();
    for (const QString& id : ids) {
        // A transport this version does not know (set by a newer one) is left alone, not turned into auto.
        if (auto via = TransportChooser::parseVia(m_settings.value(id).toString()))
            overrides.set(id, via.value());
    }
    m_settings.endGroup();
}

void GuiSettings::keepOverrides(ViaOverrides& overrides) const
{
    QSettings* settings = &m_settings;
    QObject::connect(&overrides, &ViaOverrides::changed, &overrides,
                     [settings](const QString& id, TransportChooser::Via via) {
                         const QString key = QStringLiteral("transport/%1").arg(id);
                         if (via == TransportChooser::Via::Auto)
                             settings->remove(key);
                         else
                             settings->setValue(key, viaName(via));
                     });
}

} // namespace bl
