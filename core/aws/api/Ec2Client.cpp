#include "core/aws/api/Ec2Client.h"

#include "core/aws/api/Ec2Protocol.h"
#include "core/aws/api/Paginator.h"
#include "core/aws/api/ServiceCall.h"
#include "core/aws/credentials/PostResult.h"

namespace bl {

namespace {
const QString ec2Service = QStringLiteral("ec2");

Error noInstanceIds(const QString& operation)
{
    return Error::make(ErrorKind::Usage, QStringLiteral("%1 needs at least one instance id").arg(operation));
}
} // namespace

Ec2Client::Ec2Client(AwsSession& session)
    : m_session(session)
{ }

QString Ec2Client::effectiveRegion(const QString& region) const
{
    return region.isEmpty() ? m_session.defaultRegion() : region;
}

void Ec2Client::describeInstances(const QString& region, const QList<Ec2Filter>& filters,
                                  const QStringList& instanceIds, QObject* context, Callback<QList<Instance>> done)
{
    const QString where = effectiveRegion(region);
    const QString profile = m_session.profileName();
    Paginator<Instance>::run(
        m_session, ec2Service, region,
        [filters, instanceIds](const QString& token) {
            return Ec2Protocol::describeInstances(filters, instanceIds, Ec2Protocol::describeInstancesPageSize, token);
        },
        &Ec2Protocol::parseDescribeInstances, context,
        [where, profile, done = std::move(done)](Result<QList<Instance>> result) {
            if (result) {
                for (Instance& i : *result) {
                    i.region = where;
                    i.profile = profile;
                }
            }
            done(std::move(result));
        });
}

void Ec2Client::describeRegions(const QString& region, bool allRegions, QObject* context, Callback<QList<Region>> done)
{
    ServiceCall::run<QList<Region>>(m_session, ec2Service, region, Ec2Protocol::describeRegions(allRegions),
                                    &Ec2Protocol::parseDescribeRegions, context, std::move(done));
}

void Ec2Client::describeInstanceConnectEndpoints(const QString& region, const QList<Ec2Filter>& filters,
                                                 const QStringList& endpointIds, QObject* context,
                                                 Callback<QList<InstanceConnectEndpoint>> done)
{
    Paginator<InstanceConnectEndpoint>::run(
        m_session, ec2Service, region,
        [filters, endpointIds](const QString& token) {
            return Ec2Protocol::describeInstanceConnectEndpoints(filters, endpointIds,
                                                                 Ec2Protocol::describeEndpointsPageSize, token);
        },
        &Ec2Protocol::parseDescribeInstanceConnectEndpoints, context, std::move(done));
}

void Ec2Client::describeSecurityGroups(const QString& region, const QStringList& groupIds,
                                       const QList<Ec2Filter>& filters, QObject* context,
                                       Callback<QList<SecurityGroup>> done)
{
    Paginator<SecurityGroup>::run(
        m_session, ec2Service, region,
        [groupIds, filters](const QString& token) {
            return Ec2Protocol::describeSecurityGroups(groupIds, filters, Ec2Protocol::describeSecurityGroupsPageSize,
                                                       token);
        },
        &Ec2Protocol::parseDescribeSecurityGroups, context, std::move(done));
}

void Ec2Client::getPasswordData(const QString& region, const QString& instanceId, QObject* context,
                                Callback<PasswordData> done)
{
    if (instanceId.isEmpty()) {
        postResult<PasswordData>(context, std::move(done), noInstanceIds(QStringLiteral("GetPasswordData")));
        return;
    }
    ServiceCall::run<PasswordData>(m_session, ec2Service, region, Ec2Protocol::getPasswordData(instanceId),
                                   &Ec2Protocol::parseGetPasswordData, context, std::move(done));
}

void Ec2Client::startInstances(const QString& region, const QStringList& instanceIds, QObject* context,
                               Callback<QList<InstanceStateChange>> done)
{
    if (instanceIds.isEmpty()) {
        postResult<QList<InstanceStateChange>>(context, std::move(done),
                                               noInstanceIds(QStringLiteral("StartInstances")));
        return;
    }
    ServiceCall::run<QList<InstanceStateChange>>(
        m_session, ec2Service, region, Ec2Protocol::startInstances(instanceIds),
        [](const QByteArray& body) { return Ec2Protocol::parseStateChanges(body, QStringLiteral("StartInstances")); },
        context, std::move(done));
}

void Ec2Client::stopInstances(const QString& region, const QStringList& instanceIds, bool force, QObject* context,
                              Callback<QList<InstanceStateChange>> done)
{
    if (instanceIds.isEmpty()) {
        postResult<QList<InstanceStateChange>>(context, std::move(done),
                                               noInstanceIds(QStringLiteral("StopInstances")));
        return;
    }
    ServiceCall::run<QList<InstanceStateChange>>(
        m_session, ec2Service, region, Ec2Protocol::stopInstances(instanceIds, force),
        [](const QByteArray& body) { return Ec2Protocol::parseStateChanges(body, QStringLiteral("StopInstances")); },
        context, std::move(done));
}

} // namespace bl
