#pragma once
// The SSM agent's port plugin in fakeaws (PROTOCOLS.md §6.7): what happens to Output payloads once the
// handshake is done. Basic mode relays one TCP connection to the target (closed by Flag DisconnectToPort,
// re-dialled on the next Output); stdio mode (AWS-StartSSHSession) is the same but ends the session when the
// target closes; mux mode runs an smux v1 server over the Output byte stream and dials the target per stream.
// It produces the agent's Output payloads on demand (takeOutput), so the session decides the pace.

#include "SsmSmuxServer.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <functional>

class QTcpSocket;

namespace fakeaws {

class SsmPortPlugin : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Basic, Stdio, Mux };
    struct Target
    {
        QHostAddress address;
        quint16 port = 0;
        QString failure; // non-empty: the agent cannot reach it (and says why)
    };
    using Resolver = std::function<Target()>;

    SsmPortPlugin(Mode mode, Resolver resolver, qint64 muxReceiveBuffer, int connectTimeoutMs,
                  QObject* parent = nullptr);
    ~SsmPortPlugin() override;

    static QString modeName(Mode mode);
    Mode mode() const { return m_mode; }
    // Basic/stdio: dial the target now (the agent does so before any client connects).
    void start();
    // false: not ready (the agent neither acks nor counts the message; the client will resend it).
    bool input(const QByteArray& payload);
    void flag(quint32 value);
    // The next Output payload of at most maxBytes; empty when nothing is waiting.
    QByteArray takeOutput(int maxBytes, int splitTo = 0);
    bool hasOutput() const;
    qint64 buffered() const; // bytes accepted from the client and not yet written to a target
    void stop();

Q_SIGNALS:
    void outputReady();
    void relayed(qint64 toTarget, qint64 fromTarget);
    void connectError(); // mux: a stream's dial failed (the session sends Flag ConnectToPortError)
    void ended(const QString& reason); // basic/stdio: the session must end (stdio target closed, dial failed)

private:
    QTcpSocket* dial(quint32 streamId);
    void onConnected(QTcpSocket* socket);
    void onDialFailed(QTcpSocket* socket, const QString& why, quint32 streamId);
    void onTargetGone(QTcpSocket* socket);
    void refillMux();
    void writeTo(QTcpSocket* socket, const QByteArray& bytes);

    Mode m_mode;
    Resolver m_resolver;
    qint64 m_muxReceiveBuffer;
    int m_connectTimeoutMs;
    bool m_stopped = false;
    // Basic/stdio.
    QPointer<QTcpSocket> m_target;
    QByteArray m_pending; // written once the target is connected
    QByteArray m_drain; // what a target sent before it closed, still to go out
    bool m_targetClosed = false; // stdio: the session ends once m_drain is out
    bool m_everConnected = false;
    // Mux.
    SsmSmuxServer m_smux;
    QHash<quint32, QTcpSocket*> m_streams;
    QHash<QTcpSocket*, QByteArray> m_streamPending;
    QByteArray m_muxOut; // smux bytes for the client
    QList<quint32> m_finAfterDrain; // streams whose target closed: FIN once their data is out
};

} // namespace fakeaws
