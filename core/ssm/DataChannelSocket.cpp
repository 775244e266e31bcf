#include "core/ssm/DataChannelSocket.h"

#include "core/aws/http/AwsHttpClient.h"
#include "core/aws/http/ProxyFactory.h"
#include "core/ssm/SsmLog.h"
#include "core/ssm/SsmStreamUrl.h"

#include <QNetworkProxyQuery>
#include <QNetworkRequest>
#include <QTimer>
#include <QWebSocket>

namespace bl {

DataChannelSocket::DataChannelSocket(AwsHttpClient& http, DataChannelSocketOptions options, QObject* parent)
    : QObject(parent)
    , m_http(http)
    , m_options(std::move(options))
    , m_connectTimer(new QTimer(this))
    , m_pingTimer(new QTimer(this))
{
    // The same trust as the API calls (AWS_CA_BUNDLE / ca_bundle): a private CA configured for one works for both.
    auto ssl = makeSslConfiguration(http.settings().caBundlePath);
    if (ssl)
        m_ssl = ssl.value();
    else
        m_sslError = ssl.error();
    m_connectTimer->setSingleShot(true);
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        drop(Error::make(ErrorKind::Timeout,
                         QStringLiteral("The Session Manager data channel (%1) did not answer within %2 s")
                             .arg(m_url.host())
                             .arg(m_options.connectTimeoutMs / 1000),
                         QStringLiteral("Check the network, any proxy (HTTPS_PROXY) and whether this computer can "
                                        "reach the ssmmessages endpoint (%1 overrides its host).")
                             .arg(QLatin1String(SsmStreamUrl::EndpointVariable))));
    });
    connect(m_pingTimer, &QTimer::timeout, this, [this] {
        if (m_socket && m_open) {
            m_socket->ping(QByteArrayLiteral("keepalive"));
            ++m_pings;
        }
    });
}

DataChannelSocket::~DataChannelSocket()
{
    releaseSocket();
}

void DataChannelSocket::open(const QString& streamUrl, const QByteArray& openFrame,
                             const std::optional<Credentials>& credentials)
{
    releaseSocket();
    m_open = false;
    m_readErrors = 0;
    auto url = SsmStreamUrl::resolve(streamUrl, m_options.endpointOverride);
    if (!url) {
        QTimer::singleShot(0, this, [this, e = url.error()] { Q_EMIT disconnected(e); });
        return;
    }
    m_url = *url;
    if (m_sslError) {
        QTimer::singleShot(0, this, [this, e = *m_sslError] { Q_EMIT disconnected(e); });
        return;
    }
    m_openFrame = openFrame;

    ProxyFactory proxies(m_http.settings().httpsProxy, m_http.settings().noProxy);
    const int port = m_url.port(443);
    const QList<QNetworkProxy> chosen =
        proxies.queryProxy(QNetworkProxyQuery(m_url.host(), port, QStringLiteral("https")));
    m_proxy = chosen.isEmpty() ? QNetworkProxy(QNetworkProxy::NoProxy) : chosen.first();

    QNetworkRequest request(m_url);
    request.setRawHeader(QByteArrayLiteral("User-Agent"), m_http.settings().userAgent);
    if (credentials && m_options.signUpgrade) {
        const auto headers = SsmStreamUrl::signUpgrade(m_url, *credentials, m_options.region, m_http.signingTime());
        for (const auto& h : headers)
            request.setRawHeader(h.first, h.second);
    }

    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setProxy(m_proxy);
    m_socket->setSslConfiguration(m_ssl);
    m_socket->setMaxAllowedIncomingMessageSize(static_cast<quint64>(m_options.maxMessageBytes));
    connect(m_socket, &QWebSocket::connected, this, &DataChannelSocket::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &DataChannelSocket::onDisconnected);
    connect(m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            &DataChannelSocket::onError);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& message) {
        m_readErrors = 0;
        Q_EMIT messageReceived(message, false);
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString& message) {
        m_readErrors = 0;
        Q_EMIT messageReceived(message.toUtf8(), true);
    });
    qCDebug(lcSsm).noquote() << "opening the SSM data channel to" << m_url.host()
                             << (m_proxy.type() == QNetworkProxy::NoProxy ? QString()
                                                                          : QStringLiteral("through a proxy"));
    m_connectTimer->start(m_options.connectTimeoutMs);
    m_socket->open(request);
}

void DataChannelSocket::onConnected()
{
    m_connectTimer->stop();
    m_open = true;
    m_socket->sendTextMessage(QString::fromUtf8(m_openFrame));
    if (m_options.pingIntervalMs > 0)
        m_pingTimer->start(m_options.pingIntervalMs);
    Q_EMIT opened();
}

void DataChannelSocket::onError()
{
    if (!m_socket)
        return;
    const auto code = m_socket->error();
    if (code == QAbstractSocket::RemoteHostClosedError)
        return; // disconnected() follows
    ++m_readErrors;
    // Before the upgrade any error ends the attempt; afterwards only repeated ones, as the plugin does.
    if (!m_open || m_readErrors >= m_options.maxReadErrors || m_socket->state() == QAbstractSocket::UnconnectedState) {
        Error e = Error::make(ErrorKind::Network,
                              QStringLiteral("The Session Manager data channel to %1 failed: %2")
                                  .arg(m_url.host(), m_socket->errorString()));
        if (code == QAbstractSocket::SslHandshakeFailedError)
            e.hint = QStringLiteral("The TLS certificate is not trusted; AWS_CA_BUNDLE / ca_bundle must name the CA "
                                    "of any TLS-inspecting proxy.");
        drop(e);
    }
}

void DataChannelSocket::onDisconnected()
{
    if (!m_socket)
        return;
    const auto code = m_socket->closeCode();
    const QString reason = m_socket->closeReason();
    drop(Error::make(ErrorKind::Network,
                     QStringLiteral("The Session Manager data channel closed (%1%2)")
                         .arg(static_cast<int>(code))
                         .arg(reason.isEmpty() ? QString() : QStringLiteral(": ") + reason)));
}

void DataChannelSocket::drop(const Error& reason)
{
    const bool wasOpen = m_open;
    Error error = reason;
    if (!wasOpen && error.hint.isEmpty())
        error.hint = QStringLiteral("Check the network and any proxy (HTTPS_PROXY / NO_PROXY); a corporate network "
                                    "may need its own ssmmessages endpoint (%1).")
                         .arg(QLatin1String(SsmStreamUrl::EndpointVariable));
    m_open = false;
    m_connectTimer->stop();
    m_pingTimer->stop();
    if (!m_socket)
        return;
    releaseSocket();
    qCInfo(lcSsm).noquote() << (wasOpen ? "SSM data channel lost:" : "SSM data channel not opened:") << error.message;
    Q_EMIT disconnected(error);
}

void DataChannelSocket::sendBinary(const QByteArray& message)
{
    if (m_socket && m_open)
        m_socket->sendBinaryMessage(message);
}

qint64 DataChannelSocket::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void DataChannelSocket::close()
{
    m_open = false;
    m_connectTimer->stop();
    m_pingTimer->stop();
    if (m_socket) {
        QWebSocket* socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        socket->close();
        socket->deleteLater();
    }
}

void DataChannelSocket::releaseSocket()
{
    if (!m_socket)
        return;
    QWebSocket* socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

} // namespace bl
