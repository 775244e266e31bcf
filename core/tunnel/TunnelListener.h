#pragma once
// TunnelListener: a local TCP listener on 127.0.0.1 (never another interface) that forwards every accepted
// connection over a TunnelTransport, one ByteStream each, through a StreamRelay. It keeps the counters and
// state the tunnels panel shows (connections open and total, bytes each way, current rates, failures) and
// reports them through signals. A connection whose transport fails is closed alone; the listener stays up.

#include "core/tunnel/RateMeter.h"
#include "core/util/Result.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>

class QTcpServer;
class QTimer;

namespace bl {

class StreamRelay;
class TunnelTransport;

struct TunnelStats
{
    int openConnections = 0;
    qint64 totalConnections = 0;
    qint64 failedConnections = 0;
    qint64 bytesUp = 0; // local client -> instance
    qint64 bytesDown = 0; // instance -> local client
    double rateUp = 0; // bytes per second over the last 2 s
    double rateDown = 0;
    qint64 peakBuffered = 0; // the most any single buffer of any connection held
};

class TunnelListener : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Starting, Listening, Stopping, Stopped, Failed };
    Q_ENUM(State)

    // transport must outlive the listener.
    explicit TunnelListener(TunnelTransport& transport, QObject* parent = nullptr);
    ~TunnelListener() override;

    // Listens on 127.0.0.1:port (0: a free port the system picks). A port in use is an Io error naming it.
    Result<void> start(quint16 port = 0);
    // Stops accepting, closes every connection gracefully; state Stopped once they all ended (at most a few s).
    void stop();

    State state() const { return m_state; }
    const Error& error() const { return m_error; } // why the listener failed
    const Error& lastConnectionError() const { return m_lastConnectionError; }
    quint16 port() const { return m_port; }
    QString address() const; // "127.0.0.1:<port>"
    QHostAddress boundAddress() const; // what the socket is bound to (always 127.0.0.1)
    TunnelStats stats() const;
    TunnelTransport& transport() const { return m_transport; }

Q_SIGNALS:
    void stateChanged(bl::TunnelListener::State state);
    void statsChanged(); // at most a few times per second while data flows
    void connectionOpened(quint64 id); // the transport's stream is open
    void connectionClosed(quint64 id); // ended normally
    void connectionFailed(quint64 id, const bl::Error& error);

private:
    void accept();
    void onTransferred(qint64 up, qint64 down);
    void onRelayEnded(quint64 id, StreamRelay* relay, const Error* error);
    void setState(State state);
    void scheduleStats();
    qint64 nowMs() const { return m_clock.elapsed(); }

    TunnelTransport& m_transport;
    QTcpServer* m_server;
    QTimer* m_statsTimer;
    QTimer* m_stopTimer;
    QElapsedTimer m_clock;
    State m_state = State::Idle;
    Error m_error;
    Error m_lastConnectionError;
    quint16 m_port = 0;
    quint64 m_nextId = 1;
    QHash<quint64, StreamRelay*> m_relays;
    TunnelStats m_stats;
    RateMeter m_upRate;
    RateMeter m_downRate;
};

} // namespace bl
