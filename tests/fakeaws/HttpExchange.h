#pragma once
// A handle on one request awaiting its answer. Handlers may answer later (injected latency), so the handle
// outlives neither harm nor the connection: once the client has gone, answering is a no-op.

#include "FakeHttp.h"

#include <QPointer>

class QSslSocket;

namespace fakeaws {

class HttpConnection;

class HttpExchange
{
public:
    HttpExchange() = default;
    HttpExchange(HttpConnection* connection, quint64 serial, bool upgradable);

    // Sends the response (Content-Length, Connection and a Date when missing are added). At most once.
    void respond(const HttpResponse& response) const;
    // Closes the connection without an answer (a dropped connection, for retry tests).
    void abort() const;

    // For WebSocket-style upgrades: true when this request is the first unread thing in the socket.
    bool canTakeSocket() const;
    // Detaches the TLS socket, with this request's bytes still unread in it (so QWebSocketServer's
    // handleConnection() can read the handshake itself). The caller owns the socket. nullptr when not possible.
    QSslSocket* takeSocket() const;

    bool isAlive() const;

private:
    QPointer<HttpConnection> m_connection;
    quint64 m_serial = 0;
    bool m_upgradable = false;
};

} // namespace fakeaws
