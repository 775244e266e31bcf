#pragma once
// The client side of SinkServer's protocol, and the byte pattern both sides use: blocking POSIX sockets,
// one thread per stream. transfer() moves `bytes` through one connection to 127.0.0.1:port and checks every
// byte that comes back; run() splits a total over several parallel streams and times the whole.

#include <cstddef>
#include <cstdint>
#include <string>

namespace BulkPattern {
// The data sent in both directions: a pseudo-random 1 MiB period, so that compression could not help and a
// receiver can check any chunk with memcmp against data(offset % period()).
constexpr size_t kPeriod = 1024 * 1024;
constexpr size_t kChunk = 256 * 1024; // largest read or write; data() is readable kPeriod + kChunk bytes
const unsigned char* data(size_t offset);
} // namespace BulkPattern

// Socket helpers shared by the server and the client.
namespace BulkSocket {
bool sendAll(int fd, const void* data, size_t size);
bool recvAll(int fd, void* data, size_t size);
void setTimeouts(int fd, int seconds);
} // namespace BulkSocket

class BulkClient
{
public:
    enum class Direction { Upload, Download };

    struct Result
    {
        bool ok = false;
        std::string error; // what went wrong, when !ok
        uint64_t bytes = 0; // bytes confirmed (upload) or received and checked (download)
        double seconds = 0; // wall time from the first connect to the last stream's end
    };

    // One stream: connect, request, move the bytes, check them.
    static Result transfer(uint16_t port, Direction direction, uint64_t bytes);
    // `streams` connections at once, each carrying totalBytes / streams (the last one the remainder).
    static Result run(uint16_t port, Direction direction, uint64_t totalBytes, int streams);
};
