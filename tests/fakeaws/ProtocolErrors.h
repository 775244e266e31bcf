#pragma once
// How each AWS protocol spells the errors the server itself raises (authentication, throttling, 5xx,
// unknown operations), so that a client's error handling is exercised against the real shapes:
// EC2 <Response><Errors>, STS <ErrorResponse>, JSON 1.1 {"__type"}, and the SSO rest-json services.

#include "FakeHttp.h"
#include "SignatureVerifier.h"

namespace fakeaws {

enum class Protocol {
    Ec2, // EC2 query: <Response><Errors><Error>..., RequestID
    Query, // STS query: <ErrorResponse>, RequestId
    Json, // JSON 1.1 (SSM, EC2 Instance Connect): {"__type", "message"}
    RestJson, // SSO portal and OIDC: x-amzn-ErrorType header + JSON body
};

class ProtocolErrors
{
public:
    static Protocol forService(const QString& signingName);
    // The protocol an unsigned request was meant for, from its Content-Type / X-Amz-Target / form Version.
    static Protocol guess(const HttpRequest& request);

    static HttpResponse authFailure(Protocol protocol, const AuthResult& auth, const QString& requestId);
    static HttpResponse throttled(Protocol protocol, const QString& requestId);
    // status 500 or 503; service picks the JSON 1.1 type (EC2 Instance Connect says ServiceException).
    static HttpResponse serverError(Protocol protocol, const QString& service, int status, const QString& requestId);
    static HttpResponse unknownOperation(Protocol protocol, const QString& action, const QString& requestId);
};

} // namespace fakeaws
