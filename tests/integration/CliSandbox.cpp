#include "CliSandbox.h"

#include "CliRunner.h"
#include "tests/fakeaws/FakeAws.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

CliSandbox::CliSandbox(const fakeaws::FakeAws& aws)
    : env(aws.clientEnvironment())
    , m_dir(QDir::tempPath() + QStringLiteral("/bl-clitest-XXXXXX"))
{
    QDir().mkpath(home());
    QDir().mkpath(runtimeDir());
    QFile::setPermissions(runtimeDir(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    env.insert(QStringLiteral("HOME"), home());
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir());
    // Nothing from the machine running the tests may leak in: an agent, a browser, a desktop, a proxy.
    for (const char* name : {"SSH_AUTH_SOCK", "SSH_AGENT_PID", "BROWSER", "DISPLAY", "WAYLAND_DISPLAY", "HTTPS_PROXY",
                             "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY",
                             "no_proxy", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"})
        env.remove(QString::fromLatin1(name));
    // The CLI's own output is what is being tested; Qt's debug output would only add noise.
    env.remove(QStringLiteral("QT_LOGGING_RULES"));
}

QString CliSandbox::path(const QString& relative) const
{
    return relative.isEmpty() ? m_dir.path() : m_dir.filePath(relative);
}

QString CliSandbox::writeFile(const QString& relative, const QByteArray& content, int perms)
{
    const QString file = path(relative);
    QDir().mkpath(QFileInfo(file).absolutePath());
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size())
        qFatal("cannot write test file %s", qPrintable(file));
    f.close();
    QFile::Permissions p;
    if (perms & 0400)
        p |= QFile::ReadOwner;
    if (perms & 0200)
        p |= QFile::WriteOwner;
    if (perms & 0100)
        p |= QFile::ExeOwner;
    if (perms & 0040)
        p |= QFile::ReadGroup;
    if (perms & 0004)
        p |= QFile::ReadOther;
    QFile::setPermissions(file, p);
    return file;
}

QString CliSandbox::writeScript(const QString& relative, const QByteArray& body)
{
    return writeFile(relative, QByteArrayLiteral("#!/bin/sh\n") + body, 0700);
}

void CliSandbox::setConfig(const QByteArray& content)
{
    env.insert(QStringLiteral("AWS_CONFIG_FILE"), writeFile(QStringLiteral("aws/config"), content));
}

void CliSandbox::setCredentials(const QByteArray& content)
{
    env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), writeFile(QStringLiteral("aws/credentials"), content));
}

void CliSandbox::withoutEnvironmentKeys()
{
    for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"})
        env.remove(QString::fromLatin1(name));
}

CliResult CliSandbox::run(const QStringList& args, int timeoutMs) const
{
    return CliRunner::run(args, env, timeoutMs);
}

int CliSandbox::fileMode(const QString& path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return static_cast<int>(st.st_mode & 07777);
}
