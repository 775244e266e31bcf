#pragma once
// Helpers shared by the credentials tests: waiting for an asynchronous fetch without nesting event loops in
// the code under test (QTest::qWaitFor spins the test's own loop).

#include "core/aws/credentials/CredentialsProvider.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

#include <optional>

namespace credstest {

// Fetches once and waits for the answer; also checks the answer did not arrive synchronously.
inline std::optional<bl::Result<bl::Credentials>> fetchAndWait(bl::CredentialsProvider& provider, int timeoutMs = 15000)
{
    QObject context;
    std::optional<bl::Result<bl::Credentials>> out;
    provider.fetch(&context, [&](bl::Result<bl::Credentials> r) { out = std::move(r); });
    if (out) {
        qWarning("fetch answered synchronously");
        return std::nullopt;
    }
    (void)QTest::qWaitFor([&] { return out.has_value(); }, timeoutMs);
    return out;
}

inline bool writeFile(const QString& path, const QByteArray& content, bool executable = false)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    f.write(content);
    f.close();
    if (executable)
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return true;
}

inline QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace credstest
