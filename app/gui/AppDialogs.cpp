#include "app/gui/AppDialogs.h"

#include "app/gui/GuiServices.h"
#include "ui/AccountsDialog.h"
#include "ui/SettingsDialog.h"
#include "ui/SsoLoginDialog.h"

#include <QAction>
#include <QKeySequence>
#include <QWidget>

namespace bl {

AppDialogs::AppDialogs(GuiServices& services, QWidget* window)
    : QObject(window)
    , m_services(services)
    , m_window(window)
    , m_accounts(new QAction(QStringLiteral("Accounts…"), this))
    , m_settings(new QAction(QStringLiteral("Settings…"), this))
{
    m_accounts->setObjectName(QStringLiteral("actionAccounts"));
    m_accounts->setToolTip(QStringLiteral("AWS profiles and access keys; IAM Identity Center login"));
    m_settings->setObjectName(QStringLiteral("actionSettings"));
    m_settings->setShortcut(QKeySequence::Preferences);
    m_settings->setToolTip(QStringLiteral("Terminal, viewers, default transport, regions, refresh interval"));
    connect(m_accounts, &QAction::triggered, this, &AppDialogs::openAccounts);
    connect(m_settings, &QAction::triggered, this, &AppDialogs::openSettings);
}

void AppDialogs::openAccounts()
{
    if (auto* open = m_window->findChild<AccountsDialog*>()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto* dialog = new AccountsDialog(
        m_services.accountsModel(), m_services.appAccounts(),
        [this](const QString& profile) { return m_services.ssoLogin(profile); }, SsoLoginDialog::systemUrlOpener(),
        m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // A finished SSO login makes that profile's credentials work: list again (added keys reload by themselves).
    connect(dialog, &AccountsDialog::ssoLoggedIn, &m_services, &GuiServices::reloadSources);
    dialog->open();
}

void AppDialogs::openSettings()
{
    if (auto* open = m_window->findChild<SettingsDialog*>()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto* dialog = new SettingsDialog(m_services.appSettings(), m_services.profileNames(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

} // namespace bl
