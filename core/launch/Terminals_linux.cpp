#include "core/launch/Terminals.h"

#include <QFileInfo>

namespace bl {

QStringList Terminals::known()
{
    return {QStringLiteral("x-terminal-emulator"),
            QStringLiteral("gnome-terminal"),
            QStringLiteral("konsole"),
            QStringLiteral("xfce4-terminal"),
            QStringLiteral("alacritty"),
            QStringLiteral("kitty"),
            QStringLiteral("xterm")};
}

QStringList Terminals::runArguments(const QString& terminal, const QString& program, const QStringList& args)
{
    const QString name = QFileInfo(terminal).fileName();
    QStringList out;
    if (name == QLatin1String("gnome-terminal"))
        out << QStringLiteral("--"); // -e takes one string that it splits itself; -- passes argv as is
    else if (name == QLatin1String("xfce4-terminal"))
        out << QStringLiteral("-x"); // like -e, but the rest of the command line is the argv
    else if (name != QLatin1String("kitty"))
        out << QStringLiteral("-e"); // xterm, konsole, alacritty and the Debian alternative
    out << program << args;
    return out;
}

} // namespace bl
