#include "app/cli/CliApp.h"

#include "app/cli/Command.h"
#include "app/cli/Console.h"
#include "app/cli/ExitCodes.h"
#include "app/cli/ListCommand.h"
#include "app/cli/LoginCommand.h"
#include "app/cli/ProxyCommand.h"
#include "app/cli/PushKeyCommand.h"
#include "app/cli/SshCommand.h"
#include "app/cli/SshConfigCommand.h"
#include "app/cli/TunnelCommand.h"
#include "app/cli/WhoamiCommand.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <map>

namespace bl::cli {

namespace {

using Factory = std::function<Command*(CliServices&, QObject*)>;

struct CommandInfo
{
    const char* name;
    const char* summary;
    Factory make;
};

const QList<CommandInfo>& commands()
{
    static const QList<CommandInfo> list = {
        {"list", "List the instances of a profile across one, several or all regions",
         [](CliServices& s, QObject* p) -> Command* { return new ListCommand(s, p); }},
        {"push-key", "Push an SSH public key to an instance with EC2 Instance Connect (valid 60 s)",
         [](CliServices& s, QObject* p) -> Command* { return new PushKeyCommand(s, p); }},
        {"ssh", "Log in with the system ssh through a fresh key and a native tunnel",
         [](CliServices& s, QObject* p) -> Command* { return new SshCommand(s, p); }},
        {"tunnel", "Forward a local port on 127.0.0.1 to a port of an instance until interrupted",
         [](CliServices& s, QObject* p) -> Command* { return new TunnelCommand(s, p); }},
        {"proxy", "Tunnel stdin/stdout to an instance's port (for ssh's ProxyCommand)",
         [](CliServices& s, QObject* p) -> Command* { return new ProxyCommand(s, p); }},
        {"ssh-config", "Print a ~/.ssh/config block that makes ssh i-... go through Bastionless",
         [](CliServices& s, QObject* p) -> Command* { return new SshConfigCommand(s, p); }},
        {"login", "Log in with IAM Identity Center (SSO) using a device code",
         [](CliServices& s, QObject* p) -> Command* { return new LoginCommand(s, p); }},
        {"whoami", "Show which AWS identity the credentials belong to",
         [](CliServices& s, QObject* p) -> Command* { return new WhoamiCommand(s, p); }},
    };
    return list;
}

} // namespace

CliApp::CliApp(QStringList arguments, QProcessEnvironment env, QObject* parent)
    : QObject(parent)
    , m_args(std::move(arguments))
    , m_env(std::move(env))
{ }

QString CliApp::usage()
{
    QString s = QStringLiteral("Usage: bastionless-cli <command> [options]\n\n"
                               "Connect to EC2 instances in private subnets without a bastion host.\n\n"
                               "Commands:\n");
    for (const CommandInfo& c : commands())
        s += QStringLiteral("  %1%2\n").arg(QString::fromLatin1(c.name).leftJustified(12), QLatin1String(c.summary));
    s += QStringLiteral("\nOptions for every command:\n"
                        "  --profile <name>   AWS profile (default: AWS_PROFILE, then \"default\")\n"
                        "  --account <name>   An account added in the Bastionless app (Accounts): its access\n"
                        "                     key from the app's settings, its secret from the system\n"
                        "                     keychain. Not together with --profile\n"
                        "  --region <region>  AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)\n"
                        "  -v, --verbose      Explain what is happening on stderr\n"
                        "  -h, --help         Help for a command\n"
                        "  --version          Print the version\n\n"
                        "Exit codes: 0 success, 2 usage, 3 credentials or configuration, 4 not found,\n"
                        "5 AWS service error, 6 network error.\n\n"
                        "Run 'bastionless-cli <command> --help' for a command's options.\n");
    return s;
}

int CliApp::start()
{
    if (m_args.size() < 2) {
        printErr(usage());
        return ExitUsage;
    }
    const QString first = m_args.at(1);
    if (first == QLatin1String("--version") || first == QLatin1String("-V") || first == QLatin1String("version")) {
        printOut(QStringLiteral("bastionless-cli %1\n").arg(QLatin1String(BL_VERSION)));
        return ExitOk;
    }
    if (first == QLatin1String("--help") || first == QLatin1String("-h") || first == QLatin1String("help")) {
        printOut(usage());
        return ExitOk;
    }
    const CommandInfo* info = nullptr;
    for (const CommandInfo& c : commands()) {
        if (first == QLatin1String(c.name))
            info = &c;
    }
    if (!info) {
        printErr(QStringLiteral("error: unknown command '%1'\nhint: run 'bastionless-cli --help' to see the commands\n")
                     .arg(first));
        return ExitUsage;
    }

    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setApplicationDescription(QLatin1String(info->summary));
    const QCommandLineOption profileOpt(QStringLiteral("profile"), QStringLiteral("AWS profile."),
                                        QStringLiteral("name"));
    const QCommandLineOption accountOpt(QStringLiteral("account"),
                                        QStringLiteral("An account added in the Bastionless app (not with --profile)."),
                                        QStringLiteral("name"));
    const QCommandLineOption regionOpt(QStringLiteral("region"), QStringLiteral("AWS region."),
                                       QStringLiteral("region"));
    const QCommandLineOption verboseOpt({QStringLiteral("v"), QStringLiteral("verbose")},
                                        QStringLiteral("Explain what is happening on stderr."));
    const QCommandLineOption helpOpt({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOptions({profileOpt, accountOpt, regionOpt, verboseOpt, helpOpt});

    // The services object is created before the command so that the command can keep a reference.
    auto* services = new CliServices({}, m_env, this);
    Command* command = info->make(*services, this);
    command->configure(parser);

    QStringList args = m_args.mid(2);
    args.prepend(m_args.at(0));
    if (!parser.parse(args)) {
        printErr(QStringLiteral("error: %1\nhint: run 'bastionless-cli %2 --help'\n")
                     .arg(parser.errorText(), QLatin1String(info->name)));
        return ExitUsage;
    }
    if (parser.isSet(helpOpt)) {
        QString help = parser.helpText();
        // QCommandLineParser names the binary by its path; show the command instead.
        const qsizetype eol = help.indexOf(QLatin1Char('\n'));
        const QString firstLine = help.left(eol);
        const qsizetype opts = firstLine.indexOf(QLatin1String("[options]"));
        help = QStringLiteral("Usage: bastionless-cli %1 %2").arg(QLatin1String(info->name), firstLine.mid(opts))
            + help.mid(eol);
        printOut(help);
        return ExitOk;
    }

    if (parser.isSet(accountOpt) && parser.isSet(profileOpt)) {
        return CliServices::report(Error::make(
            ErrorKind::Usage, QStringLiteral("--account and --profile cannot be used together"),
            QStringLiteral("--profile names a profile of ~/.aws, --account an account added in the Bastionless app; "
                           "give one of them")));
    }
    if (parser.isSet(accountOpt) && parser.value(accountOpt).isEmpty()) {
        return CliServices::report(Error::make(ErrorKind::Usage, QStringLiteral("--account needs an account name"),
                                               QStringLiteral("Use the name shown in Bastionless \u2192 Accounts")));
    }

    GlobalOptions options;
    options.profile = parser.value(profileOpt);
    options.account = parser.value(accountOpt);
    options.regions = parser.values(regionOpt);
    options.verbose = parser.isSet(verboseOpt);
    if (options.verbose) {
        // Requests, retries, credential sources: never secrets (see core/util/Log.h).
        QLoggingCategory::setFilterRules(QStringLiteral("bastionless.*.debug=true"));
    }
    services->setOptions(options);

    const Result<void> prepared = command->prepare(parser);
    if (!prepared)
        return CliServices::report(prepared.error());

    connect(command, &Command::finished, this, [](int code) { QCoreApplication::exit(code); });
    QTimer::singleShot(0, command, &Command::start);
    return -1;
}

} // namespace bl::cli
