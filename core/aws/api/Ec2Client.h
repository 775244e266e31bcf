#pragma once
// EC2 calls over an AwsSession, asynchronous: instances (every page), regions, EC2 Instance Connect
// Endpoints, security groups, the Windows password blob, start and stop. Results are our own value types;
// each callback runs once on the event loop, unless its context object is destroyed first.
// An empty region means the session's default region.

#include "core/aws/api/AwsSession.h"
#include "core/aws/api/Types.h"

namespace bl {

class Ec2Client
{
public:
    explicit Ec2Client(AwsSession& session);

    // Follows every page. Instances come back with region and profile filled in. With instanceIds, EC2
    // answers InvalidInstanceID.NotFound when one of them does not exist in that region.
    void describeInstances(const QString& region, const QList<Ec2Filter>& filters, const QStringList& instanceIds,
                           QObject* context, Callback<QList<Instance>> done);
    // Enabled regions only, unless allRegions (then also those not opted in).
    void describeRegions(const QString& region, bool allRegions, QObject* context, Callback<QList<Region>> done);
    void describeInstanceConnectEndpoints(const QString& region, const QList<Ec2Filter>& filters,
                                          const QStringList& endpointIds, QObject* context,
                                          Callback<QList<InstanceConnectEndpoint>> done);
    void describeSecurityGroups(const QString& region, const QStringList& groupIds, const QList<Ec2Filter>& filters,
                                QObject* context, Callback<QList<SecurityGroup>> done);
    void getPasswordData(const QString& region, const QString& instanceId, QObject* context,
                         Callback<PasswordData> done);
    void startInstances(const QString& region, const QStringList& instanceIds, QObject* context,
                        Callback<QList<InstanceStateChange>> done);
    void stopInstances(const QString& region, const QStringList& instanceIds, bool force, QObject* context,
                       Callback<QList<InstanceStateChange>> done);

    AwsSession& session() { return m_session; }

private:
    QString effectiveRegion(const QString& region) const;

    AwsSession& m_session;
};

} // namespace bl
