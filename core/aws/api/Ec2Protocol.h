#pragma once
// The EC2 query API (version 2016-11-15) without I/O: builds the form-POST requests exactly as botocore
// does and turns the XML answers into our value types (PROTOCOLS.md §3). Every parser tolerates element
// order and unknown elements, and reports malformed or truncated XML as ErrorKind::Parse.

#include "core/aws/api/Types.h"
#include "core/aws/http/AwsHttpClient.h"
#include "core/util/Result.h"

namespace bl {

class Ec2Protocol
{
public:
    static constexpr int describeInstancesPageSize = 1000; // DescribeInstances accepts 5..1000
    static constexpr int describeEndpointsPageSize = 50; // DescribeInstanceConnectEndpoints: 1..50
    static constexpr int describeSecurityGroupsPageSize = 1000; // 5..1000

    // MaxResults is left out when instanceIds are given (EC2 refuses the combination); maxResults <= 0 omits
    // it too.
    static AwsRequest describeInstances(const QList<Ec2Filter>& filters, const QStringList& instanceIds, int maxResults,
                                        const QString& nextToken = {});
    static Result<Page<Instance>> parseDescribeInstances(const QByteArray& body);

    static AwsRequest describeRegions(bool allRegions);
    static Result<QList<Region>> parseDescribeRegions(const QByteArray& body);

    // MaxResults is left out when endpointIds are given, as for instances.
    static AwsRequest describeInstanceConnectEndpoints(const QList<Ec2Filter>& filters, const QStringList& endpointIds,
                                                       int maxResults, const QString& nextToken = {});
    static Result<Page<InstanceConnectEndpoint>> parseDescribeInstanceConnectEndpoints(const QByteArray& body);

    // MaxResults is left out when groupIds are given, as for instances.
    static AwsRequest describeSecurityGroups(const QStringList& groupIds, const QList<Ec2Filter>& filters,
                                             int maxResults, const QString& nextToken = {});
    static Result<Page<SecurityGroup>> parseDescribeSecurityGroups(const QByteArray& body);

    static AwsRequest getPasswordData(const QString& instanceId);
    static Result<PasswordData> parseGetPasswordData(const QByteArray& body);

    static AwsRequest startInstances(const QStringList& instanceIds);
    static AwsRequest stopInstances(const QStringList& instanceIds, bool force = false);
    // operation: "StartInstances" or "StopInstances".
    static Result<QList<InstanceStateChange>> parseStateChanges(const QByteArray& body, const QString& operation);

    static const QByteArray apiVersion;
};

} // namespace bl
