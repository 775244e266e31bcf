#include "LatencyBench.h"

#include "BenchContext.h"
#include "ChildProcess.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>
#include <tuple>

#include <unistd.h>

using namespace BenchUtil;

namespace {

struct Timed
{
    double ms = 0;
    int status = -1;
};

Timed timeRun(BenchContext& b, const std::string& program, const std::vector<std::string>& args, const std::string& log)
{
    Timed t;
    ChildProcess child;
    const auto start = std::chrono::steady_clock::now();
    const std::string why = child.start(program, args, b.env, log, false);
    if (!why.empty()) {
        say("    cannot run %s: %s\n", program.c_str(), why.c_str());
        return t;
    }
    t.status = child.wait(60000);
    t.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (t.status < 0)
        t.status = child.stop(SIGTERM);
    return t;
}

// Lets the plain ssh log in: sshd's AuthorizedKeysCommand accepts keys "pushed" in the last 60 s.
void authorizePlainKey(BenchContext& b, const QString& pushedKeysDir, const QString& publicKey)
{
    QDir().mkpath(pushedKeysDir);
    QFile f(pushedKeysDir + QStringLiteral("/root.keys"));
    if (f.open(QIODevice::WriteOnly | QIODevice::Append))
        f.write(QByteArray::number(QDateTime::currentSecsSinceEpoch()) + ' ' + b.instanceId.toLatin1() + ' '
                + publicKey.toUtf8() + '\n');
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                     | QFileDevice::ReadOther);
}

} // namespace

void runLatencyBench(BenchContext& b)
{
    say("\n==> B. Time to remote command output, %d ms on every AWS call, %d runs each\n", b.options.latencyMs,
        b.options.runs);
    if (::geteuid() != 0 || !QFileInfo::exists(QStringLiteral("/usr/sbin/sshd"))) {
        say("    skipped: needs root and /usr/sbin/sshd (Debian package openssh-server) for the sshd it logs in "
            "to\n");
        return;
    }
    QString why;
    QString pushedKeysDir;
    quint16 sshdPort = 0;
    const QString key = b.work + QStringLiteral("/plain_ed25519");
    onMain(b, [&] {
        pushedKeysDir = b.aws->pushedKeysDir();
        b.sshd = std::make_unique<SshServer>(pushedKeysDir, b.instanceId);
        why = b.sshd->start();
        if (why.isEmpty()) {
            sshdPort = b.sshd->port();
            b.aws->setTunnelTarget(b.instanceId, 22, QHostAddress(QHostAddress::LocalHost), sshdPort);
            why = SshServer::makeKey(key);
        }
    });
    if (!why.isEmpty()) {
        say("    skipped: %s\n", why.toLocal8Bit().constData());
        return;
    }
    QFile pub(key + QStringLiteral(".pub"));
    const QString publicKey = pub.open(QIODevice::ReadOnly) ? QString::fromUtf8(pub.readAll()).trimmed() : QString();

    const std::vector<std::string> cliArgs = {
        "ssh", b.instanceId.toStdString(), "--os-user", "root", "--", "-o", "BatchMode=yes", "true"};
    // The options the CLI gives its ssh, minus the tunnel: same known_hosts handling, same key-only login.
    std::vector<std::string> sshArgs;
    for (const char* option :
         {"BatchMode=yes", "StrictHostKeyChecking=accept-new", "HashKnownHosts=no", "IdentitiesOnly=yes"})
        sshArgs.insert(sshArgs.end(), {"-o", option});
    sshArgs.insert(sshArgs.end(),
                   {"-o", "UserKnownHostsFile=" + local(b.work) + "/plain_known_hosts", "-i", local(key), "-p",
                    std::to_string(sshdPort), "-l", "root", "127.0.0.1", "true"});
    const std::string cliLog = local(b.work) + "/cli-ssh.log";
    const std::string sshLog = local(b.work) + "/ssh.log";
    auto setLatency = [&b](int ms) { onMain(b, [&b, ms] { b.aws->faults().setLatencyMs(ms); }); };

    // Warm-up, not counted: records the host key in both known_hosts files, fills the page cache.
    setLatency(0);
    authorizePlainKey(b, pushedKeysDir, publicKey);
    for (const auto& [program, args, log] :
         {std::tuple {b.options.cli, cliArgs, cliLog}, std::tuple {std::string("ssh"), sshArgs, sshLog}}) {
        const Timed t = timeRun(b, program, args, log);
        if (t.status != 0) {
            say("    warm-up %s failed with status %d:\n%s", program.c_str(), t.status,
                tail(QString::fromStdString(log)).c_str());
            b.failed = true;
            return;
        }
    }

    std::vector<double> cli0, cliSlow, plain;
    std::map<QString, std::vector<qint64>> perAction;
    std::vector<qint64> totals;
    for (int run = 1; run <= b.options.runs; ++run) {
        // Interleaved, so that the machine's drift affects the three alike.
        setLatency(0);
        const Timed fast = timeRun(b, b.options.cli, cliArgs, cliLog);
        setLatency(b.options.latencyMs);
        onMain(b, [&b] { b.aws->faults().resetCounters(); });
        const Timed slow = timeRun(b, b.options.cli, cliArgs, cliLog);
        QHash<QString, qint64> counts;
        onMain(b, [&b, &counts] { counts = b.aws->faults().requestCounts(); });
        setLatency(0);
        authorizePlainKey(b, pushedKeysDir, publicKey);
        const Timed ssh = timeRun(b, "ssh", sshArgs, sshLog);
        if (fast.status != 0 || slow.status != 0 || ssh.status != 0) {
            say("    run %d failed: cli %d, cli with latency %d, ssh %d\n%s%s", run, fast.status, slow.status,
                ssh.status, tail(QString::fromStdString(cliLog)).c_str(), tail(QString::fromStdString(sshLog)).c_str());
            b.failed = true;
            return;
        }
        cli0.push_back(fast.ms);
        cliSlow.push_back(slow.ms);
        plain.push_back(ssh.ms);
        qint64 total = 0;
        for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
            perAction[it.key()].push_back(it.value());
            total += it.value();
        }
        totals.push_back(total);
        say("    run %d/%d  cli %7.1f ms  cli +%d ms/call %7.1f ms (%lld requests)  ssh %7.1f ms\n", run,
            b.options.runs, fast.ms, b.options.latencyMs, slow.ms, static_cast<long long>(total), ssh.ms);
    }

    const double mFast = median(cli0), mSlow = median(cliSlow), mPlain = median(plain);
    const auto range = [](const std::vector<double>& v) {
        const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
        return std::to_string(static_cast<int>(*lo + 0.5)) + "–" + std::to_string(static_cast<int>(*hi + 0.5));
    };
    say("\nStart to exit of `... true` against a real sshd on 127.0.0.1, median of %d runs (interleaved):\n\n",
        b.options.runs);
    say("| Command | AWS latency per call | Median (ms) | Range (ms) |\n|---|---:|---:|---:|\n");
    say("| `bastionless-cli ssh <id> --os-user root -- -o BatchMode=yes true` | %d ms | %.1f | %s |\n",
        b.options.latencyMs, mSlow, range(cliSlow).c_str());
    say("| `bastionless-cli ssh <id> --os-user root -- -o BatchMode=yes true` | 0 ms | %.1f | %s |\n", mFast,
        range(cli0).c_str());
    say("| `ssh -p <sshd port> root@127.0.0.1 true` (reference, prepared key) | – | %.1f | %s |\n", mPlain,
        range(plain).c_str());
    const double L = b.options.latencyMs;
    const double minSlow = *std::min_element(cliSlow.begin(), cliSlow.end());
    const double minFast = *std::min_element(cli0.begin(), cli0.end());
    say("\nSequential AWS round trips, estimated from medians: (cli with %d ms − plain ssh) / %d ms = %.1f "
        "(includes the CLI's own work); (cli with %d ms − cli with 0 ms) / %d ms = %.1f. From the fastest runs, "
        "which a busy machine disturbs least: (cli with %d ms − cli with 0 ms) / %d ms = %.1f.\n",
        b.options.latencyMs, b.options.latencyMs, (mSlow - mPlain) / L, b.options.latencyMs, b.options.latencyMs,
        (mSlow - mFast) / L, b.options.latencyMs, b.options.latencyMs, (minSlow - minFast) / L);
    say("\nAWS requests per `bastionless-cli ssh` run, counted by fakeaws (median over the runs):\n\n");
    say("| Action | Requests per run |\n|---|---:|\n");
    for (const auto& [action, counts] : perAction) {
        std::vector<double> v(counts.begin(), counts.end());
        v.resize(static_cast<size_t>(b.options.runs), 0.0); // runs that made no such request
        say("| %s | %g |\n", action.toStdString().c_str(), median(v));
    }
    std::vector<double> t(totals.begin(), totals.end());
    say("| **Total** | %g |\n", median(t));
}
