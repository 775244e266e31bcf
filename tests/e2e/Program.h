#pragma once
// Helpers of the end-to-end tests: a child program (ssh, scp) run without blocking the event loop that the
// in-process fakeaws needs, and file hashing.

#include <QProcess>
#include <QString>

struct ProgramResult
{
    int exitCode = -1;
    bool ok = false; // ended by itself, not crashed
    QString out;
    QString err;
    QString describe() const;
};

class Program
{
public:
    Program(const QString& program, const QStringList& args, const QProcessEnvironment& env);
    ~Program();
    // Spins the event loop until the program ends or timeoutMs passed (then kills it).
    ProgramResult wait(int timeoutMs);
    bool finished() const { return m_process.state() == QProcess::NotRunning; }

private:
    QProcess m_process;
};

// Hex SHA-256 of a file; empty when it cannot be read.
QByteArray sha256File(const QString& path);
