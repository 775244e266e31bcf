#include "core/launch/Viewers.h"

#include <QFileInfo>

namespace bl {

QStringList Viewers::rdpViewers()
{
    return {QStringLiteral("xfreerdp3"), QStringLiteral("xfreerdp"), QStringLiteral("remmina")};
}

QStringList Viewers::vncViewers()
{
    return {QStringLiteral("vncviewer"), QStringLiteral("remmina")};
}

QStringList Viewers::rdpArguments(const QString& viewer, quint16 localPort, const QString& user, const QString& title)
{
    const QString name = QFileInfo(viewer).fileName();
    const QString address = QStringLiteral("127.0.0.1:%1").arg(localPort);
    if (name == QLatin1String("remmina")) {
        const QString who = user.isEmpty() ? QString() : user + QLatin1Char('@');
        return {QStringLiteral("-c"), QStringLiteral("rdp://%1%2").arg(who, address)};
    }
    // The server certificate is Windows' self-signed one and never names 127.0.0.1; the tunnel itself is what
    // authenticates the instance (it was opened with AWS credentials to this instance id), so the name check
    // adds only a prompt.
    const bool v3 = name == QLatin1String("xfreerdp3");
    QStringList out {QStringLiteral("/v:%1").arg(address)};
    if (!user.isEmpty())
        out << QStringLiteral("/u:%1").arg(user);
    out << (v3 ? QStringLiteral("/cert:ignore") : QStringLiteral("/cert-ignore"))
        << QStringLiteral("/dynamic-resolution");
    if (!title.isEmpty())
        out << (v3 ? QStringLiteral("/title:%1") : QStringLiteral("/t:%1")).arg(title);
    return out;
}

std::optional<ViewerLaunch> Viewers::rdpWithPassword(const QString& viewer, quint16 localPort, const QString& user,
                                                     const QString& password, const QString& title)
{
    const QString name = QFileInfo(viewer).fileName();
    // Both read one line per answer (or per argument).
    if (password.isEmpty() || password.contains(QLatin1Char('\n')) || password.contains(QLatin1Char('\r')))
        return std::nullopt;
    QStringList args = rdpArguments(viewer, localPort, user, title);
    ViewerLaunch out;
    if (name == QLatin1String("xfreerdp")) {
        // With the user given as /u:, FreeRDP 2 asks stdin for the password only ("Password: ").
        out.arguments = args << QStringLiteral("/from-stdin");
        out.standardInput = password.toUtf8() + '\n';
        return out;
    }
    if (name == QLatin1String("xfreerdp3")) {
        // FreeRDP 3's /from-stdin would also ask for a domain, depending on how /u: was parsed; /args-from
        // reads the whole command line instead, one argument per line, and takes no other argument.
        args << QStringLiteral("/p:%1").arg(password);
        for (const QString& arg : std::as_const(args)) {
            if (arg.contains(QLatin1Char('\n')))
                return std::nullopt;
        }
        out.arguments = QStringList {QStringLiteral("/args-from:stdin")};
        out.standardInput = args.join(QLatin1Char('\n')).toUtf8() + '\n';
        return out;
    }
    return std::nullopt;
}

QStringList Viewers::vncArguments(const QString& viewer, quint16 localPort)
{
    if (QFileInfo(viewer).fileName() == QLatin1String("remmina"))
        return {QStringLiteral("-c"), QStringLiteral("vnc://127.0.0.1:%1").arg(localPort)};
    // TigerVNC: host::port is a TCP port; host:N would be display N (port 5900+N).
    return {QStringLiteral("127.0.0.1::%1").arg(localPort)};
}

} // namespace bl
