#pragma once
// `bastionless-cli whoami`: which account and identity the selected credentials belong to, and where
// they came from.

#include "app/cli/Command.h"

namespace bl::cli {

class WhoamiCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    void configure(QCommandLineParser& parser) override;
    Result<void> prepare(const QCommandLineParser& parser) override;
    void start() override;

private:
    bool m_json = false;
};

} // namespace bl::cli
