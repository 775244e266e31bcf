#pragma once
// Socket helpers shared by the tunnel tests: connect a client to a local port, wait for a condition while running
// the event loop, check an echo, wait for the end. They wait with QSignalSpy, which runs the event loop without the
// 10 ms naps of QTest::qWaitFor: each tunnel round trip crosses many sockets in this one thread.

#include <QElapsedTimer>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpSocket>

#include <memory>

class TestSockets
{
public:
    // A client of a local listener, connected.
    static std::unique_ptr<QTcpSocket> connectTo(quint16 port)
    {
        auto s = std::make_unique<QTcpSocket>();
        s->setProxy(QNetworkProxy::NoProxy);
        QSignalSpy connected(s.get(), &QTcpSocket::connected);
        s->connectToHost(QHostAddress::LocalHost, port);
        if (s->state() != QAbstractSocket::ConnectedState && !connected.wait(5000))
            return nullptr;
        s->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        return s;
    }

    // Waits until condition holds, running the event loop; false on timeout.
    template<typename Condition>
    static bool waitUntil(QObject* sender, const char* signal, Condition condition, int timeoutMs = 10000)
    {
        QElapsedTimer timer;
        timer.start();
        while (!condition()) {
            const qint64 left = timeoutMs - timer.elapsed();
            if (left <= 0)
                return false;
            QSignalSpy spy(sender, signal);
            spy.wait(static_cast<int>(qMin<qint64>(left, 100)));
        }
        return true;
    }

    // Sends data and waits for the same bytes back; false on timeout or mismatch.
    static bool echoes(QTcpSocket& s, const QByteArray& data, int timeoutMs = 10000)
    {
        s.write(data);
        QByteArray got;
        const bool done = waitUntil(
            &s, SIGNAL(readyRead()),
            [&] {
                got += s.readAll();
                return got.size() >= data.size() || s.state() != QAbstractSocket::ConnectedState;
            },
            timeoutMs);
        if (!done)
            qWarning("no echo within %d ms", timeoutMs);
        got += s.readAll();
        return got == data;
    }

    static bool waitDisconnected(QTcpSocket& s, int timeoutMs = 10000)
    {
        return waitUntil(
            &s, SIGNAL(disconnected()),
            [&] {
                s.readAll();
                return s.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
    }
};
