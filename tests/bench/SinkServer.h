#pragma once
// The far end of the tunnel benchmark: a TCP server on 127.0.0.1 that sinks or sources bulk data with
// blocking POSIX sockets, one thread per connection, so that it competes with the relays only for CPU and
// never for the Qt event loop that serves fakeaws. Its tiny protocol (BulkClient speaks the other side):
//   request  16 bytes: "BLB1", op 'U' (client uploads) or 'D' (client downloads), 3 zero bytes, N (u64 BE)
//   upload   the client sends N bytes; the server checks them against BulkPattern and answers 9 bytes:
//            the count it received (u64 BE) and 1 when every byte matched, else 0
//   download the server sends N bytes of BulkPattern and closes
// A connection that closes before a full request (a relay's readiness probe) is not an error.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

class SinkServer
{
public:
    SinkServer() = default;
    ~SinkServer();
    SinkServer(const SinkServer&) = delete;
    SinkServer& operator=(const SinkServer&) = delete;

    // Listens on 127.0.0.1:<any free port>. Empty on success, else why not.
    std::string start();
    void stop();
    uint16_t port() const { return m_port; }
    // Requests that ended badly (short read, wrong bytes, send failure) since start.
    int failures() const { return m_failures.load(); }

private:
    void acceptLoop();
    void serve(int fd);

    int m_listenFd = -1;
    uint16_t m_port = 0;
    std::atomic<bool> m_stopping {false};
    std::atomic<int> m_failures {0};
    std::thread m_acceptThread;
    std::mutex m_mutex;
    std::vector<std::thread> m_workers;
    std::vector<int> m_open; // connection sockets still being served, shut down by stop()
};
