#include "HttpsServer.h"

#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>

#include <algorithm>

namespace fakeaws {

HttpsServer::HttpsServer(QObject* parent)
    : QObject(parent)
{ }

HttpsServer::~HttpsServer()
{
    close();
}

void HttpsServer::setCertificate(const QList<QSslCertificate>& chain, const QSslKey& key)
{
    m_chain = chain;
    m_key = key;
}

QString HttpsServer::listen(quint16 port)
{
    if (m_chain.isEmpty() || m_key.isNull())
        return QStringLiteral("no server certificate configured");
    if (!QSslSocket::supportsSsl())
        return QStringLiteral("Qt has no TLS backend (is the OpenSSL plugin installed?)");
    close();

    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(m_chain);
    tls.setPrivateKey(m_key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    tls.setProtocol(QSsl::TlsV1_2OrLater);

    m_server = std::make_unique<QSslServer>();
    m_server->setSslConfiguration(tls);
    m_server->setHandshakeTimeout(10'000);
    m_server->setMaxPendingConnections(256);
    connect(m_server.get(), &QSslServer::pendingConnectionAvailable, this, &HttpsServer::onPendingConnection);
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        const QString why = m_server->errorString();
        m_server.reset();
        return QStringLiteral("cannot listen on 127.0.0.1:%1: %2").arg(port).arg(why);
    }
    return {};
}

void HttpsServer::close()
{
    if (m_server) {
        m_server->close();
        m_server.reset();
    }
    const auto connections = m_connections;
    m_connections.clear();
    for (const auto& connection : connections) {
        if (connection)
            connection->close();
    }
}

bool HttpsServer::isListening() const
{
    return m_server && m_server->isListening();
}

quint16 HttpsServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

int HttpsServer::connectionCount() const
{
    return static_cast<int>(std::count_if(m_connections.cbegin(), m_connections.cend(),
                                          [](const QPointer<HttpConnection>& c) { return !c.isNull(); }));
}

void HttpsServer::onPendingConnection()
{
    while (m_server && m_server->hasPendingConnections()) {
        auto* socket = qobject_cast<QSslSocket*>(m_server->nextPendingConnection());
        if (!socket)
            continue;
        ++m_accepted;
        m_connections.removeIf([](const QPointer<HttpConnection>& c) { return c.isNull(); });
        if (m_connections.size() >= m_limits.maxConnections) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto* connection = new HttpConnection(socket, m_limits, m_handler, m_clock, this);
        m_connections.append(connection);
    }
}

} // namespace fakeaws
