#include "core/ssm/SsmTransport.h"

#include "core/aws/api/AwsSession.h"
#include "core/ssm/SmuxSession.h"
#include "core/ssm/SsmLog.h"
#include "core/ssm/SsmStream.h"

#include <QTimer>

#include <memory>
#include <utility>

namespace bl {

namespace {

constexpr qint64 MaxChunk = 64 * 1024; // per sendData() call; DataChannel splits it into messages

} // namespace

QString SsmTransportOptions::documentName() const
{
    if (!documentNameOverride.isEmpty())
        return documentNameOverride;
    switch (document) {
    case Document::PortForwarding:
        return QStringLiteral("AWS-StartPortForwardingSession");
    case Document::PortForwardingToRemoteHost:
        return QStringLiteral("AWS-StartPortForwardingSessionToRemoteHost");
    case Document::SshSession:
        return QStringLiteral("AWS-StartSSHSession");
    }
    return {};
}

SsmSessionParameters SsmTransportOptions::parameters() const
{
    SsmSessionParameters p;
    p.insert(QStringLiteral("portNumber"), {QString::number(remotePort)});
    if (document == Document::PortForwardingToRemoteHost)
        p.insert(QStringLiteral("host"), {remoteHost});
    return p;
}

SsmTransport::SsmTransport(AwsSession& aws, QString instanceId, SsmTransportOptions options, QObject* parent)
    : TunnelTransport(parent)
    , m_aws(aws)
    , m_instanceId(std::move(instanceId))
    , m_options(std::move(options))
{ }

SsmTransport::~SsmTransport()
{
    const QList<QPointer<SsmStream>> streams = std::exchange(m_streams, {});
    m_active = nullptr;
    for (const QPointer<SsmStream>& s : streams) {
        if (s && !s->isFinished())
            s->setFailed(Error::make(ErrorKind::Cancelled, QStringLiteral("The SSM tunnel was shut down")));
    }
    // The session's destructor still terminates it (flag and API call).
}

QString SsmTransport::describe() const
{
    if (m_options.document == SsmTransportOptions::Document::PortForwardingToRemoteHost)
        return QStringLiteral("Session Manager via %1 to %2 port %3")
            .arg(m_instanceId, m_options.remoteHost)
            .arg(m_options.remotePort);
    return QStringLiteral("Session Manager to %1 port %2").arg(m_instanceId).arg(m_options.remotePort);
}

ByteStream* SsmTransport::openStream(QObject* parent)
{
    auto* stream = new SsmStream(this, m_options.highWater, parent);
    m_streams.append(stream);
    ensureSession();
    if (m_ready)
        scheduleAttach();
    return stream;
}

void SsmTransport::ensureSession()
{
    if (m_session && !m_session->isFinished())
        return;
    if (m_session)
        m_session->deleteLater();
    m_ready = false;
    m_endRequested = false;
    m_active = nullptr;
    m_singleUsed = false;
    m_connectErrors = 0;
    if (m_smux) {
        m_smux->deleteLater();
        m_smux = nullptr;
    }
    SsmSessionTarget target;
    target.region = m_options.region;
    target.instanceId = m_instanceId;
    target.documentName = m_options.documentName();
    target.parameters = m_options.parameters();
    target.reason = m_options.reason;
    m_session = new SsmSession(m_aws, target, m_options.session, this);
    ++m_sessionsStarted;
    SsmSession* session = m_session;
    connect(session, &SsmSession::ready, this, &SsmTransport::onReady);
    connect(session, &SsmSession::ended, this, [this, session](const QString& reason) {
        if (session == m_session)
            onSessionOver(std::nullopt, reason);
    });
    connect(session, &SsmSession::failed, this, [this, session](const Error& e) {
        if (session == m_session)
            onSessionOver(e, e.message);
    });
    connect(&session->channel(), &DataChannel::flagReceived, this, &SsmTransport::onFlag);
    connect(&session->channel(), &DataChannel::writable, this, &SsmTransport::pumpOutput);
    session->channel().setSink([this](const QByteArray& payload) { return acceptPayload(payload); });
    Q_EMIT sessionStarting(session);
    session->start();
}

void SsmTransport::onReady(const SsmHandshakeInfo& info)
{
    m_mode = info.modes.mode;
    if (m_options.document == SsmTransportOptions::Document::SshSession)
        m_mode = SsmForwardMode::Stream;
    m_ready = true;
    qCInfo(lcSsm).noquote() << describe() << "ready in"
                            << (m_mode == SsmForwardMode::Mux         ? "mux"
                                    : m_mode == SsmForwardMode::Basic ? "basic"
                                                                      : "stream")
                            << "mode";
    if (m_mode == SsmForwardMode::Mux) {
        m_smux = new SmuxSession(this);
        m_smux->setKeepAlive(info.modes.smuxKeepAliveNeeded);
        connect(m_smux, &SmuxSession::outputReady, this, &SsmTransport::pumpOutput);
        connect(m_smux, &SmuxSession::readyRead, this, [this](quint32 id) {
            if (SsmStream* s = byMuxId(id))
                moveFromSmux(s);
        });
        connect(m_smux, &SmuxSession::remoteClosedStream, this, &SsmTransport::onSmuxRemoteClosed);
        // Queued: dataConsumed comes from inside a stream's read(), and delivering more there would hand the
        // reader later bytes in the middle of its call.
        connect(
            m_smux, &SmuxSession::dataConsumed, this,
            [this] {
                if (m_session && !m_session->isFinished())
                    m_session->channel().resumeDelivery();
            },
            Qt::QueuedConnection);
        connect(m_smux, &SmuxSession::failed, this, [this](const Error& e) {
            // One broken frame ruins every stream of the session: end it and start afresh on the next stream.
            const QList<QPointer<SsmStream>> streams = m_streams;
            for (const QPointer<SsmStream>& s : streams) {
                if (s && !s->isFinished())
                    s->setFailed(e);
            }
            if (m_session)
                m_session->end();
        });
    }
    Q_EMIT sessionReady(info);
    attachPending();
}

void SsmTransport::scheduleAttach()
{
    if (m_attachScheduled)
        return;
    m_attachScheduled = true;
    // From the event loop: the caller of openStream() connects to the stream's signals first.
    QTimer::singleShot(0, this, [this] {
        m_attachScheduled = false;
        attachPending();
    });
}

void SsmTransport::attachPending()
{
    if (!m_ready || !m_session || m_session->isFinished())
        return;
    m_streams.removeAll(nullptr);
    const QList<QPointer<SsmStream>> streams = m_streams;
    for (const QPointer<SsmStream>& s : streams) {
        if (!s || s->state() != ByteStream::State::Opening || s->closeRequested())
            continue;
        if (m_mode == SsmForwardMode::Mux) {
            s->muxId = m_smux->openStream();
            if (s->muxId == 0) {
                s->setFailed(Error::make(ErrorKind::Internal, QStringLiteral("No smux stream id left")));
                continue;
            }
            s->setOpen();
            if (!s->sendQueue().isEmpty() && s->muxId)
                m_smux->write(s->muxId, s->sendQueue().read(s->sendQueue().size()));
            continue;
        }
        if (m_mode == SsmForwardMode::Stream && m_singleUsed) {
            s->setFailed(Error::make(ErrorKind::Usage,
                                     QStringLiteral("An SSH session (AWS-StartSSHSession) carries one connection"),
                                     QStringLiteral("Use port forwarding for several connections.")));
            continue;
        }
        if (m_active)
            break; // basic: one at a time, the next waits
        m_active = s;
        m_singleUsed = true;
        s->setOpen();
        // Agent output held back (not acknowledged) until now can be taken.
        m_session->channel().resumeDelivery();
    }
    pumpOutput();
}

qint64 SsmTransport::smuxBuffered() const
{
    return m_smux ? m_smux->bufferedBytes() : 0;
}

bool SsmTransport::acceptPayload(const QByteArray& payload)
{
    if (m_mode == SsmForwardMode::Mux) {
        if (!m_smux || !m_smux->canAccept(payload.size())) {
            ++m_refused;
            return false;
        }
        m_smux->feed(payload);
        return true;
    }
    // Basic and stream mode: only a connected client may receive (the agent retransmits what we refuse).
    if (!m_active || m_active->isFinished() || m_active->receiveRoom() <= 0) {
        ++m_refused;
        return false;
    }
    m_active->deliver(payload);
    return true;
}

void SsmTransport::onFlag(SsmFlag flag)
{
    if (flag != SsmFlag::ConnectToPortError)
        return;
    qCInfo(lcSsm).noquote() << describe() << ": the agent could not connect to the destination port";
    if (m_mode == SsmForwardMode::Mux) {
        ++m_connectErrors; // the agent FINs the stream next; that stream fails
        return;
    }
    if (m_active && !m_active->isFinished())
        m_active->setFailed(connectError());
}

Error SsmTransport::connectError() const
{
    const QString where = m_options.document == SsmTransportOptions::Document::PortForwardingToRemoteHost
        ? QStringLiteral("%1 port %2").arg(m_options.remoteHost).arg(m_options.remotePort)
        : QStringLiteral("port %1 of %2").arg(m_options.remotePort).arg(m_instanceId);
    Error e = Error::make(ErrorKind::Network,
                          QStringLiteral("Connection to destination port failed: the SSM agent "
                                         "could not connect to %1")
                              .arg(where));
    e.hint = QStringLiteral("Check that a service listens on that port on the instance (or that the remote host is "
                            "reachable from it and resolves there); the SSM agent's log on the instance has details.");
    return e;
}

void SsmTransport::onSmuxRemoteClosed(quint32 id)
{
    SsmStream* s = byMuxId(id);
    if (!s || s->isFinished())
        return;
    // What the agent sent before its FIN still goes to the stream, at the reader's pace; then both directions end
    // (smux has no half-close).
    s->remoteFinPending = true;
    moveFromSmux(s);
}

void SsmTransport::finishRemote(SsmStream* stream)
{
    stream->remoteFinPending = false;
    if (m_smux)
        m_smux->closeStream(stream->muxId);
    if (m_connectErrors > 0 && stream->bytesReceived() == 0) {
        --m_connectErrors;
        stream->setFailed(connectError());
        return;
    }
    closeLater(stream);
}

void SsmTransport::moveFromSmux(SsmStream* stream)
{
    if (!m_smux || !stream->muxId || stream->isFinished())
        return;
    while (stream->receiveRoom() > 0 && m_smux->bytesAvailable(stream->muxId) > 0)
        stream->deliver(m_smux->read(stream->muxId, stream->receiveRoom()));
    if (stream->remoteFinPending && m_smux->bytesAvailable(stream->muxId) == 0)
        finishRemote(stream);
}

SsmStream* SsmTransport::byMuxId(quint32 id) const
{
    for (const QPointer<SsmStream>& s : m_streams) {
        if (s && s->muxId == id)
            return s;
    }
    return nullptr;
}

qint64 SsmTransport::sendRoom() const
{
    if (!m_session)
        return 0;
    return m_options.session.channel.sendWindowBytes - m_session->channel().bytesInFlight();
}

void SsmTransport::pumpOutput()
{
    if (!m_ready || !m_session || m_pumping)
        return;
    m_pumping = true;
    if (m_mode == SsmForwardMode::Mux)
        pumpMux();
    else
        pumpSingle();
    m_pumping = false;
}

void SsmTransport::pumpMux()
{
    if (!m_smux)
        return;
    DataChannel& channel = m_session->channel();
    bool moved = false;
    while (m_smux->pendingOutput() > 0 && channel.canWrite()) {
        const QByteArray chunk = m_smux->takeOutput(qBound<qint64>(1, sendRoom(), MaxChunk));
        if (chunk.isEmpty())
            break;
        channel.sendData(chunk);
        moved = true;
    }
    if (!moved)
        return;
    const QList<QPointer<SsmStream>> streams = m_streams;
    for (const QPointer<SsmStream>& s : streams) {
        if (!s || !s->muxId)
            continue;
        if (s->closeRequested() && !s->isFinished() && m_smux->pendingOutput(s->muxId) == 0) {
            closeLater(s); // its FIN is on its way
            continue;
        }
        if (s->isOpen())
            s->notifyWritten();
    }
}

void SsmTransport::pumpSingle()
{
    SsmStream* s = m_active;
    if (!s)
        return;
    DataChannel& channel = m_session->channel();
    bool moved = false;
    while (!s->sendQueue().isEmpty() && channel.canWrite()) {
        channel.sendData(s->sendQueue().read(qBound<qint64>(1, sendRoom(), MaxChunk)));
        moved = true;
    }
    if (s->closeRequested() && s->sendQueue().isEmpty()) {
        finishSingle(s);
        return;
    }
    if (moved && s->isOpen())
        s->notifyWritten();
}

void SsmTransport::finishSingle(SsmStream* stream)
{
    if (stream != m_active)
        return;
    m_active = nullptr;
    if (m_mode == SsmForwardMode::Stream) {
        // The SSH-session document carries one connection: its end is the session's end.
        if (m_session)
            m_session->end();
        closeLater(stream);
        return;
    }
    // Basic mode: the agent closes its destination connection and dials again on our next Output.
    if (m_session && !m_session->isFinished())
        m_session->channel().sendFlag(SsmFlag::DisconnectToPort);
    closeLater(stream);
    scheduleAttach();
}

void SsmTransport::closeLater(SsmStream* stream)
{
    // From the event loop: close() may be the caller, and a relay does not expect closed() inside its own call.
    QTimer::singleShot(0, stream, [stream] {
        if (!stream->isFinished())
            stream->setClosed();
    });
}

void SsmTransport::streamWrite(SsmStream* stream, const QByteArray& data)
{
    if (m_mode == SsmForwardMode::Mux && m_smux && stream->muxId) {
        m_smux->write(stream->muxId, data);
        stream->noteSendBuffered(m_smux->pendingOutput(stream->muxId));
        pumpOutput();
        return;
    }
    stream->sendQueue().append(data);
    stream->noteSendBuffered(stream->sendQueue().size());
    if (stream == m_active)
        pumpOutput();
}

void SsmTransport::streamRead(SsmStream* stream)
{
    if (m_mode == SsmForwardMode::Mux) {
        moveFromSmux(stream);
        return;
    }
    if (stream == m_active && m_session)
        m_session->channel().resumeDelivery(); // what it delivers is announced after this read (SsmStream)
}

qint64 SsmTransport::streamPendingOutput(const SsmStream* stream) const
{
    if (m_mode == SsmForwardMode::Mux && m_smux && stream->muxId)
        return m_smux->pendingOutput(stream->muxId);
    return 0;
}

void SsmTransport::streamClose(SsmStream* stream)
{
    if (stream->state() == ByteStream::State::Opening || (!stream->muxId && stream != m_active)) {
        // Not attached yet: cancel.
        m_streams.removeAll(stream);
        closeLater(stream);
        return;
    }
    if (m_mode == SsmForwardMode::Mux) {
        if (m_smux && stream->muxId) {
            m_smux->closeStream(stream->muxId);
            pumpOutput();
        }
        if (!stream->isFinished() && (!m_smux || m_smux->pendingOutput(stream->muxId) == 0))
            closeLater(stream);
        return;
    }
    pumpOutput(); // flushes, then finishSingle()
}

void SsmTransport::streamGone(SsmStream* stream)
{
    const bool wasActive = stream == m_active;
    m_streams.removeAll(stream);
    m_streams.removeAll(nullptr);
    if (m_mode == SsmForwardMode::Mux && m_smux && stream->muxId && m_smux->isOpen(stream->muxId)) {
        m_smux->closeStream(stream->muxId);
        pumpOutput();
    }
    if (wasActive) {
        m_active = nullptr;
        if (m_mode == SsmForwardMode::Stream) {
            if (m_session)
                m_session->end();
        } else if (m_session && !m_session->isFinished()) {
            m_session->channel().sendFlag(SsmFlag::DisconnectToPort);
            scheduleAttach();
        }
    }
}

void SsmTransport::endSession()
{
    if (!m_session)
        return;
    m_endRequested = true;
    m_session->end();
}

void SsmTransport::shutdown(QObject* context, std::function<void()> done)
{
    if (!m_session || m_session->isFinished()) {
        TunnelTransport::shutdown(context, std::move(done));
        return;
    }
    // Whichever comes first, the session's end or the timeout, calls done; the other finds it spent.
    auto once = std::make_shared<std::function<void()>>(std::move(done));
    auto finish = [once] {
        if (*once)
            std::exchange(*once, {})();
    };
    // Queued: sessionFinished() comes from inside the session's teardown, and done may end the program.
    connect(this, &SsmTransport::sessionFinished, context, finish, Qt::QueuedConnection);
    QTimer::singleShot(ShutdownTimeoutMs, context, finish);
    endSession();
}

void SsmTransport::onSessionOver(const std::optional<Error>& error, const QString& reason)
{
    m_ready = false;
    const QList<QPointer<SsmStream>> streams = m_streams;
    m_streams.clear();
    m_active = nullptr;
    for (const QPointer<SsmStream>& s : streams) {
        if (!s || s->isFinished())
            continue;
        if (error) {
            s->setFailed(*error);
        } else if (m_mode == SsmForwardMode::Stream || s->closeRequested() || m_endRequested) {
            s->setClosed();
        } else {
            s->setFailed(Error::make(ErrorKind::Network,
                                     QStringLiteral("Session Manager ended the session: %1").arg(reason),
                                     QStringLiteral("Open the connection again; a new session starts.")));
        }
    }
    Q_EMIT sessionFinished(reason, error.has_value());
}

} // namespace bl
