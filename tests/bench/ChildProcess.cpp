#include "ChildProcess.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

long long nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

ChildProcess::~ChildProcess()
{
    if (running())
        stop(SIGTERM);
    if (m_pidFd >= 0)
        ::close(m_pidFd);
    if (m_stdoutFd >= 0)
        ::close(m_stdoutFd);
}

std::string ChildProcess::findProgram(const std::string& name)
{
    if (name.find('/') != std::string::npos)
        return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
    size_t begin = 0;
    while (begin <= dirs.size()) {
        const size_t end = std::min(dirs.find(':', begin), dirs.size());
        const std::string candidate = dirs.substr(begin, end - begin) + "/" + name;
        if (end > begin && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        begin = end + 1;
    }
    return {};
}

std::string ChildProcess::start(const std::string& program, const std::vector<std::string>& args,
                                const std::vector<std::string>& env, const std::string& stderrPath, bool captureStdout)
{
    const std::string path = findProgram(program);
    if (path.empty())
        return program + " not found";
    // Everything the child needs is prepared before fork(): between fork and exec only async-signal-safe calls.
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(path.c_str()));
    for (const std::string& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const std::string& e : env)
        envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);

    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int errFd = ::open(stderrPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    int pipeFds[2] = {-1, -1};
    if (devNull < 0 || errFd < 0 || (captureStdout && ::pipe2(pipeFds, O_CLOEXEC) != 0)) {
        const std::string why = std::string("cannot prepare the child's files: ") + std::strerror(errno);
        for (const int fd : {devNull, errFd, pipeFds[0], pipeFds[1]})
            if (fd >= 0)
                ::close(fd);
        return why;
    }
    const int outFd = captureStdout ? pipeFds[1] : errFd;
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setsid();
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(127);
        ::dup2(devNull, 0);
        ::dup2(outFd, 1);
        ::dup2(errFd, 2);
        ::execve(path.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
    const int forkErrno = errno;
    ::close(devNull);
    ::close(errFd);
    if (captureStdout)
        ::close(pipeFds[1]);
    if (pid < 0) {
        if (captureStdout)
            ::close(pipeFds[0]);
        return std::string("fork: ") + std::strerror(forkErrno);
    }
    m_pid = pid;
    m_reaped = false;
    m_stdoutFd = captureStdout ? pipeFds[0] : -1;
    m_pidFd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    return {};
}

std::string ChildProcess::waitForLine(const std::string& prefix, int timeoutMs)
{
    const long long deadline = nowMs() + timeoutMs;
    for (;;) {
        size_t lineStart = 0;
        while (lineStart < m_stdout.size()) {
            const size_t newline = m_stdout.find('\n', lineStart);
            if (newline == std::string::npos)
                break;
            const std::string line = m_stdout.substr(lineStart, newline - lineStart);
            if (line.compare(0, prefix.size(), prefix) == 0)
                return line;
            lineStart = newline + 1;
        }
        const long long left = deadline - nowMs();
        if (m_stdoutFd < 0 || left <= 0)
            return {};
        pollfd p {m_stdoutFd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0)
            continue;
        char buffer[4096];
        const ssize_t n = ::read(m_stdoutFd, buffer, sizeof buffer);
        if (n <= 0) {
            ::close(m_stdoutFd);
            m_stdoutFd = -1;
            return {};
        }
        m_stdout.append(buffer, static_cast<size_t>(n));
    }
}

int ChildProcess::wait(int timeoutMs)
{
    if (m_pid <= 0)
        return -1;
    if (m_reaped)
        return m_status;
    if (m_pidFd >= 0) {
        pollfd p {m_pidFd, POLLIN, 0};
        int rc = 0;
        do {
            rc = ::poll(&p, 1, timeoutMs);
        } while (rc < 0 && errno == EINTR);
        if (rc == 0)
            return -1;
    } else {
        // No pidfd (old kernel): poll the exit every millisecond.
        const long long deadline = nowMs() + timeoutMs;
        int status = 0;
        while (::waitpid(m_pid, &status, WNOHANG) == 0) {
            if (nowMs() >= deadline)
                return -1;
            ::usleep(1000);
        }
        m_reaped = true;
        m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return m_status;
    }
    int status = 0;
    pid_t waited = -1;
    do {
        waited = ::waitpid(m_pid, &status, 0);
    } while (waited < 0 && errno == EINTR);
    m_reaped = true;
    m_status = waited < 0 ? -1 : (WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return m_status;
}

int ChildProcess::stop(int signo)
{
    if (!running())
        return m_status;
    ::kill(m_pid, signo);
    int status = wait(5000);
    if (status < 0) {
        ::kill(m_pid, SIGKILL);
        status = wait(5000);
    }
    return status;
}
