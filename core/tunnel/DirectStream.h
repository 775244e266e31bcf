#pragma once
// DirectStream: a plain TCP connection to the instance's own address (public IP, or private IP over a VPN).
// The socket's read buffer is capped at the high-water mark, so an unread stream stops reading from the kernel
// and TCP flow control slows the instance down.

#include "core/tunnel/ByteStream.h"

#include <QPointer>

class QTcpSocket;
class QTimer;

namespace bl {

class DirectStream : public ByteStream
{
    Q_OBJECT

public:
    // description: for messages ("10.0.1.23 port 22 of i-0123..."). Connects at once.
    DirectStream(const QString& host, quint16 port, const QString& description, int connectTimeoutMs, qint64 highWater,
                 QObject* parent = nullptr);
    ~DirectStream() override;

    qint64 bytesAvailable() const override;
    QByteArray read(qint64 maxSize) override;
    void write(const QByteArray& data) override;
    qint64 bytesToWrite() const override;
    void close() override;
    void abort() override;
    qint64 receiveHighWater() const override { return m_highWater; }
    qint64 sendHighWater() const override { return m_highWater; }
    qint64 peakReceiveBuffered() const override { return m_peakRx; }
    qint64 peakSendBuffered() const override { return m_peakTx; }

private:
    void onError();
    void onDisconnected();

    QTcpSocket* m_socket;
    QTimer* m_connectTimer;
    QString m_description;
    int m_connectTimeoutMs;
    qint64 m_highWater;
    bool m_closeRequested = false;
    qint64 m_peakRx = 0;
    qint64 m_peakTx = 0;
};

} // namespace bl
