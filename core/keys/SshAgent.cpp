#include "core/keys/SshAgent.h"

#include "core/keys/Ed25519KeyPair.h"
#include "core/keys/SshWire.h"
#include "core/util/Log.h"

#include <QLocalSocket>
#include <QTimer>

#include <openssl/crypto.h>

#include <limits>
#include <memory>

namespace bl {

namespace {

constexpr quint32 kMaxReply = 256 * 1024; // agent replies to our requests are a few bytes

void cleanse(QByteArray& bytes)
{
    if (!bytes.isEmpty())
        OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    bytes.clear();
}

QByteArray frame(const QByteArray& message)
{
    QByteArray out;
    out.reserve(message.size() + 4);
    SshWire::appendUint32(out, quint32(message.size()));
    out.append(message);
    return out;
}

Error socketError(QLocalSocket::LocalSocketError error, const QString& path, const QString& detail)
{
    switch (error) {
    case QLocalSocket::ServerNotFoundError:
    case QLocalSocket::ConnectionRefusedError:
        return Error::make(ErrorKind::Io, QStringLiteral("No ssh-agent is listening on %1").arg(path),
                           QStringLiteral("SSH_AUTH_SOCK points to an agent that is no longer running. Start one "
                                          "(eval \"$(ssh-agent)\") or log in again."));
    case QLocalSocket::SocketAccessError:
        return Error::make(ErrorKind::Io, QStringLiteral("Permission denied on the ssh-agent socket %1").arg(path),
                           QStringLiteral("The agent belongs to another user; check SSH_AUTH_SOCK."));
    case QLocalSocket::PeerClosedError:
        return Error::make(ErrorKind::Io,
                           QStringLiteral("ssh-agent at %1 closed the connection without answering").arg(path));
    default:
        return Error::make(ErrorKind::Io, QStringLiteral("Talking to ssh-agent at %1 failed: %2").arg(path, detail));
    }
}

} // namespace

SshAgent::SshAgent(QString socketPath, QObject* parent)
    : QObject(parent)
    , m_socketPath(std::move(socketPath))
{ }

QString SshAgent::socketPathFromEnvironment()
{
    return qEnvironmentVariable("SSH_AUTH_SOCK");
}

QByteArray SshAgent::addKeyRequest(const Ed25519KeyPair& key, quint32 lifetimeSeconds)
{
    QByteArray priv = key.sshPrivateKey();
    const QByteArray comment = key.comment().toUtf8();
    QByteArray message;
    // Sized once so that appending never reallocates and leaves copies of the secret behind.
    message.reserve(256 + comment.size());
    message.append(char(AddIdConstrainedRequest));
    SshWire::appendString(message, "ssh-ed25519");
    SshWire::appendString(message, key.publicKey());
    SshWire::appendString(message, priv);
    SshWire::appendString(message, comment);
    message.append(char(ConstrainLifetime));
    SshWire::appendUint32(message, lifetimeSeconds);
    cleanse(priv);
    QByteArray framed = frame(message);
    cleanse(message);
    return framed;
}

QByteArray SshAgent::removeKeyRequest(const QByteArray& publicKeyBlob)
{
    QByteArray message(1, char(RemoveIdentityRequest));
    SshWire::appendString(message, publicKeyBlob);
    return frame(message);
}

void SshAgent::addKey(const Ed25519KeyPair& key, std::chrono::seconds lifetime, Callback<void> done)
{
    if (lifetime.count() < 1 || lifetime.count() > std::numeric_limits<quint32>::max())
        return failLater(Error::make(ErrorKind::Internal,
                                     QStringLiteral("An agent key lifetime must be between 1 second and 136 years")),
                         std::move(done));
    send(addKeyRequest(key, quint32(lifetime.count())),
         Error::make(ErrorKind::Service, QStringLiteral("ssh-agent refused to add the key"),
                     QStringLiteral("The agent may be locked (`ssh-add -X` unlocks it) or may not support Ed25519 keys "
                                    "with a lifetime (some keyrings and gpg-agent do not). Use OpenSSH's ssh-agent or "
                                    "turn off adding keys to the agent.")),
         std::move(done));
}

void SshAgent::removeKey(const QByteArray& publicKeyBlob, Callback<void> done)
{
    send(removeKeyRequest(publicKeyBlob),
         Error::make(ErrorKind::NotFound, QStringLiteral("ssh-agent did not remove the key: it does not hold it"),
                     QStringLiteral("Its lifetime may have run out already; nothing else to do.")),
         std::move(done));
}

void SshAgent::failLater(Error error, Callback<void> done)
{
    QTimer::singleShot(0, this, [done = std::move(done), error = std::move(error)] { done(error); });
}

void SshAgent::send(QByteArray request, Error refused, Callback<void> done)
{
    if (m_socketPath.isEmpty()) {
        cleanse(request);
        return failLater(Error::make(ErrorKind::Config,
                                     QStringLiteral("SSH_AUTH_SOCK is not set, so there is no ssh-agent to use"),
                                     QStringLiteral("Start one (eval \"$(ssh-agent)\") before launching Bastionless, "
                                                    "or turn off adding keys to the agent.")),
                         std::move(done));
    }

    struct Pending
    {
        QByteArray request;
        QByteArray reply;
        bool finished = false;
        ~Pending() { cleanse(request); }
    };
    auto pending = std::make_shared<Pending>();
    pending->request = std::move(request);

    auto* socket = new QLocalSocket(this);
    auto* timer = new QTimer(socket);
    timer->setSingleShot(true);
    const QString path = m_socketPath;

    // The socket is detached before the callback runs, so a callback that destroys this SshAgent does not
    // delete the socket from inside its own signal. Late signals after finishing are ignored via the flag.
    auto finish = [socket, pending, done = std::move(done)](Result<void> result) {
        if (pending->finished)
            return;
        pending->finished = true;
        cleanse(pending->request);
        socket->abort();
        socket->setParent(nullptr);
        socket->deleteLater();
        done(std::move(result));
    };

    connect(socket, &QLocalSocket::connected, socket, [socket, pending] {
        socket->write(pending->request);
        cleanse(pending->request);
    });
    connect(socket, &QLocalSocket::readyRead, socket, [socket, pending, finish, refused, path] {
        pending->reply.append(socket->readAll());
        qsizetype pos = 0;
        quint32 length = 0;
        if (!SshWire::readUint32(pending->reply, pos, length))
            return;
        if (length == 0 || length > kMaxReply)
            return finish(
                Error::make(ErrorKind::Parse, QStringLiteral("ssh-agent at %1 sent a malformed reply").arg(path)));
        if (pending->reply.size() - pos < qsizetype(length))
            return;
        const auto type = quint8(pending->reply.at(pos));
        qCDebug(lcKeys) << "ssh-agent replied with message type" << type;
        if (type == SuccessReply)
            return finish(Result<void>());
        finish(refused);
    });
    connect(socket, &QLocalSocket::errorOccurred, socket, [socket, finish, path](QLocalSocket::LocalSocketError e) {
        finish(socketError(e, path, socket->errorString()));
    });
    connect(timer, &QTimer::timeout, socket, [finish, path] {
        finish(Error::make(ErrorKind::Timeout, QStringLiteral("ssh-agent at %1 did not answer in time").arg(path),
                           QStringLiteral("The agent may be waiting for a confirmation dialog or be stuck; restart "
                                          "it if this persists.")));
    });
    timer->start(m_timeout);
    // Deferred: connectToServer() can report errors synchronously, and callbacks must come from the event loop.
    QTimer::singleShot(0, socket, [socket, path] { socket->connectToServer(path); });
}

} // namespace bl
