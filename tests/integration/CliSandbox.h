#pragma once
// A private world for one CLI run against fakeaws: a temporary directory holding HOME (so ~/.aws, the SSO
// and CLI caches start empty), XDG_RUNTIME_DIR, and any AWS config, credentials file or script a test
// writes; and the environment that points the CLI at fakeaws with the default identity's keys. Tests
// adjust env before run(). Everything is removed when the sandbox goes.

#include "CliResult.h"

#include <QProcessEnvironment>
#include <QTemporaryDir>

namespace fakeaws {
class FakeAws;
}

class CliSandbox
{
public:
    explicit CliSandbox(const fakeaws::FakeAws& aws);

    bool isValid() const { return m_dir.isValid(); }
    QString path(const QString& relative = {}) const;
    QString home() const { return path(QStringLiteral("home")); }
    QString runtimeDir() const { return path(QStringLiteral("run")); }

    // Writes a file below the sandbox (parents created) with the given permissions; returns its path.
    QString writeFile(const QString& relative, const QByteArray& content, int perms = 0600);
    // A shell script, 0700.
    QString writeScript(const QString& relative, const QByteArray& body);
    // Writes AWS config / credentials files and points AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at them.
    void setConfig(const QByteArray& content);
    void setCredentials(const QByteArray& content);
    // Drops AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN so that profiles decide.
    void withoutEnvironmentKeys();

    // st_mode & 07777 of a file or directory, -1 when it does not exist.
    static int fileMode(const QString& path);

    CliResult run(const QStringList& args, int timeoutMs = 30000) const;

    QProcessEnvironment env;

private:
    QTemporaryDir m_dir;
};
