#include "BulkTransfer.h"

#include <QCryptographicHash>
#include <QElapsedTimer>

#include <chrono>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr qint64 kBlock = 64 * 1024;

// The same pseudo-random stream on both ends (xorshift32), block by block.
class Stream
{
public:
    explicit Stream(quint32 seed)
        : m_x(seed ? seed : 0x9E3779B9u)
    { }
    void fill(char* data, qint64 size)
    {
        for (qint64 i = 0; i < size; ++i) {
            m_x ^= m_x << 13;
            m_x ^= m_x >> 17;
            m_x ^= m_x << 5;
            data[i] = static_cast<char>(m_x);
        }
    }

private:
    quint32 m_x;
};

bool sendAll(int fd, const char* data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::send(fd, data, static_cast<size_t>(size), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= n;
    }
    return true;
}

bool recvAll(int fd, char* data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::recv(fd, data, static_cast<size_t>(size), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= n;
    }
    return true;
}

void putU64(char* out, quint64 v)
{
    for (int i = 7; i >= 0; --i) {
        out[i] = static_cast<char>(v & 0xff);
        v >>= 8;
    }
}

quint64 getU64(const char* in)
{
    quint64 v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | static_cast<unsigned char>(in[i]);
    return v;
}

int connectTo(quint16 port, int timeoutSecs)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv {timeoutSecs, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// readRate (bytes per second, download only, 0 = as fast as possible) makes a reader slower than the tunnel.
BulkResult transfer(quint16 port, qint64 bytes, quint32 seed, int timeoutSecs, bool upload, qint64 readRate = 0)
{
    BulkResult r;
    r.bytes = bytes;
    QElapsedTimer timer;
    timer.start();
    const int fd = connectTo(port, timeoutSecs);
    if (fd < 0) {
        r.error =
            QStringLiteral("cannot connect to 127.0.0.1:%1: %2").arg(port).arg(QString::fromLocal8Bit(strerror(errno)));
        return r;
    }
    char head[13];
    head[0] = upload ? 'U' : 'D';
    putU64(head + 1, static_cast<quint64>(bytes));
    for (int i = 0; i < 4; ++i)
        head[9 + i] = static_cast<char>(seed >> (8 * (3 - i)));
    QCryptographicHash mine(QCryptographicHash::Sha256);
    QCryptographicHash theirs(QCryptographicHash::Sha256);
    QByteArray block(kBlock, Qt::Uninitialized);
    QByteArray expect(kBlock, Qt::Uninitialized);
    Stream stream(seed);
    bool ok = sendAll(fd, head, sizeof head);
    qint64 left = bytes;
    qint64 firstDifference = -1;
    QString diffDetail;
    while (ok && left > 0) {
        const qint64 n = qMin(left, kBlock);
        stream.fill(expect.data(), n);
        mine.addData(QByteArrayView(expect.constData(), n));
        if (upload) {
            ok = sendAll(fd, expect.constData(), n);
        } else {
            if (readRate > 0) {
                const qint64 dueNs = (bytes - left) * 1000000000 / readRate;
                const qint64 aheadNs = dueNs - timer.nsecsElapsed();
                if (aheadNs > 0)
                    std::this_thread::sleep_for(std::chrono::nanoseconds(aheadNs));
            }
            ok = recvAll(fd, block.data(), n);
            if (ok)
                theirs.addData(QByteArrayView(block.constData(), n));
            if (ok && firstDifference < 0 && std::memcmp(block.constData(), expect.constData(), size_t(n)) != 0) {
                qint64 i = 0;
                while (block.at(i) == expect.at(i))
                    ++i;
                firstDifference = bytes - left + i;
                diffDetail = QStringLiteral(" got %1 expected %2")
                                 .arg(QString::fromLatin1(block.mid(i, 24).toHex()),
                                      QString::fromLatin1(expect.mid(i, 24).toHex()));
            }
        }
        left -= n;
    }
    if (ok && upload) {
        char digest[32];
        ok = recvAll(fd, digest, 32);
        if (ok)
            r.received = QByteArray(digest, 32).toHex();
    } else if (ok) {
        r.received = theirs.result().toHex();
    }
    ::close(fd);
    r.sent = mine.result().toHex();
    r.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    if (!ok) {
        r.error = QStringLiteral("%1 ended after %2 of %3 bytes: %4")
                      .arg(upload ? QStringLiteral("upload") : QStringLiteral("download"))
                      .arg(bytes - left)
                      .arg(bytes)
                      .arg(QString::fromLocal8Bit(strerror(errno)));
        return r;
    }
    r.ok = r.sent == r.received;
    if (!r.ok)
        r.error = QStringLiteral("SHA-256 differs: sent %1, received %2%3")
                      .arg(QString::fromLatin1(r.sent), QString::fromLatin1(r.received),
                           firstDifference < 0 ? QString()
                                               : QStringLiteral(" (the first difference is at byte %1:%2)")
                                                     .arg(firstDifference)
                                                     .arg(diffDetail));
    return r;
}

} // namespace

BulkServer::BulkServer()
{
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_fd, 64) != 0
        || ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
        return;
    }
    m_port = ntohs(addr.sin_port);
    m_acceptor = std::thread([this] { acceptLoop(); });
}

BulkServer::~BulkServer()
{
    m_stop = true;
    if (m_acceptor.joinable())
        m_acceptor.join();
    if (m_fd >= 0)
        ::close(m_fd);
    {
        // A test that failed mid-transfer leaves workers blocked in send() to a tunnel nobody reads any more.
        const std::lock_guard<std::mutex> lock(m_mutex);
        for (int fd : m_open)
            ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& w : m_workers)
        w.join();
}

void BulkServer::acceptLoop()
{
    while (!m_stop) {
        pollfd p {m_fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0)
            continue;
        const int fd = ::accept(m_fd, nullptr, nullptr);
        if (fd < 0)
            continue;
        timeval tv {600, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_open.push_back(fd);
        }
        m_workers.emplace_back([this, fd] { serve(fd); });
    }
}

void BulkServer::serve(int fd)
{
    char head[13];
    if (recvAll(fd, head, sizeof head)) {
        const qint64 bytes = static_cast<qint64>(getU64(head + 1));
        quint32 seed = 0;
        for (int i = 0; i < 4; ++i)
            seed = (seed << 8) | static_cast<unsigned char>(head[9 + i]);
        QByteArray block(kBlock, Qt::Uninitialized);
        if (head[0] == 'U') {
            QCryptographicHash h(QCryptographicHash::Sha256);
            qint64 left = bytes;
            bool ok = true;
            while (ok && left > 0) {
                const qint64 n = qMin(left, kBlock);
                ok = recvAll(fd, block.data(), n);
                h.addData(QByteArrayView(block.constData(), n));
                left -= n;
            }
            if (ok) {
                const QByteArray digest = h.result();
                sendAll(fd, digest.constData(), digest.size());
            }
        } else if (head[0] == 'D') {
            Stream stream(seed);
            qint64 left = bytes;
            while (left > 0 && !m_stop) {
                const qint64 n = qMin(left, kBlock);
                stream.fill(block.data(), n);
                if (!sendAll(fd, block.constData(), n))
                    break;
                left -= n;
            }
        }
    }
    ::shutdown(fd, SHUT_WR);
    char drain[256];
    while (::recv(fd, drain, sizeof drain, 0) > 0) { }
    const std::lock_guard<std::mutex> lock(m_mutex);
    std::erase(m_open, fd);
    ::close(fd);
}

std::future<BulkResult> bulkUpload(quint16 port, qint64 bytes, quint32 seed, int timeoutSecs)
{
    return std::async(std::launch::async, [=] { return transfer(port, bytes, seed, timeoutSecs, true); });
}

std::future<BulkResult> bulkDownload(quint16 port, qint64 bytes, quint32 seed, int timeoutSecs, qint64 readRate)
{
    return std::async(std::launch::async, [=] { return transfer(port, bytes, seed, timeoutSecs, false, readRate); });
}
