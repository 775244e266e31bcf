#pragma once
// `bastionless-cli list`: the instances of a profile in one, several or all enabled regions.

#include "app/cli/Command.h"
#include "core/aws/api/Types.h"

namespace bl {
class InstanceInventory;
}

namespace bl::cli {

class ListCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    void configure(QCommandLineParser& parser) override;
    Result<void> prepare(const QCommandLineParser& parser) override;
    void start() override;

    // "Name=tag:Env,Values=prod,staging" -> {tag:Env, [prod, staging]} (the AWS CLI's shorthand).
    static Result<Ec2Filter> parseFilter(const QString& text);

private:
    QList<Ec2Filter> m_filters;
    bool m_allRegions = false;
    bool m_json = false;
    int m_maxInFlight = 0;
    InstanceInventory* m_inventory = nullptr;
};

} // namespace bl::cli
