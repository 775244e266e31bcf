#pragma once
// The TLS listener of fakeaws: binds 127.0.0.1 only, completes TLS handshakes, and turns every accepted
// socket into an HttpConnection whose requests go to one handler. It knows nothing about AWS.

#include "HttpConnection.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>

#include <memory>

class QSslServer;

namespace fakeaws {

class HttpsServer : public QObject
{
    Q_OBJECT

public:
    explicit HttpsServer(QObject* parent = nullptr);
    ~HttpsServer() override;

    // chain: the server certificate first, then its issuers.
    void setCertificate(const QList<QSslCertificate>& chain, const QSslKey& key);
    void setHandler(HttpConnection::Handler handler) { m_handler = std::move(handler); }
    void setClock(HttpConnection::Clock clock) { m_clock = std::move(clock); }
    void setLimits(const HttpLimits& limits) { m_limits = limits; }

    // Listens on 127.0.0.1:port (0 = any free port). Empty string on success, else why it failed.
    QString listen(quint16 port);
    void close(); // stops listening and drops every connection
    bool isListening() const;
    quint16 port() const;
    int connectionCount() const; // open connections
    qint64 acceptedConnections() const { return m_accepted; }

private:
    void onPendingConnection();

    std::unique_ptr<QSslServer> m_server;
    QList<QSslCertificate> m_chain;
    QSslKey m_key;
    HttpConnection::Handler m_handler;
    HttpConnection::Clock m_clock;
    HttpLimits m_limits;
    QList<QPointer<HttpConnection>> m_connections;
    qint64 m_accepted = 0;
};

} // namespace fakeaws
