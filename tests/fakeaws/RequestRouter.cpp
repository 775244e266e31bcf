#include "RequestRouter.h"

#include <QTimer>
#include <QUuid>

namespace fakeaws {

RequestRouter::RequestRouter(Identities& identities, FaultInjector& faults, QObject* parent)
    : QObject(parent)
    , m_faults(faults)
    , m_verifier(identities)
{ }

void RequestRouter::addService(const QString& signingName, ServiceHandler* handler)
{
    m_services.insert(signingName, handler);
}

void RequestRouter::addUnsignedRoute(const QByteArray& method, const QByteArray& path, const QString& action,
                                     ServiceHandler* handler)
{
    m_unsigned.insert(method + ' ' + path, {action, handler});
}

void RequestRouter::addUpgradeRoute(const QByteArray& path, const QString& action, UpgradeHandler handler)
{
    m_upgrades.insert(path, {action, std::move(handler)});
}

QString RequestRouter::actionOf(const HttpRequest& request)
{
    const QByteArray target = request.header("X-Amz-Target");
    if (!target.isEmpty())
        return QString::fromUtf8(target.mid(target.lastIndexOf('.') + 1));
    for (const auto& p : request.query) {
        if (p.first == "Action")
            return QString::fromUtf8(p.second);
    }
    if (request.header("Content-Type").startsWith("application/x-www-form-urlencoded")) {
        const QByteArray action = request.formParam("Action");
        if (!action.isEmpty())
            return QString::fromUtf8(action);
    }
    return QString::fromUtf8(request.method + ' ' + request.path);
}

void RequestRouter::handle(const HttpRequest& request, const HttpExchange& exchange)
{
    CallContext context;
    context.requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    context.now = m_faults.now();

    const auto upgrade = m_upgrades.constFind(request.path);
    if (upgrade != m_upgrades.cend() && !request.header("Upgrade").isEmpty()) {
        handleUpgrade(*upgrade, request, exchange, context);
        return;
    }
    const auto route = m_unsigned.constFind(request.method + ' ' + request.path);
    if (route != m_unsigned.cend()) {
        handleUnsigned(*route, request, exchange, context);
        return;
    }
    if (request.method == "GET" && request.path == "/" && request.header("Authorization").isEmpty()) {
        m_faults.countOnly(QStringLiteral("StatusPage"));
        send(exchange, statusPage(), context.requestId, 0);
        return;
    }
    handleSigned(request, exchange, std::move(context));
}

void RequestRouter::handleUpgrade(const UpgradeRoute& route, const HttpRequest& request, const HttpExchange& exchange,
                                  const CallContext& context)
{
    m_faults.countOnly(route.action);
    Upgrade upgrade;
    upgrade.request = request;
    upgrade.context = context;
    const QString requestId = context.requestId;
    const int latency = m_faults.latencyFor(route.action);
    upgrade.reject = [this, exchange, requestId, latency](const HttpResponse& response) {
        send(exchange, response, requestId, latency);
    };
    upgrade.takeSocket = [exchange] { return exchange.takeSocket(); };
    route.handler(upgrade);
}

void RequestRouter::handleUnsigned(const UnsignedRoute& route, const HttpRequest& request, const HttpExchange& exchange,
                                   const CallContext& context)
{
    const FaultInjector::Decision d = m_faults.next(route.action);
    const HttpResponse response = applyFault(
        d.fault, Protocol::RestJson, QString(), [&] { return route.handler->handle(request, context); },
        context.requestId);
    send(exchange, response, context.requestId, d.latencyMs, d.fault == FaultInjector::Fault::DropConnection);
}

void RequestRouter::handleSigned(const HttpRequest& request, const HttpExchange& exchange, CallContext context)
{
    const QString action = actionOf(request);
    const auto scope = SignatureVerifier::scopeOf(request);
    const Protocol protocol = scope ? ProtocolErrors::forService(scope->second) : ProtocolErrors::guess(request);

    const AuthResult auth = m_verifier.verifyHeaders(request, context.now);
    if (!auth.ok()) {
        m_faults.countOnly(action);
        send(exchange, ProtocolErrors::authFailure(protocol, auth, context.requestId), context.requestId,
             m_faults.latencyFor(action));
        return;
    }
    ServiceHandler* handler = m_services.value(auth.service);
    if (!handler) {
        m_faults.countOnly(action);
        AuthResult wrongService = auth;
        wrongService.failure = AuthFailure::SignatureMismatch;
        wrongService.detail = QStringLiteral("Credential should be scoped to a valid service: '%1' is not served here.")
                                  .arg(auth.service);
        send(exchange, ProtocolErrors::authFailure(protocol, wrongService, context.requestId), context.requestId,
             m_faults.latencyFor(action));
        return;
    }

    context.region = auth.region;
    context.service = auth.service;
    context.accessKeyId = auth.accessKeyId;
    context.accountId = auth.identity->accountId;
    context.principalArn = auth.identity->arn;

    const FaultInjector::Decision d = m_faults.next(action);
    const HttpResponse response = applyFault(
        d.fault, protocol, auth.service, [&] { return handler->handle(request, context); }, context.requestId);
    send(exchange, response, context.requestId, d.latencyMs, d.fault == FaultInjector::Fault::DropConnection);
}

HttpResponse RequestRouter::applyFault(FaultInjector::Fault fault, Protocol protocol, const QString& service,
                                       const std::function<HttpResponse()>& handler, const QString& requestId) const
{
    using Fault = FaultInjector::Fault;
    switch (fault) {
    case Fault::Throttle:
        return ProtocolErrors::throttled(protocol, requestId);
    case Fault::InternalError:
        return ProtocolErrors::serverError(protocol, service, 500, requestId);
    case Fault::ServiceUnavailable:
        return ProtocolErrors::serverError(protocol, service, 503, requestId);
    case Fault::DropConnection:
        return {};
    case Fault::TruncatedBody:
    case Fault::GarbageBody:
    case Fault::HtmlErrorPage:
        return FaultInjector::malform(handler(), fault);
    case Fault::None:
        break;
    }
    return handler();
}

void RequestRouter::send(const HttpExchange& exchange, HttpResponse response, const QString& requestId, int latencyMs,
                         bool drop)
{
    bool haveId = false;
    for (const auto& h : response.headers)
        haveId = haveId || h.first.compare("x-amzn-RequestId", Qt::CaseInsensitive) == 0;
    if (!haveId)
        response.headers.append({QByteArrayLiteral("x-amzn-RequestId"), requestId.toUtf8()});

    auto deliver = [exchange, response, drop] {
        if (drop)
            exchange.abort();
        else
            exchange.respond(response);
    };
    if (latencyMs > 0)
        QTimer::singleShot(latencyMs, this, deliver);
    else
        deliver();
}

HttpResponse RequestRouter::statusPage()
{
    HttpResponse r;
    r.contentType = QByteArrayLiteral("text/html; charset=utf-8");
    r.body = QByteArrayLiteral("<!DOCTYPE html>\n<html><head><title>fakeaws</title></head><body>\n"
                               "<h1>fakeaws is running</h1>\n<p>A local emulator of EC2, EC2 Instance Connect, SSM, "
                               "STS and IAM Identity Center for Bastionless tests and demos.</p>\n</body></html>\n");
    return r;
}

} // namespace fakeaws
