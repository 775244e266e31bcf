#pragma once
// A bastionless-cli sub-command: parses its own options, runs asynchronously on the event loop and
// reports its exit code once through finished().

#include "app/cli/CliServices.h"

#include <QCommandLineParser>
#include <QObject>

namespace bl::cli {

class Command : public QObject
{
    Q_OBJECT
public:
    Command(CliServices& services, QObject* parent = nullptr)
        : QObject(parent)
        , m_services(services)
    { }
    // Adds the command's own options and positional arguments.
    virtual void configure(QCommandLineParser& parser) = 0;
    // Reads the parsed options; a usage error is returned as ErrorKind::Usage.
    virtual Result<void> prepare(const QCommandLineParser& parser) = 0;
    // Starts the work; finished() follows exactly once.
    virtual void start() = 0;

Q_SIGNALS:
    void finished(int exitCode);

protected:
    void fail(const Error& e) { Q_EMIT finished(CliServices::report(e)); }
    CliServices& m_services;
};

} // namespace bl::cli
