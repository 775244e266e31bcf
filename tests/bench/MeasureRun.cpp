// bl-measure: runs a program N times and records, per run, its wall time and its peak resident set size.
// The benchmarks need peak RSS on a fresh Debian 12 with only the project's packages, where GNU time
// (package `time`) is usually absent and /proc/<pid>/status is gone by the time a short-lived child
// exits; wait4() hands back the child's own rusage, which is exact whatever the child's lifetime.
// Kept to plain libc so that its own footprint (inherited by the child until exec) stays near 1 MB.
//
//   bl-measure [--repeat N] --report FILE -- PROGRAM [ARGS...]
//
// Appends one line per run to FILE: "<wall us> <peak RSS KiB> <exit status> <CPU us, user + system>". The child
// inherits stdin/stdout/stderr. Exits with the first failing run's status (128+signal if killed), else 0.
// SIGINT, SIGTERM and SIGHUP are passed on to the running child and end the series, so that a script
// stopping bl-measure also stops what it measures.

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

volatile sig_atomic_t g_child = 0;
volatile sig_atomic_t g_stopSignal = 0;

// Async-signal-safe: remember the signal and hand it to the child, which ends the run.
void onStopSignal(int signo)
{
    g_stopSignal = signo;
    if (g_child > 0)
        kill(static_cast<pid_t>(g_child), signo);
}

bool installStopHandlers()
{
    struct sigaction action = {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    const int stopSignals[] = {SIGINT, SIGTERM, SIGHUP};
    for (const int signo : stopSignals) {
        if (sigaction(signo, &action, nullptr) != 0)
            return false;
    }
    return true;
}

long long nowMicros()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<long long>(ts.tv_sec) * 1000000LL + ts.tv_nsec / 1000;
}

int usage(const char* why)
{
    std::fprintf(stderr, "bl-measure: %s\nusage: bl-measure [--repeat N] --report FILE -- PROGRAM [ARGS...]\n", why);
    return 2;
}

// One run: fork, exec, wait4. Returns the child's exit status (128+signal when killed), or -1 when the
// child could not be started or waited for.
int runOnce(char** argv, FILE* report)
{
    const long long start = nowMicros();
    const pid_t pid = fork();
    if (pid < 0) {
        std::fprintf(stderr, "bl-measure: fork failed: %s\n", std::strerror(errno));
        return -1;
    }
    if (pid == 0) {
        // The handlers become default dispositions on exec; a stop that came before it ends here.
        if (g_stopSignal != 0)
            _exit(128 + g_stopSignal);
        execvp(argv[0], argv);
        std::fprintf(stderr, "bl-measure: cannot run %s: %s\n", argv[0], std::strerror(errno));
        _exit(127);
    }
    g_child = pid;
    // A signal that came before g_child was set was not passed on.
    if (g_stopSignal != 0)
        kill(pid, g_stopSignal);
    int status = 0;
    rusage usage {};
    pid_t waited = -1;
    do {
        waited = wait4(pid, &status, 0, &usage);
    } while (waited < 0 && errno == EINTR);
    const long long wall = nowMicros() - start;
    g_child = 0;
    if (waited < 0) {
        std::fprintf(stderr, "bl-measure: wait4 failed: %s\n", std::strerror(errno));
        return -1;
    }
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    const long long cpu = (static_cast<long long>(usage.ru_utime.tv_sec) + usage.ru_stime.tv_sec) * 1000000LL
        + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
    // ru_maxrss is in KiB on Linux.
    std::fprintf(report, "%lld %ld %d %lld\n", wall, usage.ru_maxrss, code, cpu);
    std::fflush(report);
    return code;
}

} // namespace

int main(int argc, char** argv)
{
    long repeat = 1;
    const char* reportPath = nullptr;
    int i = 1;
    for (; i < argc; ++i) {
        if (std::strcmp(argv[i], "--") == 0) {
            ++i;
            break;
        }
        if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            char* end = nullptr;
            repeat = std::strtol(argv[++i], &end, 10);
            if (*end != '\0' || repeat < 1 || repeat > 100000)
                return usage("--repeat expects a number from 1 to 100000");
        } else if (std::strcmp(argv[i], "--report") == 0 && i + 1 < argc) {
            reportPath = argv[++i];
        } else {
            return usage("unknown option (options end with --)");
        }
    }
    if (reportPath == nullptr)
        return usage("--report FILE is required");
    if (i >= argc)
        return usage("no program given after --");

    FILE* report = std::fopen(reportPath, "a");
    if (report == nullptr) {
        std::fprintf(stderr, "bl-measure: cannot open %s: %s\n", reportPath, std::strerror(errno));
        return 2;
    }
    if (!installStopHandlers()) {
        std::fprintf(stderr, "bl-measure: cannot install signal handlers: %s\n", std::strerror(errno));
        return 2;
    }
    int firstFailure = 0;
    for (long run = 0; run < repeat && g_stopSignal == 0; ++run) {
        const int code = runOnce(argv + i, report);
        if (code < 0) {
            std::fclose(report);
            return 125;
        }
        if (code != 0 && firstFailure == 0)
            firstFailure = code;
    }
    std::fclose(report);
    if (g_stopSignal != 0)
        return 128 + g_stopSignal;
    return firstFailure;
}
