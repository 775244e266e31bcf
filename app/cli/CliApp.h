#pragma once
// Parses bastionless-cli's command line, builds the services and runs one command.

#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>

namespace bl::cli {

class CliApp : public QObject
{
    Q_OBJECT
public:
    CliApp(QStringList arguments, QProcessEnvironment env, QObject* parent = nullptr);
    // Returns an exit code when it finished synchronously (help, version, usage errors), otherwise -1
    // and quits the application with the code later.
    int start();

    static QString usage();

private:
    QStringList m_args;
    QProcessEnvironment m_env;
};

} // namespace bl::cli
