#pragma once
// Decides whether an EICE open-tunnel request (PROTOCOLS.md §5.2-5.3) may become a tunnel: the presigned URL
// (signature, host signed, X-Amz-Expires at most 60 s and not past, session token), then the parameters
// (remotePort 22 or 3389 with the service's exact InvalidParameter answer, maxTunnelDuration 1..3600), the
// endpoint (exists in the signed region, usable state) and the target address (an instance in the endpoint's
// VPC). Refusals are the service's JSON: {"ErrorCode": ..., "Message": ...}. Stateless; the concurrency limit
// and faults are EiceService's business.

#include "FakeHttp.h"
#include "Fleet.h"
#include "SignatureVerifier.h"

#include <optional>

namespace fakeaws {

// What an admitted request asks for.
struct EiceTunnelPlan
{
    QString endpointId;
    QString region;
    QString instanceId;
    QString privateIpAddress; // as the client sent it
    int remotePort = 22;
    int maxTunnelDurationSecs = 3600;
    QString host; // the Host header the client signed (the DnsName it used)
    QString accessKeyId;
};

class EiceAdmission
{
public:
    static constexpr int kMaxExpiresSecs = 60;
    static constexpr int kDefaultTunnelDurationSecs = 3600;

    struct Outcome
    {
        std::optional<EiceTunnelPlan> plan; // set when admitted
        HttpResponse refusal; // otherwise
    };

    static Outcome check(const HttpRequest& request, const CallContext& context, const SignatureVerifier& verifier,
                         const Fleet& fleet);

    // {"ErrorCode":"<code>","Message":"<message>"} with the given status.
    static HttpResponse error(int status, const QString& code, const QString& message);
    // The service's answer to a remotePort other than 22 or 3389 (aidansteele/rdsconn#5), byte for byte.
    static HttpResponse invalidRemotePort();

private:
    static std::optional<HttpResponse> checkSignature(const HttpRequest& request, const CallContext& context,
                                                      const SignatureVerifier& verifier, EiceTunnelPlan& plan);
    static std::optional<HttpResponse> checkParameters(const HttpRequest& request, EiceTunnelPlan& plan);
    static std::optional<HttpResponse> checkTarget(const Fleet& fleet, EiceTunnelPlan& plan);
};

} // namespace fakeaws
