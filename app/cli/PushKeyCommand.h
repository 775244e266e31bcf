#pragma once
// `bastionless-cli push-key`: pushes a public key to an instance with EC2 Instance Connect. Without
// --public-key it makes a fresh ed25519 key and keeps the private half only where ssh can use it for the
// key's 60 seconds: in the running ssh-agent (with a lifetime), or else in a 0600 file inside the 0700
// runtime directory that is removed when the command ends.

#include "app/cli/Command.h"
#include "core/aws/api/Types.h"
#include "core/keys/Ed25519KeyPair.h"
#include "core/keys/EphemeralKeyFile.h"

#include <optional>

namespace bl {
class InstanceInventory;
class SshAgent;
} // namespace bl

namespace bl::cli {

class PushKeyCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    ~PushKeyCommand() override;
    void configure(QCommandLineParser& parser) override;
    Result<void> prepare(const QCommandLineParser& parser) override;
    void start() override;

    static constexpr int KeyValiditySecs = 60;

private:
    void push(const Instance& instance);
    void pushed(const Instance& instance);
    void keepPrivateKey(const Instance& instance);
    void done(int code);

    QString m_target;
    QString m_osUser;
    QString m_publicKeyLine;
    QString m_publicKeyFile;
    std::optional<Ed25519KeyPair> m_key;
    std::optional<EphemeralKeyFile> m_keyFile;
    InstanceInventory* m_inventory = nullptr;
    SshAgent* m_agent = nullptr;
    bool m_wait = true;
};

} // namespace bl::cli
