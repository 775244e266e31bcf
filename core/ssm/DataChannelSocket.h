#pragma once
// DataChannelSocket: the thin adapter between a Session Manager data channel and its WebSocket (PROTOCOLS.md
// §6.2), the only place QWebSocket is used for SSM. It opens the StreamUrl verbatim (or on the configured
// ssmmessages host), SigV4-signs the upgrade, uses the same TLS trust and proxy as every AWS API call, sends the
// OpenDataChannel text frame first and binary ClientMessages after it, pings "keepalive" every 5 minutes, and
// reports every received message (text or binary) and the end of the connection. Protocol state lives
// elsewhere (DataChannel); this class knows nothing about sequence numbers.

#include "core/aws/base/Credentials.h"
#include "core/util/Result.h"

#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrl>

#include <optional>

class QTimer;
class QWebSocket;

namespace bl {

class AwsHttpClient;

struct DataChannelSocketOptions
{
    QString region; // signing region (the session's)
    QString endpointOverride; // host[:port] replacing the StreamUrl's host; see SsmStreamUrl
    int connectTimeoutMs = 20000;
    int pingIntervalMs = 5 * 60 * 1000;
    int maxReadErrors = 5; // consecutive socket errors before giving the connection up
    qint64 maxMessageBytes = 16 * 1024 * 1024;
    bool signUpgrade = true; // SigV4 header signing of the upgrade (skipped anyway with query auth)
};

class DataChannelSocket : public QObject
{
    Q_OBJECT

public:
    // http provides the TLS configuration, the proxy settings, the user agent and the skew-corrected signing
    // time; it must outlive the socket.
    DataChannelSocket(AwsHttpClient& http, DataChannelSocketOptions options, QObject* parent = nullptr);
    ~DataChannelSocket() override;

    // Connects to streamUrl and, once upgraded, sends openFrame as a text frame, then emits opened().
    // credentials: for signing the upgrade (nullopt: unsigned). A socket already open is dropped first.
    void open(const QString& streamUrl, const QByteArray& openFrame, const std::optional<Credentials>& credentials);
    void sendBinary(const QByteArray& message);
    // Ends the connection without emitting disconnected().
    void close();

    bool isOpen() const { return m_open; }
    qint64 bytesToWrite() const;
    // What was (or would be) opened: for tests and logs. Never contains credentials.
    QUrl url() const { return m_url; }
    const QSslConfiguration& sslConfiguration() const { return m_ssl; }
    QNetworkProxy proxy() const { return m_proxy; }
    qint64 pingsSent() const { return m_pings; }

Q_SIGNALS:
    void opened();
    void messageReceived(const QByteArray& message, bool text);
    // The connection ended or could not be opened; error says why. Not emitted after close().
    void disconnected(const bl::Error& error);

private:
    void onConnected();
    void onError();
    void onDisconnected();
    void drop(const Error& reason);
    void releaseSocket();

    AwsHttpClient& m_http;
    DataChannelSocketOptions m_options;
    QSslConfiguration m_ssl;
    std::optional<Error> m_sslError;
    QNetworkProxy m_proxy = QNetworkProxy(QNetworkProxy::NoProxy);
    QPointer<QWebSocket> m_socket;
    QTimer* m_connectTimer;
    QTimer* m_pingTimer;
    QUrl m_url;
    QByteArray m_openFrame;
    bool m_open = false;
    int m_readErrors = 0;
    qint64 m_pings = 0;
};

} // namespace bl
