#include "SshServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr const char* Sshd = "/usr/sbin/sshd";

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// sshd insists that the AuthorizedKeysCommand and every directory above it are root-owned and not
// group/world-writable, which rules out anything below /tmp (where a checkout may well live). The first
// candidate whose whole path qualifies holds the sshd's files.
bool sshdAcceptsPath(const QString& path)
{
    QString p = QFileInfo(path).absoluteFilePath();
    while (!p.isEmpty()) {
        struct stat st = {};
        if (::stat(QFile::encodeName(p).constData(), &st) != 0 || st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
            return false;
        if (p == QLatin1String("/"))
            break;
        p = QFileInfo(p).absolutePath();
    }
    return true;
}

QString sshdBaseDir()
{
    for (const QString& candidate : {QStringLiteral("/run"), QStringLiteral(BL_BINARY_DIR), QStringLiteral("/root")}) {
        if (sshdAcceptsPath(candidate))
            return candidate;
    }
    return QStringLiteral("/run");
}

} // namespace

SshServer::SshServer(QString pushedKeysDir, QString instanceId)
    : m_pushedKeysDir(std::move(pushedKeysDir))
    , m_instanceId(std::move(instanceId))
    , m_dir(sshdBaseDir() + QStringLiteral("/bastionless-e2e-sshd-XXXXXX"))
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                     [this] { m_log += m_process.readAllStandardError(); });
}

SshServer::~SshServer()
{
    if (m_process.state() != QProcess::NotRunning) {
        // SIGTERM reaches sshd through `timeout`; SIGKILL would only kill `timeout` and leave sshd behind.
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
}

QString SshServer::makeKey(const QString& path)
{
    QProcess keygen;
    keygen.start(QStringLiteral("ssh-keygen"),
                 {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
                  QString(), QStringLiteral("-C"), QStringLiteral("bastionless-e2e"), QStringLiteral("-f"), path});
    if (!keygen.waitForFinished(20000) || keygen.exitCode() != 0)
        return QStringLiteral("ssh-keygen failed: %1 %2")
            .arg(keygen.errorString(), QString::fromUtf8(keygen.readAllStandardError()));
    return {};
}

QString SshServer::hostPublicKey() const
{
    QFile f(m_dir.filePath(QStringLiteral("host_ed25519_key.pub")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).section(QLatin1Char(' '), 0, 1);
}

QString SshServer::start(int timeoutMs)
{
    if (!QFileInfo::exists(QLatin1String(Sshd)))
        return QStringLiteral("%1 is missing (Debian package openssh-server)").arg(QLatin1String(Sshd));
    if (::geteuid() != 0)
        return QStringLiteral("sshd with AuthorizedKeysCommandUser root needs the tests to run as root");
    if (!m_dir.isValid())
        return QStringLiteral("cannot create %1").arg(m_dir.path());
    QFile::setPermissions(m_dir.path(),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
                              | QFile::ReadOther | QFile::ExeOther);
    // sshd's privilege separation directory; Debian's service unit normally creates it.
    if (!QFileInfo::exists(QStringLiteral("/run/sshd")) && !QDir().mkpath(QStringLiteral("/run/sshd")))
        return QStringLiteral("cannot create /run/sshd");

    const QString hostKey = m_dir.filePath(QStringLiteral("host_ed25519_key"));
    if (const QString e = makeKey(hostKey); !e.isEmpty())
        return e;
    const QString script = m_dir.filePath(QStringLiteral("authorized-keys-command.sh"));
    if (!QFile::copy(QStringLiteral(BL_FAKEAWS_DIR "/authorized-keys-command.sh"), script))
        return QStringLiteral("cannot copy the AuthorizedKeysCommand script");
    QFile::setPermissions(script,
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
                              | QFile::ReadOther | QFile::ExeOther);

    m_port = freePort();
    const QString config = m_dir.filePath(QStringLiteral("sshd_config"));
    QFile f(config);
    if (!f.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1").arg(config);
    f.write(QStringLiteral("ListenAddress 127.0.0.1:%1\n"
                           "HostKey %2\n"
                           "PidFile none\n"
                           "StrictModes no\n"
                           "UsePAM no\n"
                           "PasswordAuthentication no\n"
                           "KbdInteractiveAuthentication no\n"
                           "PubkeyAuthentication yes\n"
                           "PermitRootLogin prohibit-password\n"
                           "AuthorizedKeysFile none\n"
                           "AuthorizedKeysCommand %3 %4 %5 %u\n"
                           "AuthorizedKeysCommandUser root\n"
                           "MaxStartups 100\n"
                           "MaxSessions 100\n"
                           "LogLevel VERBOSE\n"
                           "Subsystem sftp internal-sftp\n")
                .arg(m_port)
                .arg(hostKey, script, m_pushedKeysDir, m_instanceId)
                .toUtf8());
    f.close();

    // `timeout` makes sure sshd ends even when the test process is killed before its destructor runs.
    m_process.start(QStringLiteral("timeout"),
                    {QStringLiteral("120"), QLatin1String(Sshd), QStringLiteral("-D"), QStringLiteral("-e"),
                     QStringLiteral("-f"), config});
    const QByteArray ready = QByteArrayLiteral("Server listening on 127.0.0.1 port ");
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (m_log.contains(ready))
            return {};
        if (m_process.state() == QProcess::NotRunning)
            return QStringLiteral("sshd ended at once: %1").arg(log());
        QTest::qWait(20);
    }
    return QStringLiteral("sshd did not start listening within %1 ms: %2").arg(timeoutMs).arg(log());
}
