#pragma once
// `bastionless-cli tunnel INSTANCE --remote-port N [--local-port M] [--via ...]`: a local listener on
// 127.0.0.1 that forwards every connection to the instance's port until SIGINT/SIGTERM. Once listening it
// prints exactly "Listening on 127.0.0.1:M" on stdout so scripts can wait for it. A --local-port already in
// use exits with 2 (ExitUsage): the person chose a port that cannot be used.

#include "app/cli/Command.h"
#include "app/cli/TunnelOptions.h"

namespace bl {
class TunnelListener;
} // namespace bl

namespace bl::cli {

class TunnelCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    ~TunnelCommand() override;
    void configure(QCommandLineParser& parser) override;
    Result<void> prepare(const QCommandLineParser& parser) override;
    void start() override;

private:
    void listen(const TransportChooser::Choice& choice);
    void stop(int code);

    QString m_target;
    quint16 m_remotePort = 0;
    quint16 m_localPort = 0;
    TunnelOptions m_options;
    QString m_remoteHost;
    TransportChooser* m_chooser = nullptr;
    TunnelListener* m_listener = nullptr;
    bool m_stopping = false;
};

} // namespace bl::cli
