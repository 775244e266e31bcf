// bl-bench-tunnel: the EC2 Instance Connect Endpoint tunnel benchmark. Prints figures; never passes or fails
// on speed, only on wrong results (a byte count or content mismatch, a command that fails).
//
//   bl-bench-tunnel [--cli PATH] [--socat PATH] [--mib N] [--rounds N] [--runs N] [--latency-ms N]
//                   [--skip-throughput] [--skip-latency]
//
// A. Bulk throughput, upload and download, 1 stream and 8 streams sharing N MiB, to a sink/source server
//    (SinkServer: blocking sockets in worker threads) through: nothing (direct), a plain TCP relay (socat),
//    a TLS relay (socat TCP -> TLS -> socat TLS -> TCP, the shape of EICE's hop) and the EICE tunnel
//    (`bastionless-cli tunnel INSTANCE --remote-port 22` -> WebSocket over TLS -> fakeaws -> the server).
//    All four stay up for the series; each case runs over the four back to back, for N rounds (median).
// B. Time to remote command output: `bastionless-cli ssh INSTANCE --os-user root -- true` against a real sshd
//    with every AWS call delayed, beside the CLI with no delay and plain `ssh` to the same sshd; the AWS
//    requests per run by action, from fakeaws's counters. Needs root and /usr/sbin/sshd (else skipped).
//
// fakeaws runs in this process on the main thread's event loop, as in the e2e tests; the measuring runs on a
// worker thread that reaches fakeaws only through blocking queued calls.

#include "BenchContext.h"
#include "ChildProcess.h"
#include "LatencyBench.h"
#include "ThroughputBench.h"
#include "tests/fakeaws/FleetBuilder.h"
#include "tests/fakeaws/TestCa.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <thread>

#include <unistd.h>

using namespace BenchUtil;

namespace {

// --- set-up --------------------------------------------------------------------------------------------------

fakeaws::Fleet benchFleet(QString* instanceId)
{
    using fakeaws::FleetBuilder;
    fakeaws::Fleet f;
    FleetBuilder b(f, QStringLiteral("bench-tunnel"));
    b.region(QStringLiteral("us-east-1"));
    const FleetBuilder::Network net = b.standardVpc(QStringLiteral("us-east-1"), QStringLiteral("bench"), 0,
                                                    QStringLiteral("us-east-1a"), QStringLiteral("us-east-1a"));
    b.endpoint(net.privateSubnet, {net.eiceGroup});
    const fakeaws::Instance i = b.instance(QStringLiteral("bench-1"), net.privateSubnet,
                                           FleetBuilder::Os::AmazonLinux2023, QStringLiteral("t3.micro"));
    *instanceId = i.id;
    b.add(i);
    QString error;
    if (!f.finish(&error))
        qFatal("benchmark fleet: %s", qPrintable(error));
    return f;
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

// The relay's certificate, from the same kind of throw-away CA fakeaws uses: no openssl program needed.
QString writeRelayCertificate(const QString& dir)
{
    const bl::Result<fakeaws::TestCa> ca = fakeaws::TestCa::generate(1);
    if (!ca)
        return ca.error().message;
    if (!writeFile(dir + QStringLiteral("/relay.pem"), ca->serverCertificate().toPem() + ca->serverKey().toPem())
        || !writeFile(dir + QStringLiteral("/relay-ca.pem"), ca->caPem()))
        return QStringLiteral("cannot write the relay's certificate files in %1").arg(dir);
    return {};
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("EICE tunnel benchmark: bulk throughput beside socat relays, and ssh start-up time."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("cli"), QStringLiteral("bastionless-cli to measure."), QStringLiteral("path"),
                      QStringLiteral(BL_CLI_PATH)});
    parser.addOption(
        {QStringLiteral("socat"), QStringLiteral("socat program."), QStringLiteral("path"), QStringLiteral("socat")});
    parser.addOption({QStringLiteral("mib"), QStringLiteral("MiB per throughput case (default 256)."),
                      QStringLiteral("n"), QStringLiteral("256")});
    parser.addOption({QStringLiteral("rounds"), QStringLiteral("Throughput rounds, median reported (default 3)."),
                      QStringLiteral("n"), QStringLiteral("3")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Runs per latency command (default 5)."),
                      QStringLiteral("n"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("latency-ms"), QStringLiteral("Delay on every AWS call in B (default 50)."),
                      QStringLiteral("ms"), QStringLiteral("50")});
    parser.addOption({QStringLiteral("skip-throughput"), QStringLiteral("Leave out A.")});
    parser.addOption({QStringLiteral("skip-latency"), QStringLiteral("Leave out B.")});
    parser.process(app);

    BenchContext b;
    b.app = &app;
    b.options.cli = local(parser.value(QStringLiteral("cli")));
    b.options.socat = local(parser.value(QStringLiteral("socat")));
    bool ok1 = false, ok2 = false, ok3 = false, ok4 = false;
    b.options.mib = parser.value(QStringLiteral("mib")).toULongLong(&ok1);
    b.options.runs = parser.value(QStringLiteral("runs")).toInt(&ok2);
    b.options.latencyMs = parser.value(QStringLiteral("latency-ms")).toInt(&ok3);
    b.options.rounds = parser.value(QStringLiteral("rounds")).toInt(&ok4);
    if (!ok1 || !ok2 || !ok3 || !ok4 || b.options.mib < 1 || b.options.mib > 65536 || b.options.runs < 1
        || b.options.rounds < 1 || b.options.latencyMs < 1) {
        std::fprintf(stderr,
                     "bl-bench-tunnel: --mib (1-65536), --rounds, --runs and --latency-ms take positive numbers\n");
        return 2;
    }
    b.options.throughput = !parser.isSet(QStringLiteral("skip-throughput"));
    b.options.latency = !parser.isSet(QStringLiteral("skip-latency"));
    if (ChildProcess::findProgram(b.options.cli).empty()) {
        std::fprintf(stderr, "bl-bench-tunnel: %s is not an executable bastionless-cli (use --cli)\n",
                     b.options.cli.c_str());
        return 2;
    }
    if (b.options.throughput && ChildProcess::findProgram(b.options.socat).empty()) {
        std::fprintf(stderr, "bl-bench-tunnel: socat not found; install it (Debian package socat) or --socat PATH\n");
        return 2;
    }

    QTemporaryDir work(QDir::tempPath() + QStringLiteral("/bl-bench-tunnel-XXXXXX"));
    if (!work.isValid()) {
        std::fprintf(stderr, "bl-bench-tunnel: cannot create a temporary directory\n");
        return 1;
    }
    b.work = work.path();
    QDir().mkpath(b.work + QStringLiteral("/home"));
    QDir().mkpath(b.work + QStringLiteral("/run"));
    QFile::setPermissions(b.work + QStringLiteral("/run"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    if (const QString e = writeRelayCertificate(b.work); !e.isEmpty()) {
        std::fprintf(stderr, "bl-bench-tunnel: %s\n", qPrintable(e));
        return 1;
    }

    fakeaws::FakeAwsOptions fakeOptions;
    fakeOptions.fleet = benchFleet(&b.instanceId);
    fakeaws::FakeAws aws(fakeOptions);
    if (const bl::Result<void> started = aws.start(); !started) {
        std::fprintf(stderr, "bl-bench-tunnel: fakeaws did not start: %s\n", qPrintable(started.error().message));
        return 1;
    }
    b.aws = &aws;
    b.env = cliEnvironment(aws, b.work);
    if (const std::string e = b.sink.start(); !e.empty()) {
        std::fprintf(stderr, "bl-bench-tunnel: sink server: %s\n", e.c_str());
        return 1;
    }
    aws.setTunnelTarget(b.instanceId, 22, QHostAddress(QHostAddress::LocalHost), b.sink.port());

    say("==> fakeaws on %s, instance %s; sink server on 127.0.0.1:%u\n", qPrintable(aws.endpointUrl()),
        qPrintable(b.instanceId), b.sink.port());
    const std::string loadBefore = loadAverage();
    b.mainThread = ::pthread_self();
    std::thread worker([&b] {
        if (b.options.throughput)
            runThroughputBench(b);
        if (b.options.latency && !b.failed)
            runLatencyBench(b);
        QMetaObject::invokeMethod(
            b.app, [&b] { b.app->exit(0); }, Qt::QueuedConnection);
    });
    app.exec();
    worker.join();
    b.sshd.reset();
    b.sink.stop();

    say("\nMachine: %ld CPUs; load average (1, 5, 15 min) %s at the start, %s at the end.\n",
        ::sysconf(_SC_NPROCESSORS_ONLN), loadBefore.c_str(), loadAverage().c_str());
    if (b.failed) {
        say("bl-bench-tunnel: FAILED: a result was wrong (see above); logs were in %s\n", qPrintable(b.work));
        return 1;
    }
    return 0;
}
