#pragma once
// `bastionless-cli proxy INSTANCE PORT`: one tunnel on stdin/stdout, for `ProxyCommand bastionless-cli proxy
// %h %p` in ~/.ssh/config. stdout carries only tunnel bytes; every diagnostic goes to stderr.

#include "app/cli/Command.h"
#include "app/cli/TunnelOptions.h"

namespace bl {
class StdioTunnel;
} // namespace bl

namespace bl::cli {

class ProxyCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    ~ProxyCommand() override;
    void configure(QCommandLineParser& parser) override;
    Result<void> prepare(const QCommandLineParser& parser) override;
    void start() override;

private:
    void relay(const TransportChooser::Choice& choice);
    void done(int code);

    QString m_target;
    quint16 m_port = 22;
    TunnelOptions m_options;
    TransportChooser* m_chooser = nullptr;
    StdioTunnel* m_tunnel = nullptr;
    TunnelTransport* m_transport = nullptr; // the chooser's child
    bool m_done = false;
};

} // namespace bl::cli
