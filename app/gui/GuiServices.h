#pragma once
// The desktop app's composition root: builds every service in one explicit order (clock, HTTP client, AWS
// configuration, one session per profile that can produce credentials plus the environment's credentials,
// the instance store, start/stop, the launcher, the tunnel manager with favourites and transport overrides,
// connect, actions) and hands out
// references. Nothing else constructs them; nothing here is a singleton.

#include "core/aws/api/AwsSession.h"
#include "core/aws/base/AwsConfig.h"
#include "core/aws/credentials/SsoLogin.h"
#include "core/aws/http/AwsHttpClient.h"
#include "core/connect/AppSettings.h"
#include "core/connect/Favourites.h"
#include "core/connect/OsUserOverrides.h"
#include "core/connect/TunnelManager.h"
#include "core/connect/ViaOverrides.h"
#include "core/inventory/InstancePower.h"
#include "core/inventory/InstanceStore.h"
#include "core/launch/ConnectService.h"
#include "core/launch/ProcessLauncher.h"
#include "core/launch/WindowsPasswords.h"
#include "core/secrets/AppAccounts.h"
#include "core/secrets/KeychainSecretStore.h"
#include "core/util/Clock.h"
#include "ui/AccountsModel.h"
#include "ui/InstanceActions.h"
#include "ui/ManagedTunnels.h"
#include "ui/MfaPrompter.h"

#include <QObject>
#include <QProcessEnvironment>

#include <memory>
#include <vector>

namespace bl {

class GuiSettings;

struct GuiOptions
{
    bool allRegions = false; // --all-regions: every enabled region for every profile, whatever the settings say
    QString favouritesPath; // empty: Favourites::defaultPath()
};

class GuiServices : public QObject
{
    Q_OBJECT
public:
    GuiServices(QProcessEnvironment env, const GuiSettings& settings, GuiOptions options, QObject* parent = nullptr);
    ~GuiServices() override;

    InstanceStore& store() { return m_store; }
    InstancePower& power() { return m_power; }
    ConnectService& connectService() { return m_connect; }
    InstanceActions& actions() { return m_actions; }
    // The app's tunnels: they live as long as the services, not the window (closing the window keeps them up).
    TunnelManager& tunnelManager() { return m_tunnelManager; }
    Favourites& favourites() { return m_favourites; }
    ViaOverrides& viaOverrides() { return m_overrides; }
    ManagedTunnels& managedTunnels() { return m_managed; }
    // The session of an InventorySource label (profile name or "environment"); nullptr when there is none.
    AwsSession* sessionFor(const QString& source) const { return m_sessionsByLabel.value(source); }

    // Accounts and settings (the Accounts and Settings dialogs work on these).
    AppAccounts& appAccounts() { return *m_appAccounts; }
    AppSettings& appSettings() { return *m_appSettings; }
    AccountsModel& accountsModel() { return *m_accountsModel; }
    MfaPrompter& mfaPrompter() { return m_mfa; }
    // An IAM Identity Center login for a profile (the SSO dialog drives it).
    Result<std::unique_ptr<SsoLogin>> ssoLogin(const QString& profile);
    // Builds the sources again (accounts or regions changed) and refreshes.
    void reloadSources();
    QStringList profileNames() const { return m_config.profileNames(); }

    // bastionless-cli next to this executable (installed, or in the build tree), else from PATH.
    static QString defaultCliProgram();

private:
    QList<InventorySource> buildSources(QList<InventoryError>& problems);
    void applySettings();

    QProcessEnvironment m_env;
    GuiOptions m_options;
    const GuiSettings& m_guiSettings;
    KeychainSecretStore m_secrets;
    std::unique_ptr<AppAccounts> m_appAccounts;
    std::unique_ptr<AppSettings> m_appSettings;
    std::unique_ptr<OsUserOverrides> m_osUsers; // "Log in as…", in the file bastionless-cli reads
    std::unique_ptr<AccountsModel> m_accountsModel;
    MfaPrompter m_mfa;
    QList<InventoryError> m_configProblems;
    SystemClock m_clock;
    ClockSkew m_skew;
    AwsConfig m_config; // the credentials providers refer to it: it outlives them
    std::unique_ptr<AwsHttpClient> m_http;
    std::vector<std::unique_ptr<AwsSession>> m_sessions;
    QHash<QString, AwsSession*> m_sessionsByLabel;
    QHash<QString, InventorySource> m_accountSources; // app accounts by name, as last built: reused on reload
    InstanceStore m_store;
    InstancePower m_power;
    ProcessLauncher m_launcher;
    TunnelManager m_tunnelManager;
    ViaOverrides m_overrides;
    Favourites m_favourites;
    ManagedTunnels m_managed;
    WindowsPasswords m_windowsPasswords; // RDP's Administrator password: GetPasswordData + the .pem in the keychain
    ConnectService m_connect;
    InstanceActions m_actions;
};

} // namespace bl
