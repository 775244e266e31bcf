#pragma once
// SshForwardTransport: reaches a port that EC2 Instance Connect Endpoint refuses (VNC 5900+, a database, a web
// UI) by carrying it inside SSH: it pushes a fresh ephemeral key, opens an EICE tunnel to port 22 on an
// ephemeral 127.0.0.1 port, and runs one `ssh -N -L 127.0.0.1:<p>:localhost:<remotePort>` through it (host key
// checked against Bastionless's known_hosts, keyed on the instance id). Each stream is then a TCP connection to
// 127.0.0.1:<p>. The person sees one more tunnel, nothing else; the key file is gone as soon as ssh logged in.
// When ssh ends (network loss), the next stream starts it again with a new key.

#include "core/aws/api/Types.h"
#include "core/tunnel/TunnelTransport.h"
#include "core/util/Result.h"

#include <QList>
#include <QPointer>
#include <QProcessEnvironment>

#include <memory>

class QProcess;
class QTimer;

namespace bl {

class AwsSession;
class DeferredStream;
class EphemeralKeyFile;
class TunnelListener;

struct SshForwardSetup
{
    Instance instance;
    quint16 remotePort = 5900;
    QString remoteHost = QStringLiteral("localhost"); // as the instance resolves it
    QString osUser = QStringLiteral("ec2-user");
    TunnelTransport* port22 = nullptr; // how to reach the instance's sshd; must outlive the transport
    AwsSession* session = nullptr; // for SendSSHPublicKey; must outlive the transport
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment(); // ssh's environment; known_hosts location
    QString sshProgram = QStringLiteral("ssh");
    int readyTimeoutMs = 30000; // key push + tunnel + login
};

class SshForwardTransport : public TunnelTransport
{
    Q_OBJECT

public:
    enum class State { Idle, Preparing, Ready };

    explicit SshForwardTransport(SshForwardSetup setup, QObject* parent = nullptr);
    ~SshForwardTransport() override;

    ByteStream* openStream(QObject* parent) override;
    QString describe() const override;

    State state() const { return m_state; }
    quint16 forwardPort() const { return m_forwardPort; } // 0 unless Ready
    // Stops ssh and the port-22 tunnel; streams open now end. The next openStream() starts again.
    void stop();

Q_SIGNALS:
    void ready(quint16 forwardPort);
    void preparationFailed(const bl::Error& error);

private:
    void prepare();
    void onPushed(const Result<void>& pushed);
    void launchSsh();
    void onSshOutput();
    void onSshFinished();
    void failPreparation(const Error& error);
    void attachPending();
    ByteStream* directStream(QObject* parent) const;
    Error sshError(const QString& what) const;

    SshForwardSetup m_setup;
    State m_state = State::Idle;
    QList<QPointer<DeferredStream>> m_pending;
    std::unique_ptr<EphemeralKeyFile> m_keyFile;
    TunnelListener* m_listener = nullptr;
    QProcess* m_ssh = nullptr;
    QTimer* m_timeout;
    QByteArray m_stderr; // partial line
    QStringList m_sshMessages; // ssh's own messages (not debug lines), for errors
    quint16 m_forwardPort = 0;
    quint64 m_generation = 0; // invalidates callbacks of an earlier preparation
};

} // namespace bl
