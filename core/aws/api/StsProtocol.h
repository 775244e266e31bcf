#pragma once
// STS GetCallerIdentity over the generic query protocol, without I/O (PROTOCOLS.md §2.7): which account
// and principal the credentials belong to. (AssumeRole lives with the credential providers.)

#include "core/aws/api/Types.h"
#include "core/aws/http/AwsHttpClient.h"
#include "core/util/Result.h"

namespace bl {

class StsProtocol
{
public:
    static const QByteArray apiVersion; // 2011-06-15
    static AwsRequest getCallerIdentity();
    static Result<CallerIdentity> parseGetCallerIdentity(const QByteArray& body);
};

} // namespace bl
