#pragma once
// ByteStream: one byte stream to (instance, remote port), as a transport opens it for one local connection.
// Reading is pull-based: a stream buffers at most receiveHighWater() bytes and stops reading from the network
// while its consumer does not read, so a slow consumer slows the remote sender instead of filling memory.
// Writing is always accepted; a writer keeps bytesToWrite() under sendHighWater() and resumes on bytesWritten().
//
// Life cycle: Opening -> Open -> (Closing) -> Closed or Failed. Exactly one of closed() and failed() is emitted,
// and not after abort(). Bytes received before the end stay readable after it.

#include "core/util/Result.h"

#include <QObject>

namespace bl {

class ByteStream : public QObject
{
    Q_OBJECT

public:
    enum class State { Opening, Open, Closing, Closed, Failed };
    Q_ENUM(State)

    static constexpr qint64 DefaultHighWater = 256 * 1024;

    using QObject::QObject;
    ~ByteStream() override;

    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }
    bool isFinished() const { return m_state == State::Closed || m_state == State::Failed; }
    // The remote end stopped sending (normally or not); what it sent before stays readable.
    bool remoteFinished() const { return m_remoteFinished; }
    // True once the remote end finished and everything it sent has been read.
    bool atEnd() const { return m_remoteFinished && bytesAvailable() == 0; }
    const Error& error() const { return m_error; }

    virtual qint64 bytesAvailable() const = 0;
    virtual QByteArray read(qint64 maxSize) = 0;
    virtual void write(const QByteArray& data) = 0;
    virtual qint64 bytesToWrite() const = 0;
    // Graceful: sends what is queued, then ends the stream. A stream still opening is cancelled (closed()).
    virtual void close() = 0;
    // At once, without flushing and without further signals.
    virtual void abort() = 0;

    virtual qint64 receiveHighWater() const { return DefaultHighWater; }
    virtual qint64 sendHighWater() const { return DefaultHighWater; }
    // The most bytes this stream ever buffered in each direction (for tests and diagnostics).
    virtual qint64 peakReceiveBuffered() const { return 0; }
    virtual qint64 peakSendBuffered() const { return 0; }

Q_SIGNALS:
    void opened();
    void readyRead();
    void bytesWritten();
    void remoteEnded(); // remote finished sending; see remoteFinished()
    void closed();
    void failed(const bl::Error& error);

protected:
    // Subclasses move through the life cycle with these; they emit the matching signals.
    void markOpen();
    void markRemoteFinished();
    void markClosing();
    void markClosed();
    void markFailed(const Error& error);
    // abort(): final state without signals.
    void markAborted();

private:
    State m_state = State::Opening;
    bool m_remoteFinished = false;
    Error m_error;
};

} // namespace bl
