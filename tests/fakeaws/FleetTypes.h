#pragma once
// The plain records a fakeaws Fleet is made of: regions, VPCs, subnets, security groups, EC2 Instance Connect
// Endpoints, instances with their SSM agent and Windows password, and the knobs that make the emulator behave
// awkwardly on purpose (paging). They mirror what the real services describe, not how they store it.

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace fakeaws {

using TagList = QList<QPair<QString, QString>>; // in the order the service returns them

enum class InstanceState { Pending, Running, ShuttingDown, Terminated, Stopping, Stopped };

QString instanceStateName(InstanceState state);
int instanceStateCode(InstanceState state); // 0, 16, 32, 48, 64, 80
std::optional<InstanceState> instanceStateFromName(const QString& name);

struct Region
{
    QString name;
    QString optInStatus = QStringLiteral("opt-in-not-required"); // | opted-in | not-opted-in
    bool isEnabled() const { return optInStatus != QLatin1String("not-opted-in"); }
};

struct Vpc
{
    QString id;
    QString region;
    QString cidr;
    TagList tags;
};

struct Subnet
{
    QString id;
    QString vpcId;
    QString availabilityZone;
    QString cidr;
    bool isPublic = false; // has a route to an internet gateway and maps public IPs on launch
    TagList tags;
};

struct IpPermission
{
    QString protocol = QStringLiteral("tcp"); // tcp | udp | icmp | -1
    int fromPort = -1; // -1: absent (all ports, for protocol -1)
    int toPort = -1;
    QStringList cidrs;
    QStringList ipv6Cidrs;
    QStringList groupIds;
    QStringList prefixListIds;
};

struct SecurityGroup
{
    QString id;
    QString name;
    QString description;
    QString vpcId;
    QList<IpPermission> ingress;
    QList<IpPermission> egress;
    TagList tags;
};

struct InstanceConnectEndpoint
{
    QString id;
    QString vpcId; // always the subnet's VPC
    QString subnetId;
    QString state = QStringLiteral("create-complete");
    QString dnsName; // where the later EICE emulator listens; a *.localhost name resolves to 127.0.0.1
    QString fipsDnsName; // empty: the endpoint has no FIPS name
    bool preserveClientIp = false;
    QStringList securityGroupIds;
    QDateTime createdAt;
    TagList tags;
};

// What the SSM agent on an instance reports. pingStatus empty means no agent registered (not managed).
struct SsmAgent
{
    QString pingStatus; // Online | ConnectionLost | Inactive | empty
    QString agentVersion;
    bool isLatestVersion = false;
    QString platformType; // Linux | Windows | MacOS
    QString platformName;
    QString platformVersion;
    QString computerName;
    QDateTime lastPing; // invalid: "a few seconds ago" when Online
    bool isRegistered() const { return !pingStatus.isEmpty(); }
};

struct Instance
{
    QString id;
    QString region;
    QString availabilityZone;
    QString reservationId;
    InstanceState state = InstanceState::Running;
    int stateCodeHighByte = 0; // EC2 may set internal bits above the low byte; clients must mask them off
    QString stateReason; // StateTransitionReason, e.g. "User initiated (2024-01-01 10:00:00 GMT)"
    QDateTime settlesAt; // pending/stopping/shutting-down resolve at this time; invalid: never
    QString instanceType = QStringLiteral("t3.micro");
    QString imageId;
    QString platform; // "windows" or empty
    QString platformDetails = QStringLiteral("Linux/UNIX");
    QString architecture = QStringLiteral("x86_64");
    QString vpcId;
    QString subnetId;
    QString privateIp;
    QString privateDnsName;
    QString publicIp; // only reported while pending/running (no Elastic IPs in the emulator)
    QString publicDnsName;
    QString ipv6;
    QString keyName;
    QDateTime launchTime;
    QString iamInstanceProfileArn;
    QStringList securityGroupIds;
    TagList tags;
    SsmAgent ssm;
    QString password; // Windows administrator password, encrypted into passwordData when the fleet is built
    QByteArray passwordData; // base64 of the PKCS#1 v1.5 encryption with the key pair's public key
    QDateTime passwordReadyAt; // GetPasswordData is empty before this (invalid: ready from launch)
    QMap<int, int> targets; // remote port on the instance -> local port on 127.0.0.1 (later tunnel work)
    QString note; // why this instance is in the fleet (documentation only)

    bool isWindows() const { return platform == QLatin1String("windows"); }
    QString tag(const QString& key) const;
    QString name() const { return tag(QStringLiteral("Name")); }
};

// Awkward-but-legal paging, so clients prove they loop until nextToken is absent.
struct PagingKnobs
{
    int maxPageSize = 0; // cap on items per page even when MaxResults is larger; 0: no cap
    int emptyPageEvery = 0; // every Nth page (N >= 2) is empty yet carries a nextToken; 0: never
};

} // namespace fakeaws
