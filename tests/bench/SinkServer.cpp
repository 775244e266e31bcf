#include "SinkServer.h"

#include "BulkClient.h"

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr int kIoTimeoutSeconds = 120;

uint64_t getU64(const unsigned char* in)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | in[i];
    return v;
}

// Receives exactly `bytes` and checks them against the pattern. Returns the count received; *intact
// is false when any byte differed.
uint64_t sinkBytes(int fd, uint64_t bytes, bool* intact)
{
    std::vector<unsigned char> buffer(BulkPattern::kChunk);
    uint64_t received = 0;
    *intact = true;
    while (received < bytes) {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), bytes - received));
        const ssize_t n = ::recv(fd, buffer.data(), want, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (*intact && std::memcmp(buffer.data(), BulkPattern::data(received), static_cast<size_t>(n)) != 0)
            *intact = false;
        received += static_cast<uint64_t>(n);
    }
    return received;
}

bool sourceBytes(int fd, uint64_t bytes)
{
    uint64_t sent = 0;
    while (sent < bytes) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(BulkPattern::kChunk, bytes - sent));
        if (!BulkSocket::sendAll(fd, BulkPattern::data(sent), n))
            return false;
        sent += n;
    }
    return true;
}

} // namespace

SinkServer::~SinkServer()
{
    stop();
}

std::string SinkServer::start()
{
    BulkPattern::data(0); // build the pattern before any worker needs it
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listenFd < 0)
        return std::string("socket: ") + std::strerror(errno);
    const int one = 1;
    ::setsockopt(m_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(m_listenFd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_listenFd, 64) != 0
        || ::getsockname(m_listenFd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        return std::string("cannot listen on 127.0.0.1: ") + std::strerror(errno);
    m_port = ntohs(addr.sin_port);
    m_acceptThread = std::thread([this] { acceptLoop(); });
    return {};
}

void SinkServer::stop()
{
    if (m_listenFd < 0)
        return;
    m_stopping = true;
    // shutdown() wakes the blocking accept() and recv() calls; close() alone would not.
    ::shutdown(m_listenFd, SHUT_RDWR);
    if (m_acceptThread.joinable())
        m_acceptThread.join();
    std::vector<std::thread> workers;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (const int fd : m_open)
            ::shutdown(fd, SHUT_RDWR);
        workers.swap(m_workers);
    }
    for (std::thread& t : workers)
        t.join();
    ::close(m_listenFd);
    m_listenFd = -1;
}

void SinkServer::acceptLoop()
{
    while (!m_stopping) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return; // shut down by stop()
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_stopping) {
            ::close(fd);
            return;
        }
        m_open.push_back(fd);
        m_workers.emplace_back([this, fd] { serve(fd); });
    }
}

void SinkServer::serve(int fd)
{
    BulkSocket::setTimeouts(fd, kIoTimeoutSeconds);
    unsigned char request[16];
    bool failed = false;
    if (BulkSocket::recvAll(fd, request, sizeof request)) {
        const uint64_t bytes = getU64(request + 8);
        if (std::memcmp(request, "BLB1", 4) != 0) {
            failed = true;
        } else if (request[4] == 'U') {
            bool intact = false;
            const uint64_t received = sinkBytes(fd, bytes, &intact);
            unsigned char answer[9];
            uint64_t v = received;
            for (int i = 7; i >= 0; --i) {
                answer[i] = static_cast<unsigned char>(v & 0xFF);
                v >>= 8;
            }
            answer[8] = intact ? 1 : 0;
            failed = received != bytes || !intact || !BulkSocket::sendAll(fd, answer, sizeof answer);
        } else if (request[4] == 'D') {
            failed = !sourceBytes(fd, bytes);
            ::shutdown(fd, SHUT_WR);
            // Wait for the client to close first, so that the last bytes are not cut by a reset.
            unsigned char drain[64];
            while (::recv(fd, drain, sizeof drain, 0) > 0) { }
        } else {
            failed = true;
        }
    }
    if (failed && !m_stopping)
        ++m_failures;
    std::lock_guard<std::mutex> lock(m_mutex);
    std::erase(m_open, fd);
    ::close(fd);
}
