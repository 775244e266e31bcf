#include "app/cli/TunnelOptions.h"

namespace bl::cli {

QCommandLineOption TunnelOptions::viaOption()
{
    return {QStringLiteral("via"), QStringLiteral("Transport: eice, ssm, direct or auto (default)."),
            QStringLiteral("transport"), QStringLiteral("auto")};
}

QCommandLineOption TunnelOptions::osUserOption()
{
    return {QStringLiteral("os-user"),
            QStringLiteral("User on the instance (for ssh, and for ports EICE carries through ssh -L). Default: set "
                           "for the instance, its bastionless:os-user tag, guessed from the image, else ec2-user."),
            QStringLiteral("user")};
}

QCommandLineOption TunnelOptions::maxDurationOption()
{
    return {QStringLiteral("max-duration"),
            QStringLiteral("EC2 Instance Connect Endpoint closes each connection after this many seconds "
                           "(1-3600; default: the service's one hour). The tunnel stays up for new connections."),
            QStringLiteral("seconds")};
}

void TunnelOptions::addTo(QCommandLineParser& parser)
{
    parser.addOptions({viaOption(), osUserOption(), maxDurationOption()});
}

Result<TunnelOptions> TunnelOptions::parse(const QCommandLineParser& parser)
{
    TunnelOptions options;
    auto via = TransportChooser::parseVia(parser.value(viaOption()));
    if (!via)
        return via.error();
    options.via = via.value();
    options.osUser = parser.value(osUserOption()).trimmed();
    if (parser.isSet(maxDurationOption())) {
        bool ok = false;
        options.maxDurationSecs = parser.value(maxDurationOption()).toInt(&ok);
        if (!ok || options.maxDurationSecs < 1 || options.maxDurationSecs > 3600) {
            return Error::make(ErrorKind::Usage,
                               QStringLiteral("--max-duration '%1' is not a number of seconds from 1 to 3600")
                                   .arg(parser.value(maxDurationOption())),
                               QStringLiteral("EC2 Instance Connect Endpoint allows at most 3600 seconds"));
        }
    }
    return options;
}

Result<quint16> TunnelOptions::parsePort(const QString& text, const QString& what, bool zeroAllowed)
{
    bool ok = false;
    const uint port = text.toUInt(&ok);
    if (!ok || port > 65535 || (port == 0 && !zeroAllowed)) {
        return Error::make(ErrorKind::Usage, QStringLiteral("%1 '%2' is not a port number").arg(what, text),
                           QStringLiteral("Give a number from 1 to 65535"));
    }
    return static_cast<quint16>(port);
}

void TunnelOptions::applyTo(TransportChooser& chooser) const
{
    chooser.setOsUser(osUser);
    chooser.setMaxTunnelDuration(maxDurationSecs);
}

} // namespace bl::cli
