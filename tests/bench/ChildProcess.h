#pragma once
// A program the tunnel benchmark starts from its worker thread (socat, bastionless-cli, ssh): fork + execve
// with plain POSIX calls, because QProcess belongs to an event loop and the measured thread has none. The
// child gets /dev/null as stdin, its own session (no terminal to prompt on), a log file for stderr, and
// optionally a pipe for stdout; it receives SIGTERM should the thread that started it die first
// (PR_SET_PDEATHSIG), so a killed benchmark leaves no relay behind. Exit is awaited through a pidfd, so the
// measured wall time ends when the child ends, not at the next poll.

#include <string>
#include <sys/types.h>
#include <vector>

class ChildProcess
{
public:
    ChildProcess() = default;
    ~ChildProcess(); // stop() when still running
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // env: "NAME=value" entries, the child's whole environment. Empty on success, else why not.
    std::string start(const std::string& program, const std::vector<std::string>& args,
                      const std::vector<std::string>& env, const std::string& stderrPath, bool captureStdout);
    // Reads stdout until a line starting with prefix arrives; that line, or empty after timeoutMs or EOF.
    std::string waitForLine(const std::string& prefix, int timeoutMs);
    // Waits for the exit: the exit status (128 + signal when killed), or -1 when still running after timeoutMs.
    int wait(int timeoutMs);
    // Sends signo, waits up to 5 s, then SIGKILL. Returns the exit status as wait() does.
    int stop(int signo);
    bool running() const { return m_pid > 0 && !m_reaped; }
    pid_t pid() const { return m_pid; }
    std::string stdoutSoFar() const { return m_stdout; }
    // Searches PATH; empty when not found.
    static std::string findProgram(const std::string& name);

private:
    pid_t m_pid = -1;
    int m_pidFd = -1;
    int m_stdoutFd = -1;
    bool m_reaped = false;
    int m_status = -1;
    std::string m_stdout;
};
