#include "core/tunnel/ByteStream.h"

namespace bl {

ByteStream::~ByteStream() = default;

void ByteStream::markOpen()
{
    if (m_state != State::Opening)
        return;
    m_state = State::Open;
    Q_EMIT opened();
}

void ByteStream::markRemoteFinished()
{
    if (m_remoteFinished)
        return;
    m_remoteFinished = true;
    Q_EMIT remoteEnded();
}

void ByteStream::markClosing()
{
    if (m_state == State::Opening || m_state == State::Open)
        m_state = State::Closing;
}

void ByteStream::markClosed()
{
    if (isFinished())
        return;
    m_state = State::Closed;
    m_remoteFinished = true;
    Q_EMIT closed();
}

void ByteStream::markFailed(const Error& error)
{
    if (isFinished())
        return;
    m_state = State::Failed;
    m_error = error;
    m_remoteFinished = true;
    Q_EMIT failed(error);
}

void ByteStream::markAborted()
{
    if (isFinished())
        return;
    m_state = State::Closed;
    m_remoteFinished = true;
}

} // namespace bl
