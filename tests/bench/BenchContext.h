#pragma once
// What the parts of the tunnel benchmark (bl-bench-tunnel) share: its options, the context the measuring thread
// works in (fakeaws and the sshd live on the main thread and are reached only through onMain()), and small
// helpers for ports, processes' CPU time, logs and output.

#include "SinkServer.h"
#include "tests/e2e/SshServer.h"
#include "tests/fakeaws/FakeAws.h"

#include <QCoreApplication>
#include <QString>

#include <memory>
#include <pthread.h>
#include <string>
#include <sys/types.h>
#include <vector>

struct BenchOptions
{
    std::string cli;
    std::string socat = "socat";
    uint64_t mib = 256;
    int rounds = 3;
    int runs = 5;
    int latencyMs = 50;
    bool throughput = true;
    bool latency = true;
};

struct BenchContext
{
    BenchOptions options;
    QCoreApplication* app = nullptr;
    fakeaws::FakeAws* aws = nullptr;
    QString instanceId;
    QString work; // private directory: HOME, runtime dir, certificates, logs
    std::vector<std::string> env; // the CLI's environment
    SinkServer sink;
    std::unique_ptr<SshServer> sshd; // created and destroyed on the main thread
    pthread_t mainThread {}; // fakeaws's thread, for its CPU time
    bool failed = false; // a result was wrong
};

// Runs f on the main thread and waits for it.
template<typename F>
void onMain(BenchContext& b, F f)
{
    QMetaObject::invokeMethod(b.app, std::move(f), Qt::BlockingQueuedConnection);
}

namespace BenchUtil {
// Progress and tables go to stdout as they come, so that a slow run shows where it is.
__attribute__((format(printf, 1, 2))) void say(const char* format, ...);
std::string local(const QString& s);
std::string loadAverage(); // "1-min 5-min 15-min"
double processCpuSeconds(pid_t pid); // user + system, from /proc
double threadCpuSeconds(pthread_t thread);
uint16_t freePort(); // a port on 127.0.0.1 that was free a moment ago
bool waitForPort(uint16_t port, int timeoutMs); // until something accepts connections there
std::string tail(const QString& path, int lines = 15); // the end of a log, indented
double median(std::vector<double> v);
// The environment bastionless-cli runs with: fakeaws's, a private HOME and runtime dir under work, and nothing
// from the machine (agent, proxy, desktop, settings, logging rules).
std::vector<std::string> cliEnvironment(const fakeaws::FakeAws& aws, const QString& work);
} // namespace BenchUtil
