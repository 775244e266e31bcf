#pragma once
// SshAgent: a client for a running ssh-agent (the socket in $SSH_AUTH_SOCK). It adds an ephemeral key with a
// lifetime so the agent forgets it by itself even if Bastionless crashes, and removes it when the session ends.
// One connection per request; results arrive through a Callback from the event loop.

#include "core/util/Result.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <chrono>

namespace bl {

class Ed25519KeyPair;

class SshAgent : public QObject
{
    Q_OBJECT

public:
    // Agent protocol numbers (draft-miller-ssh-agent).
    static constexpr quint8 FailureReply = 5;
    static constexpr quint8 SuccessReply = 6;
    static constexpr quint8 RemoveIdentityRequest = 18;
    static constexpr quint8 AddIdConstrainedRequest = 25;
    static constexpr quint8 ConstrainLifetime = 1;

    // An empty socketPath makes every request fail with "SSH_AUTH_SOCK is not set".
    explicit SshAgent(QString socketPath, QObject* parent = nullptr);
    static QString socketPathFromEnvironment(); // $SSH_AUTH_SOCK

    QString socketPath() const { return m_socketPath; }
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    // The callbacks run on the event loop, exactly once, unless this object was destroyed first.
    void addKey(const Ed25519KeyPair& key, std::chrono::seconds lifetime, Callback<void> done);
    void removeKey(const QByteArray& publicKeyBlob, Callback<void> done);

    // Framed requests (uint32 length + message), exposed for tests. addKeyRequest() holds the private key.
    static QByteArray addKeyRequest(const Ed25519KeyPair& key, quint32 lifetimeSeconds);
    static QByteArray removeKeyRequest(const QByteArray& publicKeyBlob);

private:
    void send(QByteArray request, Error refused, Callback<void> done);
    void failLater(Error error, Callback<void> done);

    QString m_socketPath;
    std::chrono::milliseconds m_timeout {10000};
};

} // namespace bl
