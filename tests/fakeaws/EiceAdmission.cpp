#include "EiceAdmission.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace fakeaws {

namespace {

QByteArray param(const HttpRequest& request, const QByteArray& name, bool* present = nullptr)
{
    for (const auto& p : request.query) {
        if (p.first == name) {
            if (present)
                *present = true;
            return p.second;
        }
    }
    if (present)
        *present = false;
    return {};
}

HttpResponse forbidden(const QString& code, const QString& message)
{
    return EiceAdmission::error(403, code, message);
}

HttpResponse invalidParameter(const QString& message)
{
    return EiceAdmission::error(400, QStringLiteral("InvalidParameter"), message);
}

// The codes the other AWS services use for the same failures (PROTOCOLS.md §1.8); the real EICE codes are
// UNCONFIRMED (§5.2), so clients must read the HTTP status and the Date header as well.
HttpResponse authRefusal(const AuthResult& auth)
{
    switch (auth.failure) {
    case AuthFailure::MissingAuthentication:
        return forbidden(QStringLiteral("MissingAuthenticationToken"),
                         QStringLiteral("Request is missing Authentication Token"));
    case AuthFailure::IncompleteSignature:
        return forbidden(QStringLiteral("IncompleteSignature"), auth.detail);
    case AuthFailure::UnknownAccessKey:
        return forbidden(QStringLiteral("InvalidClientTokenId"),
                         QStringLiteral("The security token included in the request is invalid."));
    case AuthFailure::InvalidToken:
        return forbidden(QStringLiteral("InvalidClientTokenId"),
                         QStringLiteral("The security token included in the request is invalid."));
    case AuthFailure::ExpiredToken:
        return forbidden(QStringLiteral("ExpiredToken"),
                         QStringLiteral("The security token included in the request is expired"));
    case AuthFailure::SignatureMismatch:
        return forbidden(QStringLiteral("SignatureDoesNotMatch"),
                         QStringLiteral("The request signature we calculated does not match the signature you "
                                        "provided. Check your AWS Secret Access Key and signing method."));
    case AuthFailure::RequestExpired:
        return forbidden(QStringLiteral("RequestExpired"), QStringLiteral("Request has expired"));
    case AuthFailure::RequestNotYetValid:
        return forbidden(QStringLiteral("RequestInTheFuture"), QStringLiteral("Request is not yet valid"));
    case AuthFailure::None:
        break;
    }
    return forbidden(QStringLiteral("AccessDenied"), QStringLiteral("Access denied"));
}

bool usableState(const QString& state)
{
    // The states the CLI filters on (PROTOCOLS.md §5.1).
    static const QStringList usable = {QStringLiteral("create-complete"), QStringLiteral("update-in-progress"),
                                       QStringLiteral("update-failed"), QStringLiteral("update-complete")};
    return usable.contains(state);
}

} // namespace

HttpResponse EiceAdmission::error(int status, const QString& code, const QString& message)
{
    QJsonObject o;
    o.insert(QStringLiteral("ErrorCode"), code);
    o.insert(QStringLiteral("Message"), message);
    HttpResponse r;
    r.status = status;
    r.contentType = QByteArrayLiteral("application/json");
    r.body = QJsonDocument(o).toJson(QJsonDocument::Compact);
    return r;
}

HttpResponse EiceAdmission::invalidRemotePort()
{
    return invalidParameter(QStringLiteral("The specified RemotePort is not valid. Specify either 22 or 3389 as the "
                                           "RemotePort and retry your request."));
}

EiceAdmission::Outcome EiceAdmission::check(const HttpRequest& request, const CallContext& context,
                                            const SignatureVerifier& verifier, const Fleet& fleet)
{
    Outcome outcome;
    EiceTunnelPlan plan;
    std::optional<HttpResponse> refusal = checkSignature(request, context, verifier, plan);
    if (!refusal)
        refusal = checkParameters(request, plan);
    if (!refusal)
        refusal = checkTarget(fleet, plan);
    if (refusal)
        outcome.refusal = *refusal;
    else
        outcome.plan = plan;
    return outcome;
}

std::optional<HttpResponse> EiceAdmission::checkSignature(const HttpRequest& request, const CallContext& context,
                                                          const SignatureVerifier& verifier, EiceTunnelPlan& plan)
{
    bool present = false;
    const QByteArray expires = param(request, "X-Amz-Expires", &present);
    bool numeric = false;
    const int expiresSecs = expires.toInt(&numeric);
    if (present && numeric && expiresSecs > kMaxExpiresSecs) {
        return forbidden(QStringLiteral("AuthFailure"),
                         QStringLiteral("X-Amz-Expires must be at most %1 seconds for OpenTunnel; the URL asks for %2.")
                             .arg(kMaxExpiresSecs)
                             .arg(expiresSecs));
    }
    const QByteArray signedHeaders = param(request, "X-Amz-SignedHeaders", &present);
    if (present && !signedHeaders.split(';').contains("host"))
        return forbidden(QStringLiteral("IncompleteSignature"), QStringLiteral("'Host' must be a signed header."));

    const AuthResult auth = verifier.verifyPresigned(request, context.now);
    if (!auth.ok())
        return authRefusal(auth);
    if (auth.service != QLatin1String("ec2-instance-connect")) {
        return forbidden(QStringLiteral("SignatureDoesNotMatch"),
                         QStringLiteral("Credential should be scoped to correct service: 'ec2-instance-connect'."));
    }
    plan.region = auth.region;
    plan.accessKeyId = auth.accessKeyId;
    plan.host = QString::fromUtf8(request.header("Host"));
    return std::nullopt;
}

std::optional<HttpResponse> EiceAdmission::checkParameters(const HttpRequest& request, EiceTunnelPlan& plan)
{
    for (const char* name : {"instanceConnectEndpointId", "remotePort", "privateIpAddress"}) {
        bool present = false;
        if (param(request, name, &present).isEmpty()) {
            return error(400, QStringLiteral("MissingParameter"),
                         QStringLiteral("The request must contain the parameter %1.").arg(QLatin1String(name)));
        }
    }
    plan.endpointId = QString::fromUtf8(param(request, "instanceConnectEndpointId"));
    static const QRegularExpression idPattern(QStringLiteral("^eice-[0-9a-zA-Z_]+$"));
    if (!idPattern.match(plan.endpointId).hasMatch()) {
        return invalidParameter(
            QStringLiteral("The specified InstanceConnectEndpointId '%1' is not valid.").arg(plan.endpointId));
    }

    bool numeric = false;
    plan.remotePort = param(request, "remotePort").toInt(&numeric);
    if (!numeric || (plan.remotePort != 22 && plan.remotePort != 3389))
        return invalidRemotePort();

    plan.privateIpAddress = QString::fromUtf8(param(request, "privateIpAddress"));
    if (QHostAddress(plan.privateIpAddress).isNull()) {
        return invalidParameter(QStringLiteral("The specified PrivateIpAddress '%1' is not a valid IPv4 or IPv6 "
                                               "address.")
                                    .arg(plan.privateIpAddress));
    }

    bool present = false;
    const QByteArray duration = param(request, "maxTunnelDuration", &present);
    plan.maxTunnelDurationSecs = kDefaultTunnelDurationSecs;
    if (present) {
        plan.maxTunnelDurationSecs = duration.toInt(&numeric);
        if (!numeric || plan.maxTunnelDurationSecs < 1 || plan.maxTunnelDurationSecs > kDefaultTunnelDurationSecs) {
            return invalidParameter(QStringLiteral("The specified MaxTunnelDuration is not valid. Specify a value "
                                                   "between 1 and 3600 seconds and retry your request."));
        }
    }
    return std::nullopt;
}

std::optional<HttpResponse> EiceAdmission::checkTarget(const Fleet& fleet, EiceTunnelPlan& plan)
{
    const InstanceConnectEndpoint* endpoint = fleet.endpoint(plan.endpointId);
    const Vpc* vpc = endpoint ? fleet.vpc(endpoint->vpcId) : nullptr;
    if (!endpoint || !vpc || vpc->region != plan.region) {
        return error(400, QStringLiteral("InvalidInstanceConnectEndpointId.NotFound"),
                     QStringLiteral("The instance connect endpoint ID '%1' does not exist in %2")
                         .arg(plan.endpointId, plan.region));
    }
    if (!usableState(endpoint->state)) {
        return error(400, QStringLiteral("IncorrectState"),
                     QStringLiteral("The instance connect endpoint '%1' is in state '%2'; tunnels open only through "
                                    "an endpoint in state create-complete, update-in-progress, update-complete or "
                                    "update-failed.")
                         .arg(endpoint->id, endpoint->state));
    }
    const QHostAddress wanted(plan.privateIpAddress);
    for (const Instance& i : fleet.instances()) {
        if (i.vpcId != endpoint->vpcId)
            continue;
        if ((!i.privateIp.isEmpty() && QHostAddress(i.privateIp).isEqual(wanted))
            || (!i.ipv6.isEmpty() && QHostAddress(i.ipv6).isEqual(wanted))) {
            plan.instanceId = i.id;
            return std::nullopt;
        }
    }
    return invalidParameter(QStringLiteral("The specified PrivateIpAddress '%1' does not belong to an instance in %2, "
                                           "the VPC of instance connect endpoint %3.")
                                .arg(plan.privateIpAddress, endpoint->vpcId, endpoint->id));
}

} // namespace fakeaws
