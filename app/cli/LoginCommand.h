#pragma once
// `bastionless-cli login`: IAM Identity Center device-code login for a profile. Shows the URL and code,
// opens a browser when there is one ($BROWSER, else xdg-open on a desktop), waits for approval and writes
// the AWS CLI's own token cache, so `aws` and Bastionless share the login.

#include "app/cli/Command.h"
#include "core/aws/credentials/SsoLogin.h"

#include <memory>

namespace bl::cli {

class LoginCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    ~LoginCommand() override;
    void configure(QCommandLineParser& parser) override;
    Result<void> prepare(const QCommandLineParser& parser) override;
    void start() override;

private:
    void openBrowser(const QString& url);

    bool m_noBrowser = false;
    std::unique_ptr<SsoLogin> m_login;
};

} // namespace bl::cli
