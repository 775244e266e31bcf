#pragma once
// fakeaws, the local AWS emulator, as one object: an HTTPS server on 127.0.0.1 with its own test CA,
// the identities it accepts, a Fleet and the EC2, EC2 Instance Connect (with the EICE tunnel endpoint), SSM (with
// Session Manager and its data channel), STS and SSO handlers, and a fault injector. Tests and the `fakeaws`
// executable build one, start() it, and point clients at it with clientEnvironment() or writeAwsConfig().
// Everything stops when it is destroyed.

#include "Ec2Service.h"
#include "EiceService.h"
#include "FaultInjector.h"
#include "Fleet.h"
#include "HttpsServer.h"
#include "Identities.h"
#include "InstanceConnectService.h"
#include "RequestRouter.h"
#include "SsmService.h"
#include "SsmSessionManager.h"
#include "SsoService.h"
#include "StsService.h"
#include "TestCa.h"

#include "core/util/Result.h"

#include <QObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace fakeaws {

struct FakeAwsOptions
{
    QString stateDir; // empty: a temporary directory, removed with the FakeAws
    std::optional<Fleet> fleet; // empty: Fleet::demo()
    QString region = QStringLiteral("us-east-1"); // the region clients are told to use
};

class FakeAws : public QObject
{
    Q_OBJECT

public:
    explicit FakeAws(FakeAwsOptions options = {}, QObject* parent = nullptr);
    ~FakeAws() override;

    // Makes the test CA (once), writes <stateDir>/ca.pem and listens on 127.0.0.1:port (0 = any free port).
    bl::Result<void> start(quint16 port = 0);
    void stop();
    bool isRunning() const;

    quint16 port() const;
    QString endpointUrl() const; // https://127.0.0.1:<port>
    QString caBundlePath() const; // <stateDir>/ca.pem
    QSslCertificate caCertificate() const;
    QString stateDir() const { return m_stateDir; }
    QString pushedKeysDir() const; // <stateDir>/pushed-keys
    QString homeDir() const; // <stateDir>/home: an empty HOME without ~/.aws
    QString region() const { return m_options.region; }
    QDateTime now() const { return m_faults.now(); } // the server clock (system clock + injected offset)

    // The environment that makes the AWS CLI (or Bastionless) talk to this server with the default identity:
    // AWS_ENDPOINT_URL, AWS_CA_BUNDLE, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION (+ AWS_DEFAULT_REGION),
    // HOME = homeDir(), every other AWS_* variable of this process removed.
    QProcessEnvironment clientEnvironment() const;
    // Shell lines `export NAME='value'` for the variables above (what the executable prints).
    QStringList exportLines() const;
    // Writes <dir>/config and <dir>/credentials with one profile of each kind (static keys, assume-role via
    // source_profile, with MFA, with an external id, SSO through an sso-session), all pointing here.
    bl::Result<void> writeAwsConfig(const QString& dir) const;

    // Identities.
    Identities& identities() { return m_identities; }
    const Identity& defaultIdentity() const { return m_identities.defaultIdentity(); }
    bl::Credentials defaultCredentials() const { return defaultIdentity().credentials(); }
    void addAccessKey(const Identity& identity) { m_identities.add(identity); }
    // A temporary key (with session token) for the default account; expiration in server time.
    Identity addTemporaryAccessKey(const QDateTime& expiration);

    // SSO controls.
    bool approveDeviceCode(const QString& userCode) { return m_sso->oidc().approve(userCode); }
    int approveAllDeviceCodes() { return m_sso->oidc().approveAllPending(); }
    void expireSsoTokens() { m_sso->oidc().expireAccessTokens(); }
    void setSsoAccounts(const QList<SsoAccount>& accounts) { m_sso->setAccounts(accounts); }

    // EICE tunnels to instanceId:remotePort lead to address:localPort on this machine (see EiceService).
    bool setTunnelTarget(const QString& instanceId, int remotePort, const QHostAddress& address, quint16 localPort)
    {
        return m_eice->setTunnelTarget(instanceId, remotePort, address, localPort);
    }

    // SSM sessions to instanceId:remotePort lead to address:localPort on this machine (see SsmSessionManager).
    bool setSsmTarget(const QString& instanceId, int remotePort, const QHostAddress& address, quint16 localPort)
    {
        return m_ssmSessions->setTarget(instanceId, remotePort, address, localPort);
    }

    // The parts, for finer control.
    Fleet& fleet() { return *m_fleet; }
    FaultInjector& faults() { return m_faults; }
    StsService& sts() { return *m_sts; }
    SsoService& sso() { return *m_sso; }
    Ec2Service& ec2() { return *m_ec2; }
    InstanceConnectService& instanceConnect() { return *m_instanceConnect; }
    SsmService& ssm() { return *m_ssm; }
    // Session Manager: StartSession/ResumeSession/TerminateSession, the data channel, targets, faults, counters
    SsmSessionManager& ssmSessions() { return *m_ssmSessions; }
    EiceService& eice() { return *m_eice; } // the /openTunnel WebSocket endpoint, its targets, faults, counters
    RequestRouter& router() { return *m_router; }
    HttpsServer& server() { return *m_server; }

private:
    FakeAwsOptions m_options;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_stateDir;
    std::optional<TestCa> m_ca;
    Identities m_identities;
    FaultInjector m_faults;
    std::unique_ptr<Fleet> m_fleet;
    std::unique_ptr<Ec2Service> m_ec2;
    std::unique_ptr<InstanceConnectService> m_instanceConnect;
    std::unique_ptr<SsmService> m_ssm;
    std::unique_ptr<StsService> m_sts;
    std::unique_ptr<SsoService> m_sso;
    std::unique_ptr<RequestRouter> m_router;
    std::unique_ptr<EiceService> m_eice;
    std::unique_ptr<SsmSessionManager> m_ssmSessions;
    std::unique_ptr<HttpsServer> m_server;
};

} // namespace fakeaws
