#pragma once
// TcpTarget: the service "on the instance" in the tunnel tests, a TCP server on 127.0.0.1. Echo mode returns
// what it receives (reading only while its own send queue is short, so it also exerts back-pressure); Source
// mode sends a fixed number of pattern bytes to each connection and closes; SlowSink mode reads at a limited
// pace and checks the pattern. Every server stops when destroyed.

#include <QHash>
#include <QObject>
#include <QTcpServer>

class QTcpSocket;
class QTimer;

class TcpTarget : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Echo, Source, SlowSink };

    explicit TcpTarget(Mode mode = Mode::Echo, QObject* parent = nullptr);
    ~TcpTarget() override;

    bool listen();
    quint16 port() const { return m_server.serverPort(); }

    void setSourceBytes(qint64 n) { m_sourceBytes = n; }
    // SlowSink: at most this many bytes per 5 ms tick.
    void setSinkBytesPerTick(qint64 n) { m_sinkPerTick = n; }
    // Echo: close every connection after this many ms (0: never).
    void setCloseAfterMs(int ms) { m_closeAfterMs = ms; }

    int accepted() const { return m_accepted; }
    int openNow() const { return static_cast<int>(m_open.size()); }
    int maxConcurrent() const { return m_maxConcurrent; }
    qint64 sunk() const { return m_sunk; }
    bool patternOk() const { return m_patternOk; }

    // size bytes of the test pattern from offset on. Its period (a prime near 64 KiB) differs from every chunk
    // and frame size, so a lost, repeated or reordered piece shows.
    static QByteArray pattern(qint64 offset, qint64 size);

private:
    struct Conn
    {
        qint64 sent = 0;
        qint64 received = 0;
    };
    void accept();
    void pump(QTcpSocket* s);
    void sinkTick();

    Mode m_mode;
    QTcpServer m_server;
    QHash<QTcpSocket*, Conn> m_open;
    QTimer* m_sinkTimer = nullptr;
    qint64 m_sourceBytes = 0;
    qint64 m_sinkPerTick = 64 * 1024;
    int m_closeAfterMs = 0;
    int m_accepted = 0;
    int m_maxConcurrent = 0;
    qint64 m_sunk = 0;
    bool m_patternOk = true;
};
