#pragma once
// Bulk transfers for the end-to-end tunnel tests, on threads of their own with blocking sockets so that they
// neither wait for nor slow down the Qt event loop that serves the in-process fakeaws. The server stands in
// for a service on the instance: "U<n>" makes it read n bytes and answer their SHA-256; "D<n><seed>" makes it
// send n pseudo-random bytes. Clients check what arrived against what was meant.

#include <QByteArray>
#include <QString>

#include <atomic>
#include <cstdint>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

struct BulkResult
{
    bool ok = false;
    QString error;
    QByteArray sent; // SHA-256 (hex) of what was sent
    QByteArray received; // SHA-256 (hex) of what the other side got
    qint64 bytes = 0;
    double seconds = 0;
};

class BulkServer
{
public:
    BulkServer();
    ~BulkServer();
    quint16 port() const { return m_port; }
    bool isListening() const { return m_fd >= 0; }

private:
    void acceptLoop();
    void serve(int fd);

    int m_fd = -1;
    quint16 m_port = 0;
    std::atomic<bool> m_stop {false};
    std::thread m_acceptor;
    std::vector<std::thread> m_workers;
    std::mutex m_mutex;
    std::vector<int> m_open; // connections being served, shut down by the destructor so that no worker blocks it
};

// Uploads `bytes` pseudo-random bytes to 127.0.0.1:port (a BulkServer, possibly through a tunnel).
std::future<BulkResult> bulkUpload(quint16 port, qint64 bytes, quint32 seed, int timeoutSecs = 600);
// Downloads `bytes` from it, reading at most readRate bytes per second when readRate > 0 (a slow local client).
std::future<BulkResult> bulkDownload(quint16 port, qint64 bytes, quint32 seed, int timeoutSecs = 600,
                                     qint64 readRate = 0);
