#include "ui/SingleInstance.h"

#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace bl {

namespace {

Q_LOGGING_CATEGORY(lcSingle, "bastionless.desktop.instance", QtWarningMsg)

constexpr qint64 maxRequest = 4096; // a --select argument is an instance name or id, never this long
constexpr int idleClientMs = 5000; // a client that connects and says nothing is dropped after this

QByteArray request(const QString& select)
{
    QString line = QStringLiteral("raise");
    QString arg = select.simplified(); // one line, whatever the shell passed
    if (!arg.isEmpty())
        line += QLatin1Char(' ') + arg;
    return line.toUtf8() + '\n';
}

} // namespace

SingleInstance::SingleInstance(QString serverName, QObject* parent)
    : QObject(parent)
    , m_name(std::move(serverName))
    , m_timeout(new QTimer(this))
{
    m_timeout->setSingleShot(true);
    connect(m_timeout, &QTimer::timeout, this, [this] {
        qCWarning(lcSingle).noquote() << "the running instance at" << m_name
                                      << "does not answer; starting without single-instance";
        finish(Outcome::Standalone);
    });
}

SingleInstance::~SingleInstance() = default; // the server (a child) removes its socket file

QString SingleInstance::defaultServerName()
{
#ifdef Q_OS_UNIX
    const QString user = QString::number(::getuid());
#else
    const QString user = qEnvironmentVariable("USERNAME");
#endif
    const QString name = QStringLiteral("bastionless-%1").arg(user);
    // The runtime directory belongs to the user alone, so nobody else can squat the name there; without one
    // Qt puts the socket in the temporary directory.
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty() && QFileInfo(runtime).isDir())
        return QDir(runtime).filePath(name);
    return name;
}

bool SingleInstance::isPrimary() const
{
    return m_server && m_server->isListening();
}

void SingleInstance::start(const QString& select)
{
    m_select = select;
    m_timeout->start(m_timeoutMs);
    // QLocalSocket reports "no such server" synchronously; deferring keeps finished() out of this call.
    QTimer::singleShot(0, this, &SingleInstance::tryConnect);
}

void SingleInstance::tryConnect()
{
    if (m_finished)
        return;
    m_client = new QLocalSocket(this);
    connect(m_client, &QLocalSocket::connected, this, [this] { m_client->write(request(m_select)); });
    connect(m_client, &QLocalSocket::readyRead, this, &SingleInstance::readAnswer);
    connect(m_client, &QLocalSocket::errorOccurred, this, &SingleInstance::onConnectError);
    m_client->connectToServer(m_name);
}

void SingleInstance::readAnswer()
{
    if (m_finished || !m_client || !m_client->canReadLine())
        return;
    const QByteArray answer = m_client->readLine(maxRequest).trimmed();
    finish(answer == "ok" ? Outcome::Forwarded : Outcome::Standalone);
}

void SingleInstance::onConnectError()
{
    if (m_finished || !m_client)
        return;
    const QLocalSocket::LocalSocketError error = m_client->error();
    if (m_client->canReadLine()) // the answer came with the close
        return readAnswer();
    m_client->deleteLater();
    m_client = nullptr;
    switch (error) {
    case QLocalSocket::ConnectionRefusedError:
        // A socket file nobody listens on: its instance crashed. Take the name over.
        qCInfo(lcSingle).noquote() << "removing the stale socket" << m_name;
        QLocalServer::removeServer(m_name);
        becomePrimary();
        return;
    case QLocalSocket::ServerNotFoundError:
        becomePrimary();
        return;
    default:
        qCWarning(lcSingle).noquote() << "cannot talk to the running instance at" << m_name << "-" << error
                                      << "; starting without single-instance";
        finish(Outcome::Standalone);
    }
}

void SingleInstance::becomePrimary()
{
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
    if (m_server->listen(m_name))
        return finish(Outcome::Primary);

    const QAbstractSocket::SocketError error = m_server->serverError();
    const QString why = m_server->errorString();
    delete m_server;
    m_server = nullptr;
    if (error == QAbstractSocket::AddressInUseError && !m_retried) {
        // Another instance started at the same moment and won: hand the request to it.
        m_retried = true;
        tryConnect();
        return;
    }
    qCWarning(lcSingle).noquote() << "cannot listen on" << m_name << "-" << why << "; starting without single-instance";
    finish(Outcome::Standalone);
}

void SingleInstance::finish(Outcome outcome)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timeout->stop();
    if (m_client) {
        m_client->disconnect(this);
        m_client->abort();
        m_client->deleteLater();
        m_client = nullptr;
    }
    Q_EMIT finished(outcome);
}

void SingleInstance::onNewConnection()
{
    while (QLocalSocket* socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { readRequest(socket); });
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(idleClientMs, socket, [socket] { socket->abort(); });
        if (socket->bytesAvailable() > 0)
            readRequest(socket);
    }
}

void SingleInstance::readRequest(QLocalSocket* socket)
{
    if (!socket->canReadLine()) {
        if (socket->bytesAvailable() > maxRequest)
            socket->abort();
        return;
    }
    const QString line = QString::fromUtf8(socket->readLine(maxRequest)).trimmed();
    const QString verb = line.section(QLatin1Char(' '), 0, 0);
    if (verb != QLatin1String("raise")) {
        qCWarning(lcSingle).noquote() << "ignoring an unknown request on" << m_name;
        socket->abort();
        return;
    }
    socket->write("ok\n");
    socket->disconnectFromServer(); // flushes the answer first
    Q_EMIT raiseRequested(line.section(QLatin1Char(' '), 1).trimmed());
}

} // namespace bl
