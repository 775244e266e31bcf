#pragma once
// What fakeaws does with each request: count it, verify its SigV4 signature, pick the service from the
// credential scope (or the path, for the unsigned SSO calls and for upgrade routes), let the fault injector
// interfere, call the handler and send the answer with a Date and x-amzn-RequestId, after any injected
// latency. New endpoints plug in with addService / addUnsignedRoute / addUpgradeRoute.

#include "FakeHttp.h"
#include "FaultInjector.h"
#include "HttpExchange.h"
#include "ProtocolErrors.h"
#include "SignatureVerifier.h"

#include <QHash>
#include <QObject>

#include <functional>

class QSslSocket;

namespace fakeaws {

class RequestRouter : public QObject
{
    Q_OBJECT

public:
    // A request on an upgrade route (e.g. GET /openTunnel with "Upgrade: websocket"). The handler verifies it
    // (verifier().verifyPresigned(), ...) and then either calls reject() with an HTTP answer, or takes the
    // socket, with the upgrade request still unread in it, e.g. for QWebSocketServer::handleConnection()
    // (Qt 6.4 frees such a socket only after the WebSocket's close handshake: do not tear down mid-close).
    struct Upgrade
    {
        HttpRequest request;
        CallContext context; // requestId and server time; the handler does its own authentication
        std::function<void(const HttpResponse&)> reject;
        std::function<QSslSocket*()> takeSocket; // nullptr when the request cannot be handed over
    };
    using UpgradeHandler = std::function<void(const Upgrade&)>;

    RequestRouter(Identities& identities, FaultInjector& faults, QObject* parent = nullptr);

    // Signed services, routed by the signing name in the credential scope.
    void addService(const QString& signingName, ServiceHandler* handler);
    // Unsigned calls, routed by method and exact path; action names them for counters and faults.
    void addUnsignedRoute(const QByteArray& method, const QByteArray& path, const QString& action,
                          ServiceHandler* handler);
    // Connection upgrades on an exact path. Unsigned by design: the handler authenticates.
    void addUpgradeRoute(const QByteArray& path, const QString& action, UpgradeHandler handler);
    void removeUpgradeRoute(const QByteArray& path) { m_upgrades.remove(path); }

    void handle(const HttpRequest& request, const HttpExchange& exchange);

    const SignatureVerifier& verifier() const { return m_verifier; }
    static QString actionOf(const HttpRequest& request);

private:
    struct UnsignedRoute
    {
        QString action;
        ServiceHandler* handler = nullptr;
    };
    struct UpgradeRoute
    {
        QString action;
        UpgradeHandler handler;
    };

    void handleUpgrade(const UpgradeRoute& route, const HttpRequest& request, const HttpExchange& exchange,
                       const CallContext& context);
    void handleUnsigned(const UnsignedRoute& route, const HttpRequest& request, const HttpExchange& exchange,
                        const CallContext& context);
    void handleSigned(const HttpRequest& request, const HttpExchange& exchange, CallContext context);
    HttpResponse applyFault(FaultInjector::Fault fault, Protocol protocol, const QString& service,
                            const std::function<HttpResponse()>& handler, const QString& requestId) const;
    void send(const HttpExchange& exchange, HttpResponse response, const QString& requestId, int latencyMs,
              bool drop = false);
    static HttpResponse statusPage();

    FaultInjector& m_faults;
    SignatureVerifier m_verifier;
    QHash<QString, ServiceHandler*> m_services;
    QHash<QByteArray, UnsignedRoute> m_unsigned; // "METHOD /path"
    QHash<QByteArray, UpgradeRoute> m_upgrades; // path
};

} // namespace fakeaws
