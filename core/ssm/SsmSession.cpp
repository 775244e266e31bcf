#include "core/ssm/SsmSession.h"

#include "core/aws/api/AwsSession.h"
#include "core/aws/api/SsmClient.h"
#include "core/ssm/SsmLog.h"
#include "core/ssm/SsmStreamUrl.h"

#include <QRandomGenerator>
#include <QTimer>

namespace bl {

SsmSession::SsmSession(AwsSession& aws, SsmSessionTarget target, SsmSessionOptions options, QObject* parent)
    : QObject(parent)
    , m_aws(aws)
    , m_client(std::make_unique<SsmClient>(aws))
    , m_target(std::move(target))
    , m_options(std::move(options))
    , m_tick(new QTimer(this))
    , m_handshakeTimer(new QTimer(this))
    , m_resumeTimer(new QTimer(this))
    , m_endTimer(new QTimer(this))
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    if (m_target.region.isEmpty())
        m_target.region = aws.defaultRegion();
    if (m_options.socket.region.isEmpty())
        m_options.socket.region = m_target.region;
    if (m_options.socket.endpointOverride.isEmpty())
        m_options.socket.endpointOverride = SsmStreamUrl::endpointOverrideFrom(aws.env());
    m_channel = new DataChannel(aws.http().clock(), m_options.channel, QUuid(), this);
    m_socket = new DataChannelSocket(aws.http(), m_options.socket, this);

    connect(m_channel, &DataChannel::sendBinary, m_socket, &DataChannelSocket::sendBinary);
    connect(m_socket, &DataChannelSocket::messageReceived, this, [this](const QByteArray& message, bool) {
        const Result<void> r = m_channel->receiveFrame(message);
        if (!r)
            qCDebug(lcSsm).noquote() << "SSM message dropped:" << r.error().message;
    });
    connect(m_socket, &DataChannelSocket::opened, this, &SsmSession::onSocketOpened);
    connect(m_socket, &DataChannelSocket::disconnected, this, &SsmSession::onSocketLost);
    connect(m_channel, &DataChannel::ready, this, &SsmSession::onReady);
    connect(m_channel, &DataChannel::channelClosed, this, &SsmSession::onChannelClosed);
    connect(m_channel, &DataChannel::failed, this, [this](const Error& e) { fail(e, true); });

    m_tick->setInterval(m_options.tickIntervalMs);
    connect(m_tick, &QTimer::timeout, this, [this] {
        m_channel->tick();
        // The TerminateSession flag was acknowledged: the agent is cancelling the session.
        if (m_state == State::Ending && m_channel->unackedCount() == 0)
            finishEnding();
    });
    m_handshakeTimer->setSingleShot(true);
    connect(m_handshakeTimer, &QTimer::timeout, this, [this] {
        fail(Error::make(ErrorKind::Timeout,
                         QStringLiteral("The SSM agent on %1 did not complete the session handshake within %2 s")
                             .arg(m_target.instanceId)
                             .arg(m_options.handshakeTimeoutMs / 1000),
                         QStringLiteral("The agent may be very old, overloaded or restarting; update the SSM agent "
                                        "or try again in a minute.")),
             true);
    });
    m_resumeTimer->setSingleShot(true);
    connect(m_resumeTimer, &QTimer::timeout, this, &SsmSession::resume);
    m_endTimer->setSingleShot(true);
    connect(m_endTimer, &QTimer::timeout, this, &SsmSession::finishEnding);
}

SsmSession::~SsmSession()
{
    if (!isFinished() && m_state != State::Idle) {
        if (m_state == State::Ready && handshake().modes.terminateFlagSupported)
            m_channel->sendFlag(SsmFlag::TerminateSession);
        callTerminate();
    }
}

void SsmSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    if (isFinished() && !m_ticket.sessionId.isEmpty()) {
        const DataChannel::ReceiveStats& r = m_channel->receiveStats();
        qCDebug(lcSsm).noquote() << "SSM session" << m_ticket.sessionId
                                 << "data channel:" << m_channel->nextSendSequence() << "messages sent,"
                                 << m_channel->retransmissions() << "resent;" << m_channel->expectedReceiveSequence()
                                 << "received," << r.duplicates << "came again," << r.refusals
                                 << "refused by a busy consumer," << r.notKept
                                 << "not kept for want of room; peak buffered" << r.peakBufferedBytes << "bytes";
    }
    Q_EMIT stateChanged(state);
}

void SsmSession::start()
{
    if (m_state != State::Idle)
        return;
    setState(State::Starting);
    Q_EMIT progress(QStringLiteral("Starting a Session Manager session to %1").arg(m_target.instanceId));
    m_client->startSession(m_target.region, m_target.instanceId, m_target.documentName, m_target.parameters,
                           m_target.reason, this, [this](Result<SsmSessionTicket> t) { onStarted(std::move(t)); });
}

void SsmSession::onStarted(Result<SsmSessionTicket> ticket)
{
    if (m_state != State::Starting)
        return;
    if (!ticket) {
        fail(ticket.error(), false);
        return;
    }
    m_ticket = ticket.value();
    qCInfo(lcSsm).noquote() << "SSM session" << m_ticket.sessionId << "started to" << m_target.instanceId;
    if (m_endRequested) {
        finishEnding();
        return;
    }
    connectSocket();
}

void SsmSession::connectSocket()
{
    m_aws.credentials().fetch(this, [this](Result<Credentials> credentials) {
        if (m_state != State::Starting && m_state != State::Reconnecting)
            return;
        if (!credentials) {
            onSocketLost(credentials.error());
            return;
        }
        Q_EMIT progress(QStringLiteral("Opening the data channel of session %1").arg(m_ticket.sessionId));
        m_socket->open(m_ticket.streamUrl, m_channel->openDataChannelFrame(m_ticket.tokenValue), credentials.value());
    });
}

void SsmSession::onSocketOpened()
{
    m_channel->connectionOpened();
    m_attempt = 0;
    if (!m_everOpened) {
        m_everOpened = true;
        setState(State::Handshaking);
        Q_EMIT progress(QStringLiteral("Waiting for the SSM agent's handshake"));
        m_handshakeTimer->start(m_options.handshakeTimeoutMs);
        m_tick->start();
        return;
    }
    ++m_reconnects;
    qCInfo(lcSsm).noquote() << "SSM session" << m_ticket.sessionId << "resumed";
    setState(m_channel->isReady() ? State::Ready : State::Handshaking);
    Q_EMIT reconnected();
}

void SsmSession::onSocketLost(const Error& error)
{
    if (m_state == State::Ending) {
        finishEnding();
        return;
    }
    if (isFinished() || m_state == State::Idle)
        return;
    if (!m_everOpened) {
        fail(error, true);
        return;
    }
    m_channel->connectionLost();
    m_error = error; // the latest reason, reported if resuming gives up
    if (m_state != State::Reconnecting) {
        m_attempt = 0;
        const double r = m_random ? m_random() : 0.5;
        m_nextDelayMs = m_options.reconnectInitialMinMs
            + static_cast<int>(r * (m_options.reconnectInitialMaxMs - m_options.reconnectInitialMinMs));
        setState(State::Reconnecting);
    }
    scheduleResume();
}

void SsmSession::scheduleResume()
{
    if (m_attempt >= m_options.reconnectAttempts) {
        Error e = m_error;
        e.message = QStringLiteral("Lost the Session Manager data channel of session %1 and could not resume it "
                                   "after %2 attempts: %3")
                        .arg(m_ticket.sessionId)
                        .arg(m_attempt)
                        .arg(m_error.message);
        if (e.hint.isEmpty())
            e.hint = QStringLiteral("Check the network connection, then open the tunnel again.");
        fail(e, true);
        return;
    }
    ++m_attempt;
    Q_EMIT progress(QStringLiteral("Reconnecting (attempt %1 of %2)").arg(m_attempt).arg(m_options.reconnectAttempts));
    m_resumeTimer->start(m_nextDelayMs);
    m_nextDelayMs = qMin(m_nextDelayMs * 2, m_options.reconnectMaxDelayMs);
}

void SsmSession::resume()
{
    if (m_state != State::Reconnecting)
        return;
    m_client->resumeSession(m_target.region, m_ticket.sessionId, this, [this](Result<SsmSessionTicket> t) {
        if (m_state != State::Reconnecting)
            return;
        if (!t) {
            if (t.error().awsCode == QLatin1String("DoesNotExistException")
                || t.error().kind == ErrorKind::Credentials) {
                fail(t.error(), false);
                return;
            }
            m_error = t.error();
            scheduleResume();
            return;
        }
        if (t->tokenValue.isEmpty()) {
            fail(Error::make(ErrorKind::Service,
                             QStringLiteral("Session Manager cannot resume session %1 any more: it timed out or was "
                                            "terminated")
                                 .arg(m_ticket.sessionId),
                             QStringLiteral("Open the tunnel again to start a new session. The idle timeout is set "
                                            "in the Session Manager preferences of the account.")),
                 false);
            return;
        }
        m_ticket.tokenValue = t->tokenValue;
        if (!t->streamUrl.isEmpty())
            m_ticket.streamUrl = t->streamUrl;
        connectSocket();
    });
}

void SsmSession::onReady(const SsmHandshakeInfo& info)
{
    m_handshakeTimer->stop();
    if (!info.customerMessage.isEmpty())
        Q_EMIT customerMessage(info.customerMessage);
    qCInfo(lcSsm).noquote() << "SSM session" << m_ticket.sessionId << "ready; agent" << info.agentVersion;
    if (m_endRequested) {
        end();
        return;
    }
    if (m_state == State::Handshaking)
        setState(State::Ready);
    Q_EMIT ready(info);
}

void SsmSession::onChannelClosed(const QString& output)
{
    if (isFinished())
        return;
    m_endReason =
        output.isEmpty() ? QStringLiteral("Session Manager closed session %1").arg(m_ticket.sessionId) : output;
    if (m_state == State::Ending) {
        finishEnding();
        return;
    }
    stopTimers();
    m_socket->close();
    qCInfo(lcSsm).noquote() << "SSM session" << m_ticket.sessionId << "closed by the service:" << m_endReason;
    setState(State::Ended);
    Q_EMIT ended(m_endReason);
}

void SsmSession::end()
{
    switch (m_state) {
    case State::Idle:
        m_endReason = QStringLiteral("not started");
        setState(State::Ended);
        Q_EMIT ended(m_endReason);
        return;
    case State::Starting:
        m_endRequested = true; // onStarted() terminates the session it gets
        return;
    case State::Ready:
        if (handshake().modes.terminateFlagSupported && m_socket->isOpen()) {
            m_channel->sendFlag(SsmFlag::TerminateSession);
            setState(State::Ending);
            m_endTimer->start(m_options.terminateWaitMs);
            return;
        }
        finishEnding();
        return;
    case State::Handshaking:
    case State::Reconnecting:
        finishEnding();
        return;
    case State::Ending:
    case State::Ended:
    case State::Failed:
        return;
    }
}

void SsmSession::finishEnding()
{
    if (isFinished())
        return;
    stopTimers();
    callTerminate();
    m_socket->close();
    if (m_endReason.isEmpty())
        m_endReason = QStringLiteral("Session %1 ended").arg(m_ticket.sessionId);
    setState(State::Ended);
    Q_EMIT ended(m_endReason);
}

void SsmSession::fail(Error error, bool terminate)
{
    if (isFinished())
        return;
    stopTimers();
    m_socket->close();
    if (terminate)
        callTerminate();
    m_error = std::move(error);
    qCInfo(lcSsm).noquote() << "SSM session" << m_ticket.sessionId << "failed:" << m_error.message;
    setState(State::Failed);
    Q_EMIT failed(m_error);
}

void SsmSession::callTerminate()
{
    if (m_terminateCalled || m_ticket.sessionId.isEmpty())
        return;
    m_terminateCalled = true;
    const QString id = m_ticket.sessionId;
    // The AwsSession is the context: the call completes even when this object is deleted right after end().
    m_client->terminateSession(m_target.region, id, &m_aws, [id](Result<QString> r) {
        if (r)
            qCDebug(lcSsm).noquote() << "SSM session" << id << "terminated";
        else
            qCInfo(lcSsm).noquote() << "TerminateSession for" << id << "failed:" << r.error().message;
    });
}

void SsmSession::stopTimers()
{
    m_tick->stop();
    m_handshakeTimer->stop();
    m_resumeTimer->stop();
    m_endTimer->stop();
}

} // namespace bl
