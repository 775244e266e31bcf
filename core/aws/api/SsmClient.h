#pragma once
// SSM calls over an AwsSession that the inventory and the connection doctor need: which instances are
// managed by Systems Manager, online, and with which agent version.

#include "core/aws/api/AwsSession.h"
#include "core/aws/api/Types.h"

namespace bl {

class SsmClient
{
public:
    explicit SsmClient(AwsSession& session);

    // Every page, 50 per page. instanceIds (any number; sent in groups of 50) and filters combine with AND.
    // An instance missing from the answer is not managed by SSM (or not in this region/account).
    void describeInstanceInformation(const QString& region, const QStringList& instanceIds,
                                     const QList<SsmFilter>& filters, QObject* context,
                                     Callback<QList<InstanceInformation>> done);

private:
    AwsSession& m_session;
};

} // namespace bl
