// bastionless-cli: list instances, push keys, log in, and (later) tunnels and ssh, from a terminal.
#include "app/cli/CliApp.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstring>

namespace {

QtMessageHandler g_qtHandler = nullptr;

// core reports problems it works around through its logging categories; in a terminal they read as the CLI's
// own "warning:" lines instead of "bastionless.credentials: ...". Qt's own messages keep Qt's format.
void cliMessageHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (context.category && std::strncmp(context.category, "bastionless", 11) == 0) {
        std::fprintf(stderr, "%s: %s\n", type == QtDebugMsg || type == QtInfoMsg ? "debug" : "warning",
                     message.toLocal8Bit().constData());
        std::fflush(stderr);
        return;
    }
    if (g_qtHandler)
        g_qtHandler(type, context, message);
    else
        std::fprintf(stderr, "%s\n", message.toLocal8Bit().constData());
}

} // namespace

int main(int argc, char* argv[])
{
    g_qtHandler = qInstallMessageHandler(cliMessageHandler);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bastionless-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Bastionless"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BL_VERSION));

    bl::cli::CliApp cli(QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment());
    const int immediate = cli.start();
    if (immediate >= 0)
        return immediate;
    return QCoreApplication::exec();
}
