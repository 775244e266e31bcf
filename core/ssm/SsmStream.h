#pragma once
// SsmStream: one tunnel connection carried by a Session Manager session: an smux stream in mux mode, or the
// session's single byte stream in basic and SSH-session mode. It buffers at most receiveHighWater() received
// bytes; the SsmTransport that owns the session moves bytes in only while there is room and refuses (does not
// acknowledge) agent output otherwise, so a slow reader slows the agent instead of filling memory.

#include "core/tunnel/ByteQueue.h"
#include "core/tunnel/ByteStream.h"

#include <QPointer>

namespace bl {

class SsmTransport;

class SsmStream : public ByteStream
{
    Q_OBJECT

public:
    SsmStream(SsmTransport* transport, qint64 highWater, QObject* parent = nullptr);
    ~SsmStream() override;

    qint64 bytesAvailable() const override { return m_rx.size(); }
    QByteArray read(qint64 maxSize) override;
    void write(const QByteArray& data) override;
    qint64 bytesToWrite() const override;
    void close() override;
    void abort() override;
    qint64 receiveHighWater() const override { return m_highWater; }
    qint64 sendHighWater() const override { return m_highWater; }
    qint64 peakReceiveBuffered() const override { return m_peakRx; }
    qint64 peakSendBuffered() const override { return m_peakTx; }

    // --- for SsmTransport ---
    qint64 receiveRoom() const { return m_highWater - m_rx.size(); }
    // Appends received bytes and announces them (readyRead); during read() the announcement is deferred to the
    // event loop, so a consumer never sees later bytes while it is still handling earlier ones.
    void deliver(const QByteArray& data);
    qint64 bytesReceived() const { return m_received; }
    bool closeRequested() const { return m_closeRequested; }
    // Written while not yet attached (Opening), or waiting for the data channel's window (basic mode).
    ByteQueue& sendQueue() { return m_tx; }
    void noteSendBuffered(qint64 bytes) { m_peakTx = qMax(m_peakTx, bytes); }
    quint32 muxId = 0; // mux mode: the smux stream id
    bool remoteFinPending = false; // mux mode: the agent's FIN came, its data is still being read
    void setOpen() { markOpen(); }
    void setClosed() { markClosed(); }
    void setFailed(const Error& error) { markFailed(error); }
    void notifyWritten() { Q_EMIT bytesWritten(); }

private:
    QPointer<SsmTransport> m_transport;
    qint64 m_highWater;
    ByteQueue m_rx;
    ByteQueue m_tx;
    bool m_closeRequested = false;
    bool m_inRead = false;
    bool m_notifyQueued = false;
    qint64 m_received = 0;
    qint64 m_peakRx = 0;
    qint64 m_peakTx = 0;
};

} // namespace bl
