#include "core/connect/SshForwardTransport.h"

#include "core/aws/api/AwsSession.h"
#include "core/aws/api/InstanceConnectClient.h"
#include "core/connect/SshOptions.h"
#include "core/keys/Ed25519KeyPair.h"
#include "core/keys/EphemeralKeyFile.h"
#include "core/keys/RuntimeDir.h"
#include "core/tunnel/DeferredStream.h"
#include "core/tunnel/DirectStream.h"
#include "core/tunnel/TunnelListener.h"
#include "core/util/Log.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTimer>

namespace bl {

namespace {

// What ssh -o LogLevel=DEBUG1 prints for the -L listener (channels.c); the only "ready" ssh gives. OpenSSH logs it
// just before its bind() and listen(), so a connection made at once can still be refused (see attachPending()).
const QRegularExpression listeningLine(QStringLiteral("Local forwarding listening on 127\\.0\\.0\\.1 port (\\d+)"));

// A free 127.0.0.1 port for ssh's -L. Another program could take it before ssh binds it; ssh then exits
// (ExitOnForwardFailure) and the preparation fails with ssh's message.
quint16 freeLocalPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

SshForwardTransport::SshForwardTransport(SshForwardSetup setup, QObject* parent)
    : TunnelTransport(parent)
    , m_setup(std::move(setup))
    , m_timeout(new QTimer(this))
{
    m_timeout->setSingleShot(true);
    connect(m_timeout, &QTimer::timeout, this, [this] {
        failPreparation(sshError(QStringLiteral("SSH port forwarding to %1 did not start within %2 s")
                                     .arg(m_setup.instance.id)
                                     .arg(m_setup.readyTimeoutMs / 1000)));
    });
}

SshForwardTransport::~SshForwardTransport()
{
    stop();
}

QString SshForwardTransport::describe() const
{
    return QStringLiteral("SSH forward to %1 port %2, through %3")
        .arg(m_setup.remoteHost)
        .arg(m_setup.remotePort)
        .arg(m_setup.port22 ? m_setup.port22->describe() : QStringLiteral("?"));
}

ByteStream* SshForwardTransport::openStream(QObject* parent)
{
    if (m_state == State::Ready)
        return directStream(parent);
    auto* stream = new DeferredStream(parent);
    m_pending << stream;
    if (m_state == State::Idle)
        QTimer::singleShot(0, this, [this, generation = m_generation] {
            if (generation == m_generation && m_state == State::Idle)
                prepare();
        });
    return stream;
}

ByteStream* SshForwardTransport::directStream(QObject* parent) const
{
    return new DirectStream(QStringLiteral("127.0.0.1"), m_forwardPort,
                            QStringLiteral("%1 port %2 (SSH forward)").arg(m_setup.instance.id).arg(m_setup.remotePort),
                            10000, ByteStream::DefaultHighWater, parent);
}

void SshForwardTransport::prepare()
{
    m_state = State::Preparing;
    m_sshMessages.clear();
    m_stderr.clear();
    m_timeout->start(m_setup.readyTimeoutMs);
    if (!m_setup.port22 || !m_setup.session) {
        failPreparation(Error::make(ErrorKind::Internal, QStringLiteral("SSH forward without a port-22 transport")));
        return;
    }
    auto key = Ed25519KeyPair::generate(QStringLiteral("bastionless-%1").arg(m_setup.instance.id));
    if (!key) {
        failPreparation(key.error());
        return;
    }
    auto dir = RuntimeDir::ensureDefault();
    if (!dir) {
        failPreparation(dir.error());
        return;
    }
    auto file = EphemeralKeyFile::create(dir.value(), key.value());
    if (!file) {
        failPreparation(file.error());
        return;
    }
    m_keyFile = std::make_unique<EphemeralKeyFile>(std::move(file.value()));

    // The key push and the port-22 tunnel happen at the same time; ssh starts when the push is done (the
    // listener accepts at once, its EICE connection opens when ssh connects).
    m_listener = new TunnelListener(*m_setup.port22, this);
    const Result<void> listening = m_listener->start(0);
    if (!listening) {
        failPreparation(listening.error());
        return;
    }
    qCDebug(lcConnect) << "SSH forward for" << m_setup.instance.id << "port" << m_setup.remotePort
                       << ": pushing a key for" << m_setup.osUser;
    InstanceConnectClient client(*m_setup.session);
    client.sendSshPublicKey(m_setup.instance.region, m_setup.instance.id, m_setup.osUser, key.value().publicKeyLine(),
                            m_setup.instance.availabilityZone, this,
                            [this, generation = m_generation](Result<void> pushed) {
                                if (generation == m_generation && m_state == State::Preparing)
                                    onPushed(pushed);
                            });
}

void SshForwardTransport::onPushed(const Result<void>& pushed)
{
    if (!pushed) {
        failPreparation(pushed.error());
        return;
    }
    launchSsh();
}

void SshForwardTransport::launchSsh()
{
    m_forwardPort = freeLocalPort();
    if (m_forwardPort == 0) {
        failPreparation(Error::make(ErrorKind::Io, QStringLiteral("No free local port for the SSH forward")));
        return;
    }
    QStringList args = SshOptions::tunnelArguments(m_setup.instance.id, SshOptions::knownHostsPath(m_setup.env),
                                                   m_keyFile->path(), m_listener->port(), m_setup.osUser);
    args << QStringLiteral("-N") << QStringLiteral("-o") << QStringLiteral("ExitOnForwardFailure=yes")
         << QStringLiteral("-o") << QStringLiteral("BatchMode=yes") << QStringLiteral("-o")
         << QStringLiteral("LogLevel=DEBUG1") << QStringLiteral("-o") << QStringLiteral("ServerAliveInterval=30")
         << QStringLiteral("-L")
         << QStringLiteral("127.0.0.1:%1:%2:%3").arg(m_forwardPort).arg(m_setup.remoteHost).arg(m_setup.remotePort)
         << QStringLiteral("--") << QStringLiteral("127.0.0.1");
    qCDebug(lcConnect) << "SSH forward: ssh" << args.join(QLatin1Char(' '));
    m_ssh = new QProcess(this);
    m_ssh->setProcessEnvironment(m_setup.env);
    m_ssh->setStandardInputFile(QProcess::nullDevice());
    m_ssh->setStandardOutputFile(QProcess::nullDevice());
    connect(m_ssh, &QProcess::readyReadStandardError, this, &SshForwardTransport::onSshOutput);
    connect(m_ssh, &QProcess::finished, this, &SshForwardTransport::onSshFinished);
    connect(m_ssh, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            failPreparation(Error::make(
                ErrorKind::Io, QStringLiteral("Cannot run %1: %2").arg(m_setup.sshProgram, m_ssh->errorString()),
                QStringLiteral("Install the OpenSSH client (Debian: openssh-client)")));
    });
    m_ssh->start(m_setup.sshProgram, args);
}

void SshForwardTransport::onSshOutput()
{
    if (!m_ssh)
        return;
    m_stderr += m_ssh->readAllStandardError();
    qsizetype newline;
    while ((newline = m_stderr.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_stderr.left(newline)).trimmed();
        m_stderr.remove(0, newline + 1);
        if (line.isEmpty())
            continue;
        qCDebug(lcConnect).noquote() << "ssh:" << line;
        if (!line.startsWith(QLatin1String("debug"))) {
            m_sshMessages << line;
            if (m_sshMessages.size() > 20)
                m_sshMessages.removeFirst();
        }
        const auto match = listeningLine.match(line);
        if (match.hasMatch() && m_state == State::Preparing && match.captured(1).toUShort() == m_forwardPort) {
            m_timeout->stop();
            m_state = State::Ready;
            // ssh has read the key and logged in: the private key has no further use.
            m_keyFile.reset();
            qCDebug(lcConnect) << "SSH forward ready on 127.0.0.1 port" << m_forwardPort;
            Q_EMIT ready(m_forwardPort);
            attachPending();
        }
    }
    // DEBUG1 is chatty; an unfinished line never needs more than this.
    if (m_stderr.size() > 64 * 1024)
        m_stderr.clear();
}

void SshForwardTransport::onSshFinished()
{
    onSshOutput();
    if (m_state == State::Preparing) {
        failPreparation(sshError(QStringLiteral("SSH port forwarding to %1 ended before it started (ssh exit %2)")
                                     .arg(m_setup.instance.id)
                                     .arg(m_ssh ? m_ssh->exitCode() : -1)));
        return;
    }
    qCDebug(lcConnect) << "SSH forward for" << m_setup.instance.id << "ended; the next connection starts it again";
    stop();
}

Error SshForwardTransport::sshError(const QString& what) const
{
    const QString said = m_sshMessages.join(QStringLiteral("; "));
    QString hint;
    if (said.contains(QLatin1String("Permission denied")))
        hint = QStringLiteral("The instance refused the key for user '%1': choose the right OS user "
                              "(--os-user, or the tag bastionless:os-user), and check that EC2 Instance Connect "
                              "is installed on it")
                   .arg(m_setup.osUser);
    else if (said.contains(QLatin1String("REMOTE HOST IDENTIFICATION HAS CHANGED"))
             || said.contains(QLatin1String("Host key verification failed")))
        hint = QStringLiteral("The instance's host key is not the one recorded for %1 in %2. If it was rebuilt, "
                              "remove that line; otherwise do not connect")
                   .arg(m_setup.instance.id, SshOptions::knownHostsPath(m_setup.env));
    else if (said.contains(QLatin1String("forwarding")) || said.contains(QLatin1String("open failed")))
        hint = QStringLiteral("The instance's sshd must allow TCP forwarding (AllowTcpForwarding yes)");
    else
        hint = QStringLiteral("Run with -v to see what ssh said");
    return Error::make(ErrorKind::Network, said.isEmpty() ? what : QStringLiteral("%1: %2").arg(what, said), hint);
}

void SshForwardTransport::failPreparation(const Error& error)
{
    if (m_state != State::Preparing)
        return;
    qCWarning(lcConnect).noquote() << error.summary();
    const auto pending = std::exchange(m_pending, {});
    stop();
    for (const auto& stream : pending) {
        if (stream)
            stream->fail(error);
    }
    Q_EMIT preparationFailed(error);
}

void SshForwardTransport::attachPending()
{
    const auto pending = std::exchange(m_pending, {});
    for (const auto& stream : pending) {
        if (stream && !stream->isAbandoned() && !stream->isFinished()) {
            // ssh announces its listener just before it binds it (channels.c logs first): a connection made at
            // once is refused now and then (seen about 1 in 6 runs), so a refusal is tried again, 10 x 100 ms.
            stream->setRetry([this, stream] { return directStream(stream); }, 10, 100);
            stream->attach(directStream(stream));
        }
    }
}

void SshForwardTransport::stop()
{
    ++m_generation;
    m_timeout->stop();
    m_state = State::Idle;
    m_forwardPort = 0;
    if (m_ssh) {
        QProcess* ssh = std::exchange(m_ssh, nullptr);
        ssh->disconnect(this);
        if (ssh->state() != QProcess::NotRunning) {
            ssh->terminate();
            // ssh leaves on SIGTERM at once; the process object goes when it has.
            connect(ssh, &QProcess::finished, ssh, &QObject::deleteLater);
            QTimer::singleShot(3000, ssh, [ssh] { ssh->kill(); });
        } else {
            ssh->deleteLater();
        }
    }
    if (m_listener) {
        m_listener->stop();
        m_listener->deleteLater();
        m_listener = nullptr;
    }
    m_keyFile.reset();
}

} // namespace bl
