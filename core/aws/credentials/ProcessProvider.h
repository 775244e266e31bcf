#pragma once
// credential_process: runs the profile's command (split with shell-like quoting, started WITHOUT a shell)
// and reads the JSON it prints (Version 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration,
// AccountId; PROTOCOLS.md §2.5). Every fetch runs the command once; wrap in a CachingProvider to reuse
// the answer until it nears its Expiration.

#include "core/aws/credentials/CredentialsProvider.h"

#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>

namespace bl {

class ProcessProvider final : public CredentialsProvider
{
public:
    static constexpr int DefaultTimeoutMs = 60000;

    // argv from splitCommandLine(); argv[0] is the program.
    ProcessProvider(QStringList argv, QString profileName, QProcessEnvironment env, int timeoutMs = DefaultTimeoutMs);
    ~ProcessProvider() override;

    // POSIX shell-like splitting (Python shlex.split): quotes, backslash escapes, no expansion.
    // Unclosed quotes, a trailing backslash and an empty line are Config errors.
    static Result<QStringList> splitCommandLine(const QString& commandLine);
    // Validates the JSON a credential process printed. source names the profile in messages.
    static Result<Credentials> parseOutput(const QByteArray& stdoutBytes, const QString& profileName);

    void fetch(QObject* context, Callback<Credentials> done) override;
    void invalidate() override { }
    QString describe() const override;

private:
    QStringList m_argv;
    QString m_profileName;
    QProcessEnvironment m_env;
    int m_timeoutMs;
    QObject m_owner; // parent of running processes: destroying the provider stops them
};

} // namespace bl
