#pragma once
// StdioTunnel: one tunnel stream between this process's stdin/stdout and a transport, for
// `bastionless-cli proxy` as an ssh ProxyCommand. stdout carries only tunnel bytes. Both descriptors are made
// non-blocking and watched with QSocketNotifier; stdin is read only while the stream has room, and the stream
// is read only while the stdout buffer has room, so neither side can make memory grow. End of stdin closes the
// stream (as the AWS CLI does; EICE has no half-close); the stream's end flushes stdout and finishes.
// POSIX descriptors (Linux and macOS).

#include "core/tunnel/ByteQueue.h"
#include "core/tunnel/ByteStream.h"
#include "core/util/Result.h"

#include <QObject>
#include <QPointer>

#include <optional>

class QSocketNotifier;

namespace bl {

class TunnelTransport;

class StdioTunnel : public QObject
{
    Q_OBJECT

public:
    // transport must outlive this object. The descriptors are not closed, only restored to their flags.
    StdioTunnel(TunnelTransport& transport, int inFd = 0, int outFd = 1, QObject* parent = nullptr);
    ~StdioTunnel() override;

    // Interactive use makes no sense (ssh talks binary over the pipe): by default start() refuses a terminal.
    void setRefuseTerminal(bool refuse) { m_refuseTerminal = refuse; }
    void setHighWater(qint64 bytes) { m_highWater = bytes; }

    // Opens the stream and starts relaying; an Error when the descriptors cannot be used.
    Result<void> start();

    qint64 bytesIn() const { return m_in; } // stdin -> remote
    qint64 bytesOut() const { return m_out; } // remote -> stdout
    qint64 peakOutBuffered() const { return m_peakOut; }
    ByteStream* stream() const { return m_stream; }

Q_SIGNALS:
    void opened();
    void finished(); // the tunnel ended normally and stdout is flushed
    void failed(const bl::Error& error);

private:
    void readInput();
    void pumpOutput();
    void writeOutput();
    void onStreamEnded();
    void maybeFinish();
    void finishWith(const Error* error);

    TunnelTransport& m_transport;
    int m_inFd;
    int m_outFd;
    int m_savedInFlags = -1;
    int m_savedOutFlags = -1;
    bool m_refuseTerminal = true;
    qint64 m_highWater;
    QPointer<ByteStream> m_stream;
    QSocketNotifier* m_inNotifier = nullptr;
    QSocketNotifier* m_outNotifier = nullptr;
    ByteQueue m_outBuffer;
    bool m_inEnded = false;
    bool m_outBroken = false;
    bool m_streamEnded = false;
    bool m_done = false;
    std::optional<Error> m_error;
    qint64 m_in = 0;
    qint64 m_out = 0;
    qint64 m_peakOut = 0;
};

} // namespace bl
