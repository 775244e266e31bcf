#include "core/launch/ProgramPackages.h"

#include "core/util/Result.h"

#include <QFileInfo>
#include <QHash>

namespace bl {

QString debianPackageFor(const QString& program)
{
    static const QHash<QString, QString> packages = {
        {QStringLiteral("x-terminal-emulator"), QStringLiteral("xterm")},
        {QStringLiteral("xterm"), QStringLiteral("xterm")},
        {QStringLiteral("gnome-terminal"), QStringLiteral("gnome-terminal")},
        {QStringLiteral("konsole"), QStringLiteral("konsole")},
        {QStringLiteral("xfce4-terminal"), QStringLiteral("xfce4-terminal")},
        {QStringLiteral("alacritty"), QStringLiteral("alacritty")},
        {QStringLiteral("kitty"), QStringLiteral("kitty")},
        {QStringLiteral("xfreerdp"), QStringLiteral("freerdp2-x11")},
        {QStringLiteral("xfreerdp3"), QStringLiteral("freerdp3-x11")},
        {QStringLiteral("remmina"), QStringLiteral("remmina")},
        {QStringLiteral("vncviewer"), QStringLiteral("tigervnc-viewer")},
        {QStringLiteral("ssh"), QStringLiteral("openssh-client")},
    };
    return packages.value(QFileInfo(program).fileName());
}

Error programMissing(const QString& program, const QString& what)
{
    const QString package = debianPackageFor(program);
    const QString hint = package.isEmpty()
        ? QStringLiteral("Install %1, or choose another program in the settings.").arg(program)
        : QStringLiteral("Install the Debian package %1: sudo apt install %1").arg(package);
    return Error::make(ErrorKind::NotFound, QStringLiteral("%1 is not installed (%2 not found)").arg(what, program),
                       hint);
}

} // namespace bl
