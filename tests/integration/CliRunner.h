#pragma once
// Runs the real bastionless-cli executable as a child process without blocking the event loop that the
// in-process fakeaws server needs: start() returns at once, waitForFinished() spins the event loop with a
// bound. The child runs in its own session (setsid), so it has no controlling terminal and can never stop
// to prompt; its stdin is closed.

#include "CliResult.h"

#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>

class CliRunner : public QObject
{
    Q_OBJECT
public:
    explicit CliRunner(QProcessEnvironment env, QObject* parent = nullptr);
    ~CliRunner() override;

    static QString program(); // the bastionless-cli built with the tests

    void start(const QStringList& args);
    // Spins the event loop until the CLI exits or timeoutMs pass (then it is killed and timedOut is set).
    CliResult waitForFinished(int timeoutMs = 30000);
    // What the CLI printed so far (spins the event loop briefly first).
    QString outputSoFar();
    // The same for stderr (e.g. a tunnel's -v log, to explain a failure while it still runs).
    QString errorsSoFar();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    void sendSignal(int signo);

    // start() + waitForFinished().
    static CliResult run(const QStringList& args, const QProcessEnvironment& env, int timeoutMs = 30000);

private:
    QProcess m_process;
    QStringList m_args;
    QByteArray m_out;
    QByteArray m_err;
};
