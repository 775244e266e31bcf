#include "core/tunnel/StdioTunnel.h"

#include "core/tunnel/ByteStream.h"
#include "core/tunnel/TunnelTransport.h"

#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace bl {

namespace {

constexpr qint64 chunkSize = 64 * 1024;

Error ioError(const QString& what)
{
    return Error::make(ErrorKind::Io, QStringLiteral("%1: %2").arg(what, QString::fromLocal8Bit(std::strerror(errno))));
}

// Returns the previous flags, or -1.
int makeNonBlocking(int fd)
{
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return -1;
    return flags;
}

} // namespace

StdioTunnel::StdioTunnel(TunnelTransport& transport, int inFd, int outFd, QObject* parent)
    : QObject(parent)
    , m_transport(transport)
    , m_inFd(inFd)
    , m_outFd(outFd)
    , m_highWater(256 * 1024)
{ }

StdioTunnel::~StdioTunnel()
{
    // Other processes may share these descriptions (a terminal, ssh's pipes): leave them as they were.
    if (m_savedInFlags >= 0)
        ::fcntl(m_inFd, F_SETFL, m_savedInFlags);
    if (m_savedOutFlags >= 0)
        ::fcntl(m_outFd, F_SETFL, m_savedOutFlags);
}

Result<void> StdioTunnel::start()
{
    if (m_refuseTerminal && ::isatty(m_inFd)) {
        return Error::make(ErrorKind::Usage, QStringLiteral("Standard input is a terminal"),
                           QStringLiteral("This mode is meant for ssh: use it as ProxyCommand in ~/.ssh/config, or "
                                          "use the tunnel command for a local port."));
    }
    m_savedInFlags = makeNonBlocking(m_inFd);
    if (m_savedInFlags < 0)
        return ioError(QStringLiteral("Cannot use standard input"));
    m_savedOutFlags = makeNonBlocking(m_outFd);
    if (m_savedOutFlags < 0)
        return ioError(QStringLiteral("Cannot use standard output"));
    // A reader that went away must end the tunnel, not the process.
    std::signal(SIGPIPE, SIG_IGN);

    m_inNotifier = new QSocketNotifier(m_inFd, QSocketNotifier::Read, this);
    m_inNotifier->setEnabled(false);
    connect(m_inNotifier, &QSocketNotifier::activated, this, &StdioTunnel::readInput);
    m_outNotifier = new QSocketNotifier(m_outFd, QSocketNotifier::Write, this);
    m_outNotifier->setEnabled(false);
    // Writable again: flush, then take more from the stream (it stopped reading the network while we were full).
    connect(m_outNotifier, &QSocketNotifier::activated, this, &StdioTunnel::pumpOutput);

    m_stream = m_transport.openStream(this);
    connect(m_stream, &ByteStream::opened, this, [this] {
        Q_EMIT opened();
        if (!m_inEnded)
            m_inNotifier->setEnabled(true);
        pumpOutput();
    });
    connect(m_stream, &ByteStream::readyRead, this, &StdioTunnel::pumpOutput);
    connect(m_stream, &ByteStream::bytesWritten, this, [this] {
        if (!m_inEnded && m_stream->isOpen() && m_stream->bytesToWrite() < m_highWater)
            m_inNotifier->setEnabled(true);
    });
    connect(m_stream, &ByteStream::closed, this, &StdioTunnel::onStreamEnded);
    connect(m_stream, &ByteStream::failed, this, [this](const Error& e) {
        m_error = e;
        onStreamEnded();
    });
    return {};
}

void StdioTunnel::readInput()
{
    for (int round = 0; round < 16 && !m_inEnded; ++round) {
        if (!m_stream || !m_stream->isOpen()) {
            m_inNotifier->setEnabled(false);
            return;
        }
        const qint64 room = m_highWater - m_stream->bytesToWrite();
        if (room <= 0) {
            m_inNotifier->setEnabled(false); // bytesWritten() enables it again
            return;
        }
        QByteArray chunk(qMin(chunkSize, room), Qt::Uninitialized);
        const ssize_t n = ::read(m_inFd, chunk.data(), static_cast<size_t>(chunk.size()));
        if (n > 0) {
            chunk.truncate(n);
            m_in += n;
            m_stream->write(chunk);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n < 0)
            m_error = ioError(QStringLiteral("Cannot read standard input"));
        // End of input: the tunnel ends (what was written still goes out first).
        m_inEnded = true;
        m_inNotifier->setEnabled(false);
        m_stream->close();
        return;
    }
}

void StdioTunnel::pumpOutput()
{
    if (!m_stream)
        return;
    for (;;) {
        if (m_outBroken) {
            // Nobody reads our output any more: drop what arrives.
            while (m_stream->bytesAvailable() > 0)
                m_stream->read(chunkSize);
            break;
        }
        while (m_outBuffer.size() < m_highWater && m_stream->bytesAvailable() > 0)
            m_outBuffer.append(m_stream->read(qMin(chunkSize, m_highWater - m_outBuffer.size())));
        m_peakOut = qMax<qint64>(m_peakOut, m_outBuffer.size());
        writeOutput();
        if (!m_outBuffer.isEmpty() || m_stream->bytesAvailable() == 0 || m_outBroken)
            break;
    }
    maybeFinish();
}

void StdioTunnel::writeOutput()
{
    while (!m_outBuffer.isEmpty() && !m_outBroken) {
        const QByteArray front = m_outBuffer.front();
        const ssize_t n = ::write(m_outFd, front.constData(), static_cast<size_t>(front.size()));
        if (n > 0) {
            m_outBuffer.skip(n);
            m_out += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            m_outNotifier->setEnabled(true);
            return;
        }
        // EPIPE and the like: the reader (ssh) is gone, which ends the tunnel normally.
        m_outBroken = true;
        m_outBuffer.clear();
        m_inNotifier->setEnabled(false);
        m_inEnded = true;
        if (m_stream && !m_stream->isFinished())
            m_stream->close();
    }
    m_outNotifier->setEnabled(false);
}

void StdioTunnel::onStreamEnded()
{
    m_streamEnded = true;
    if (m_inNotifier)
        m_inNotifier->setEnabled(false);
    pumpOutput();
}

void StdioTunnel::maybeFinish()
{
    if (m_done || !m_streamEnded)
        return;
    if (!m_outBroken && (!m_outBuffer.isEmpty() || (m_stream && m_stream->bytesAvailable() > 0)))
        return;
    finishWith(m_error ? &*m_error : nullptr);
}

void StdioTunnel::finishWith(const Error* error)
{
    m_done = true;
    if (m_inNotifier)
        m_inNotifier->setEnabled(false);
    if (m_outNotifier)
        m_outNotifier->setEnabled(false);
    if (error)
        Q_EMIT failed(*error);
    else
        Q_EMIT finished();
}

} // namespace bl
