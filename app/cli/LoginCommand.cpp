#include "app/cli/LoginCommand.h"

#include "app/cli/Console.h"
#include "app/cli/ExitCodes.h"
#include "app/cli/UnixSignals.h"
#include "core/aws/credentials/SsoLogin.h"

#include <QProcess>
#include <QStandardPaths>

#include <cstdio>

namespace bl::cli {

namespace {

const QCommandLineOption noBrowserOpt(QStringLiteral("no-browser"),
                                      QStringLiteral("Only print the URL and code; do not open a browser."));

} // namespace

LoginCommand::~LoginCommand() = default;

void LoginCommand::configure(QCommandLineParser& parser)
{
    parser.addOption(noBrowserOpt);
}

Result<void> LoginCommand::prepare(const QCommandLineParser& parser)
{
    if (!parser.positionalArguments().isEmpty())
        return Error::make(ErrorKind::Usage, QStringLiteral("login takes no arguments"),
                           QStringLiteral("Choose the profile with --profile <name>"));
    if (!m_services.options().account.isEmpty())
        return Error::make(ErrorKind::Usage,
                           QStringLiteral("App account %1 holds access keys; there is nothing to log in to")
                               .arg(m_services.options().account),
                           QStringLiteral("login is for profiles with IAM Identity Center: use --profile <name>"));
    m_noBrowser = parser.isSet(noBrowserOpt);
    return {};
}

void LoginCommand::start()
{
    auto cfg = m_services.config();
    if (!cfg) {
        fail(cfg.error());
        return;
    }
    auto login = createSsoLogin(m_services.credentialsOptions());
    if (!login) {
        fail(login.error());
        return;
    }
    m_login = std::move(login.value());
    connect(m_login.get(), &SsoLogin::verificationReady, this,
            [this](const QString& uri, const QString& uriComplete, const QString& code) {
                printOut(QStringLiteral("To sign in to IAM Identity Center for profile '%1', open\n\n    %2\n\n"
                                        "and check that it shows the code\n\n    %3\n\n")
                             .arg(m_services.profileName(), uriComplete.isEmpty() ? uri : uriComplete, code));
                if (!m_noBrowser)
                    openBrowser(uriComplete.isEmpty() ? uri : uriComplete);
                printOut(QStringLiteral("Waiting for approval (Ctrl-C to cancel)...\n"));
            });
    if (m_services.options().verbose) {
        connect(m_login.get(), &SsoLogin::progress, this,
                [](const QString& message) { std::fprintf(stderr, "%s\n", message.toLocal8Bit().constData()); });
    }
    auto* signals = new UnixSignals(this);
    connect(signals, &UnixSignals::interrupted, this, [this] { m_login->cancel(); });
    m_login->start([this](Result<SsoToken> token) {
        if (!token) {
            fail(token.error());
            return;
        }
        printOut(QStringLiteral("Logged in. The session is valid until %1 and is shared with the AWS CLI.\n")
                     .arg(token->expiresAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
        Q_EMIT finished(ExitOk);
    });
}

void LoginCommand::openBrowser(const QString& url)
{
    // $BROWSER first (a person's explicit choice, also how tests drive the login), then xdg-open on a desktop.
    const QString browser = m_services.env().value(QStringLiteral("BROWSER"));
    QString program;
    if (!browser.isEmpty())
        program = browser;
    else if (m_services.env().contains(QStringLiteral("DISPLAY"))
             || m_services.env().contains(QStringLiteral("WAYLAND_DISPLAY")))
        program = QStandardPaths::findExecutable(QStringLiteral("xdg-open"));
    if (program.isEmpty())
        return;
    if (!QProcess::startDetached(program, {url}))
        std::fprintf(stderr, "warning: could not start %s; open the URL yourself\n", program.toLocal8Bit().constData());
}

} // namespace bl::cli
