#include "SsmPortPlugin.h"

#include <QTcpSocket>
#include <QTimer>

namespace fakeaws {

namespace {

constexpr qint64 kTargetReadBuffer = 256 * 1024;
constexpr qint64 kMuxOutLow = 64 * 1024;
constexpr char kStreamProperty[] = "smuxStreamId";

quint32 streamOf(const QTcpSocket* socket)
{
    return socket->property(kStreamProperty).toUInt();
}

} // namespace

SsmPortPlugin::SsmPortPlugin(Mode mode, Resolver resolver, qint64 muxReceiveBuffer, int connectTimeoutMs,
                             QObject* parent)
    : QObject(parent)
    , m_mode(mode)
    , m_resolver(std::move(resolver))
    , m_muxReceiveBuffer(muxReceiveBuffer)
    , m_connectTimeoutMs(connectTimeoutMs)
{ }

SsmPortPlugin::~SsmPortPlugin()
{
    stop();
}

QString SsmPortPlugin::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Basic:
        return QStringLiteral("basic");
    case Mode::Stdio:
        return QStringLiteral("stdio");
    case Mode::Mux:
        return QStringLiteral("mux");
    }
    return {};
}

void SsmPortPlugin::start()
{
    if (m_mode == Mode::Mux)
        return;
    m_target = dial(0);
}

QTcpSocket* SsmPortPlugin::dial(quint32 streamId)
{
    const Target target = m_resolver();
    if (!target.failure.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this, streamId, why = target.failure] { onDialFailed(nullptr, why, streamId); },
            Qt::QueuedConnection);
        return nullptr;
    }
    auto* socket = new QTcpSocket(this);
    socket->setProperty(kStreamProperty, streamId);
    socket->setReadBufferSize(kTargetReadBuffer);
    connect(socket, &QTcpSocket::connected, this, [this, socket] { onConnected(socket); });
    connect(socket, &QTcpSocket::readyRead, this, [this] { Q_EMIT outputReady(); });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] { onTargetGone(socket); });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket] {
        if (socket->state() != QAbstractSocket::ConnectedState && !socket->property("wasConnected").toBool())
            onDialFailed(socket, socket->errorString(), streamOf(socket));
    });
    QTimer::singleShot(m_connectTimeoutMs, socket, [this, socket] {
        if (socket->state() != QAbstractSocket::ConnectedState && !socket->property("wasConnected").toBool())
            onDialFailed(socket, QStringLiteral("connection timed out"), streamOf(socket));
    });
    socket->connectToHost(target.address, target.port);
    return socket;
}

void SsmPortPlugin::onConnected(QTcpSocket* socket)
{
    socket->setProperty("wasConnected", true);
    if (m_mode != Mode::Mux && socket == m_target) {
        m_everConnected = true;
        if (!m_pending.isEmpty()) {
            socket->write(m_pending);
            m_pending.clear();
        }
        return;
    }
    if (const auto it = m_streamPending.find(socket); it != m_streamPending.end()) {
        socket->write(*it);
        m_streamPending.erase(it);
    }
}

void SsmPortPlugin::onDialFailed(QTcpSocket* socket, const QString& why, quint32 streamId)
{
    if (m_stopped)
        return;
    if (socket) {
        socket->setProperty("wasConnected", true); // report once
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    if (m_mode == Mode::Mux) {
        const quint32 sid = socket ? streamOf(socket) : streamId;
        if (socket) {
            m_streams.remove(sid);
            m_streamPending.remove(socket);
        }
        // The flag first, then the stream's FIN, as the agent does.
        Q_EMIT connectError();
        m_muxOut.append(m_smux.finish(sid));
        Q_EMIT outputReady();
        return;
    }
    if (socket && socket != m_target)
        return;
    m_target = nullptr;
    m_pending.clear();
    Q_EMIT ended(
        QStringLiteral("Unable to start the port session: connecting to the destination failed (%1).").arg(why));
}

void SsmPortPlugin::onTargetGone(QTcpSocket* socket)
{
    if (m_stopped)
        return;
    const QByteArray rest = socket->readAll();
    socket->deleteLater();
    if (m_mode == Mode::Mux) {
        const quint32 sid = streamOf(socket);
        m_streamPending.remove(socket);
        if (m_streams.value(sid) != socket)
            return; // the client finished the stream first
        m_streams.remove(sid);
        Q_EMIT relayed(0, rest.size());
        m_muxOut.append(SsmSmuxServer::dataFrames(sid, rest));
        m_muxOut.append(m_smux.finish(sid));
        Q_EMIT outputReady();
        return;
    }
    if (socket != m_target)
        return;
    // Basic: the agent waits for the next Output to re-dial and tells the client nothing. Stdio: the end.
    m_target = nullptr;
    m_drain.append(rest);
    if (m_mode == Mode::Stdio)
        m_targetClosed = true;
    Q_EMIT outputReady();
    if (m_mode == Mode::Stdio && m_drain.isEmpty())
        Q_EMIT ended(QString());
}

void SsmPortPlugin::writeTo(QTcpSocket* socket, const QByteArray& bytes)
{
    Q_EMIT relayed(bytes.size(), 0);
    if (socket->state() == QAbstractSocket::ConnectedState) {
        socket->write(bytes);
        return;
    }
    if (m_mode == Mode::Mux)
        m_streamPending[socket].append(bytes);
    else
        m_pending.append(bytes);
}

bool SsmPortPlugin::input(const QByteArray& payload)
{
    if (m_stopped)
        return true;
    if (buffered() >= m_muxReceiveBuffer)
        return false;
    if (m_mode != Mode::Mux) {
        if (m_targetClosed)
            return true;
        if (!m_target) {
            m_target = dial(0);
            if (!m_target)
                return true; // onDialFailed ends the session
        }
        writeTo(m_target, payload);
        return true;
    }
    QList<SsmSmuxServer::Event> events;
    m_smux.feed(payload, events);
    for (const SsmSmuxServer::Event& e : events) {
        switch (e.kind) {
        case SsmSmuxServer::Event::Kind::Open:
            if (QTcpSocket* socket = dial(e.streamId))
                m_streams.insert(e.streamId, socket); // else the queued onDialFailed sends the flag and FIN
            break;
        case SsmSmuxServer::Event::Kind::Data:
            if (QTcpSocket* socket = m_streams.value(e.streamId))
                writeTo(socket, e.data);
            break;
        case SsmSmuxServer::Event::Kind::Close:
            // The agent's copy loop sees EOF, closes its end of the stream (FIN back) and the destination.
            m_muxOut.append(SsmSmuxServer::frame(SsmSmuxServer::Cmd::Fin, e.streamId));
            Q_EMIT outputReady();
            if (QTcpSocket* socket = m_streams.take(e.streamId)) {
                if (socket->state() == QAbstractSocket::ConnectedState)
                    socket->disconnectFromHost(); // after what is queued for it
                else {
                    socket->abort();
                    socket->deleteLater();
                }
            }
            break;
        case SsmSmuxServer::Event::Kind::Error:
            Q_EMIT ended(QStringLiteral("The smux session failed: %1.").arg(e.error));
            stop();
            return true;
        }
    }
    return true;
}

void SsmPortPlugin::flag(quint32 value)
{
    if (m_mode == Mode::Mux || value != 1 || !m_target)
        return;
    // DisconnectToPort: close the destination; the next Output dials it again.
    QTcpSocket* socket = m_target;
    m_target = nullptr;
    m_pending.clear();
    socket->disconnect(this);
    socket->disconnectFromHost();
    socket->deleteLater();
}

void SsmPortPlugin::refillMux()
{
    for (auto it = m_streams.cbegin(); it != m_streams.cend() && m_muxOut.size() < kMuxOutLow; ++it) {
        QTcpSocket* socket = it.value();
        if (socket->bytesAvailable() <= 0)
            continue;
        const QByteArray chunk = socket->read(SsmSmuxServer::kMaxFrameData);
        Q_EMIT relayed(0, chunk.size());
        m_muxOut.append(SsmSmuxServer::dataFrames(it.key(), chunk));
    }
}

QByteArray SsmPortPlugin::takeOutput(int maxBytes, int splitTo)
{
    if (m_stopped)
        return {};
    if (m_mode == Mode::Mux) {
        refillMux();
        QByteArray out = m_muxOut.left(qMin(splitTo > 0 ? splitTo : maxBytes, maxBytes));
        m_muxOut.remove(0, out.size());
        return out;
    }
    QByteArray out;
    if (!m_drain.isEmpty()) {
        out = m_drain.left(maxBytes);
        m_drain.remove(0, out.size());
        if (m_drain.isEmpty() && m_targetClosed)
            QMetaObject::invokeMethod(
                this, [this] { Q_EMIT ended(QString()); }, Qt::QueuedConnection);
    } else if (m_target && m_target->state() == QAbstractSocket::ConnectedState) {
        out = m_target->read(maxBytes);
    }
    if (!out.isEmpty())
        Q_EMIT relayed(0, out.size());
    return out;
}

bool SsmPortPlugin::hasOutput() const
{
    if (m_stopped)
        return false;
    if (m_mode == Mode::Mux) {
        if (!m_muxOut.isEmpty())
            return true;
        for (const QTcpSocket* socket : m_streams) {
            if (socket->bytesAvailable() > 0)
                return true;
        }
        return false;
    }
    return !m_drain.isEmpty() || (m_target && m_target->bytesAvailable() > 0);
}

qint64 SsmPortPlugin::buffered() const
{
    qint64 total = m_pending.size();
    if (m_target)
        total += m_target->bytesToWrite();
    for (const QTcpSocket* socket : m_streams)
        total += socket->bytesToWrite();
    for (const QByteArray& pending : m_streamPending)
        total += pending.size();
    return total;
}

void SsmPortPlugin::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    const QList<QTcpSocket*> sockets = findChildren<QTcpSocket*>();
    for (QTcpSocket* socket : sockets) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    m_streams.clear();
    m_streamPending.clear();
    m_target = nullptr;
}

} // namespace fakeaws
