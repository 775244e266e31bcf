// The `fakeaws` executable: runs the emulator in the foreground for demos, scripts and manual testing.
// Prints the environment a client needs, stops on SIGINT/SIGTERM or after --exit-after seconds.

#include "FakeAws.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int g_signalFds[2] = {-1, -1};

// Only async-signal-safe work here: the event loop reads the byte and quits.
void onSignal(int signo)
{
    const char byte = static_cast<char>(signo);
    [[maybe_unused]] const ssize_t n = ::write(g_signalFds[1], &byte, 1);
}

bool installSignalHandlers()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, g_signalFds) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

void printErr(const QString& text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
    std::fflush(stderr);
}

std::optional<fakeaws::Fleet> loadFleet(const QString& spec, quint32 seed, QString* error)
{
    if (spec == QLatin1String("demo"))
        return fakeaws::Fleet::demo();
    if (spec.startsWith(QLatin1String("generated:"))) {
        const QStringList parts = spec.split(QLatin1Char(':'));
        bool okCount = false, okRegions = true;
        const int count = parts.value(1).toInt(&okCount);
        const int regions = parts.size() > 2 ? parts.at(2).toInt(&okRegions) : 4;
        if (parts.size() > 3 || !okCount || !okRegions || count < 0 || regions < 1) {
            *error = QStringLiteral("--fleet %1: expected generated:N or generated:N:REGIONS").arg(spec);
            return std::nullopt;
        }
        return fakeaws::Fleet::generated(count, regions, seed);
    }
    QFile file(spec);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--fleet %1: cannot read the file (%2); use demo, generated:N[:REGIONS] or a JSON file")
                     .arg(spec, file.errorString());
        return std::nullopt;
    }
    QString why;
    std::optional<fakeaws::Fleet> fleet = fakeaws::Fleet::fromJson(file.readAll(), &why);
    if (!fleet)
        *error = QStringLiteral("--fleet %1: %2").arg(spec, why);
    return fleet;
}

bool applyFaultOptions(const QCommandLineParser& args, fakeaws::FaultInjector& faults, QString* error)
{
    using fakeaws::FaultInjector;
    bool ok = true;
    if (args.isSet(QStringLiteral("latency-ms"))) {
        const int ms = args.value(QStringLiteral("latency-ms")).toInt(&ok);
        if (!ok || ms < 0) {
            *error = QStringLiteral("--latency-ms expects a number of milliseconds");
            return false;
        }
        faults.setLatencyMs(ms);
    }
    if (args.isSet(QStringLiteral("throttle-rate"))) {
        const double rate = args.value(QStringLiteral("throttle-rate")).toDouble(&ok);
        if (!ok || rate <= 0) {
            *error = QStringLiteral("--throttle-rate expects calls per second, e.g. 5");
            return false;
        }
        faults.setThrottleRate(rate, qMax(1, static_cast<int>(rate)));
    }
    for (const QString& spec : args.values(QStringLiteral("fail-next"))) {
        // N:KIND[:ACTION]
        const QStringList parts = spec.split(QLatin1Char(':'));
        const int count = parts.value(0).toInt(&ok);
        const auto kind = FaultInjector::faultFromName(parts.value(1));
        if (!ok || count <= 0 || !kind || parts.size() > 3) {
            *error = QStringLiteral("--fail-next %1: expected N:KIND[:ACTION], KIND one of throttle, 500, 503, "
                                    "truncated, garbage, html, drop")
                         .arg(spec);
            return false;
        }
        faults.failNext(count, *kind, parts.value(2));
    }
    if (args.isSet(QStringLiteral("clock-offset"))) {
        const qint64 secs = args.value(QStringLiteral("clock-offset")).toLongLong(&ok);
        if (!ok) {
            *error = QStringLiteral("--clock-offset expects seconds (negative: server clock behind)");
            return false;
        }
        faults.setClockOffsetSecs(secs);
    }
    return true;
}

bool applySsmOptions(const QCommandLineParser& args, fakeaws::SsmSessionManager& ssm, QString* error)
{
    fakeaws::SsmAgentSettings& settings = ssm.settings();
    if (args.isSet(QStringLiteral("ssm-agent-version"))) {
        const QString version = args.value(QStringLiteral("ssm-agent-version"));
        static const QRegularExpression dotted(QStringLiteral("^[0-9]+(\\.[0-9]+)*$"));
        if (!dotted.match(version).hasMatch()) {
            *error = QStringLiteral("--ssm-agent-version expects a dotted version such as 3.3.40.0");
            return false;
        }
        settings.agentVersion = version;
    }
    const QString pacing = args.value(QStringLiteral("ssm-pacing"));
    if (pacing != QLatin1String("on") && pacing != QLatin1String("off")) {
        *error = QStringLiteral("--ssm-pacing expects on or off");
        return false;
    }
    settings.pacing = pacing == QLatin1String("on");
    if (args.isSet(QStringLiteral("ssm-faults"))) {
        const std::optional<fakeaws::SsmFaults> faults =
            fakeaws::SsmFaults::parse(args.value(QStringLiteral("ssm-faults")), error);
        if (!faults) {
            *error = QStringLiteral("--ssm-faults: ") + *error;
            return false;
        }
        settings.faults = *faults;
    }
    if (args.isSet(QStringLiteral("ssm-kill-after"))) {
        bool ok = false;
        const qint64 bytes = args.value(QStringLiteral("ssm-kill-after")).toLongLong(&ok);
        if (!ok || bytes < 0) {
            *error = QStringLiteral("--ssm-kill-after expects a number of bytes");
            return false;
        }
        settings.faults.killAfterBytes = bytes;
    }
    return true;
}

// --tunnel-target REMOTE=LOCAL (repeatable): EICE tunnels and SSM sessions to port REMOTE of any instance lead
// to 127.0.0.1:LOCAL (e.g. 22=2222 makes one local sshd stand in for every instance).
bool applyTunnelTargets(const QCommandLineParser& args, fakeaws::FakeAws& aws, QString* error)
{
    for (const QString& spec : args.values(QStringLiteral("tunnel-target"))) {
        const QStringList parts = spec.split(QLatin1Char('='));
        bool remoteOk = false;
        bool localOk = false;
        const uint remote = parts.value(0).toUInt(&remoteOk);
        const uint local = parts.value(1).toUInt(&localOk);
        if (parts.size() != 2 || !remoteOk || !localOk || remote == 0 || remote > 65535 || local == 0
            || local > 65535) {
            *error = QStringLiteral("--tunnel-target '%1': expected REMOTE=LOCAL, e.g. 22=2222").arg(spec);
            return false;
        }
        const QHostAddress localhost(QHostAddress::LocalHost);
        aws.eice().setDefaultTunnelTarget(static_cast<int>(remote), localhost, static_cast<quint16>(local));
        aws.ssmSessions().setDefaultTarget(static_cast<int>(remote), localhost, static_cast<quint16>(local));
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fakeaws"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BL_VERSION));

    QCommandLineParser args;
    args.setApplicationDescription(QStringLiteral(
        "Local AWS emulator (EC2, EC2 Instance Connect, SSM, STS, IAM Identity Center) on https://127.0.0.1.\n"
        "Point clients at it with the printed exports (AWS_ENDPOINT_URL, AWS_CA_BUNDLE, keys, region)."));
    args.addHelpOption();
    args.addVersionOption();
    args.addOptions({
        {QStringLiteral("fleet"), QStringLiteral("demo (default), generated:N[:REGIONS] or a fleet JSON file."),
         QStringLiteral("spec"), QStringLiteral("demo")},
        {QStringLiteral("seed"), QStringLiteral("Seed for generated fleets (default 1)."), QStringLiteral("n"),
         QStringLiteral("1")},
        {QStringLiteral("port"), QStringLiteral("Port on 127.0.0.1 (default 0: any free port)."),
         QStringLiteral("port"), QStringLiteral("0")},
        {QStringLiteral("state-dir"),
         QStringLiteral("Directory for ca.pem, env.sh, pushed-keys/ and home/ (default: a temporary one)."),
         QStringLiteral("dir")},
        {QStringLiteral("region"), QStringLiteral("Region clients are told to use (default us-east-1)."),
         QStringLiteral("region"), QStringLiteral("us-east-1")},
        {QStringLiteral("print-env"), QStringLiteral("Print `export` lines for a shell on stdout.")},
        {QStringLiteral("write-config"),
         QStringLiteral("Write an AWS config + credentials pair with one profile of each kind into this directory."),
         QStringLiteral("dir")},
        {QStringLiteral("exit-after"), QStringLiteral("Stop by itself after this many seconds."),
         QStringLiteral("seconds")},
        {QStringLiteral("latency-ms"), QStringLiteral("Delay every answer by this many milliseconds."),
         QStringLiteral("ms")},
        {QStringLiteral("throttle-rate"), QStringLiteral("Throttle calls beyond this many per second."),
         QStringLiteral("per-second")},
        {QStringLiteral("fail-next"),
         QStringLiteral("Fail the next N calls: N:KIND[:ACTION], KIND = throttle|500|503|truncated|garbage|html|drop. "
                        "Repeatable."),
         QStringLiteral("spec")},
        {QStringLiteral("clock-offset"), QStringLiteral("Shift the server clock by this many seconds."),
         QStringLiteral("seconds")},
        {QStringLiteral("ssm-agent-version"),
         QStringLiteral("AgentVersion the emulated SSM agent sends in the session handshake (default: the instance's, "
                        "else 3.3.40.0; 3.0.161.0 makes clients use basic instead of multiplexed port forwarding)."),
         QStringLiteral("version")},
        {QStringLiteral("ssm-pacing"),
         QStringLiteral("on (default): the SSM agent sends 1024-byte messages with 1 ms between them like the real "
                        "one (about 1 MB/s); off: as fast as the client acknowledges."),
         QStringLiteral("on|off"), QStringLiteral("on")},
        {QStringLiteral("ssm-faults"),
         QStringLiteral("Seeded Session Manager data-channel faults, e.g. \"drop=0.05,reorder=0.05,duplicate=0.01,"
                        "seed=7\". Keys: drop, duplicate, reorder, delay, delay-ms (agent->client); drop-in "
                        "(client->agent); withhold-acks; kill-after, kill-every; nul-type, split, notice-every, "
                        "null-token; seed."),
         QStringLiteral("spec")},
        {QStringLiteral("tunnel-target"),
         QStringLiteral("EICE tunnels and SSM sessions to port REMOTE of any instance lead to 127.0.0.1:LOCAL "
                        "(e.g. 22=2222: one local sshd for every instance). Repeatable."),
         QStringLiteral("REMOTE=LOCAL")},
        {QStringLiteral("ssm-kill-after"),
         QStringLiteral("Drop the first SSM data-channel WebSocket (no close frame) after this many relayed bytes; "
                        "the client has to ResumeSession."),
         QStringLiteral("bytes")},
    });
    args.process(app);

    QString error;
    bool ok = false;
    const quint32 seed = args.value(QStringLiteral("seed")).toUInt(&ok);
    std::optional<fakeaws::Fleet> fleet = loadFleet(args.value(QStringLiteral("fleet")), ok ? seed : 1, &error);
    if (!fleet) {
        printErr(QStringLiteral("fakeaws: ") + error);
        return 2;
    }
    const uint port = args.value(QStringLiteral("port")).toUInt(&ok);
    if (!ok || port > 65535) {
        printErr(QStringLiteral("fakeaws: --port expects 0-65535"));
        return 2;
    }
    int exitAfter = 0;
    if (args.isSet(QStringLiteral("exit-after"))) {
        exitAfter = args.value(QStringLiteral("exit-after")).toInt(&ok);
        if (!ok || exitAfter <= 0) {
            printErr(QStringLiteral("fakeaws: --exit-after expects a positive number of seconds"));
            return 2;
        }
    }

    fakeaws::FakeAwsOptions options;
    options.stateDir = args.value(QStringLiteral("state-dir"));
    options.fleet = std::move(fleet);
    options.region = args.value(QStringLiteral("region"));
    fakeaws::FakeAws aws(std::move(options));
    if (!applyFaultOptions(args, aws.faults(), &error)) {
        printErr(QStringLiteral("fakeaws: ") + error);
        return 2;
    }
    if (!applySsmOptions(args, aws.ssmSessions(), &error) || !applyTunnelTargets(args, aws, &error)) {
        printErr(QStringLiteral("fakeaws: ") + error);
        return 2;
    }
    if (!installSignalHandlers()) {
        printErr(QStringLiteral("fakeaws: cannot install signal handlers"));
        return 1;
    }
    QSocketNotifier signalNotifier(g_signalFds[0], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, [&app] {
        char byte = 0;
        while (::read(g_signalFds[0], &byte, 1) > 0) { }
        app.quit();
    });

    if (bl::Result<void> started = aws.start(static_cast<quint16>(port)); !started) {
        printErr(started.error().toString());
        return 1;
    }
    if (args.isSet(QStringLiteral("write-config"))) {
        if (bl::Result<void> written = aws.writeAwsConfig(args.value(QStringLiteral("write-config"))); !written) {
            printErr(written.error().toString());
            return 1;
        }
    }

    const QString exports = aws.exportLines().join(QLatin1Char('\n')) + QLatin1Char('\n');
    QFile envFile(aws.stateDir() + QStringLiteral("/env.sh"));
    if (envFile.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        envFile.write(exports.toUtf8());
        envFile.close();
        envFile.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    }
    if (args.isSet(QStringLiteral("print-env"))) {
        std::fputs(qPrintable(exports), stdout);
        std::fflush(stdout);
    }
    // On stderr, so that stdout stays a file a shell can source.
    printErr(QStringLiteral("fakeaws listening on %1").arg(aws.endpointUrl()));

    if (exitAfter > 0)
        QTimer::singleShot(exitAfter * 1000, &app, &QCoreApplication::quit);
    const int rc = QCoreApplication::exec();
    aws.stop();
    printErr(QStringLiteral("fakeaws stopped"));
    return rc;
}
