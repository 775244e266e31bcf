#pragma once
// A real OpenSSH sshd for end-to-end tests: listens on 127.0.0.1:<free port> in the foreground with its own
// ed25519 host key and a generated sshd_config whose AuthorizedKeysCommand prints the keys fakeaws accepted
// through SendSSHPublicKey for one instance in the last 60 s, as an EC2 instance does. It runs under
// `timeout`, so it stops by itself even if the test dies, and is killed when this object goes.

#include <QProcess>
#include <QTemporaryDir>

class SshServer
{
public:
    SshServer(QString pushedKeysDir, QString instanceId);
    ~SshServer();

    // Empty when sshd is listening; else why not (missing program, not root, sshd's own words).
    QString start(int timeoutMs = 15000);
    quint16 port() const { return m_port; }
    QString hostPublicKey() const; // "ssh-ed25519 AAAA..."
    QString log() const { return QString::fromUtf8(m_log); }

    // Runs `ssh-keygen -t ed25519` into path (and path.pub); empty on success.
    static QString makeKey(const QString& path);

private:
    QString m_pushedKeysDir;
    QString m_instanceId;
    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_log;
    quint16 m_port = 0;
};
