#include "core/tunnel/DirectStream.h"

#include <QNetworkProxy>
#include <QTcpSocket>
#include <QTimer>

namespace bl {

DirectStream::DirectStream(const QString& host, quint16 port, const QString& description, int connectTimeoutMs,
                           qint64 highWater, QObject* parent)
    : ByteStream(parent)
    , m_socket(new QTcpSocket(this))
    , m_connectTimer(new QTimer(this))
    , m_description(description)
    , m_connectTimeoutMs(connectTimeoutMs)
    , m_highWater(highWater)
{
    m_socket->setProxy(QNetworkProxy::NoProxy);
    m_socket->setReadBufferSize(m_highWater);
    connect(m_socket, &QTcpSocket::connected, this, [this] {
        m_connectTimer->stop();
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        markOpen();
    });
    connect(m_socket, &QTcpSocket::readyRead, this, [this] {
        m_peakRx = qMax(m_peakRx, m_socket->bytesAvailable());
        Q_EMIT readyRead();
    });
    connect(m_socket, &QTcpSocket::bytesWritten, this, &ByteStream::bytesWritten);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &DirectStream::onError);
    connect(m_socket, &QTcpSocket::disconnected, this, &DirectStream::onDisconnected);
    m_connectTimer->setSingleShot(true);
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        m_socket->abort();
        markFailed(Error::make(
            ErrorKind::Timeout,
            QStringLiteral("No answer from %1 within %2 s").arg(m_description).arg(m_connectTimeoutMs / 1000.0),
            QStringLiteral("The address may not be reachable from this computer (a private address "
                           "needs a VPN), or a security group or firewall drops the traffic; try "
                           "EC2 Instance Connect Endpoint or SSM instead.")));
    });
    m_connectTimer->start(m_connectTimeoutMs);
    m_socket->connectToHost(host, port);
}

DirectStream::~DirectStream()
{
    m_socket->disconnect(this);
    m_socket->abort();
}

void DirectStream::onError()
{
    const auto error = m_socket->error();
    if (error == QAbstractSocket::RemoteHostClosedError)
        return; // the normal end; onDisconnected() follows
    if (state() == State::Closing && m_closeRequested)
        return;
    m_connectTimer->stop();
    Error e =
        Error::make(ErrorKind::Network,
                    QStringLiteral("The connection to %1 failed: %2").arg(m_description, m_socket->errorString()));
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        e.message = QStringLiteral("%1 refused the connection").arg(m_description);
        e.hint = QStringLiteral("Nothing listens on that port, or a firewall rejects the connection. Check the "
                                "service on the instance.");
        break;
    case QAbstractSocket::HostNotFoundError:
        e.hint = QStringLiteral("Check the address and DNS.");
        break;
    case QAbstractSocket::NetworkError:
        e.hint = QStringLiteral("The address is not reachable from this computer; a private address needs a VPN.");
        break;
    default:
        break;
    }
    m_socket->abort();
    markFailed(e);
}

void DirectStream::onDisconnected()
{
    if (isFinished())
        return;
    // Qt ends the whole socket on the remote's EOF; what arrived before stays readable.
    markClosed();
}

qint64 DirectStream::bytesAvailable() const
{
    return m_socket->bytesAvailable();
}

QByteArray DirectStream::read(qint64 maxSize)
{
    return m_socket->read(maxSize);
}

void DirectStream::write(const QByteArray& data)
{
    if (state() != State::Open && state() != State::Opening)
        return;
    m_socket->write(data);
    m_peakTx = qMax(m_peakTx, m_socket->bytesToWrite());
}

qint64 DirectStream::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

void DirectStream::close()
{
    if (isFinished() || m_closeRequested)
        return;
    m_closeRequested = true;
    markClosing();
    m_connectTimer->stop();
    if (m_socket->state() == QAbstractSocket::ConnectedState) {
        // Sends what is queued, then closes; disconnected() reports the end. Queued, because it may report it
        // synchronously otherwise, inside the caller's close().
        QMetaObject::invokeMethod(
            m_socket, [socket = m_socket] { socket->disconnectFromHost(); }, Qt::QueuedConnection);
        return;
    }
    m_socket->abort();
    QTimer::singleShot(0, this, [this] { markClosed(); });
}

void DirectStream::abort()
{
    m_connectTimer->stop();
    m_socket->disconnect(this);
    m_socket->abort();
    markAborted();
}

} // namespace bl
