// Fleet::demo(): the account the README's demo and the end-to-end tests look at. Each instance is here for a
// reason written in its note; tests/unit/fakefleet/TestDemoFleet.cpp checks that the variety stays.

#include "Fleet.h"
#include "FleetBuilder.h"

namespace fakeaws {

namespace {

using Os = FleetBuilder::Os;

// Public half of tests/data/fakeaws/demo-windows-key.pem (the private half is committed for clients to decrypt).
const char kDemoWindowsPublicKey[] = "-----BEGIN PUBLIC KEY-----\n"
                                     "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArXKtgEXZ6EgbdfOY2Qkt\n"
                                     "Uqvyji04YydBvvkpjQquQSfGdC5r8LUrP3ETKB9K3B45aSBNkEY8qfjCUiCiGbD2\n"
                                     "o1K+UVQO3k4ND0x2C8eyNY5xW4Ui97ybu2h0oOS2D35EPvpABNJmBAh3UQMMTgiq\n"
                                     "vPOsdT0A4LiHe66f0KtCKgAljm14FG+jcddB6dk6fjbK4oQwrRXSZo10bxVCU6Y6\n"
                                     "3F9yt6vloqq07H4U0YWnQi5wiN165H5cDWQGMCqgjoIbNw1astX/8rf9BZL3VLI6\n"
                                     "SSMjyav+R0/hV9G8Qf7a09vBTA8BpEM6CKnULiUya0VEUcn1MSl3p9tDKB5jSCQl\n"
                                     "7wIDAQAB\n"
                                     "-----END PUBLIC KEY-----\n";

const QString kWindowsKey = QStringLiteral("demo-windows");

void tag(Instance& i, const QString& env, const QString& team, const QString& owner)
{
    i.tags.append({QStringLiteral("Env"), env});
    i.tags.append({QStringLiteral("Team"), team});
    i.tags.append({QStringLiteral("Owner"), owner});
}

void usEast1(FleetBuilder& b)
{
    const QString r = QStringLiteral("us-east-1");
    const FleetBuilder::Network prod =
        b.standardVpc(r, QStringLiteral("prod"), 0, QStringLiteral("us-east-1a"), QStringLiteral("us-east-1a"));
    const QString privateB = b.subnet(prod.vpc, QStringLiteral("us-east-1b"), QStringLiteral("10.0.11.0/24"), false,
                                      QStringLiteral("prod-private-b"));
    const QString web = b.securityGroup(
        prod.vpc, QStringLiteral("web"), QStringLiteral("HTTP(S) from anywhere"),
        {FleetBuilder::tcp(80, {QStringLiteral("0.0.0.0/0")}), FleetBuilder::tcp(443, {QStringLiteral("0.0.0.0/0")})},
        {FleetBuilder::allTraffic({QStringLiteral("0.0.0.0/0")})});
    b.endpoint(prod.privateSubnet, {prod.eiceGroup}, false, true);

    // The default VPC of old: public subnet, no endpoint.
    const QString legacyVpc = b.vpc(r, QStringLiteral("legacy-default"), QStringLiteral("172.31.0.0/16"));
    const QString legacyPublic = b.subnet(legacyVpc, QStringLiteral("us-east-1c"), QStringLiteral("172.31.0.0/20"),
                                          true, QStringLiteral("legacy-default-c"));
    const QString legacySsh =
        b.securityGroup(legacyVpc, QStringLiteral("ssh-office"), QStringLiteral("SSH from office"),
                        {FleetBuilder::tcp(22, {QStringLiteral("198.51.100.0/24")})},
                        {FleetBuilder::allTraffic({QStringLiteral("0.0.0.0/0")})});
    // A sandbox VPC nobody gave an endpoint or a NAT gateway.
    const QString sandboxVpc = b.vpc(r, QStringLiteral("sandbox"), QStringLiteral("10.50.0.0/16"));
    const QString sandbox = b.subnet(sandboxVpc, QStringLiteral("us-east-1d"), QStringLiteral("10.50.1.0/24"), false,
                                     QStringLiteral("sandbox-private"));

    Instance i =
        b.instance(QStringLiteral("web-1"), prod.publicSubnet, Os::AmazonLinux2023, QStringLiteral("t3.small"));
    b.givePublicIp(i);
    b.giveSsm(i, QStringLiteral("Online"));
    i.securityGroupIds.append(web);
    tag(i, QStringLiteral("prod"), QStringLiteral("web"), QStringLiteral("alice"));
    i.note = QStringLiteral("SSM, public subnet");
    b.add(i);

    i = b.instance(QStringLiteral("web-2"), prod.publicSubnet, Os::AmazonLinux2023, QStringLiteral("t3.small"));
    b.givePublicIp(i);
    b.giveSsm(i, QStringLiteral("Online"));
    i.securityGroupIds.append(web);
    tag(i, QStringLiteral("prod"), QStringLiteral("web"), QStringLiteral("alice"));
    i.note = QStringLiteral("SSM, public subnet");
    b.add(i);

    i = b.instance(QStringLiteral("api-prod-1"), prod.privateSubnet, Os::AmazonLinux2023, QStringLiteral("m6i.large"));
    b.giveSsm(i, QStringLiteral("Online"));
    tag(i, QStringLiteral("prod"), QStringLiteral("api"), QStringLiteral("bob"));
    i.note = QStringLiteral("SSM, private subnet (agent new enough for multiplexed port forwarding)");
    b.add(i);

    i = b.instance(QStringLiteral("api-prod-2"), privateB, Os::AmazonLinux2, QStringLiteral("m6i.large"));
    b.giveSsm(i, QStringLiteral("Online"), QStringLiteral("3.0.161.0"));
    tag(i, QStringLiteral("prod"), QStringLiteral("api"), QStringLiteral("bob"));
    i.note = QStringLiteral("SSM, private subnet, old agent (basic port forwarding only)");
    b.add(i);

    i = b.instance(QStringLiteral("build-runner"), prod.privateSubnet, Os::Ubuntu2204, QStringLiteral("c6i.xlarge"));
    i.securityGroupIds.append(prod.sshFromEice);
    tag(i, QStringLiteral("ci"), QStringLiteral("platform"), QStringLiteral("carol"));
    i.note = QStringLiteral("EICE, private subnet (no SSM agent)");
    b.add(i);

    i = b.instance(QStringLiteral("jenkins"), privateB, Os::Ubuntu2204, QStringLiteral("t3.large"));
    i.securityGroupIds.append(prod.sshFromEice);
    tag(i, QStringLiteral("ci"), QStringLiteral("platform"), QStringLiteral("carol"));
    i.note = QStringLiteral("EICE in another subnet of the same VPC");
    b.add(i);

    i = b.instance(QStringLiteral("postgres-replica"), privateB, Os::Debian12, QStringLiteral("r6i.large"));
    b.giveSsm(i, QStringLiteral("ConnectionLost"));
    i.securityGroupIds.append(prod.sshFromEice);
    tag(i, QStringLiteral("prod"), QStringLiteral("data"), QStringLiteral("dave"));
    i.note = QStringLiteral("SSM agent lost its connection; EICE still works");
    b.add(i);

    i = b.instance(QStringLiteral("grafana"), prod.publicSubnet, Os::AmazonLinux2023, QStringLiteral("t3.medium"));
    b.givePublicIp(i);
    i.securityGroupIds = QStringList {web, prod.sshFromEice};
    tag(i, QStringLiteral("prod"), QStringLiteral("observability"), QStringLiteral("erin"));
    i.note = QStringLiteral("EICE, public subnet (no SSM agent)");
    b.add(i);

    i = b.instance(QStringLiteral("win-ad-01"), prod.privateSubnet, Os::Windows2022, QStringLiteral("m5.large"));
    b.giveSsm(i, QStringLiteral("Online"));
    b.giveWindowsPassword(i, kWindowsKey, QStringLiteral("Correct-Horse-42!"));
    i.securityGroupIds.append(prod.sshFromEice);
    tag(i, QStringLiteral("prod"), QStringLiteral("it"), QStringLiteral("frank"));
    i.note = QStringLiteral("Windows with an encrypted administrator password; RDP through SSM or EICE");
    b.add(i);

    i = b.instance(QStringLiteral("rdp-desktop"), prod.privateSubnet, Os::Ubuntu2204, QStringLiteral("t3.xlarge"));
    b.giveSsm(i, QStringLiteral("Online"));
    i.securityGroupIds.append(prod.sshFromEice);
    tag(i, QStringLiteral("dev"), QStringLiteral("design"), QStringLiteral("grace"));
    i.tags.append({QStringLiteral("Desktop"), QStringLiteral("xrdp:3389,vnc:5901")});
    i.note = QStringLiteral("Linux desktop serving RDP on 3389 and VNC on 5901 (VNC needs SSM or SSH forwarding)");
    b.add(i);

    i = b.instance(QStringLiteral("api-staging"), prod.privateSubnet, Os::AmazonLinux2023, QStringLiteral("t3.medium"));
    i.state = InstanceState::Pending;
    b.giveSsm(i, QStringLiteral("Online"));
    tag(i, QStringLiteral("staging"), QStringLiteral("api"), QStringLiteral("bob"));
    i.note = QStringLiteral("pending: just launched");
    b.add(i);

    QString reservation; // launched together: one reservation, two instances
    for (const QString& name : {QStringLiteral("batch-worker-1"), QStringLiteral("batch-worker-2")}) {
        i = b.instance(name, privateB, Os::AmazonLinux2023, QStringLiteral("c6i.2xlarge"));
        if (reservation.isEmpty())
            reservation = i.reservationId;
        i.reservationId = reservation;
        i.state = InstanceState::Stopped;
        i.stateReason = QStringLiteral("User initiated (2025-02-14 18:02:11 GMT)");
        b.giveSsm(i, QStringLiteral("ConnectionLost"));
        tag(i, QStringLiteral("prod"), QStringLiteral("data"), QStringLiteral("dave"));
        i.note = QStringLiteral("stopped");
        b.add(i);
    }

    i = b.instance(QStringLiteral("win-build-02"), prod.privateSubnet, Os::Windows2019, QStringLiteral("c5.xlarge"));
    i.state = InstanceState::Pending;
    i.keyName = kWindowsKey;
    tag(i, QStringLiteral("ci"), QStringLiteral("platform"), QStringLiteral("carol"));
    i.note = QStringLiteral("Windows just launched: GetPasswordData is still empty");
    b.add(i);

    i = b.instance(QStringLiteral("bastion-legacy"), legacyPublic, Os::AmazonLinux2, QStringLiteral("t2.micro"));
    b.givePublicIp(i);
    i.securityGroupIds = QStringList {legacySsh};
    tag(i, QStringLiteral("prod"), QStringLiteral("platform"), QStringLiteral("carol"));
    i.note = QStringLiteral("only a public IP: no SSM agent, no EICE in its VPC");
    b.add(i);

    i = b.instance(QStringLiteral("sandbox-scratch"), sandbox, Os::AmazonLinux2023, QStringLiteral("t3.micro"));
    b.giveSsm(i, QStringLiteral("ConnectionLost"));
    tag(i, QStringLiteral("dev"), QStringLiteral("research"), QStringLiteral("heidi"));
    i.note = QStringLiteral("unreachable: SSM agent lost its connection, no EICE in the VPC and no public IP");
    b.add(i);

    i = b.instance(QStringLiteral("sandbox-ml"), sandbox, Os::Ubuntu2204, QStringLiteral("g5.xlarge"));
    tag(i, QStringLiteral("dev"), QStringLiteral("research"), QStringLiteral("heidi"));
    i.note = QStringLiteral("unreachable: no SSM agent, no EICE in the VPC and no public IP");
    b.add(i);

    i = b.instance(QStringLiteral("lab-broken-nic"), sandbox, Os::Debian12, QStringLiteral("t3.micro"));
    i.privateIp.clear();
    i.privateDnsName.clear();
    tag(i, QStringLiteral("dev"), QStringLiteral("research"), QStringLiteral("heidi"));
    i.note = QStringLiteral("unreachable: no IP address at all");
    b.add(i);

    i = b.instance(QStringLiteral("old-ci"), prod.privateSubnet, Os::AmazonLinux2, QStringLiteral("t3.large"));
    i.state = InstanceState::Terminated;
    i.stateReason = QStringLiteral("User initiated (2025-03-01 07:45:00 GMT)");
    i.vpcId.clear();
    i.subnetId.clear();
    i.privateIp.clear();
    i.privateDnsName.clear();
    i.securityGroupIds.clear();
    tag(i, QStringLiteral("ci"), QStringLiteral("platform"), QStringLiteral("carol"));
    i.note = QStringLiteral("terminated: still listed, nothing to connect to");
    b.add(i);
}

void euWest1(FleetBuilder& b)
{
    const QString r = QStringLiteral("eu-west-1");
    const FleetBuilder::Network main =
        b.standardVpc(r, QStringLiteral("main"), 1, QStringLiteral("eu-west-1a"), QStringLiteral("eu-west-1b"));
    b.endpoint(main.privateSubnet, {main.eiceGroup}, true);
    const QString dataVpc = b.vpc(r, QStringLiteral("data"), QStringLiteral("10.2.0.0/16"));
    const QString data = b.subnet(dataVpc, QStringLiteral("eu-west-1c"), QStringLiteral("10.2.10.0/24"), false,
                                  QStringLiteral("data-private"));
    b.endpoint(data, {}, false, false, QStringLiteral("create-in-progress"));

    Instance i =
        b.instance(QStringLiteral("web-eu-1"), main.publicSubnet, Os::AmazonLinux2023, QStringLiteral("t3.small"));
    b.givePublicIp(i);
    b.giveSsm(i, QStringLiteral("Online"));
    tag(i, QStringLiteral("prod"), QStringLiteral("web"), QStringLiteral("alice"));
    i.note = QStringLiteral("SSM, public subnet");
    b.add(i);

    i = b.instance(QStringLiteral("api-prod-eu-1"), main.privateSubnet, Os::AmazonLinux2023,
                   QStringLiteral("t4g.large"));
    b.giveSsm(i, QStringLiteral("Online"));
    tag(i, QStringLiteral("prod"), QStringLiteral("api"), QStringLiteral("bob"));
    i.note = QStringLiteral("SSM, private subnet, arm64");
    b.add(i);

    QString reservation;
    for (const QString& name : {QStringLiteral("kafka-1"), QStringLiteral("kafka-2")}) {
        i = b.instance(name, main.privateSubnet, Os::Rhel9, QStringLiteral("r6i.xlarge"));
        if (reservation.isEmpty())
            reservation = i.reservationId;
        i.reservationId = reservation;
        i.securityGroupIds.append(main.sshFromEice);
        tag(i, QStringLiteral("prod"), QStringLiteral("data"), QStringLiteral("dave"));
        i.note = QStringLiteral("EICE with preserveClientIp, private subnet");
        b.add(i);
    }

    i = b.instance(QStringLiteral("redis-cache"), main.privateSubnet, Os::AmazonLinux2023, QStringLiteral("r6g.large"));
    i.state = InstanceState::Stopping;
    i.stateReason = QStringLiteral("User initiated (2025-03-10 12:00:00 GMT)");
    b.giveSsm(i, QStringLiteral("Online"));
    tag(i, QStringLiteral("prod"), QStringLiteral("data"), QStringLiteral("dave"));
    i.note = QStringLiteral("stopping");
    b.add(i);

    i = b.instance(QStringLiteral("analytics-etl"), data, Os::AmazonLinux2023, QStringLiteral("m6i.xlarge"));
    tag(i, QStringLiteral("prod"), QStringLiteral("data"), QStringLiteral("dave"));
    i.note = QStringLiteral("unreachable: its VPC's EICE is still being created, no SSM agent, no public IP");
    b.add(i);

    i = b.instance(QStringLiteral("win-fileserver-eu"), main.privateSubnet, Os::Windows2022,
                   QStringLiteral("m5.xlarge"));
    i.state = InstanceState::Stopped;
    i.stateReason = QStringLiteral("User initiated (2025-02-28 20:15:42 GMT)");
    b.giveSsm(i, QStringLiteral("ConnectionLost"));
    b.giveWindowsPassword(i, kWindowsKey, QStringLiteral("Battery-Staple-7#"));
    i.securityGroupIds.append(main.sshFromEice);
    tag(i, QStringLiteral("prod"), QStringLiteral("it"), QStringLiteral("frank"));
    i.note = QStringLiteral("stopped Windows server (start it to connect)");
    b.add(i);

    i = b.instance(QStringLiteral("reporting-db"), main.privateSubnet, Os::Debian12, QStringLiteral("r6i.large"));
    i.state = InstanceState::ShuttingDown;
    i.stateReason = QStringLiteral("User initiated (2025-03-11 09:00:00 GMT)");
    tag(i, QStringLiteral("staging"), QStringLiteral("data"), QStringLiteral("dave"));
    i.note = QStringLiteral("shutting-down");
    b.add(i);
}

void euCentral1(FleetBuilder& b)
{
    const FleetBuilder::Network n = b.standardVpc(QStringLiteral("eu-central-1"), QStringLiteral("shared"), 3,
                                                  QStringLiteral("eu-central-1a"), QStringLiteral("eu-central-1b"));
    // The endpoint sits in the public subnet: private instances use it as "the first endpoint in the VPC".
    b.endpoint(n.publicSubnet, {n.eiceGroup});

    Instance i =
        b.instance(QStringLiteral("api-prod-de-1"), n.privateSubnet, Os::AmazonLinux2023, QStringLiteral("m6i.large"));
    i.securityGroupIds.append(n.sshFromEice);
    tag(i, QStringLiteral("prod"), QStringLiteral("api"), QStringLiteral("bob"));
    i.note = QStringLiteral("EICE from another subnet, private subnet");
    b.add(i);

    i = b.instance(QStringLiteral("monitoring-de"), n.privateSubnet, Os::AmazonLinux2023, QStringLiteral("t3.medium"));
    b.giveSsm(i, QStringLiteral("Online"), QStringLiteral("3.2.582.0"));
    tag(i, QStringLiteral("prod"), QStringLiteral("observability"), QStringLiteral("erin"));
    i.note = QStringLiteral("SSM, private subnet");
    b.add(i);

    i = b.instance(QStringLiteral("web-de-1"), n.publicSubnet, Os::Ubuntu2204, QStringLiteral("t3.small"));
    b.givePublicIp(i);
    i.securityGroupIds.append(n.sshFromEice);
    tag(i, QStringLiteral("prod"), QStringLiteral("web"), QStringLiteral("alice"));
    i.note = QStringLiteral("EICE in the same public subnet");
    b.add(i);

    i = b.instance(QStringLiteral("ci-runner-de"), n.privateSubnet, Os::Ubuntu2204, QStringLiteral("c6i.large"));
    i.state = InstanceState::Stopped;
    i.stateReason = QStringLiteral("User initiated (2025-01-20 17:30:00 GMT)");
    tag(i, QStringLiteral("ci"), QStringLiteral("platform"), QStringLiteral("carol"));
    i.note = QStringLiteral("stopped");
    b.add(i);

    i = b.instance(QStringLiteral("rhel-app-de"), n.privateSubnet, Os::Rhel9, QStringLiteral("m6i.large"));
    b.giveSsm(i, QStringLiteral("Online"));
    tag(i, QStringLiteral("prod"), QStringLiteral("api"), QStringLiteral("bob"));
    i.note = QStringLiteral("SSM, RHEL (platformDetails is not Linux/UNIX)");
    b.add(i);
}

void apSoutheast2(FleetBuilder& b)
{
    const FleetBuilder::Network n = b.standardVpc(QStringLiteral("ap-southeast-2"), QStringLiteral("syd"), 4,
                                                  QStringLiteral("ap-southeast-2a"), QStringLiteral("ap-southeast-2b"));
    b.endpoint(n.privateSubnet, {n.eiceGroup});

    Instance i =
        b.instance(QStringLiteral("web-syd-1"), n.publicSubnet, Os::AmazonLinux2023, QStringLiteral("t3.small"));
    b.givePublicIp(i);
    i.ipv6 = QStringLiteral("2406:da1c:a1b:1201::1a");
    b.giveSsm(i, QStringLiteral("Online"));
    tag(i, QStringLiteral("prod"), QStringLiteral("web"), QStringLiteral("alice"));
    i.note = QStringLiteral("SSM, public subnet, dual stack");
    b.add(i);

    i = b.instance(QStringLiteral("ipv6-only-syd"), n.privateSubnet, Os::AmazonLinux2023, QStringLiteral("t3.micro"));
    i.privateIp.clear();
    i.ipv6 = QStringLiteral("2406:da1c:a1b:120a::2b");
    i.privateDnsName = QStringLiteral("i-%1.ap-southeast-2.compute.internal").arg(i.id.mid(2));
    i.securityGroupIds.append(n.sshFromEice);
    tag(i, QStringLiteral("dev"), QStringLiteral("network"), QStringLiteral("ivan"));
    i.note = QStringLiteral("EICE to the IPv6 address (no private IPv4)");
    b.add(i);

    i = b.instance(QStringLiteral("api-syd-1"), n.privateSubnet, Os::AmazonLinux2023, QStringLiteral("c7g.large"));
    b.giveSsm(i, QStringLiteral("Online"));
    i.stateCodeHighByte = 1;
    tag(i, QStringLiteral("prod"), QStringLiteral("api"), QStringLiteral("bob"));
    i.note = QStringLiteral("state code 272: internal high byte set, must be masked to 16");
    b.add(i);

    i = b.instance(QStringLiteral("win-jump-syd"), n.privateSubnet, Os::Windows2019, QStringLiteral("t3.large"));
    b.giveSsm(i, QStringLiteral("Online"));
    b.giveWindowsPassword(i, kWindowsKey, QStringLiteral("Tr0ub4dor&3-syd"));
    i.securityGroupIds.append(n.sshFromEice);
    tag(i, QStringLiteral("prod"), QStringLiteral("it"), QStringLiteral("frank"));
    i.note = QStringLiteral("Windows with an encrypted administrator password");
    b.add(i);

    i = b.instance(QStringLiteral("tmp-builder-syd"), n.privateSubnet, Os::AmazonLinux2023, QStringLiteral("t3.micro"));
    i.state = InstanceState::Terminated;
    i.stateReason = QStringLiteral("User initiated (2025-03-12 03:10:00 GMT)");
    i.vpcId.clear();
    i.subnetId.clear();
    i.privateIp.clear();
    i.privateDnsName.clear();
    i.securityGroupIds.clear();
    tag(i, QStringLiteral("ci"), QStringLiteral("platform"), QStringLiteral("carol"));
    i.note = QStringLiteral("terminated");
    b.add(i);
}

} // namespace

QByteArray Fleet::demoWindowsPublicKey()
{
    return QByteArray(kDemoWindowsPublicKey);
}

Fleet Fleet::demo()
{
    Fleet fleet;
    fleet.addKeyPair(kWindowsKey, demoWindowsPublicKey());
    FleetBuilder b(fleet, QStringLiteral("demo"));
    // The 17 regions enabled by default, in the order DescribeRegions returns them, plus opt-in ones.
    for (const char* name : {"ap-south-1", "eu-north-1", "eu-west-3", "eu-west-2", "eu-west-1", "ap-northeast-3",
                             "ap-northeast-2", "ap-northeast-1", "ca-central-1", "sa-east-1", "ap-southeast-1",
                             "ap-southeast-2", "eu-central-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"})
        b.region(QString::fromLatin1(name));
    b.region(QStringLiteral("ap-east-1"), QStringLiteral("opted-in"));
    b.region(QStringLiteral("af-south-1"), QStringLiteral("not-opted-in"));
    b.region(QStringLiteral("me-south-1"), QStringLiteral("not-opted-in"));
    usEast1(b);
    euWest1(b);
    euCentral1(b);
    apSoutheast2(b);
    QString error;
    const bool ok = fleet.finish(&error);
    Q_ASSERT_X(ok, "Fleet::demo", qPrintable(error));
    Q_UNUSED(ok);
    return fleet;
}

} // namespace fakeaws
