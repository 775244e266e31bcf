#include "core/tunnel/TunnelListener.h"

#include "core/tunnel/ByteStream.h"
#include "core/tunnel/StreamRelay.h"
#include "core/tunnel/TunnelTransport.h"
#include "core/util/Log.h"

#include <QNetworkProxy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

namespace bl {

namespace {
constexpr int statsIntervalMs = 250;
constexpr int stopGraceMs = 6000; // longer than a WebSocket close handshake may take
} // namespace

TunnelListener::TunnelListener(TunnelTransport& transport, QObject* parent)
    : QObject(parent)
    , m_transport(transport)
    , m_server(new QTcpServer(this))
    , m_statsTimer(new QTimer(this))
    , m_stopTimer(new QTimer(this))
{
    m_clock.start();
    m_server->setProxy(QNetworkProxy::NoProxy);
    connect(m_server, &QTcpServer::newConnection, this, &TunnelListener::accept);
    m_statsTimer->setInterval(statsIntervalMs);
    connect(m_statsTimer, &QTimer::timeout, this, [this] {
        Q_EMIT statsChanged();
        // Keep ticking while the rates are still falling to zero.
        if (m_stats.openConnections == 0 && stats().rateUp == 0 && stats().rateDown == 0)
            m_statsTimer->stop();
    });
    m_stopTimer->setSingleShot(true);
    connect(m_stopTimer, &QTimer::timeout, this, [this] {
        // Connections that did not end in time are cut.
        const auto relays = m_relays;
        for (StreamRelay* relay : relays)
            relay->deleteLater();
        m_relays.clear();
        m_stats.openConnections = 0;
        setState(State::Stopped);
    });
}

TunnelListener::~TunnelListener() = default;

Result<void> TunnelListener::start(quint16 port)
{
    if (m_state == State::Listening)
        return {};
    setState(State::Starting);
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        if (m_server->serverError() == QAbstractSocket::AddressInUseError) {
            m_error = Error::make(ErrorKind::Io,
                                  QStringLiteral("Cannot listen on 127.0.0.1:%1: the port is already in use").arg(port),
                                  QStringLiteral("Choose another local port, or 0 to let the system pick a free one."));
        } else {
            m_error =
                Error::make(ErrorKind::Io,
                            QStringLiteral("Cannot listen on 127.0.0.1:%1: %2").arg(port).arg(m_server->errorString()),
                            port != 0 && port < 1024
                                ? QStringLiteral("Ports below 1024 need privileges; choose a port above 1024.")
                                : QStringLiteral("Choose another local port, or 0 to let the system pick one."));
        }
        setState(State::Failed);
        return m_error;
    }
    m_port = m_server->serverPort();
    qCInfo(lcTunnel).noquote() << "listening on" << address() << "for" << m_transport.describe();
    setState(State::Listening);
    return {};
}

void TunnelListener::stop()
{
    if (m_state != State::Listening && m_state != State::Starting)
        return;
    m_server->close();
    if (m_relays.isEmpty()) {
        setState(State::Stopped);
        return;
    }
    setState(State::Stopping);
    m_stopTimer->start(stopGraceMs);
    const auto relays = m_relays;
    for (StreamRelay* relay : relays)
        relay->stop();
}

QString TunnelListener::address() const
{
    return QStringLiteral("%1:%2")
        .arg(m_server->isListening() ? m_server->serverAddress().toString() : QStringLiteral("127.0.0.1"))
        .arg(m_port);
}

QHostAddress TunnelListener::boundAddress() const
{
    return m_server->serverAddress();
}

TunnelStats TunnelListener::stats() const
{
    TunnelStats s = m_stats;
    const qint64 now = nowMs();
    s.rateUp = m_upRate.bytesPerSecond(now);
    s.rateDown = m_downRate.bytesPerSecond(now);
    for (const StreamRelay* relay : m_relays) {
        s.peakBuffered = std::max({s.peakBuffered, relay->peakLocalWriteBuffered(), relay->peakStreamWriteBuffered(),
                                   relay->peakStreamReadBuffered()});
    }
    return s;
}

void TunnelListener::accept()
{
    while (m_server->hasPendingConnections()) {
        QTcpSocket* socket = m_server->nextPendingConnection();
        if (m_state != State::Listening) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        const quint64 id = m_nextId++;
        ByteStream* stream = m_transport.openStream(nullptr);
        auto* relay = new StreamRelay(socket, stream, this);
        m_relays.insert(id, relay);
        ++m_stats.openConnections;
        ++m_stats.totalConnections;
        qCInfo(lcTunnel).noquote() << "connection" << id << "from port" << socket->peerPort() << "over"
                                   << m_transport.describe();
        connect(relay, &StreamRelay::opened, this, [this, id] { Q_EMIT connectionOpened(id); });
        connect(relay, &StreamRelay::transferred, this, &TunnelListener::onTransferred);
        connect(relay, &StreamRelay::finished, this, [this, id, relay] { onRelayEnded(id, relay, nullptr); });
        connect(relay, &StreamRelay::failed, this,
                [this, id, relay](const Error& error) { onRelayEnded(id, relay, &error); });
        relay->start();
        scheduleStats();
    }
}

void TunnelListener::onTransferred(qint64 up, qint64 down)
{
    const qint64 now = nowMs();
    if (up > 0) {
        m_stats.bytesUp += up;
        m_upRate.add(now, up);
    }
    if (down > 0) {
        m_stats.bytesDown += down;
        m_downRate.add(now, down);
    }
    if (!m_statsTimer->isActive())
        m_statsTimer->start();
}

void TunnelListener::onRelayEnded(quint64 id, StreamRelay* relay, const Error* error)
{
    if (m_relays.remove(id) == 0)
        return;
    m_stats.peakBuffered = std::max({m_stats.peakBuffered, relay->peakLocalWriteBuffered(),
                                     relay->peakStreamWriteBuffered(), relay->peakStreamReadBuffered()});
    --m_stats.openConnections;
    relay->deleteLater();
    if (error) {
        ++m_stats.failedConnections;
        m_lastConnectionError = *error;
        qCWarning(lcTunnel).noquote() << "connection" << id << "failed:" << error->toString();
        Q_EMIT connectionFailed(id, *error);
    } else {
        Q_EMIT connectionClosed(id);
    }
    scheduleStats();
    if (m_state == State::Stopping && m_relays.isEmpty()) {
        m_stopTimer->stop();
        setState(State::Stopped);
    }
}

void TunnelListener::scheduleStats()
{
    Q_EMIT statsChanged();
    if (!m_statsTimer->isActive())
        m_statsTimer->start();
}

void TunnelListener::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace bl
