// bastionless-cli: list instances, push keys, log in, and (later) tunnels and ssh, from a terminal.
#include "app/cli/CliApp.h"

#include <QCoreApplication>

int main(int argc, char* argv[])
{
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
