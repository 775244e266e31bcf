#pragma once
// `bastionless-cli ssh INSTANCE [--os-user U] [--via ...] [-- ssh-options/command]`: pushes a fresh ephemeral
// key while the transport is being found, opens a local tunnel, and runs the system ssh through it with
// HostKeyAlias=<instance id> and Bastionless's own known_hosts (first use recorded, a changed key refused by
// ssh). Returns ssh's exit status. The private key lives in a 0600 file in the 0700 runtime directory and is
// removed when ssh ends.

#include "app/cli/Command.h"
#include "app/cli/TunnelOptions.h"
#include "core/keys/Ed25519KeyPair.h"
#include "core/keys/EphemeralKeyFile.h"

#include <QProcess>

#include <optional>

namespace bl {
class TunnelListener;
} // namespace bl

namespace bl::cli {

class SshCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    ~SshCommand() override;
    void configure(QCommandLineParser& parser) override;
    Result<void> prepare(const QCommandLineParser& parser) override;
    void start() override;

    // Splits what follows `--` into ssh options (before the destination) and the remote command (after it).
    static void splitSshArgs(const QStringList& args, QStringList* options, QStringList* command);

private:
    void push(const Instance& instance);
    void maybeRunSsh();
    void runSsh();
    void done(int code);

    QString m_target;
    QString m_osUser;
    QStringList m_sshOptions;
    QStringList m_remoteCommand;
    TunnelOptions m_options;
    TransportChooser* m_chooser = nullptr;
    TunnelListener* m_listener = nullptr;
    QProcess* m_ssh = nullptr;
    std::optional<Ed25519KeyPair> m_key;
    std::optional<EphemeralKeyFile> m_keyFile;
    Instance m_instance;
    bool m_pushed = false;
    bool m_finished = false;
};

} // namespace bl::cli
