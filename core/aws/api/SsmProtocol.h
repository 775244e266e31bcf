#pragma once
// The SSM JSON 1.1 calls the app needs for inventory, without I/O (PROTOCOLS.md §6.1):
// DescribeInstanceInformation — is an instance managed, online, and which agent version does it run.

#include "core/aws/api/Types.h"
#include "core/aws/http/AwsHttpClient.h"
#include "core/util/Result.h"

namespace bl {

class SsmProtocol
{
public:
    static constexpr int describeInstanceInformationPageSize = 50; // SSM accepts 5..50
    static constexpr int maxFilterValues = 50; // SSM allows 100; stay well below

    static AwsRequest describeInstanceInformation(const QList<SsmFilter>& filters, int maxResults,
                                                  const QString& nextToken = {});
    static Result<Page<InstanceInformation>> parseDescribeInstanceInformation(const QByteArray& body);
};

} // namespace bl
