// bl-bench-ssm: the Session Manager tunnel benchmark (`bastionless-cli tunnel INSTANCE --via ssm`). Prints
// figures; never passes or fails on speed, only on wrong results (a byte count or content mismatch, a banner
// that differs, a tunnel that does not start).
//
//   bl-bench-ssm [--cli PATH] [--socat PATH] [--mib N] [--paced-mib N] [--rounds N] [--runs N]
//
// A. Agent pacing off: bulk upload and download, N MiB each, one stream, to the sink/source server (SinkServer)
//    through a plain TCP relay (socat) and through the SSM tunnel, interleaved, median of --rounds; MB/s and the
//    ratio SSM / relay.
// B. Agent pacing on (the real agent: 1024-byte messages, 1 ms sleep after each): upload and download of
//    --paced-mib MiB through the same tunnel; MB/s, and for download the fraction of the pacing ceiling (chunk /
//    pause). The agent paces only what it reads from the target, so upload has no such ceiling.
// C. Time to first byte of a server-first service (a banner server): from connect() on the tunnel's local port
//    to the first byte, on a tunnel just started ("new session") and on its second connection ("session up"),
//    median of --runs fresh tunnels; direct connect() to the banner server as the reference.
//
// fakeaws runs in this process on the main thread's event loop; the measuring runs on a worker thread with
// blocking sockets and reaches fakeaws only through blocking queued calls (onMain).

#include "BenchContext.h"
#include "BulkClient.h"
#include "ChildProcess.h"
#include "tests/fakeaws/FleetBuilder.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace BenchUtil;

namespace {

constexpr char kBanner[] = "SSH-2.0-bl-bench-banner\r\n";

struct SsmOptions
{
    uint64_t pacedMib = 4;
};

// --- set-up --------------------------------------------------------------------------------------------------

fakeaws::Fleet benchFleet(QString* instanceId)
{
    using fakeaws::FleetBuilder;
    fakeaws::Fleet f;
    FleetBuilder b(f, QStringLiteral("bench-ssm"));
    b.region(QStringLiteral("us-east-1"));
    // A private subnet without an EC2 Instance Connect Endpoint: Session Manager is the only way in.
    const FleetBuilder::Network net = b.standardVpc(QStringLiteral("us-east-1"), QStringLiteral("bench"), 0,
                                                    QStringLiteral("us-east-1a"), QStringLiteral("us-east-1a"));
    fakeaws::Instance i = b.instance(QStringLiteral("bench-ssm-1"), net.privateSubnet,
                                     FleetBuilder::Os::AmazonLinux2023, QStringLiteral("t3.micro"));
    b.giveSsm(i, QStringLiteral("Online"));
    *instanceId = i.id;
    b.add(i);
    QString error;
    if (!f.finish(&error))
        qFatal("benchmark fleet: %s", qPrintable(error));
    return f;
}

// A server-first service on 127.0.0.1: sends kBanner on every connection at once and keeps the connection open
// (until the client closes or stop()), like sshd's version line.
class BannerServer
{
public:
    ~BannerServer() { stop(); }

    std::string start()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr {};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0
            || ::listen(m_fd, 16) != 0 || ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
            return std::string("banner server: cannot listen on 127.0.0.1: ") + std::strerror(errno);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] {
            for (;;) {
                const int fd = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
                if (fd < 0) {
                    if (errno == EINTR || errno == ECONNABORTED)
                        continue;
                    return; // stop()
                }
                BulkSocket::sendAll(fd, kBanner, sizeof kBanner - 1);
                std::lock_guard<std::mutex> lock(m_mutex);
                m_open.push_back(fd);
            }
        });
        return {};
    }

    void stop()
    {
        if (m_fd < 0)
            return;
        ::shutdown(m_fd, SHUT_RDWR);
        if (m_thread.joinable())
            m_thread.join();
        ::close(m_fd);
        m_fd = -1;
        std::lock_guard<std::mutex> lock(m_mutex);
        for (const int fd : m_open)
            ::close(fd);
        m_open.clear();
    }

    uint16_t port() const { return m_port; }

private:
    int m_fd = -1;
    uint16_t m_port = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<int> m_open;
};

// --- paths ---------------------------------------------------------------------------------------------------

struct Path
{
    uint16_t port = 0;
    std::unique_ptr<ChildProcess> child;
    std::string error;
};

Path startSocat(BenchContext& b)
{
    Path p;
    p.port = freePort();
    p.child = std::make_unique<ChildProcess>();
    const std::vector<std::string> args = {
        "-b", "131072", "TCP-LISTEN:" + std::to_string(p.port) + ",bind=127.0.0.1,reuseaddr,fork,backlog=64",
        "TCP:127.0.0.1:" + std::to_string(b.sink.port())};
    const QString log = b.work + QStringLiteral("/socat-tcp.log");
    p.error = p.child->start(b.options.socat, args, b.env, local(log), false);
    if (p.error.empty() && !waitForPort(p.port, 10000))
        p.error = "socat did not listen:\n" + tail(log);
    return p;
}

Path startSsmTunnel(BenchContext& b, uint16_t remotePort, const std::string& logName)
{
    Path p;
    p.child = std::make_unique<ChildProcess>();
    const QString log = b.work + QStringLiteral("/") + QString::fromStdString(logName);
    const std::vector<std::string> args = {
        "tunnel", b.instanceId.toStdString(), "--remote-port", std::to_string(remotePort), "--via", "ssm"};
    p.error = p.child->start(b.options.cli, args, b.env, local(log), true);
    if (!p.error.empty())
        return p;
    const std::string line = p.child->waitForLine("Listening on 127.0.0.1:", 30000);
    if (line.empty()) {
        p.error = "bastionless-cli tunnel --via ssm printed no 'Listening on' line within 30 s:\n" + tail(log);
        return p;
    }
    p.port = static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
    return p;
}

void stopTunnel(BenchContext& b, Path& p, const std::string& logName)
{
    if (!p.child)
        return;
    // The CLI ends its tunnel (and the session) on Ctrl-C with exit 0; anything else is worth a line.
    const int status = p.child->stop(SIGINT);
    if (status != 0)
        say("    note: bastionless-cli tunnel ended with status %d\n%s", status,
            tail(b.work + QStringLiteral("/") + QString::fromStdString(logName)).c_str());
    p.child.reset();
}

double transferMbps(BenchContext& b, const char* what, uint16_t port, BulkClient::Direction d, uint64_t bytes)
{
    const BulkClient::Result r = BulkClient::run(port, d, bytes, 1);
    if (!r.ok) {
        say("    %s, %s: FAILED: %s\n", what, d == BulkClient::Direction::Upload ? "upload" : "download",
            r.error.c_str());
        b.failed = true;
        return 0;
    }
    return static_cast<double>(r.bytes) / r.seconds / 1e6;
}

void setPacing(BenchContext& b, bool on)
{
    onMain(b, [&b, on] { b.aws->ssmSessions().settings().pacing = on; });
}

// --- time to first byte --------------------------------------------------------------------------------------

// Milliseconds from connect() to the first byte; checks the whole banner. -1 on failure (*error says why).
double timeToFirstByte(uint16_t port, std::string* error)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    BulkSocket::setTimeouts(fd, 30);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const auto start = std::chrono::steady_clock::now();
    double ms = -1;
    char first = 0;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        *error = std::string("connect: ") + std::strerror(errno);
    } else if (::recv(fd, &first, 1, 0) != 1) {
        *error = "no first byte within 30 s";
    } else {
        ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        char rest[sizeof kBanner - 2] = {};
        if (first != kBanner[0] || !BulkSocket::recvAll(fd, rest, sizeof rest)
            || std::memcmp(rest, kBanner + 1, sizeof rest) != 0) {
            *error = "the banner arrived wrong or incomplete";
            ms = -1;
        }
    }
    ::close(fd);
    return ms;
}

// --- the benchmark -------------------------------------------------------------------------------------------

struct Figures
{
    double relay[2] = {}, ssm[2] = {}; // pacing off, median MB/s: [0] upload, [1] download
    double paced[2] = {}; // pacing on, MB/s
    double ceiling = 0; // MB/s per direction
    double ttfbDirect = 0, ttfbNew = 0, ttfbUp = 0, listenMs = 0; // medians, ms
    bool sessionAtListen = false; // the session was started before "Listening on"
};

void runThroughput(BenchContext& b, const SsmOptions& o, Figures& f)
{
    using Direction = BulkClient::Direction;
    const uint64_t bytes = b.options.mib * 1024 * 1024;
    say("==> A. Pacing off: %llu MiB up and down, plain TCP relay and SSM tunnel interleaved, %d rounds\n",
        static_cast<unsigned long long>(b.options.mib), b.options.rounds);
    setPacing(b, false);
    Path relay = startSocat(b);
    Path ssm = startSsmTunnel(b, b.sink.port(), "cli-tunnel-bulk.log");
    for (const Path* p : {&relay, &ssm}) {
        if (!p->error.empty()) {
            say("    FAILED: %s\n", p->error.c_str());
            b.failed = true;
        }
    }
    // Warm-up, not counted: first connections, the session's handshake, page faults.
    const uint64_t warm = std::min<uint64_t>(b.options.mib, 4) * 1024 * 1024;
    for (const Direction d : {Direction::Upload, Direction::Download}) {
        if (!b.failed)
            transferMbps(b, "relay warm-up", relay.port, d, warm);
        if (!b.failed)
            transferMbps(b, "SSM warm-up", ssm.port, d, warm);
    }
    std::vector<double> samples[2][2]; // [path][direction]
    for (int round = 1; round <= b.options.rounds && !b.failed; ++round) {
        for (const Direction d : {Direction::Upload, Direction::Download}) {
            const int di = d == Direction::Upload ? 0 : 1;
            const double r = transferMbps(b, "relay", relay.port, d, bytes);
            const double s = b.failed ? 0 : transferMbps(b, "SSM tunnel", ssm.port, d, bytes);
            if (b.failed)
                break;
            samples[0][di].push_back(r);
            samples[1][di].push_back(s);
            say("    round %d/%d %-8s: relay %.1f MB/s, SSM %.1f MB/s\n", round, b.options.rounds,
                di == 0 ? "upload" : "download", r, s);
        }
    }
    for (int di = 0; di < 2; ++di) {
        f.relay[di] = median(samples[0][di]);
        f.ssm[di] = median(samples[1][di]);
    }

    // B. The same session with the agent's pacing switched on (settings apply to running sessions).
    if (!b.failed) {
        setPacing(b, true);
        int chunk = 0, paceMs = 0;
        onMain(b, [&b, &chunk, &paceMs] {
            chunk = b.aws->ssmSessions().settings().chunkBytes;
            paceMs = b.aws->ssmSessions().settings().paceMs;
        });
        f.ceiling = static_cast<double>(chunk) / (paceMs > 0 ? paceMs : 1) * 1000 / 1e6;
        say("==> B. Pacing on (%d-byte messages, %d ms pause): %llu MiB up and down through the SSM tunnel\n", chunk,
            paceMs, static_cast<unsigned long long>(o.pacedMib));
        for (const Direction d : {Direction::Upload, Direction::Download}) {
            const int di = d == Direction::Upload ? 0 : 1;
            if (!b.failed)
                f.paced[di] = transferMbps(b, "SSM tunnel, paced", ssm.port, d, o.pacedMib * 1024 * 1024);
            say("    %-8s: %.3f MB/s\n", di == 0 ? "upload" : "download", f.paced[di]);
        }
    }
    relay.child.reset();
    stopTunnel(b, ssm, "cli-tunnel-bulk.log");
    if (b.sink.failures() > 0) {
        say("    the sink server saw %d failed transfers\n", b.sink.failures());
        b.failed = true;
    }
}

void runFirstByte(BenchContext& b, Figures& f)
{
    say("==> C. Time to first byte of a server-first service, %d fresh tunnels (agent pacing on)\n", b.options.runs);
    BannerServer banner;
    if (const std::string e = banner.start(); !e.empty()) {
        say("    FAILED: %s\n", e.c_str());
        b.failed = true;
        return;
    }
    bool targetSet = false;
    onMain(b, [&b, &banner, &targetSet] {
        targetSet =
            b.aws->setSsmTarget(b.instanceId, banner.port(), QHostAddress(QHostAddress::LocalHost), banner.port());
    });
    if (!targetSet) {
        say("    FAILED: fakeaws does not know instance %s\n", qPrintable(b.instanceId));
        b.failed = true;
        return;
    }
    std::vector<double> direct, fresh, up, listen;
    int sessionsAtListen = 0;
    for (int run = 1; run <= b.options.runs && !b.failed; ++run) {
        std::string error;
        const double d = timeToFirstByte(banner.port(), &error);
        qint64 before = 0, atListen = 0;
        onMain(b, [&b, &before] { before = b.aws->ssmSessions().counters().sessionsStarted; });
        const auto start = std::chrono::steady_clock::now();
        Path tunnel = startSsmTunnel(b, banner.port(), "cli-tunnel-ttfb.log");
        const double l = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        onMain(b, [&b, &atListen] { atListen = b.aws->ssmSessions().counters().sessionsStarted; });
        double n = -1, u = -1;
        if (!tunnel.error.empty())
            error = tunnel.error;
        else if (d >= 0 && (n = timeToFirstByte(tunnel.port, &error)) >= 0)
            u = timeToFirstByte(tunnel.port, &error);
        stopTunnel(b, tunnel, "cli-tunnel-ttfb.log");
        if (d < 0 || n < 0 || u < 0) {
            say("    run %d: FAILED: %s\n", run, error.c_str());
            b.failed = true;
            break;
        }
        sessionsAtListen += atListen > before ? 1 : 0;
        direct.push_back(d);
        fresh.push_back(n);
        up.push_back(u);
        listen.push_back(l);
        say("    run %d/%d: direct %.2f ms; tunnel start to 'Listening' %.0f ms; first byte: new session %.1f ms, "
            "session up %.1f ms\n",
            run, b.options.runs, d, l, n, u);
    }
    banner.stop();
    f.ttfbDirect = median(direct);
    f.ttfbNew = median(fresh);
    f.ttfbUp = median(up);
    f.listenMs = median(listen);
    f.sessionAtListen = sessionsAtListen == b.options.runs;
}

void printTable(const BenchContext& b, const SsmOptions& o, const Figures& f)
{
    if (b.failed)
        return;
    say("\nSSM tunnel (bastionless-cli tunnel --via ssm, fakeaws's Session Manager), MB/s = 10^6 bytes/s, 1 stream:"
        "\n\n");
    say("| Case | Upload | Download |\n|---|---:|---:|\n");
    say("| Plain TCP relay (socat), %llu MiB, median of %d | %.1f MB/s | %.1f MB/s |\n",
        static_cast<unsigned long long>(b.options.mib), b.options.rounds, f.relay[0], f.relay[1]);
    say("| SSM tunnel, agent pacing off, %llu MiB, median of %d | %.1f MB/s | %.1f MB/s |\n",
        static_cast<unsigned long long>(b.options.mib), b.options.rounds, f.ssm[0], f.ssm[1]);
    say("| **Ratio SSM / plain TCP relay** (pacing off) | %.3f× | %.3f× |\n",
        f.relay[0] > 0 ? f.ssm[0] / f.relay[0] : 0, f.relay[1] > 0 ? f.ssm[1] / f.relay[1] : 0);
    say("| SSM tunnel, agent pacing on, %llu MiB | %.3f MB/s | %.3f MB/s |\n",
        static_cast<unsigned long long>(o.pacedMib), f.paced[0], f.paced[1]);
    // The agent paces only what it reads from the target (its output): download. Upload is bounded by the client.
    say("| **Fraction of the pacing ceiling** (%.3f MB/s, the agent's output only) | n/a (not paced) | %.0f%% |\n",
        f.ceiling, f.ceiling > 0 ? f.paced[1] / f.ceiling * 100 : 0);
    say("\nTime to first byte of a server-first service (banner), median of %d, agent pacing on:\n\n", b.options.runs);
    say("| Case | Time |\n|---|---:|\n");
    say("| Direct connect() to the service (reference) | %.2f ms |\n", f.ttfbDirect);
    say("| `tunnel --via ssm` start to 'Listening on' | %.0f ms |\n", f.listenMs);
    say("| SSM tunnel, first connection (%s) | %.1f ms |\n",
        f.sessionAtListen ? "session started before 'Listening'; its stream opens now" : "new session", f.ttfbNew);
    say("| SSM tunnel, second connection (session up) | %.1f ms |\n", f.ttfbUp);
}

bool parsePositive(const QCommandLineParser& parser, const char* name, uint64_t max, uint64_t* out)
{
    bool ok = false;
    *out = parser.value(QString::fromLatin1(name)).toULongLong(&ok);
    return ok && *out >= 1 && *out <= max;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "SSM tunnel benchmark: throughput with agent pacing off and on beside a socat relay; time to first byte."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("cli"), QStringLiteral("bastionless-cli to measure."), QStringLiteral("path"),
                      QStringLiteral(BL_CLI_PATH)});
    parser.addOption(
        {QStringLiteral("socat"), QStringLiteral("socat program."), QStringLiteral("path"), QStringLiteral("socat")});
    parser.addOption({QStringLiteral("mib"), QStringLiteral("MiB per direction, pacing off (default 64)."),
                      QStringLiteral("n"), QStringLiteral("64")});
    parser.addOption({QStringLiteral("paced-mib"), QStringLiteral("MiB per direction, pacing on (default 4)."),
                      QStringLiteral("n"), QStringLiteral("4")});
    parser.addOption({QStringLiteral("rounds"), QStringLiteral("Rounds with pacing off, median (default 3)."),
                      QStringLiteral("n"), QStringLiteral("3")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Fresh tunnels for time to first byte (default 5)."),
                      QStringLiteral("n"), QStringLiteral("5")});
    parser.process(app);

    BenchContext b;
    SsmOptions o;
    b.app = &app;
    b.options.cli = local(parser.value(QStringLiteral("cli")));
    b.options.socat = local(parser.value(QStringLiteral("socat")));
    uint64_t rounds = 0, runs = 0;
    if (!parsePositive(parser, "mib", 65536, &b.options.mib) || !parsePositive(parser, "paced-mib", 1024, &o.pacedMib)
        || !parsePositive(parser, "rounds", 100, &rounds) || !parsePositive(parser, "runs", 100, &runs)) {
        std::fprintf(stderr,
                     "bl-bench-ssm: --mib (1-65536), --paced-mib (1-1024), --rounds and --runs (1-100) take "
                     "positive numbers\n");
        return 2;
    }
    b.options.rounds = static_cast<int>(rounds);
    b.options.runs = static_cast<int>(runs);
    if (ChildProcess::findProgram(b.options.cli).empty()) {
        std::fprintf(stderr, "bl-bench-ssm: %s is not an executable bastionless-cli (use --cli)\n",
                     b.options.cli.c_str());
        return 2;
    }
    if (ChildProcess::findProgram(b.options.socat).empty()) {
        std::fprintf(stderr, "bl-bench-ssm: socat not found; install it (Debian package socat) or --socat PATH\n");
        return 2;
    }

    QTemporaryDir work(QDir::tempPath() + QStringLiteral("/bl-bench-ssm-XXXXXX"));
    if (!work.isValid()) {
        std::fprintf(stderr, "bl-bench-ssm: cannot create a temporary directory\n");
        return 1;
    }
    b.work = work.path();
    QDir().mkpath(b.work + QStringLiteral("/home"));
    QDir().mkpath(b.work + QStringLiteral("/run"));
    QFile::setPermissions(b.work + QStringLiteral("/run"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

    fakeaws::FakeAwsOptions fakeOptions;
    fakeOptions.fleet = benchFleet(&b.instanceId);
    fakeaws::FakeAws aws(fakeOptions);
    if (const bl::Result<void> started = aws.start(); !started) {
        std::fprintf(stderr, "bl-bench-ssm: fakeaws did not start: %s\n", qPrintable(started.error().message));
        return 1;
    }
    b.aws = &aws;
    b.env = cliEnvironment(aws, b.work);
    if (const std::string e = b.sink.start(); !e.empty()) {
        std::fprintf(stderr, "bl-bench-ssm: sink server: %s\n", e.c_str());
        return 1;
    }
    aws.setSsmTarget(b.instanceId, b.sink.port(), QHostAddress(QHostAddress::LocalHost), b.sink.port());

    say("==> fakeaws on %s, instance %s (SSM agent online); sink server on 127.0.0.1:%u\n",
        qPrintable(aws.endpointUrl()), qPrintable(b.instanceId), b.sink.port());
    const std::string loadBefore = loadAverage();
    b.mainThread = ::pthread_self();
    Figures figures;
    std::thread worker([&b, &o, &figures] {
        runThroughput(b, o, figures);
        if (!b.failed)
            runFirstByte(b, figures);
        printTable(b, o, figures);
        QMetaObject::invokeMethod(
            b.app, [&b] { b.app->exit(0); }, Qt::QueuedConnection);
    });
    app.exec();
    worker.join();
    b.sink.stop();

    say("\nMachine: %ld CPUs; load average (1, 5, 15 min) %s at the start, %s at the end.\n",
        ::sysconf(_SC_NPROCESSORS_ONLN), loadBefore.c_str(), loadAverage().c_str());
    if (b.failed) {
        say("bl-bench-ssm: FAILED: a result was wrong (see above); logs were in %s\n", qPrintable(b.work));
        return 1;
    }
    return 0;
}
