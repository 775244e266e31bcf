#include "ProtocolErrors.h"

namespace fakeaws {

namespace {

struct AuthShape
{
    int ec2Status;
    const char* ec2Code;
    const char* ec2Message;
    int queryStatus;
    const char* queryCode;
    const char* jsonType; // JSON 1.1 (400 throughout)
    const char* message; // STS and JSON message when no detail is given
};

// Codes and texts as the services answer them (PROTOCOLS.md §1.8, §2.7, §3.8, §4).
AuthShape shapeOf(AuthFailure failure)
{
    switch (failure) {
    case AuthFailure::MissingAuthentication:
        return {401,
                "MissingAuthenticationToken",
                "The request must contain a valid (registered) AWS access key ID.",
                403,
                "MissingAuthenticationToken",
                "MissingAuthenticationTokenException",
                "Request is missing Authentication Token"};
    case AuthFailure::IncompleteSignature:
        return {400,
                "IncompleteSignature",
                "The request signature does not conform to AWS standards.",
                400,
                "IncompleteSignature",
                "IncompleteSignatureException",
                "The request signature does not conform to AWS standards."};
    case AuthFailure::UnknownAccessKey:
    case AuthFailure::InvalidToken:
        return {401,
                "AuthFailure",
                "AWS was not able to validate the provided access credentials",
                403,
                "InvalidClientTokenId",
                "UnrecognizedClientException",
                "The security token included in the request is invalid."};
    case AuthFailure::ExpiredToken:
        return {400,
                "RequestExpired",
                "Request has expired.",
                403,
                "ExpiredToken",
                "ExpiredTokenException",
                "The security token included in the request is expired"};
    case AuthFailure::RequestExpired:
    case AuthFailure::RequestNotYetValid:
        return {400,
                "RequestExpired",
                "Request has expired.",
                403,
                "SignatureDoesNotMatch",
                "InvalidSignatureException",
                "Signature expired"};
    case AuthFailure::SignatureMismatch:
    case AuthFailure::None:
        break;
    }
    return {401,
            "AuthFailure",
            "AWS was not able to validate the provided access credentials",
            403,
            "SignatureDoesNotMatch",
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
            "Access Key and signing method. Consult the service documentation for details."};
}

} // namespace

Protocol ProtocolErrors::forService(const QString& signingName)
{
    if (signingName == QLatin1String("ec2"))
        return Protocol::Ec2;
    if (signingName == QLatin1String("sts"))
        return Protocol::Query;
    if (signingName == QLatin1String("awsssoportal") || signingName == QLatin1String("sso-oauth"))
        return Protocol::RestJson;
    return Protocol::Json;
}

Protocol ProtocolErrors::guess(const HttpRequest& request)
{
    if (request.header("Content-Type").contains("json") || !request.header("X-Amz-Target").isEmpty())
        return Protocol::Json;
    QByteArray version = request.formParam("Version");
    for (const auto& p : request.query) {
        if (p.first == "Version")
            version = p.second;
    }
    return version == "2011-06-15" ? Protocol::Query : Protocol::Ec2;
}

HttpResponse ProtocolErrors::authFailure(Protocol protocol, const AuthResult& auth, const QString& requestId)
{
    const AuthShape s = shapeOf(auth.failure);
    const QString detail = auth.detail.isEmpty() ? QString::fromUtf8(s.message) : auth.detail;
    switch (protocol) {
    case Protocol::Ec2:
        return ec2Error(s.ec2Status, s.ec2Code, QString::fromUtf8(s.ec2Message), requestId);
    case Protocol::Query:
        return queryError(s.queryStatus, s.queryCode, detail, requestId);
    case Protocol::Json:
        return jsonError(400, s.jsonType, detail);
    case Protocol::RestJson:
        return restJsonError(401, "UnauthorizedException", detail);
    }
    return jsonError(400, s.jsonType, detail);
}

HttpResponse ProtocolErrors::throttled(Protocol protocol, const QString& requestId)
{
    switch (protocol) {
    case Protocol::Ec2:
        return ec2Error(503, "RequestLimitExceeded", QStringLiteral("Request limit exceeded."), requestId);
    case Protocol::Query:
        return queryError(400, "Throttling", QStringLiteral("Rate exceeded"), requestId);
    case Protocol::Json:
        return jsonError(400, "ThrottlingException", QStringLiteral("Rate exceeded"));
    case Protocol::RestJson:
        return restJsonError(429, "TooManyRequestsException", QStringLiteral("Too many requests"));
    }
    return jsonError(400, "ThrottlingException", QStringLiteral("Rate exceeded"));
}

HttpResponse ProtocolErrors::serverError(Protocol protocol, const QString& service, int status,
                                         const QString& requestId)
{
    const bool unavailable = status == 503;
    switch (protocol) {
    case Protocol::Ec2:
        return unavailable
            ? ec2Error(503, "Unavailable", QStringLiteral("The server is overloaded and can't handle the request."),
                       requestId)
            : ec2Error(500, "InternalError", QStringLiteral("An internal error has occurred."), requestId);
    case Protocol::Query:
        return unavailable
            ? queryError(503, "ServiceUnavailable", QStringLiteral("Service is unavailable"), requestId, "Receiver")
            : queryError(500, "InternalFailure", QStringLiteral("An internal error occurred"), requestId, "Receiver");
    case Protocol::Json:
        if (service == QLatin1String("ec2-instance-connect"))
            return jsonError(status, "ServiceException", QStringLiteral("An internal service error occurred."));
        return unavailable ? jsonError(503, "ServiceUnavailable", QStringLiteral("Service is unavailable"))
                           : jsonError(500, "InternalServerError", QStringLiteral("An internal error occurred."));
    case Protocol::RestJson:
        return restJsonError(status, unavailable ? "ServiceUnavailableException" : "InternalServerException",
                             QStringLiteral("An internal error occurred."));
    }
    return jsonError(500, "InternalServerError", QStringLiteral("An internal error occurred."));
}

HttpResponse ProtocolErrors::unknownOperation(Protocol protocol, const QString& action, const QString& requestId)
{
    switch (protocol) {
    case Protocol::Ec2:
        return ec2Error(400, "InvalidAction",
                        QStringLiteral("The action %1 is not valid for this web service.").arg(action), requestId);
    case Protocol::Query:
        return queryError(400, "InvalidAction",
                          QStringLiteral("Could not find operation %1 for version 2011-06-15").arg(action), requestId);
    case Protocol::Json:
        return jsonError(400, "UnknownOperationException", QStringLiteral("Unknown operation %1").arg(action));
    case Protocol::RestJson:
        break;
    }
    return restJsonError(404, "ResourceNotFoundException", QStringLiteral("No such operation: %1").arg(action));
}

} // namespace fakeaws
