#pragma once
// TransportChooser: resolves an instance (id or Name tag) and picks how to reach (instance, port), for the CLI's
// tunnel, proxy and ssh commands and for the desktop app. "auto" takes EC2 Instance Connect Endpoint when the
// instance's VPC has a usable endpoint: directly for the ports EICE allows (22, 3389), and for any other port
// through an ssh -L carried over the port-22 tunnel (SshForwardTransport); else plain TCP to the instance's
// public or private address. The reason for the choice is kept for `-v`.

#include "core/aws/api/Types.h"
#include "core/connect/ConnectionPreferences.h"
#include "core/connect/OsUser.h"
#include "core/tunnel/ConnectionSlotRegistry.h"
#include "core/util/Result.h"

#include <QObject>
#include <QProcessEnvironment>

#include <functional>
#include <memory>

namespace bl {

class AwsSession;
class Ec2Client;
class SsmClient;
class InstanceInventory;
class TunnelTransport;
struct EiceTarget;

class TransportChooser : public QObject
{
    Q_OBJECT
public:
    enum class Via { Auto, Eice, Direct, Ssm };

    struct Choice
    {
        Instance instance;
        TunnelTransport* transport = nullptr; // a child of the chooser
        QString label; // which transport, for people: "direct TCP to 10.0.1.5 port 22 (i-...)"
        QString reason; // why it was chosen, for `-v`
    };

    // session must outlive the chooser. regions: where a Name is looked up (empty: every enabled region).
    TransportChooser(AwsSession& session, QStringList regions, QObject* parent = nullptr);
    ~TransportChooser() override;

    // "auto", "eice", "ssm" or "direct"; anything else is a usage error.
    static Result<Via> parseVia(const QString& text);
    // Whether EICE accepts this remote port at all.
    static bool eicePort(quint16 port) { return port == 22 || port == 3389; }

    // Resolves target (id or Name tag), then chooses. resolved (optional) runs as soon as the instance is known,
    // so that a caller can start other work concurrently; done runs once, from the event loop.
    void choose(const QString& target, quint16 port, Via via, Callback<Choice> done,
                std::function<void(const Instance&)> resolved = {});
    // Chooses for an instance already known (the desktop app's inventory).
    void chooseFor(const Instance& instance, quint16 port, Via via, Callback<Choice> done);

    // BASTIONLESS_DIRECT_MAP (DirectTransport::AddressMapVariable): tests send direct TCP to local stand-ins.
    void setDirectAddressMap(const QString& spec) { m_directMap = spec; }
    // For ports EICE refuses, carried by ssh -L through port 22: the OS user to log in as (empty: OsUser's
    // choice), and ssh's environment (known_hosts location, SSH_AUTH_SOCK...).
    void setOsUser(const QString& user) { m_osUser = user; }
    void setEnvironment(const QProcessEnvironment& env) { m_env = env; }
    // The person's per-instance OS user and transport, and default OS user (the app's settings file).
    void setPreferences(const ConnectionPreferences& prefs) { m_prefs = prefs; }
    // The OS user for instance: explicit setOsUser() > preferences > tag > guess > default.
    OsUser::Choice osUserFor(const Instance& instance) const;
    // Session Manager to another host as the instance sees it (AWS-StartPortForwardingSessionToRemoteHost).
    void setRemoteHost(const QString& host) { m_remoteHost = host; }
    // EICE's maxTunnelDuration in seconds (1..3600); 0 leaves it to the service (one hour).
    void setMaxTunnelDuration(int seconds) { m_maxTunnelDuration = seconds; }

private:
    void useEice(const Instance& instance, quint16 port, Via via, Callback<Choice> done);
    // done(agent, why): agent ("agent 3.3.40.0") when the instance's SSM agent is online, else why not.
    void checkSsmAgent(const Instance& instance, std::function<void(QString, QString)> done);
    Choice useSsm(const Instance& instance, quint16 port, const QString& reason);
    Choice sshForward(const Instance& instance, const EiceTarget& port22, quint16 port, const QString& reason);
    Result<Choice> useDirect(const Instance& instance, quint16 port, const QString& why);

    AwsSession& m_session;
    QStringList m_regions;
    QString m_directMap;
    QString m_osUser;
    QProcessEnvironment m_env = QProcessEnvironment::systemEnvironment();
    int m_maxTunnelDuration = 0;
    ConnectionPreferences m_prefs;
    InstanceInventory* m_inventory = nullptr;
    std::unique_ptr<Ec2Client> m_ec2;
    std::unique_ptr<SsmClient> m_ssm;
    QString m_remoteHost;
    ConnectionSlotRegistry m_slots;
};

} // namespace bl
