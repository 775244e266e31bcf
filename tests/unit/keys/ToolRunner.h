#pragma once
// ToolRunner: runs a real command-line tool (ssh-keygen, ssh-add) for a test with a bounded wait, so the
// tests can check our output against OpenSSH itself rather than against our own reading of the format.

#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QStringList>

struct ToolResult
{
    bool started = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

class ToolRunner
{
public:
    static ToolResult run(const QString& program, const QStringList& args,
                          const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                          const QByteArray& input = {})
    {
        ToolResult result;
        const QString path = QStandardPaths::findExecutable(program);
        if (path.isEmpty())
            return result;
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(path, args);
        if (!process.waitForStarted(10000))
            return result;
        result.started = true;
        if (!input.isEmpty())
            process.write(input);
        process.closeWriteChannel();
        if (!process.waitForFinished(30000)) {
            process.kill();
            process.waitForFinished(5000);
            return result;
        }
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
        return result;
    }
};
