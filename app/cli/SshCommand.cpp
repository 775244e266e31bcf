#include "app/cli/SshCommand.h"

#include "core/connect/SshOptions.h"

#include "app/cli/Console.h"
#include "app/cli/ExitCodes.h"
#include "app/cli/UnixSignals.h"
#include "core/aws/api/InstanceConnectClient.h"
#include "core/keys/RuntimeDir.h"
#include "core/tunnel/TunnelListener.h"
#include "core/tunnel/TunnelTransport.h"

#include <QDir>
#include <QFileInfo>

#include <csignal>
#include <cstdio>

namespace bl::cli {

namespace { } // namespace

SshCommand::~SshCommand()
{
    if (m_keyFile)
        m_keyFile->remove();
}

void SshCommand::configure(QCommandLineParser& parser)
{
    parser.addPositionalArgument(QStringLiteral("instance"), QStringLiteral("Instance id or Name tag."));
    parser.addPositionalArgument(QStringLiteral("-- ssh-args"),
                                 QStringLiteral("ssh options, then the remote command (after --)."));
    TunnelOptions::addTo(parser);
}

void SshCommand::splitSshArgs(const QStringList& args, QStringList* options, QStringList* command)
{
    // ssh's options that take a value (ssh(1) synopsis).
    static const QString withValue = QStringLiteral("BbcDEeFIiJLlmOoPpQRSWw");
    qsizetype i = 0;
    while (i < args.size() && args.at(i).startsWith(QLatin1Char('-')) && args.at(i).size() > 1) {
        const QString& a = args.at(i);
        options->append(a);
        ++i;
        if (a == QLatin1String("--"))
            break;
        if (a.size() == 2 && withValue.contains(a.at(1)) && i < args.size())
            options->append(args.at(i++));
    }
    *command = args.mid(i);
}

Result<void> SshCommand::prepare(const QCommandLineParser& parser)
{
    const QStringList pos = parser.positionalArguments();
    if (pos.isEmpty()) {
        return Error::make(ErrorKind::Usage, QStringLiteral("ssh needs an instance id or name"),
                           QStringLiteral("bastionless-cli ssh i-0123456789abcdef0 [--os-user ec2-user] [-- uptime]"));
    }
    m_target = pos.first();
    splitSshArgs(pos.mid(1), &m_sshOptions, &m_remoteCommand);
    auto options = TunnelOptions::parse(parser);
    if (!options)
        return options.error();
    m_options = options.value();
    return {};
}

void SshCommand::start()
{
    auto* signals = new UnixSignals(this);
    connect(signals, &UnixSignals::interrupted, this, [this](int signo) {
        // Ctrl-C belongs to the remote session while ssh runs; ssh sees it itself.
        if (m_ssh && signo == SIGINT)
            return;
        if (m_ssh)
            m_ssh->terminate();
        else
            done(ExitInterrupted);
    });
    auto key = Ed25519KeyPair::generate(QStringLiteral("bastionless-%1").arg(m_target));
    if (!key) {
        done(CliServices::report(key.error()));
        return;
    }
    m_key.emplace(std::move(key.value()));
    auto dir = RuntimeDir::ensureDefault();
    if (!dir) {
        done(CliServices::report(dir.error()));
        return;
    }
    auto file = EphemeralKeyFile::create(dir.value(), *m_key);
    if (!file) {
        done(CliServices::report(file.error()));
        return;
    }
    m_keyFile.emplace(std::move(file.value()));

    auto chooser = m_services.transportChooser(this);
    if (!chooser) {
        done(CliServices::report(chooser.error()));
        return;
    }
    m_chooser = chooser.value();
    m_options.applyTo(*m_chooser);
    m_chooser->choose(
        m_target, 22, m_options.via,
        [this](Result<TransportChooser::Choice> choice) {
            if (m_finished)
                return;
            if (!choice) {
                done(CliServices::report(choice.error()));
                return;
            }
            if (m_services.options().verbose)
                printErr(QStringLiteral("Transport: %1 (%2)\n").arg(choice->label, choice->reason));
            m_listener = new TunnelListener(*choice->transport, this);
            const Result<void> started = m_listener->start(0);
            if (!started) {
                done(CliServices::report(started.error()));
                return;
            }
            maybeRunSsh();
        },
        [this](const Instance& instance) { push(instance); });
}

void SshCommand::push(const Instance& instance)
{
    m_instance = instance;
    const OsUser::Choice user = m_chooser->osUserFor(instance);
    m_osUser = user.user;
    if (m_services.options().verbose)
        printErr(QStringLiteral("OS user: %1 (%2)\n").arg(user.user, user.reason));
    auto session = m_services.session();
    InstanceConnectClient client(*session.value());
    client.sendSshPublicKey(instance.region, instance.id, m_osUser, m_key->publicKeyLine(), QString(), this,
                            [this](Result<void> r) {
                                if (m_finished)
                                    return;
                                if (!r) {
                                    done(CliServices::report(r.error()));
                                    return;
                                }
                                m_pushed = true;
                                maybeRunSsh();
                            });
}

void SshCommand::maybeRunSsh()
{
    if (m_pushed && m_listener && !m_ssh && !m_finished)
        runSsh();
}

void SshCommand::runSsh()
{
    QStringList args = SshOptions::tunnelArguments(m_instance.id, SshOptions::knownHostsPath(m_services.env()),
                                                   m_keyFile->path(), m_listener->port(), m_osUser);
    args += m_sshOptions;
    if (!m_sshOptions.contains(QStringLiteral("--")))
        args << QStringLiteral("--");
    args << QStringLiteral("127.0.0.1");
    args += m_remoteCommand;
    if (m_services.options().verbose)
        printErr(QStringLiteral("Running ssh %1\n").arg(args.join(QLatin1Char(' '))));
    m_ssh = new QProcess(this);
    m_ssh->setProcessChannelMode(QProcess::ForwardedChannels);
    m_ssh->setInputChannelMode(QProcess::ForwardedInputChannel);
    m_ssh->setProcessEnvironment(m_services.env());
    connect(m_ssh, &QProcess::finished, this,
            [this](int code, QProcess::ExitStatus status) { done(status == QProcess::NormalExit ? code : 255); });
    connect(m_ssh, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        done(CliServices::report(Error::make(ErrorKind::Io,
                                             QStringLiteral("Cannot run ssh: %1").arg(m_ssh->errorString()),
                                             QStringLiteral("Install the OpenSSH client (Debian: openssh-client)"))));
    });
    m_ssh->start(QStringLiteral("ssh"), args);
}

void SshCommand::done(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_keyFile)
        m_keyFile->remove();
    if (!m_listener) {
        Q_EMIT finished(code);
        return;
    }
    m_listener->stop();
    m_listener->transport().shutdown(this, [this, code] { Q_EMIT finished(code); });
}

} // namespace bl::cli
