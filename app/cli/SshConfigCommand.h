#pragma once
// `bastionless-cli ssh-config [--profile P]`: prints a ~/.ssh/config block that sends `ssh i-...` through
// `bastionless-cli proxy`, plus one alias per named running instance of the profile's region, so that
// `ssh web-1` works too. HostKeyAlias is the instance id, so host keys follow the instance, not the route.

#include "app/cli/Command.h"
#include "core/aws/api/Types.h"

namespace bl {
class InstanceInventory;
} // namespace bl

namespace bl::cli {

class SshConfigCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    ~SshConfigCommand() override;
    void configure(QCommandLineParser& parser) override;
    Result<void> prepare(const QCommandLineParser& parser) override;
    void start() override;

    // The ProxyCommand value for a host argument ("%h" or an instance id), with the profile and region
    // options this process was given.
    QString proxyCommand(const QString& host) const;
    // The whole text, for the given instances.
    QString render(const QList<Instance>& instances, const QString& region) const;

private:
    QString m_osUser;
    bool m_aliases = true;
    InstanceInventory* m_inventory = nullptr;
};

} // namespace bl::cli
