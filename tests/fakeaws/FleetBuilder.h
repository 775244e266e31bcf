#pragma once
// Shorthand for writing fleets in code (the demo fleet, generated benchmark fleets): it invents ids, private
// IPs and DNS names the way EC2 shapes them, so a fleet definition only states what matters for a test.

#include "Fleet.h"

namespace fakeaws {

class FleetBuilder
{
public:
    // A VPC 10.<n>.0.0/16 with a public subnet 10.<n>.1.0/24, a private one 10.<n>.10.0/24, and the
    // groups an EICE setup needs: the endpoint's own and one admitting 22/3389 from it.
    struct Network
    {
        QString vpc;
        QString publicSubnet;
        QString privateSubnet;
        QString sshFromEice;
        QString eiceGroup;
    };

    enum class Os { AmazonLinux2023, AmazonLinux2, Ubuntu2204, Debian12, Rhel9, Windows2022, Windows2019 };

    // salt makes ids differ between fleets built by the same code (demo vs generated).
    FleetBuilder(Fleet& fleet, const QString& salt);

    void region(const QString& name, const QString& optInStatus = QStringLiteral("opt-in-not-required"));
    QString vpc(const QString& region, const QString& name, const QString& cidr);
    QString subnet(const QString& vpcId, const QString& az, const QString& cidr, bool isPublic, const QString& name);
    QString securityGroup(const QString& vpcId, const QString& name, const QString& description,
                          const QList<IpPermission>& ingress, const QList<IpPermission>& egress);
    Network standardVpc(const QString& region, const QString& name, int secondOctet, const QString& azPublic,
                        const QString& azPrivate);
    // dnsName is "<id>.localhost" (resolves to 127.0.0.1); fips adds "<id>.fips.localhost".
    QString endpoint(const QString& subnetId, const QStringList& groupIds, bool preserveClientIp = false,
                     bool fips = false, const QString& state = QStringLiteral("create-complete"));

    // A running instance in subnetId with the next free private IP, tagged Name=name. Adjust, then add().
    Instance instance(const QString& name, const QString& subnetId, Os os, const QString& type);
    // A public IPv4 from a documentation range (never routed) plus its EC2 public DNS name.
    void givePublicIp(Instance& instance);
    void giveSsm(Instance& instance, const QString& pingStatus,
                 const QString& agentVersion = QStringLiteral("3.3.40.0"));
    void giveWindowsPassword(Instance& instance, const QString& keyName, const QString& password);
    void add(const Instance& instance) { m_fleet.addInstance(instance); }

    QString nextId(const QString& prefix, int hexDigits = 17);
    static IpPermission tcp(int port, const QStringList& cidrs, const QStringList& groupIds = {});
    static IpPermission allTraffic(const QStringList& cidrs);
    static QString privateDnsName(const QString& ip, const QString& region);
    static QString publicDnsName(const QString& ip, const QString& region);

private:
    Fleet& m_fleet;
    QString m_salt;
    int m_counter = 0;
    int m_publicCounter = 0;
    QHash<QString, int> m_nextHost; // subnet id -> next host number
};

} // namespace fakeaws
