#include "ThroughputBench.h"

#include "BenchContext.h"
#include "BulkClient.h"
#include "ChildProcess.h"

#include <QFile>

#include <csignal>
#include <cstdio>
#include <memory>

using namespace BenchUtil;

namespace {

using Direction = BulkClient::Direction;

struct Case
{
    Direction direction;
    int streams;
};
constexpr Case kCases[] = {
    {Direction::Upload, 1}, {Direction::Upload, 8}, {Direction::Download, 1}, {Direction::Download, 8}};
constexpr int kCaseCount = 4;

struct PathResult
{
    std::string name;
    bool measured = false;
    std::string skipped;
    double mbps[kCaseCount] = {};
};

// A path under test: the port clients connect to and the processes that make it.
struct Path
{
    uint16_t port = 0;
    std::vector<std::unique_ptr<ChildProcess>> children;
    std::string error;
};

std::unique_ptr<ChildProcess> startChild(BenchContext& b, const std::string& program,
                                         const std::vector<std::string>& args, const std::string& logName,
                                         bool captureStdout, std::string* error)
{
    auto child = std::make_unique<ChildProcess>();
    const std::string why = child->start(
        program, args, b.env, local(b.work + QStringLiteral("/") + QString::fromStdString(logName)), captureStdout);
    if (!why.empty()) {
        *error = why;
        return nullptr;
    }
    return child;
}

Path socatRelay(BenchContext& b, bool tls)
{
    Path p;
    const std::string sink = "TCP:127.0.0.1:" + std::to_string(b.sink.port());
    // 128 KiB buffers instead of socat's 8 KiB default: the relays should be as good as they can be.
    std::vector<std::string> common = {"-b", "131072"};
    std::string target = sink;
    if (tls) {
        const uint16_t tlsPort = freePort();
        std::vector<std::string> server = common;
        server.push_back("OPENSSL-LISTEN:" + std::to_string(tlsPort)
                         + ",bind=127.0.0.1,reuseaddr,fork,backlog=64,cert=" + local(b.work) + "/relay.pem,verify=0");
        server.push_back(sink);
        auto child = startChild(b, b.options.socat, server, "socat-tls-server.log", false, &p.error);
        if (!child)
            return p;
        p.children.push_back(std::move(child));
        if (!waitForPort(tlsPort, 10000)) {
            p.error = "the TLS socat did not listen:\n" + tail(b.work + QStringLiteral("/socat-tls-server.log"));
            return p;
        }
        target = "OPENSSL:127.0.0.1:" + std::to_string(tlsPort) + ",cafile=" + local(b.work) + "/relay-ca.pem";
    }
    p.port = freePort();
    std::vector<std::string> front = common;
    front.push_back("TCP-LISTEN:" + std::to_string(p.port) + ",bind=127.0.0.1,reuseaddr,fork,backlog=64");
    front.push_back(target);
    const std::string log = tls ? "socat-tls-client.log" : "socat-tcp.log";
    auto child = startChild(b, b.options.socat, front, log, false, &p.error);
    if (!child)
        return p;
    p.children.push_back(std::move(child));
    if (!waitForPort(p.port, 10000))
        p.error = "socat did not listen:\n" + tail(b.work + QStringLiteral("/") + QString::fromStdString(log));
    return p;
}

Path eiceTunnel(BenchContext& b)
{
    Path p;
    const std::vector<std::string> args = {"tunnel", b.instanceId.toStdString(), "--remote-port", "22"};
    auto child = startChild(b, b.options.cli, args, "cli-tunnel.log", true, &p.error);
    if (!child)
        return p;
    const std::string line = child->waitForLine("Listening on 127.0.0.1:", 30000);
    p.children.push_back(std::move(child));
    if (line.empty()) {
        p.error = "bastionless-cli tunnel printed no 'Listening on' line within 30 s:\n"
            + tail(b.work + QStringLiteral("/cli-tunnel.log"));
        return p;
    }
    p.port = static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
    return p;
}

void stopPath(BenchContext& b, Path& p, bool cli)
{
    for (auto it = p.children.rbegin(); it != p.children.rend(); ++it) {
        // The CLI ends its tunnel on Ctrl-C with exit 0; anything else is worth a line.
        const int status = (*it)->stop(cli ? SIGINT : SIGTERM);
        if (cli && status != 0)
            say("    note: bastionless-cli tunnel ended with status %d\n%s", status,
                tail(b.work + QStringLiteral("/cli-tunnel.log")).c_str());
    }
    p.children.clear();
}

std::string caseName(const Case& c)
{
    return std::string(c.direction == Direction::Upload ? "upload" : "download") + ", " + std::to_string(c.streams)
        + (c.streams == 1 ? " stream" : " streams");
}

// Warm-up, not counted: first connections, TLS set-up, page faults in the relays. false when it failed.
bool warmUp(BenchContext& b, PathResult& result, const Path& path)
{
    if (!path.error.empty() || path.port == 0) {
        result.skipped = path.error;
        say("    %s: not measured: %s\n", result.name.c_str(), path.error.c_str());
        return false;
    }
    const uint64_t bytes = std::min<uint64_t>(b.options.mib, 16) * 1024 * 1024;
    for (const Direction d : {Direction::Upload, Direction::Download}) {
        const BulkClient::Result r = BulkClient::run(path.port, d, bytes, 1);
        if (!r.ok) {
            say("    %s: warm-up failed: %s\n", result.name.c_str(), r.error.c_str());
            b.failed = true;
            return false;
        }
    }
    result.measured = true;
    return true;
}

std::vector<PathResult> runThroughput(BenchContext& b)
{
    say("==> A. Throughput: %llu MiB per case, upload and download, 1 stream and 8 streams, %d rounds\n",
        static_cast<unsigned long long>(b.options.mib), b.options.rounds);
    std::vector<PathResult> results(4);
    results[0].name = "Direct (no relay, reference)";
    results[1].name = "Plain TCP relay (socat)";
    results[2].name = "TLS relay (socat, TLS hop)";
    results[3].name = "EICE tunnel (bastionless-cli)";
    // Every path is up for the whole series, so that each case runs over all four back to back, and the drift
    // of a busy machine affects them alike.
    std::vector<Path> paths(4);
    paths[0].port = b.sink.port();
    paths[1] = socatRelay(b, false);
    paths[2] = socatRelay(b, true);
    fakeaws::EiceCounters before;
    onMain(b, [&b, &before] { before = b.aws->eice().counters(); });
    paths[3] = eiceTunnel(b);
    for (size_t i = 0; i < paths.size(); ++i)
        warmUp(b, results[i], paths[i]);

    const uint64_t total = b.options.mib * 1024 * 1024;
    std::vector<double> samples[4][kCaseCount];
    // CPU spent on the EICE transfers by each end of the tunnel: the CLI, and fakeaws's event-loop thread.
    double cliCpu[2] = {}, fakeawsCpu[2] = {}, eiceBytes[2] = {}; // [0] upload, [1] download
    const pid_t cliPid = paths[3].children.empty() ? 0 : paths[3].children.front()->pid();
    for (int round = 1; round <= b.options.rounds && !b.failed; ++round) {
        for (int c = 0; c < kCaseCount && !b.failed; ++c) {
            std::string line = "    round " + std::to_string(round) + "/" + std::to_string(b.options.rounds) + "  "
                + caseName(kCases[c]) + ":";
            for (size_t i = 0; i < paths.size(); ++i) {
                if (!results[i].measured)
                    continue;
                const double cliBefore = i == 3 ? processCpuSeconds(cliPid) : 0;
                const double fakeawsBefore = i == 3 ? threadCpuSeconds(b.mainThread) : 0;
                const BulkClient::Result r =
                    BulkClient::run(paths[i].port, kCases[c].direction, total, kCases[c].streams);
                if (i == 3) {
                    const int d = kCases[c].direction == Direction::Upload ? 0 : 1;
                    cliCpu[d] += processCpuSeconds(cliPid) - cliBefore;
                    fakeawsCpu[d] += threadCpuSeconds(b.mainThread) - fakeawsBefore;
                    eiceBytes[d] += static_cast<double>(r.bytes);
                }
                if (!r.ok) {
                    say("    %s, %s: FAILED: %s\n", results[i].name.c_str(), caseName(kCases[c]).c_str(),
                        r.error.c_str());
                    b.failed = true;
                    break;
                }
                const double mbps = static_cast<double>(r.bytes) / r.seconds / 1e6;
                samples[i][c].push_back(mbps);
                char figure[64];
                std::snprintf(figure, sizeof figure, "  %.0f", mbps);
                line += figure;
            }
            say("%s MB/s (direct, TCP relay, TLS relay, EICE)\n", line.c_str());
        }
    }
    for (size_t i = 0; i < paths.size(); ++i) {
        for (int c = 0; c < kCaseCount; ++c)
            results[i].mbps[c] = median(samples[i][c]);
        stopPath(b, paths[i], i == 3);
    }
    fakeaws::EiceCounters after;
    onMain(b, [&b, &after] { after = b.aws->eice().counters(); });
    say("    fakeaws EICE: %lld tunnels opened, %.1f MB relayed to the instance, %.1f MB from it\n",
        static_cast<long long>(after.tunnelsOpened - before.tunnelsOpened),
        static_cast<double>(after.bytesToInstance - before.bytesToInstance) / 1e6,
        static_cast<double>(after.bytesFromInstance - before.bytesFromInstance) / 1e6);
    for (const int d : {0, 1}) {
        if (eiceBytes[d] > 0)
            say("    CPU per GB through the EICE tunnel, %s: bastionless-cli %.2f s, fakeaws's EICE side (one thread) "
                "%.2f s\n",
                d == 0 ? "upload" : "download", cliCpu[d] / eiceBytes[d] * 1e9, fakeawsCpu[d] / eiceBytes[d] * 1e9);
    }
    if (b.sink.failures() > 0) {
        say("    the sink server saw %d failed transfers\n", b.sink.failures());
        b.failed = true;
    }
    return results;
}

void printThroughput(const BenchContext& b, const std::vector<PathResult>& results)
{
    say("\nBulk throughput, %llu MiB per case (8 streams: 1/8 each, in parallel), MB/s (10^6 bytes/s), median of %d "
        "interleaved rounds:\n\n",
        static_cast<unsigned long long>(b.options.mib), b.options.rounds);
    say("| Path | Upload, 1 stream | Upload, 8 streams | Download, 1 stream | Download, 8 streams |\n");
    say("|---|---:|---:|---:|---:|\n");
    for (const PathResult& r : results) {
        say("| %s |", r.name.c_str());
        for (int i = 0; i < kCaseCount; ++i) {
            if (r.measured && !b.failed)
                say(" %.1f |", r.mbps[i]);
            else
                say(" n/a |");
        }
        say("\n");
    }
    const PathResult& eice = results[3];
    for (const int reference : {1, 2}) {
        const PathResult& ref = results[static_cast<size_t>(reference)];
        say("| **Ratio EICE / %s** |", reference == 1 ? "plain TCP relay" : "TLS relay");
        for (int i = 0; i < kCaseCount; ++i) {
            if (eice.measured && ref.measured && !b.failed && ref.mbps[i] > 0)
                say(" %.2f× |", eice.mbps[i] / ref.mbps[i]);
            else
                say(" n/a |");
        }
        say("\n");
    }
}
} // namespace

void runThroughputBench(BenchContext& b)
{
    printThroughput(b, runThroughput(b));
}
