#include "core/ssm/SsmVersion.h"

#include <QStringList>

#include <algorithm>

namespace bl {

namespace {

// Gates from the plugin (§6.7); "greater than" these versions enables the feature.
const char MuxAfterAgent[] = "3.0.196.0";
const char SmuxKeepAliveDisabledAfterAgent[] = "3.1.1511.0";
const char TerminateFlagAfterAgent[] = "2.3.722.0";

} // namespace

QString SsmVersion::clientVersion()
{
    return QStringLiteral("1.2.707.0");
}

int SsmVersion::compare(const QString& a, const QString& b)
{
    const QStringList pa = a.trimmed().split(QLatin1Char('.'));
    const QStringList pb = b.trimmed().split(QLatin1Char('.'));
    const qsizetype n = std::max(pa.size(), pb.size());
    for (qsizetype i = 0; i < n; ++i) {
        const qulonglong x = i < pa.size() ? pa[i].toULongLong() : 0;
        const qulonglong y = i < pb.size() ? pb[i].toULongLong() : 0;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

SsmModeDecision SsmVersion::decide(const QString& agentVersion, const QJsonObject& properties)
{
    SsmModeDecision d;
    const QString type = properties.value(QLatin1String("type")).toString();
    if (type == QLatin1String("LocalPortForwarding"))
        d.mode = compare(agentVersion, QLatin1String(MuxAfterAgent)) > 0 ? SsmForwardMode::Mux : SsmForwardMode::Basic;
    else
        d.mode = SsmForwardMode::Stream;
    d.smuxKeepAliveNeeded =
        d.mode == SsmForwardMode::Mux && compare(agentVersion, QLatin1String(SmuxKeepAliveDisabledAfterAgent)) <= 0;
    d.terminateFlagSupported = compare(agentVersion, QLatin1String(TerminateFlagAfterAgent)) > 0;
    return d;
}

} // namespace bl
