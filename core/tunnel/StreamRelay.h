#pragma once
// StreamRelay: moves bytes between one accepted local TCP connection and its ByteStream, both ways, with
// back-pressure: it reads from one side only while the other side has fewer than its high-water mark of bytes
// queued, and the local socket's read buffer is capped too, so no buffer grows without bound when either side
// is slow. The end of either side ends the relay after flushing what can still be delivered.

#include "core/tunnel/ByteStream.h"
#include "core/util/Result.h"

#include <QObject>
#include <QPointer>

#include <optional>

class QTcpSocket;

namespace bl {

class StreamRelay : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 ChunkSize = 64 * 1024;

    // Takes ownership of local and stream (reparents them).
    StreamRelay(QTcpSocket* local, ByteStream* stream, QObject* parent = nullptr);
    ~StreamRelay() override;

    void start();
    // Ends both sides gracefully; finished() or failed() follows.
    void stop();

    bool isOpen() const { return m_opened && !m_done; }
    bool isDone() const { return m_done; }
    qint64 bytesUp() const { return m_up; } // local -> remote
    qint64 bytesDown() const { return m_down; } // remote -> local
    // The most bytes ever queued toward the local client / toward the remote, and buffered unread by the stream.
    qint64 peakLocalWriteBuffered() const { return m_peakLocalTx; }
    qint64 peakStreamWriteBuffered() const;
    qint64 peakStreamReadBuffered() const;
    ByteStream* stream() const { return m_stream; }

Q_SIGNALS:
    void opened();
    void transferred(qint64 up, qint64 down); // bytes moved since the last signal
    void finished();
    void failed(const bl::Error& error);

private:
    void pumpUp();
    void pumpDown();
    void onLocalEnded();
    void onStreamEnded();
    void maybeFinish();
    bool localConnected() const;

    QPointer<QTcpSocket> m_local;
    QPointer<ByteStream> m_stream;
    qint64 m_highWater;
    bool m_opened = false;
    bool m_localEnded = false;
    bool m_streamEnded = false;
    bool m_streamCloseSent = false;
    bool m_localCloseSent = false;
    bool m_done = false;
    std::optional<Error> m_error;
    qint64 m_up = 0;
    qint64 m_down = 0;
    qint64 m_peakLocalTx = 0;
    qint64 m_peakStreamTx = 0;
};

} // namespace bl
