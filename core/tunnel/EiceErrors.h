#pragma once
// EiceErrors: what the EC2 Instance Connect Endpoint's refusals and close codes mean for a person. A non-101
// answer carries {"ErrorCode":..,"Message":..}; the known cases get a hint (a port other than 22/3389, a
// 403 from the clock or from IAM). A close code other than 1000 ends a tunnel with an error.

#include "core/tunnel/EiceTarget.h"
#include "core/tunnel/WebSocketHandshake.h"
#include "core/util/Result.h"

#include <optional>

namespace bl {

class EiceErrors
{
public:
    // clockOffsetSecs: the server's Date minus this computer's (uncorrected) clock, when the answer had a Date;
    // accountId may be empty.
    static Error fromRejection(const HttpResponseHead& head, const QByteArray& body, const EiceTarget& target,
                               std::optional<qint64> clockOffsetSecs, const QString& accountId);
    // nullopt for a normal closure (1000).
    static std::optional<Error> fromClose(quint16 code, const QString& reason, const EiceTarget& target);
    // arn:<partition>:ec2:<region>:<account>:instance-connect-endpoint/<id>; "<account>" when unknown.
    static QString endpointArn(const EiceTarget& target, const QString& accountId);
};

} // namespace bl
