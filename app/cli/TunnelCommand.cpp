#include "app/cli/TunnelCommand.h"

#include "app/cli/Console.h"
#include "app/cli/ExitCodes.h"
#include "app/cli/UnixSignals.h"
#include "core/tunnel/TunnelListener.h"
#include "core/tunnel/TunnelTransport.h"

#include <cstdio>

namespace bl::cli {

namespace {

const QCommandLineOption remotePortOpt(QStringLiteral("remote-port"),
                                       QStringLiteral("Port on the instance (22 for SSH, 3389 for RDP)."),
                                       QStringLiteral("port"));
const QCommandLineOption
    remoteHostOpt(QStringLiteral("remote-host"),
                  QStringLiteral("With Session Manager: a host as the instance sees it (a database, "
                                 "another server in its VPC) instead of the instance itself."),
                  QStringLiteral("host"));
const QCommandLineOption localPortOpt(QStringLiteral("local-port"),
                                      QStringLiteral("Local port on 127.0.0.1 (default: a free one)."),
                                      QStringLiteral("port"), QStringLiteral("0"));

} // namespace

TunnelCommand::~TunnelCommand() = default;

void TunnelCommand::configure(QCommandLineParser& parser)
{
    parser.addPositionalArgument(QStringLiteral("instance"), QStringLiteral("Instance id or Name tag."));
    parser.addOptions({remotePortOpt, localPortOpt, remoteHostOpt});
    TunnelOptions::addTo(parser);
}

Result<void> TunnelCommand::prepare(const QCommandLineParser& parser)
{
    const QStringList pos = parser.positionalArguments();
    const QString example = QStringLiteral("bastionless-cli tunnel i-0123456789abcdef0 --remote-port 22");
    if (pos.size() != 1) {
        return Error::make(ErrorKind::Usage,
                           pos.isEmpty() ? QStringLiteral("tunnel needs an instance id or name")
                                         : QStringLiteral("tunnel takes one instance, got %1").arg(pos.size()),
                           example);
    }
    m_target = pos.first();
    if (!parser.isSet(remotePortOpt))
        return Error::make(ErrorKind::Usage, QStringLiteral("tunnel needs --remote-port"), example);
    auto remote = TunnelOptions::parsePort(parser.value(remotePortOpt), QStringLiteral("--remote-port"), false);
    if (!remote)
        return remote.error();
    m_remotePort = remote.value();
    auto local = TunnelOptions::parsePort(parser.value(localPortOpt), QStringLiteral("--local-port"), true);
    if (!local)
        return local.error();
    m_localPort = local.value();
    auto options = TunnelOptions::parse(parser);
    if (!options)
        return options.error();
    m_options = options.value();
    m_remoteHost = parser.value(remoteHostOpt).trimmed();
    if (!m_remoteHost.isEmpty() && m_options.via != TransportChooser::Via::Auto
        && m_options.via != TransportChooser::Via::Ssm) {
        return Error::make(ErrorKind::Usage, QStringLiteral("--remote-host needs Session Manager"),
                           QStringLiteral("Use --via ssm (or leave --via out)"));
    }
    return {};
}

void TunnelCommand::start()
{
    auto* signals = new UnixSignals(this);
    connect(signals, &UnixSignals::interrupted, this, [this] { stop(ExitOk); });
    auto chooser = m_services.transportChooser(this);
    if (!chooser) {
        m_stopping = true;
        fail(chooser.error());
        return;
    }
    m_chooser = chooser.value();
    m_options.applyTo(*m_chooser);
    m_chooser->setRemoteHost(m_remoteHost);
    m_chooser->choose(m_target, m_remotePort, m_options.via, [this](Result<TransportChooser::Choice> choice) {
        if (m_stopping)
            return;
        if (!choice) {
            m_stopping = true;
            fail(choice.error());
            return;
        }
        listen(choice.value());
    });
}

void TunnelCommand::listen(const TransportChooser::Choice& choice)
{
    if (m_services.options().verbose) {
        printErr(QStringLiteral("Transport: %1 (%2)\n").arg(choice.label, choice.reason));
    }
    m_listener = new TunnelListener(*choice.transport, this);
    const Result<void> started = m_listener->start(m_localPort);
    if (!started) {
        m_stopping = true;
        Error e = started.error();
        e.kind = ErrorKind::Usage; // exit code 2: the person chose a port that cannot be used
        if (e.hint.isEmpty())
            e.hint = QStringLiteral("Choose another --local-port, or leave it out to get a free one");
        fail(e);
        return;
    }
    if (m_services.options().verbose) {
        connect(m_listener, &TunnelListener::connectionFailed, this, [](quint64 id, const Error& e) {
            printErr(QStringLiteral("connection %1 failed: %2\n").arg(id).arg(e.summary()));
        });
    }
    printOut(QStringLiteral("Listening on %1\n").arg(m_listener->address()));
}

void TunnelCommand::stop(int code)
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (!m_listener || m_listener->state() != TunnelListener::State::Listening) {
        Q_EMIT finished(code);
        return;
    }
    connect(m_listener, &TunnelListener::stateChanged, this, [this, code](TunnelListener::State state) {
        if (state == TunnelListener::State::Stopped || state == TunnelListener::State::Failed)
            m_listener->transport().shutdown(this, [this, code] { Q_EMIT finished(code); });
    });
    m_listener->stop();
}

} // namespace bl::cli
