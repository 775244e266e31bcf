#include "core/inventory/InventoryTypes.h"

namespace bl {

QString InventoryError::where() const
{
    return region.isEmpty() ? source : QStringLiteral("%1 / %2").arg(source, region);
}

bool sameInstance(const Instance& a, const Instance& b)
{
    return a.id == b.id && a.name == b.name && a.state == b.state && a.stateName == b.stateName && a.type == b.type
        && a.imageId == b.imageId && a.platform == b.platform && a.platformDetails == b.platformDetails
        && a.region == b.region && a.availabilityZone == b.availabilityZone && a.vpcId == b.vpcId
        && a.subnetId == b.subnetId && a.privateIp == b.privateIp && a.publicIp == b.publicIp && a.ipv6 == b.ipv6
        && a.privateDns == b.privateDns && a.publicDns == b.publicDns && a.keyName == b.keyName
        && a.launchTime == b.launchTime && a.tags == b.tags && a.securityGroups == b.securityGroups
        && a.iamInstanceProfileArn == b.iamInstanceProfileArn && a.architecture == b.architecture
        && a.profile == b.profile;
}

} // namespace bl
