#include "FleetBuilder.h"

#include "WindowsPasswordCipher.h"

#include <QCryptographicHash>

namespace fakeaws {

namespace {

struct OsProfile
{
    FleetBuilder::Os os;
    bool windows;
    const char* platformDetails;
    const char* ssmName;
    const char* ssmVersion;
    const char* rootDevice;
};

constexpr OsProfile kProfiles[] = {
    {FleetBuilder::Os::AmazonLinux2023, false, "Linux/UNIX", "Amazon Linux", "2023", "/dev/xvda"},
    {FleetBuilder::Os::AmazonLinux2, false, "Linux/UNIX", "Amazon Linux", "2", "/dev/xvda"},
    {FleetBuilder::Os::Ubuntu2204, false, "Linux/UNIX", "Ubuntu", "22.04", "/dev/sda1"},
    {FleetBuilder::Os::Debian12, false, "Linux/UNIX", "Debian GNU/Linux", "12", "/dev/xvda"},
    {FleetBuilder::Os::Rhel9, false, "Red Hat Enterprise Linux", "Red Hat Enterprise Linux", "9.3", "/dev/sda1"},
    {FleetBuilder::Os::Windows2022, true, "Windows", "Microsoft Windows Server 2022 Datacenter", "10.0.20348",
     "/dev/sda1"},
    {FleetBuilder::Os::Windows2019, true, "Windows", "Microsoft Windows Server 2019 Datacenter", "10.0.17763",
     "/dev/sda1"},
};

const OsProfile& profile(FleetBuilder::Os os)
{
    for (const OsProfile& p : kProfiles) {
        if (p.os == os)
            return p;
    }
    return kProfiles[0];
}

QString hexDigest(const QString& seed, int digits)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(seed.toUtf8(), QCryptographicHash::Sha256).toHex().left(digits));
}

quint32 parseIpv4(const QString& text)
{
    quint32 value = 0;
    for (const QString& part : text.split(QLatin1Char('.')))
        value = (value << 8) | (part.toUInt() & 0xFF);
    return value;
}

QString formatIpv4(quint32 value)
{
    return QStringLiteral("%1.%2.%3.%4")
        .arg((value >> 24) & 0xFF)
        .arg((value >> 16) & 0xFF)
        .arg((value >> 8) & 0xFF)
        .arg(value & 0xFF);
}

} // namespace

FleetBuilder::FleetBuilder(Fleet& fleet, const QString& salt)
    : m_fleet(fleet)
    , m_salt(salt)
{ }

QString FleetBuilder::nextId(const QString& prefix, int hexDigits)
{
    return prefix + hexDigest(QStringLiteral("%1/%2/%3").arg(m_salt, prefix).arg(++m_counter), hexDigits);
}

void FleetBuilder::region(const QString& name, const QString& optInStatus)
{
    m_fleet.addRegion({name, optInStatus});
}

QString FleetBuilder::vpc(const QString& region, const QString& name, const QString& cidr)
{
    const QString id = nextId(QStringLiteral("vpc-"));
    m_fleet.addVpc({id, region, cidr, {{QStringLiteral("Name"), name}}});
    // Like EC2, every VPC comes with a "default" group admitting traffic from its own members.
    SecurityGroup group;
    group.id = nextId(QStringLiteral("sg-"));
    group.name = QStringLiteral("default");
    group.description = QStringLiteral("default VPC security group");
    group.vpcId = id;
    IpPermission self;
    self.protocol = QStringLiteral("-1");
    self.groupIds = {group.id};
    group.ingress = {self};
    group.egress = {allTraffic({QStringLiteral("0.0.0.0/0")})};
    m_fleet.addSecurityGroup(group);
    return id;
}

QString FleetBuilder::subnet(const QString& vpcId, const QString& az, const QString& cidr, bool isPublic,
                             const QString& name)
{
    const QString id = nextId(QStringLiteral("subnet-"));
    m_fleet.addSubnet({id, vpcId, az, cidr, isPublic, {{QStringLiteral("Name"), name}}});
    return id;
}

QString FleetBuilder::securityGroup(const QString& vpcId, const QString& name, const QString& description,
                                    const QList<IpPermission>& ingress, const QList<IpPermission>& egress)
{
    SecurityGroup group;
    group.id = nextId(QStringLiteral("sg-"));
    group.name = name;
    group.description = description;
    group.vpcId = vpcId;
    group.ingress = ingress;
    group.egress = egress;
    m_fleet.addSecurityGroup(group);
    return group.id;
}

FleetBuilder::Network FleetBuilder::standardVpc(const QString& region, const QString& name, int secondOctet,
                                                const QString& azPublic, const QString& azPrivate)
{
    Network n;
    const QString cidr = QStringLiteral("10.%1.0.0/16").arg(secondOctet);
    n.vpc = vpc(region, name, cidr);
    n.publicSubnet = subnet(n.vpc, azPublic, QStringLiteral("10.%1.1.0/24").arg(secondOctet), true,
                            name + QStringLiteral("-public"));
    n.privateSubnet = subnet(n.vpc, azPrivate, QStringLiteral("10.%1.10.0/24").arg(secondOctet), false,
                             name + QStringLiteral("-private"));
    n.eiceGroup = securityGroup(n.vpc, QStringLiteral("eice"), QStringLiteral("EC2 Instance Connect Endpoint"), {},
                                {tcp(22, {cidr}), tcp(3389, {cidr})});
    n.sshFromEice = securityGroup(
        n.vpc, QStringLiteral("admin-from-eice"), QStringLiteral("SSH and RDP from the endpoint"),
        {tcp(22, {}, {n.eiceGroup}), tcp(3389, {}, {n.eiceGroup})}, {allTraffic({QStringLiteral("0.0.0.0/0")})});
    return n;
}

QString FleetBuilder::endpoint(const QString& subnetId, const QStringList& groupIds, bool preserveClientIp, bool fips,
                               const QString& state)
{
    InstanceConnectEndpoint e;
    e.id = nextId(QStringLiteral("eice-"));
    e.subnetId = subnetId;
    const Subnet* s = m_fleet.subnet(subnetId);
    e.vpcId = s ? s->vpcId : QString();
    e.state = state;
    e.dnsName = e.id + QStringLiteral(".localhost");
    if (fips)
        e.fipsDnsName = e.id + QStringLiteral(".fips.localhost");
    e.preserveClientIp = preserveClientIp;
    e.securityGroupIds = groupIds;
    e.createdAt = QDateTime(QDate(2024, 6, 3), QTime(9, 30), Qt::UTC).addDays(m_counter);
    m_fleet.addEndpoint(e);
    return e.id;
}

Instance FleetBuilder::instance(const QString& name, const QString& subnetId, Os os, const QString& type)
{
    const OsProfile& p = profile(os);
    const Subnet* s = m_fleet.subnet(subnetId);
    const Vpc* v = s ? m_fleet.vpc(s->vpcId) : nullptr;
    Instance i;
    i.id = nextId(QStringLiteral("i-"));
    i.reservationId = nextId(QStringLiteral("r-"));
    i.region = v ? v->region : QString();
    i.availabilityZone = s ? s->availabilityZone : QString();
    i.vpcId = s ? s->vpcId : QString();
    i.subnetId = subnetId;
    if (s) {
        const int host = m_nextHost.value(subnetId, 10);
        m_nextHost.insert(subnetId, host + 1);
        i.privateIp = formatIpv4(parseIpv4(s->cidr.section(QLatin1Char('/'), 0, 0)) + static_cast<quint32>(host));
        i.privateDnsName = privateDnsName(i.privateIp, i.region);
    }
    i.instanceType = type;
    i.imageId = QStringLiteral("ami-") + hexDigest(QStringLiteral("%1/%2").arg(i.region).arg(static_cast<int>(os)), 17);
    i.platform = p.windows ? QStringLiteral("windows") : QString();
    i.platformDetails = QString::fromLatin1(p.platformDetails);
    i.architecture = type.contains(QLatin1Char('g')) && !type.startsWith(QLatin1String("g")) ? QStringLiteral("arm64")
                                                                                             : QStringLiteral("x86_64");
    i.keyName = p.windows ? QString() : QStringLiteral("ops-2024");
    i.launchTime =
        QDateTime(QDate(2025, 1, 6), QTime(8, 0), Qt::UTC).addSecs(static_cast<qint64>(m_counter) * 37 * 3600);
    for (const SecurityGroup& g : m_fleet.securityGroups()) {
        if (g.vpcId == i.vpcId && g.name == QLatin1String("default")) {
            i.securityGroupIds = {g.id};
            break;
        }
    }
    i.tags = {{QStringLiteral("Name"), name}};
    i.ssm.platformType = p.windows ? QStringLiteral("Windows") : QStringLiteral("Linux");
    i.ssm.platformName = QString::fromLatin1(p.ssmName);
    i.ssm.platformVersion = QString::fromLatin1(p.ssmVersion);
    i.ssm.computerName = p.windows ? QStringLiteral("EC2AMAZ-") + i.id.mid(2, 7).toUpper() : i.privateDnsName;
    return i;
}

void FleetBuilder::givePublicIp(Instance& instance)
{
    // RFC 5737 documentation ranges, then RFC 2544's benchmark range: never routed, so a client that tries
    // to dial a "public" address from the emulator cannot reach anybody's real machine.
    static const quint32 ranges[] = {0xCB007100u /*203.0.113.0*/, 0xC6336400u /*198.51.100.0*/,
                                     0xC0000200u /*192.0.2.0*/};
    const int n = m_publicCounter++;
    quint32 address = 0;
    if (n < 3 * 250)
        address = ranges[n / 250] + static_cast<quint32>(n % 250 + 4);
    else
        address = 0xC6120000u /*198.18.0.0*/ + static_cast<quint32>(n - 3 * 250 + 4) % 0x20000u;
    instance.publicIp = formatIpv4(address);
    instance.publicDnsName = publicDnsName(instance.publicIp, instance.region);
}

void FleetBuilder::giveSsm(Instance& instance, const QString& pingStatus, const QString& agentVersion)
{
    instance.ssm.pingStatus = pingStatus;
    instance.ssm.agentVersion = agentVersion;
    instance.ssm.isLatestVersion = agentVersion == QLatin1String("3.3.40.0");
    if (pingStatus != QLatin1String("Online"))
        instance.ssm.lastPing = instance.launchTime.addDays(3);
    if (instance.iamInstanceProfileArn.isEmpty())
        instance.iamInstanceProfileArn =
            QStringLiteral("arn:aws:iam::%1:instance-profile/SSMInstanceProfile").arg(m_fleet.accountId());
}

void FleetBuilder::giveWindowsPassword(Instance& instance, const QString& keyName, const QString& password)
{
    instance.keyName = keyName;
    instance.password = password;
    QString error;
    instance.passwordData =
        WindowsPasswordCipher::encrypt(m_fleet.keyPairs().value(keyName), password.toUtf8(), &error);
    Q_ASSERT_X(!instance.passwordData.isEmpty(), "giveWindowsPassword", qPrintable(error));
}

IpPermission FleetBuilder::tcp(int port, const QStringList& cidrs, const QStringList& groupIds)
{
    IpPermission p;
    p.fromPort = port;
    p.toPort = port;
    p.cidrs = cidrs;
    p.groupIds = groupIds;
    return p;
}

IpPermission FleetBuilder::allTraffic(const QStringList& cidrs)
{
    IpPermission p;
    p.protocol = QStringLiteral("-1");
    p.cidrs = cidrs;
    return p;
}

QString FleetBuilder::privateDnsName(const QString& ip, const QString& region)
{
    QString dashed = ip;
    dashed.replace(QLatin1Char('.'), QLatin1Char('-'));
    if (region == QLatin1String("us-east-1"))
        return QStringLiteral("ip-%1.ec2.internal").arg(dashed);
    return QStringLiteral("ip-%1.%2.compute.internal").arg(dashed, region);
}

QString FleetBuilder::publicDnsName(const QString& ip, const QString& region)
{
    QString dashed = ip;
    dashed.replace(QLatin1Char('.'), QLatin1Char('-'));
    if (region == QLatin1String("us-east-1"))
        return QStringLiteral("ec2-%1.compute-1.amazonaws.com").arg(dashed);
    return QStringLiteral("ec2-%1.%2.compute.amazonaws.com").arg(dashed, region);
}

} // namespace fakeaws
