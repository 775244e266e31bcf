#include "app/cli/ProxyCommand.h"

#include "app/cli/Console.h"
#include "app/cli/ExitCodes.h"
#include "app/cli/UnixSignals.h"
#include "core/tunnel/StdioTunnel.h"
#include "core/tunnel/TunnelTransport.h"

#include <cstdio>

namespace bl::cli {

namespace { } // namespace

ProxyCommand::~ProxyCommand() = default;

void ProxyCommand::configure(QCommandLineParser& parser)
{
    parser.addPositionalArgument(QStringLiteral("instance"), QStringLiteral("Instance id or Name tag (ssh's %h)."));
    parser.addPositionalArgument(QStringLiteral("port"), QStringLiteral("Port on the instance (ssh's %p)."));
    TunnelOptions::addTo(parser);
}

Result<void> ProxyCommand::prepare(const QCommandLineParser& parser)
{
    const QStringList pos = parser.positionalArguments();
    const QString example = QStringLiteral("in ~/.ssh/config: ProxyCommand bastionless-cli proxy %h %p");
    if (pos.size() != 2) {
        return Error::make(ErrorKind::Usage,
                           QStringLiteral("proxy needs an instance and a port, got %1 arguments").arg(pos.size()),
                           example);
    }
    m_target = pos.at(0);
    bool ok = false;
    const uint port = pos.at(1).toUInt(&ok);
    if (!ok || port == 0 || port > 65535) {
        return Error::make(ErrorKind::Usage, QStringLiteral("'%1' is not a port number").arg(pos.at(1)), example);
    }
    m_port = static_cast<quint16>(port);
    auto options = TunnelOptions::parse(parser);
    if (!options)
        return options.error();
    m_options = options.value();
    return {};
}

void ProxyCommand::start()
{
    auto* signals = new UnixSignals(this);
    connect(signals, &UnixSignals::interrupted, this, [this] { done(ExitInterrupted); });
    auto chooser = m_services.transportChooser(this);
    if (!chooser) {
        m_done = true;
        fail(chooser.error());
        return;
    }
    m_chooser = chooser.value();
    m_options.applyTo(*m_chooser);
    m_chooser->choose(m_target, m_port, m_options.via, [this](Result<TransportChooser::Choice> choice) {
        if (m_done)
            return;
        if (!choice) {
            m_done = true;
            fail(choice.error());
            return;
        }
        relay(choice.value());
    });
}

void ProxyCommand::relay(const TransportChooser::Choice& choice)
{
    if (m_services.options().verbose)
        printErr(QStringLiteral("Transport: %1 (%2)\n").arg(choice.label, choice.reason));
    m_transport = choice.transport;
    m_tunnel = new StdioTunnel(*choice.transport, 0, 1, this);
    connect(m_tunnel, &StdioTunnel::finished, this, [this] { done(ExitOk); });
    connect(m_tunnel, &StdioTunnel::failed, this, [this](const Error& e) {
        if (m_done)
            return;
        m_done = true;
        fail(e);
    });
    const Result<void> started = m_tunnel->start();
    if (!started && !m_done) {
        m_done = true;
        fail(started.error());
    }
}

void ProxyCommand::done(int code)
{
    if (m_done)
        return;
    m_done = true;
    if (!m_tunnel) {
        Q_EMIT finished(code);
        return;
    }
    // End of input or a signal: a Session Manager session is terminated before the process goes.
    m_transport->shutdown(this, [this, code] { Q_EMIT finished(code); });
}

} // namespace bl::cli
