#pragma once
// EC2 Instance Connect's SendSSHPublicKey without I/O (PROTOCOLS.md §4): checks the arguments the way the
// service would (so a typo fails fast with a clear message), builds the JSON 1.1 request and reads the answer.

#include "core/aws/http/AwsHttpClient.h"
#include "core/util/Result.h"

namespace bl {

class InstanceConnectProtocol
{
public:
    // availabilityZone is optional (legacy; the AWS CLI does not send it).
    static Result<AwsRequest> sendSshPublicKey(const QString& instanceId, const QString& osUser,
                                               const QString& publicKeyLine, const QString& availabilityZone = {});
    // Success only when the service answered {"Success": true}.
    static Result<void> parseSendSshPublicKey(const QByteArray& body);
};

} // namespace bl
