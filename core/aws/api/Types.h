#pragma once
// Our own value types for what the EC2, EC2 Instance Connect, SSM and STS APIs describe. The XML and JSON
// shapes of those services stay inside core/aws/; everything outside sees only these types.

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace bl {

enum class InstanceState { Unknown, Pending, Running, ShuttingDown, Terminated, Stopping, Stopped };

// "running" -> Running, ...; unknown names -> Unknown.
InstanceState instanceStateFromName(const QString& name);
// EC2's state code; only the low byte is meaningful (the high byte is internal to EC2).
InstanceState instanceStateFromCode(int code);
QString instanceStateName(InstanceState state);

struct Tag
{
    QString key;
    QString value;
    bool operator==(const Tag&) const = default;
};

struct SecurityGroupRef
{
    QString id;
    QString name;
    bool operator==(const SecurityGroupRef&) const = default;
};

struct Instance
{
    QString id;
    QString name; // value of the Name tag, empty when untagged
    InstanceState state = InstanceState::Unknown;
    QString stateName; // as EC2 sent it ("running")
    int stateCode = -1; // already masked with 0xFF; -1 when absent
    QString type; // t3.micro
    QString imageId;
    QString platform; // "windows" or "linux" (EC2 only names Windows; everything else is Linux/UNIX)
    QString platformDetails; // "Linux/UNIX", "Windows", "Red Hat Enterprise Linux", ... may be empty
    QString region;
    QString availabilityZone;
    QString vpcId;
    QString subnetId;
    QString privateIp;
    QString publicIp;
    QString ipv6;
    QString privateDns;
    QString publicDns;
    QString keyName;
    QDateTime launchTime; // UTC; invalid when absent
    QList<Tag> tags; // in the order EC2 sent them
    QList<SecurityGroupRef> securityGroups;
    QString iamInstanceProfileArn;
    QString architecture; // x86_64, arm64, ...
    QString profile; // the AWS profile this instance was listed with (set by whoever lists it)

    bool isWindows() const { return platform == QLatin1String("windows"); }
    QString tag(const QString& key) const; // empty when absent
};

struct Region
{
    QString name; // us-east-1
    QString endpoint; // ec2.us-east-1.amazonaws.com
    QString optInStatus; // opt-in-not-required | opted-in | not-opted-in
    bool isEnabled() const { return optInStatus != QLatin1String("not-opted-in"); }
};

struct InstanceConnectEndpoint
{
    QString id; // eice-...
    QString vpcId;
    QString subnetId;
    QString state; // create-complete, ...
    QString dnsName;
    QString fipsDnsName;
    bool preserveClientIp = false;
    QString availabilityZone;
    QList<QString> securityGroupIds;
    // The states in which the AWS CLI uses an endpoint for tunnels.
    bool isUsable() const;
};

struct SecurityGroupRule
{
    QString protocol; // tcp, udp, icmp, icmpv6, or "-1" for all traffic
    int fromPort = -1; // -1 when absent (all ports)
    int toPort = -1;
    QStringList ipv4Ranges; // CIDRs
    QStringList ipv6Ranges;
    QStringList prefixListIds;
    QStringList groupIds; // referenced security groups

    bool allProtocols() const { return protocol == QLatin1String("-1"); }
    // True when this rule admits TCP traffic to port (all protocols, or tcp with the port in range).
    bool coversTcpPort(int port) const;
};

struct SecurityGroup
{
    QString id;
    QString name;
    QString description;
    QString vpcId;
    QString ownerId;
    QList<SecurityGroupRule> ingress;
    QList<SecurityGroupRule> egress;
    QList<Tag> tags;
};

struct InstanceStateChange
{
    QString instanceId;
    InstanceState current = InstanceState::Unknown;
    QString currentName;
    InstanceState previous = InstanceState::Unknown;
    QString previousName;
};

struct PasswordData
{
    QString instanceId;
    QByteArray encryptedBase64; // whitespace removed; empty until Windows has generated the password
    QDateTime timestamp; // UTC; invalid when absent
    bool isReady() const { return !encryptedBase64.isEmpty(); }
};

struct InstanceInformation
{
    QString instanceId;
    QString pingStatus; // Online | ConnectionLost | Inactive
    QString agentVersion;
    bool isLatestVersion = false;
    QString platformType; // Windows | Linux | MacOS
    QString platformName;
    QString platformVersion;
    QString resourceType; // EC2Instance | ManagedInstance
    QString ipAddress;
    QString computerName;
    QDateTime lastPing; // UTC; invalid when absent
    bool isOnline() const { return pingStatus == QLatin1String("Online"); }
};

struct CallerIdentity
{
    QString account;
    QString arn;
    QString userId;
};

// An EC2 filter: values are OR-ed, filters are AND-ed; values accept * and ? wildcards.
struct Ec2Filter
{
    QString name; // instance-state-name, tag:Name, vpc-id, ...
    QStringList values;
};

// An SSM DescribeInstanceInformation filter (Key: InstanceIds, PingStatus, PlatformTypes, tag:<k>, ...).
struct SsmFilter
{
    QString key;
    QStringList values;
};

// One page of a paginated answer; an empty nextToken means the last page. A page may hold no items and
// still carry a nextToken.
template<typename T>
struct Page
{
    QList<T> items;
    QString nextToken;
};

} // namespace bl

Q_DECLARE_METATYPE(bl::Instance)
