#pragma once
// The EC2 query API (PROTOCOLS.md §3) over a Fleet: DescribeInstances, DescribeRegions,
// DescribeInstanceConnectEndpoints, DescribeSecurityGroups, GetPasswordData, StartInstances and
// StopInstances, with EC2's parameter validation, paging and error codes. The server hands it requests
// whose signature it already verified; CallContext.region picks the region the call is about.

#include "Ec2Query.h"
#include "FakeHttp.h"
#include "Fleet.h"

namespace fakeaws {

class Ec2Service : public ServiceHandler
{
public:
    explicit Ec2Service(Fleet& fleet);
    HttpResponse handle(const HttpRequest& request, const CallContext& context) override;

private:
    struct Call
    {
        const Ec2Query& query;
        QString action;
        QString version;
        QString region;
        QString requestId;
        QDateTime now;
    };

    HttpResponse describeInstances(const Call& call);
    HttpResponse describeRegions(const Call& call);
    HttpResponse describeInstanceConnectEndpoints(const Call& call);
    HttpResponse describeSecurityGroups(const Call& call);
    HttpResponse getPasswordData(const Call& call);
    HttpResponse startStop(const Call& call, bool start);

    // Validates InstanceId values: malformed -> InvalidInstanceID.Malformed, absent from the call's region ->
    // InvalidInstanceID.NotFound. Returns an error response, or nullopt when all are fine.
    std::optional<HttpResponse> checkInstanceIds(const Call& call, const QStringList& ids) const;
    // MaxResults within [min, max]; nullopt + *error otherwise. 0 when absent.
    static std::optional<int> maxResults(const Call& call, int min, int max, HttpResponse* error);
    static HttpResponse invalidToken(const Call& call);
    static HttpResponse xml(const QByteArray& body);

    Fleet& m_fleet;
};

} // namespace fakeaws
