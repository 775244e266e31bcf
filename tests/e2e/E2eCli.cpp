#include "E2eCli.h"

#include "tests/integration/CliRunner.h"

#include <QElapsedTimer>
#include <QRegularExpression>

QStringList e2eSshOptions(const QString& key, const QString& knownHosts, const QString& hostKeyAlias,
                          const QString& configFile)
{
    QStringList args {QStringLiteral("-F"), configFile,
                      QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                      QStringLiteral("-o"), QStringLiteral("IdentitiesOnly=yes"),
                      QStringLiteral("-i"), key,
                      QStringLiteral("-o"), QStringLiteral("UserKnownHostsFile=") + knownHosts,
                      QStringLiteral("-o"), QStringLiteral("StrictHostKeyChecking=accept-new"),
                      QStringLiteral("-o"), QStringLiteral("ConnectTimeout=30"),
                      QStringLiteral("-o"), QStringLiteral("LogLevel=ERROR")};
    if (!hostKeyAlias.isEmpty())
        args << QStringLiteral("-o") << QStringLiteral("HostKeyAlias=") + hostKeyAlias;
    return args;
}

quint16 startCliTunnel(CliRunner& runner, const QStringList& args, QString* why, int timeoutMs)
{
    runner.start(args);
    static const QRegularExpression listening(QStringLiteral("^Listening on 127\\.0\\.0\\.1:(\\d+)\\n"));
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs && runner.isRunning()) {
        const auto m = listening.match(runner.outputSoFar());
        if (m.hasMatch())
            return static_cast<quint16>(m.captured(1).toUInt());
    }
    *why = runner.waitForFinished(1000).describe();
    return 0;
}
