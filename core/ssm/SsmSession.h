#pragma once
// SsmSession: one Session Manager session to an instance, from StartSession to its end (PROTOCOLS.md §6.2, §6.6,
// §6.9, §11). It opens the data-channel WebSocket (DataChannelSocket), lets the DataChannel do the handshake and
// the reliability, drives the channel's tick every 100 ms, and reports when the session is ready and in which
// forwarding mode. A dropped WebSocket is resumed (ResumeSession with backoff: 100-200 ms, x2, at most 5 s,
// 5 attempts) onto the same DataChannel, so counters and buffers survive and unacked messages are resent. end()
// sends the TerminateSession flag when the agent supports it, waits briefly for the ack or channel_closed, then
// calls the TerminateSession API (idempotent) so nothing lingers until the idle timeout.

#include "core/aws/api/SsmProtocol.h"
#include "core/ssm/DataChannel.h"
#include "core/ssm/DataChannelSocket.h"

#include <QObject>

#include <functional>
#include <memory>

class QTimer;

namespace bl {

class AwsSession;
class SsmClient;

struct SsmSessionTarget
{
    QString region; // empty: the AwsSession's default region
    QString instanceId;
    QString documentName; // e.g. AWS-StartPortForwardingSession
    SsmSessionParameters parameters;
    QString reason;
};

struct SsmSessionOptions
{
    DataChannelOptions channel;
    DataChannelSocketOptions socket; // region and endpointOverride are filled in by the session when empty
    int tickIntervalMs = 100;
    int handshakeTimeoutMs = 30000; // from the first WebSocket open to HandshakeComplete
    int reconnectAttempts = 5;
    int reconnectInitialMinMs = 100;
    int reconnectInitialMaxMs = 200;
    int reconnectMaxDelayMs = 5000;
    int terminateWaitMs = 2000; // how long end() waits for the flag's ack or channel_closed
};

class SsmSession : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Starting, Handshaking, Ready, Reconnecting, Ending, Ended, Failed };
    Q_ENUM(State)

    // aws must outlive the session.
    SsmSession(AwsSession& aws, SsmSessionTarget target, SsmSessionOptions options = {}, QObject* parent = nullptr);
    ~SsmSession() override;

    // StartSession, then the WebSocket and the handshake; ready() or failed() follows.
    void start();
    // Ends the session (see class comment); ended() follows. Safe in any state, more than once.
    void end();

    State state() const { return m_state; }
    bool isReady() const { return m_state == State::Ready; }
    bool isFinished() const { return m_state == State::Ended || m_state == State::Failed; }
    const Error& error() const { return m_error; }
    QString endReason() const { return m_endReason; }
    QString sessionId() const { return m_ticket.sessionId; }
    const SsmSessionTarget& target() const { return m_target; }
    DataChannel& channel() { return *m_channel; }
    DataChannelSocket& socket() { return *m_socket; }
    // Valid once ready.
    const SsmHandshakeInfo& handshake() const { return m_channel->handshakeInfo(); }
    SsmForwardMode mode() const { return m_channel->handshakeInfo().modes.mode; }
    int reconnects() const { return m_reconnects; } // successful resumes
    bool terminateApiCalled() const { return m_terminateCalled; }
    // Deterministic backoff jitter for tests (a value in [0,1)).
    void setRandomSource(std::function<double()> random) { m_random = std::move(random); }

Q_SIGNALS:
    void stateChanged(bl::SsmSession::State state);
    void progress(const QString& text); // for people: "Starting a Session Manager session to i-…"
    void ready(const bl::SsmHandshakeInfo& info);
    void customerMessage(const QString& text); // the agent's message to show (e.g. about encryption)
    void reconnected();
    // The session is over: normally (reason: channel_closed's text, or "ended by you") ...
    void ended(const QString& reason);
    // ... or not. Exactly one of ended() and failed() is emitted.
    void failed(const bl::Error& error);

private:
    void setState(State state);
    void onStarted(Result<SsmSessionTicket> ticket);
    void connectSocket();
    void onSocketOpened();
    void onSocketLost(const Error& error);
    void scheduleResume();
    void resume();
    void onReady(const SsmHandshakeInfo& info);
    void onChannelClosed(const QString& output);
    void fail(Error error, bool terminate);
    void finishEnding();
    void callTerminate();
    void stopTimers();

    AwsSession& m_aws;
    std::unique_ptr<SsmClient> m_client;
    SsmSessionTarget m_target;
    SsmSessionOptions m_options;
    DataChannel* m_channel;
    DataChannelSocket* m_socket;
    QTimer* m_tick;
    QTimer* m_handshakeTimer;
    QTimer* m_resumeTimer;
    QTimer* m_endTimer;
    State m_state = State::Idle;
    SsmSessionTicket m_ticket;
    Error m_error;
    QString m_endReason;
    bool m_everOpened = false;
    bool m_endRequested = false;
    bool m_terminateCalled = false;
    int m_attempt = 0; // resume attempts since the socket dropped
    int m_nextDelayMs = 0;
    int m_reconnects = 0;
    std::function<double()> m_random;
};

} // namespace bl
