#include "StdioPipes.h"

#include <fcntl.h>
#include <unistd.h>

StdioPipes::StdioPipes()
{
    m_ok = ::pipe(m_in) == 0 && ::pipe(m_out) == 0;
    if (m_ok)
        ::fcntl(m_out[0], F_SETFL, O_NONBLOCK);
}

StdioPipes::~StdioPipes()
{
    for (int fd : {m_in[0], m_in[1], m_out[0], m_out[1]}) {
        if (fd >= 0)
            ::close(fd);
    }
}

bool StdioPipes::send(const QByteArray& bytes)
{
    const auto size = static_cast<size_t>(bytes.size());
    return ::write(m_in[1], bytes.constData(), size) == static_cast<ssize_t>(size);
}

void StdioPipes::closeInput()
{
    ::close(m_in[1]);
    m_in[1] = -1;
}

QByteArray StdioPipes::readSome(int maxBytes)
{
    QByteArray got(maxBytes, Qt::Uninitialized);
    const ssize_t n = ::read(m_out[0], got.data(), static_cast<size_t>(maxBytes));
    got.resize(n > 0 ? static_cast<qsizetype>(n) : 0);
    return got;
}

QByteArray StdioPipes::readAvailable()
{
    QByteArray got;
    for (;;) {
        const QByteArray chunk = readSome(65536);
        if (chunk.isEmpty())
            break;
        got += chunk;
    }
    return got;
}

void StdioPipes::closeOutput()
{
    ::close(m_out[0]);
    m_out[0] = -1;
}
