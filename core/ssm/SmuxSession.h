#pragma once
// SmuxSession: the client side of smux protocol version 1 (PROTOCOLS.md §6.7, §6.8), the stream multiplexer
// that SSM port forwarding runs over the data channel in mux mode. It is socket-free: incoming bytes
// (concatenated Output payloads, split anywhere) go in through feed(), outgoing bytes come out of takeOutput(),
// and each local TCP connection is one stream id.
//
// Contract details the caller relies on:
// - Receive memory: feed() always buffers what it is given. The only bound is the session-wide ReceiveLimit of
//   unread stream data (smux v1 has no per-stream flow control), which the caller enforces by asking canAccept()
//   before feeding a payload and, when refused, not acknowledging it and retrying after dataConsumed(). So one
//   stream may hold up to ReceiveLimit bytes; canAccept() accepts any payload while nothing is buffered, so an
//   oversized payload cannot deadlock the session.
// - Output: per-stream queues served round-robin at frame boundaries (SYN < PSH < FIN order within a stream), so a
//   bulk upload does not starve an interactive stream. takeOutput() may stop mid-frame; the next call finishes
//   that frame first. Small writes are coalesced into a still-queued PSH frame of the same stream.
// - closeStream() is a full close, as in smux: FIN is queued after the stream's pending data, unread received data
//   is dropped and later data for the id is discarded. The id is forgotten once its FIN has been taken.
// - A SYN from the peer for a new id is ignored (the agent never opens streams); its data is then discarded.
// - Keep-alive: setKeepAlive(true) starts an internal QTimer that queues a NOP every keepAliveInterval (10 s) and
//   emits outputReady(); only for agents <= 3.1.1511.0 (§6.7). The peer's silence is not policed here.
// - Signals are emitted synchronously; outputReady() after every call that queued output. feed() is safe against
//   re-entry from slots (a nested feed() is parsed after the current input), and dataConsumed() is only emitted
//   after a canAccept() refusal, never while a feed() is parsing. Delete the session with deleteLater(), not from
//   inside one of its own signals.
// - Writing after the peer's FIN is still allowed (the agent discards data for streams it closed).
// - After failed() the session is dead: feed/write are ignored, openStream() returns 0, output is dropped.

#include "core/tunnel/ByteQueue.h"
#include "core/util/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>

#include <chrono>
#include <deque>
#include <map>

class QTimer;

namespace bl {

class SmuxSession : public QObject
{
    Q_OBJECT
public:
    explicit SmuxSession(QObject* parent = nullptr);
    ~SmuxSession() override;

    static constexpr qint64 MaxFrameData = 32768; // what we send per PSH
    static constexpr qint64 ReceiveLimit = 4 * 1024 * 1024; // session-wide unread bytes before we refuse more
    static constexpr std::chrono::milliseconds DefaultKeepAliveInterval {10000};

    // Incoming byte stream. A version != 1 or an unknown cmd is a protocol error: failed() and the session is dead.
    void feed(QByteArrayView bytes);
    // Whether `bytes` more incoming bytes can be taken now without exceeding ReceiveLimit of unread data.
    bool canAccept(qint64 bytes) const;
    qint64 bufferedBytes() const;

    // Next odd id: 3, 5, 7 ... and queues its SYN. Returns 0 when the session is dead or ids are exhausted.
    quint32 openStream();
    // Queued as PSH frames of <= MaxFrameData. Ignored for unknown or closed streams.
    void write(quint32 id, QByteArrayView data);
    // Queues FIN after the stream's pending data; the stream is dead for writing and reading.
    void closeStream(quint32 id);

    qint64 bytesAvailable(quint32 id) const;
    QByteArray read(quint32 id, qint64 maxSize);
    // Peer sent FIN (reads still drain buffered data). True for ids this session does not know (any more).
    bool remoteClosed(quint32 id) const;
    // Whether the id is an open stream of this session (opened and not closed locally).
    bool isOpen(quint32 id) const;

    // Bytes waiting to be sent (headers included); per stream: that stream's queued frames and its partly
    // taken frame.
    qint64 pendingOutput() const;
    qint64 pendingOutput(quint32 id) const;
    // The next bytes to send, up to maxBytes.
    QByteArray takeOutput(qint64 maxBytes);

    void setKeepAlive(bool enabled);
    void setKeepAliveInterval(std::chrono::milliseconds interval);
    bool isFailed() const { return m_failed; }

Q_SIGNALS:
    void outputReady();
    void readyRead(quint32 id);
    void remoteClosedStream(quint32 id);
    void dataConsumed();
    void failed(const bl::Error& error);

private:
    struct OutFrame
    {
        quint8 command = 0;
        QByteArray data;
    };
    struct Stream
    {
        std::deque<OutFrame> out;
        qint64 outBytes = 0; // wire bytes of `out`
        ByteQueue in;
        bool localClosed = false;
        bool remoteClosed = false;
        bool scheduled = false; // present in m_ready
    };

    void process(QByteArrayView bytes);
    void handleHeader();
    void handleData(QByteArrayView data);
    void fail(const QString& message);
    void enqueue(quint32 id, Stream& stream, quint8 command, QByteArray data = {});
    bool startNextFrame();
    void forgetIfDone(quint32 id);
    void noteConsumed();
    void queueKeepAlive();

    std::map<quint32, Stream> m_streams;
    std::deque<quint32> m_ready; // round-robin order of streams with queued frames
    std::deque<OutFrame> m_control; // NOPs, sent before the next stream frame
    qint64 m_outBytes = 0; // wire bytes queued in streams and m_control, not counting m_current
    QByteArray m_current; // the frame being taken
    qsizetype m_currentOffset = 0;
    quint32 m_currentId = 0;
    quint32 m_nextId = 1;

    // Incoming parser state.
    char m_header[8] = {};
    int m_headerFill = 0;
    quint8 m_frameCommand = 0;
    quint32 m_frameId = 0;
    qint64 m_frameLeft = 0; // data bytes of the current frame still to come
    qint64 m_buffered = 0; // unread stream data

    QByteArray m_reentrantInput; // feed() called from a slot during feed()
    bool m_inFeed = false;
    mutable bool m_refused = false;
    bool m_consumedDuringFeed = false;
    bool m_failed = false;

    QTimer* m_keepAlive = nullptr;
};

} // namespace bl
