#pragma once
// What the HTTP client tests share: typical AWS requests per protocol, error answers shaped like each
// service's, a signature check that recomputes SigV4 from the bytes the server received, and a call
// recorder that notices a callback run twice or from inside send().

#include "LocalHttpServer.h"

#include "core/aws/http/AwsHttpClient.h"

#include <memory>
#include <optional>

namespace httptest {

extern const QByteArray kToken; // session token used with creds(true)

bl::Credentials creds(bool withToken = false);
// DescribeInstances (Ec2Query/Query), SSM StartSession (Json), unsigned OIDC CreateToken (RestJson).
bl::AwsRequest request(bl::AwsProtocol protocol);
// An error answer shaped as the protocol's service shapes it; an empty code gives an empty body.
ScriptedReply errorReply(bl::AwsProtocol protocol, int status, const QByteArray& code, const QByteArray& message);
// Empty when the request's SigV4 signature (region us-east-1) verifies, else what is wrong.
QString signatureProblem(const ReceivedRequest& r, const bl::Credentials& c, const QByteArray& service);
// Seconds from the real clock to an X-Amz-Date value.
qint64 secsFromNow(const QByteArray& amzDate);
bl::HttpSettings fastSettings(); // defaults with a short request timeout

struct Outcome
{
    int calls = 0;
    bool inSend = false;
    bool calledInsideSend = false;
    std::optional<bl::Result<bl::AwsResponse>> result;

    bool ok() const { return result && result->ok(); }
    const bl::Error& error() const { return result->error(); }
    const bl::AwsResponse& response() const { return result->value(); }
    QString why() const;
};

// Sends for region us-east-1 and records what the callback receives.
std::shared_ptr<Outcome> start(bl::AwsHttpClient& client, const bl::AwsRequest& r, const QUrl& endpoint,
                               const std::optional<bl::Credentials>& c, QObject* context);
// Waits (bounded) for the callback, then checks it ran exactly once and not from inside send().
bool finish(const std::shared_ptr<Outcome>& o, int timeoutMs = 15000);

} // namespace httptest
