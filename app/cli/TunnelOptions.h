#pragma once
// The options that tunnel, proxy and ssh share (--via, --os-user, --max-duration) and port parsing, so that the
// three commands spell, document and check them the same way.

#include "core/connect/TransportChooser.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace bl::cli {

struct TunnelOptions
{
    TransportChooser::Via via = TransportChooser::Via::Auto;
    QString osUser; // empty: preferences, tag, guess, then ec2-user
    int maxDurationSecs = 0; // 0: the service's default

    static QCommandLineOption viaOption();
    static QCommandLineOption osUserOption();
    static QCommandLineOption maxDurationOption();
    static void addTo(QCommandLineParser& parser);
    static Result<TunnelOptions> parse(const QCommandLineParser& parser);
    // A port number; zeroAllowed for "any free port".
    static Result<quint16> parsePort(const QString& text, const QString& what, bool zeroAllowed);

    void applyTo(TransportChooser& chooser) const;
};

} // namespace bl::cli
