#include "BulkClient.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace BulkPattern {

const unsigned char* data(size_t offset)
{
    // Built once; the tail repeats the head so that a chunk starting anywhere in the period is contiguous.
    static const std::vector<unsigned char> pattern = [] {
        std::vector<unsigned char> p(kPeriod + kChunk);
        uint32_t x = 0x9E3779B9u;
        for (size_t i = 0; i < kPeriod; ++i) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            p[i] = static_cast<unsigned char>(x >> 24);
        }
        std::memcpy(p.data() + kPeriod, p.data(), kChunk);
        return p;
    }();
    return pattern.data() + (offset % kPeriod);
}

} // namespace BulkPattern

namespace BulkSocket {

bool sendAll(int fd, const void* data, size_t size)
{
    const auto* p = static_cast<const unsigned char*>(data);
    while (size > 0) {
        const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

bool recvAll(int fd, void* data, size_t size)
{
    auto* p = static_cast<unsigned char*>(data);
    while (size > 0) {
        const ssize_t n = ::recv(fd, p, size, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

void setTimeouts(int fd, int seconds)
{
    // A relay that stalls must fail the run, not hang it.
    timeval tv {};
    tv.tv_sec = seconds;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

} // namespace BulkSocket

namespace {

constexpr int kIoTimeoutSeconds = 120;

std::string errnoText(const char* what)
{
    return std::string(what) + ": " + std::strerror(errno);
}

void putU64(unsigned char* out, uint64_t v)
{
    for (int i = 7; i >= 0; --i) {
        out[i] = static_cast<unsigned char>(v & 0xFF);
        v >>= 8;
    }
}

uint64_t getU64(const unsigned char* in)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | in[i];
    return v;
}

int connectLocal(uint16_t port, std::string* error)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *error = errnoText("socket");
        return -1;
    }
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        *error = errnoText("connect to 127.0.0.1");
        ::close(fd);
        return -1;
    }
    BulkSocket::setTimeouts(fd, kIoTimeoutSeconds);
    return fd;
}

BulkClient::Result upload(int fd, uint64_t bytes)
{
    BulkClient::Result r;
    uint64_t sent = 0;
    while (sent < bytes) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(BulkPattern::kChunk, bytes - sent));
        if (!BulkSocket::sendAll(fd, BulkPattern::data(sent), n)) {
            r.error = errnoText("send") + " after " + std::to_string(sent) + " bytes";
            return r;
        }
        sent += n;
    }
    unsigned char answer[9];
    if (!BulkSocket::recvAll(fd, answer, sizeof answer)) {
        r.error = "no receipt from the server after sending " + std::to_string(bytes) + " bytes";
        return r;
    }
    r.bytes = getU64(answer);
    if (r.bytes != bytes || answer[8] != 1) {
        r.error = "the server received " + std::to_string(r.bytes) + " of " + std::to_string(bytes) + " bytes"
            + (answer[8] == 1 ? "" : ", and not the bytes sent");
        return r;
    }
    r.ok = true;
    return r;
}

BulkClient::Result download(int fd, uint64_t bytes)
{
    BulkClient::Result r;
    std::vector<unsigned char> buffer(BulkPattern::kChunk);
    uint64_t received = 0;
    for (;;) {
        const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            r.error = errnoText("recv") + " after " + std::to_string(received) + " bytes";
            return r;
        }
        if (n == 0)
            break;
        if (received + static_cast<uint64_t>(n) > bytes
            || std::memcmp(buffer.data(), BulkPattern::data(received), static_cast<size_t>(n)) != 0) {
            r.error = "wrong bytes at offset " + std::to_string(received);
            return r;
        }
        received += static_cast<uint64_t>(n);
    }
    r.bytes = received;
    if (received != bytes) {
        r.error = "received " + std::to_string(received) + " of " + std::to_string(bytes) + " bytes";
        return r;
    }
    r.ok = true;
    return r;
}

} // namespace

BulkClient::Result BulkClient::transfer(uint16_t port, Direction direction, uint64_t bytes)
{
    Result r;
    const int fd = connectLocal(port, &r.error);
    if (fd < 0)
        return r;
    const unsigned char op = direction == Direction::Upload ? 'U' : 'D';
    unsigned char request[16] = {'B', 'L', 'B', '1', op, 0, 0, 0};
    putU64(request + 8, bytes);
    if (!BulkSocket::sendAll(fd, request, sizeof request)) {
        r.error = errnoText("send request");
        ::close(fd);
        return r;
    }
    const auto t0 = std::chrono::steady_clock::now();
    r = direction == Direction::Upload ? upload(fd, bytes) : download(fd, bytes);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ::close(fd);
    return r;
}

BulkClient::Result BulkClient::run(uint16_t port, Direction direction, uint64_t totalBytes, int streams)
{
    streams = std::max(1, streams);
    std::vector<Result> results(static_cast<size_t>(streams));
    std::vector<std::thread> threads;
    const uint64_t share = totalBytes / static_cast<uint64_t>(streams);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < streams; ++i) {
        const uint64_t bytes = i + 1 < streams ? share : totalBytes - share * static_cast<uint64_t>(streams - 1);
        threads.emplace_back([&results, i, port, direction, bytes] {
            results[static_cast<size_t>(i)] = transfer(port, direction, bytes);
        });
    }
    for (std::thread& t : threads)
        t.join();
    Result total;
    total.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    total.ok = true;
    for (size_t i = 0; i < results.size(); ++i) {
        total.bytes += results[i].bytes;
        if (!results[i].ok && total.ok) {
            total.ok = false;
            total.error = "stream " + std::to_string(i + 1) + "/" + std::to_string(streams) + ": " + results[i].error;
        }
    }
    if (total.ok && total.bytes != totalBytes) {
        total.ok = false;
        total.error = "byte count mismatch: " + std::to_string(total.bytes) + " of " + std::to_string(totalBytes);
    }
    return total;
}
