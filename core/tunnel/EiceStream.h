#pragma once
// EiceStream: one tunnel connection through an EC2 Instance Connect Endpoint. It waits for one of the endpoint's
// connection slots, fetches credentials, presigns a fresh URL (valid 60 s) with the skew-corrected time, and opens
// a WebSocket whose binary frames carry the TCP bytes. A 403 whose Date shows a clock offset corrects the skew
// and tries once more; other refusals and non-1000 closes become Errors with hints (EiceErrors). The slot is
// given back as soon as the WebSocket ends.

#include "core/tunnel/ByteQueue.h"
#include "core/tunnel/ByteStream.h"
#include "core/tunnel/EiceTarget.h"
#include "core/tunnel/WebSocketHandshake.h"

#include <QNetworkProxy>
#include <QPointer>
#include <QSslConfiguration>

#include <memory>

namespace bl {

class AwsHttpClient;
class ConnectionSlots;
class CredentialsProvider;
class WebSocketClient;
struct Credentials;

struct EiceStreamOptions
{
    int handshakeTimeoutMs = 20000;
    int closeTimeoutMs = 5000;
    qint64 highWater = ByteStream::DefaultHighWater;
    qint64 maxFramePayload = 65000;
    QByteArray userAgent = "bastionless/" BL_VERSION;
};

// What every stream of one EiceTransport shares. http and credentials must outlive the streams.
struct EiceStreamSetup
{
    EiceTarget target;
    AwsHttpClient* http = nullptr;
    CredentialsProvider* credentials = nullptr;
    std::shared_ptr<ConnectionSlots> slots;
    Result<QSslConfiguration> ssl = QSslConfiguration();
    QNetworkProxy proxy = QNetworkProxy(QNetworkProxy::NoProxy);
    EiceStreamOptions options;
};

class EiceStream : public ByteStream
{
    Q_OBJECT

public:
    // Starts opening at once (from the event loop).
    EiceStream(EiceStreamSetup setup, QObject* parent = nullptr);
    ~EiceStream() override;

    qint64 bytesAvailable() const override;
    QByteArray read(qint64 maxSize) override;
    void write(const QByteArray& data) override;
    qint64 bytesToWrite() const override;
    void close() override;
    void abort() override;
    qint64 receiveHighWater() const override { return m_setup.options.highWater; }
    qint64 sendHighWater() const override { return m_setup.options.highWater; }
    qint64 peakReceiveBuffered() const override;
    qint64 peakSendBuffered() const override;

    // How many WebSocket upgrades this stream attempted (2 after a clock-skew retry).
    int attempts() const { return m_attempts; }

private:
    void onSlot(const Result<void>& granted);
    void fetchCredentials();
    void connectWebSocket(const Credentials& credentials);
    void onOpened();
    void onRejected(const HttpResponseHead& head, const QByteArray& body);
    void onClosed(quint16 code, const QString& reason);
    void fail(const Error& error);
    void releaseSlot();
    void dropWebSocket();

    EiceStreamSetup m_setup;
    QPointer<WebSocketClient> m_ws;
    ByteQueue m_pending; // written while still opening
    bool m_closeRequested = false;
    bool m_skewRetried = false;
    int m_attempts = 0;
    QString m_accountId;
    qint64 m_peakRx = 0; // of WebSockets already dropped (a refused first attempt)
    qint64 m_peakTx = 0;
};

} // namespace bl
