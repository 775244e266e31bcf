#pragma once
// The desktop app's composition root: builds every service in one explicit order (clock, HTTP client, AWS
// configuration, one session per profile that can produce credentials plus the environment's credentials,
// the instance store, start/stop, the launcher and tunnel seams, connect, actions) and hands out
// references. Nothing else constructs them; nothing here is a singleton.

#include "core/aws/api/AwsSession.h"
#include "core/aws/base/AwsConfig.h"
#include "core/aws/http/AwsHttpClient.h"
#include "core/inventory/InstancePower.h"
#include "core/inventory/InstanceStore.h"
#include "core/util/Clock.h"
#include "ui/ConnectService.h"
#include "ui/InstanceActions.h"
#include "ui/NoTunnels.h"
#include "ui/ProcessLauncher.h"

#include <QObject>
#include <QProcessEnvironment>

#include <memory>
#include <vector>

namespace bl {

class GuiSettings;

struct GuiOptions
{
    bool allRegions = false; // --all-regions: every enabled region for every profile, whatever the settings say
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

    // bastionless-cli next to this executable (installed, or in the build tree), else from PATH.
    static QString defaultCliProgram();

private:
    QList<InventorySource> buildSources(const GuiSettings& settings, QList<InventoryError>& problems);

    QProcessEnvironment m_env;
    GuiOptions m_options;
    SystemClock m_clock;
    ClockSkew m_skew;
    AwsConfig m_config; // the credentials providers refer to it: it outlives them
    std::unique_ptr<AwsHttpClient> m_http;
    std::vector<std::unique_ptr<AwsSession>> m_sessions;
    InstanceStore m_store;
    InstancePower m_power;
    ProcessLauncher m_launcher;
    NoTunnels m_tunnels;
    ConnectService m_connect;
    InstanceActions m_actions;
};

} // namespace bl
