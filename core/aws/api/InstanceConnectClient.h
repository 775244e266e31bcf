#pragma once
// EC2 Instance Connect over an AwsSession: pushes a one-time SSH public key to an instance. The key is
// usable for 60 seconds, so SSH authentication must start right after the callback reports success.

#include "core/aws/api/AwsSession.h"

namespace bl {

class InstanceConnectClient
{
public:
    explicit InstanceConnectClient(AwsSession& session);

    // publicKeyLine: "<type> <base64> [comment]". Bad arguments fail with ErrorKind::Usage before any call.
    void sendSshPublicKey(const QString& region, const QString& instanceId, const QString& osUser,
                          const QString& publicKeyLine, const QString& availabilityZone, QObject* context,
                          Callback<void> done);

private:
    AwsSession& m_session;
};

} // namespace bl
