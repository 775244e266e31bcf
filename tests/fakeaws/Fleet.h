#pragma once
// The world the fakeaws emulator pretends to be: one AWS account's regions, networks, EC2 Instance Connect
// Endpoints and instances (with SSM agents and Windows passwords). The service handlers read it and the
// start/stop calls mutate it; state transitions are driven by the callers' clock, not by timers.
// Built from code (demo(), generated()) or from a JSON file (fromJson(), see tests/fakeaws/fleets/).

#include "FleetTypes.h"

#include <QHash>

#include <optional>

namespace fakeaws {

class Fleet
{
public:
    struct StateChange
    {
        QString instanceId;
        InstanceState previous = InstanceState::Running;
        InstanceState current = InstanceState::Running;
    };

    Fleet() = default;

    // A few dozen instances over four regions covering every way (and every reason not) to reach an instance.
    static Fleet demo();
    // instanceCount instances spread over regionCount enabled regions (plus one not-opted-in region),
    // identical for identical arguments.
    static Fleet generated(int instanceCount, int regionCount, quint32 seed);
    // Public half (SPKI PEM) of tests/data/fakeaws/demo-windows-key.pem, the "demo-windows" key pair.
    static QByteArray demoWindowsPublicKey();
    static std::optional<Fleet> fromJson(const QByteArray& json, QString* error);
    static std::optional<Fleet> fromFile(const QString& path, QString* error);
    QByteArray toJson() const;

    // Building. validate() checks that every reference resolves; finish() also encrypts Windows passwords.
    void setAccountId(const QString& accountId) { m_accountId = accountId; }
    void addRegion(const Region& region) { m_regions.append(region); }
    void addVpc(const Vpc& vpc) { m_vpcs.append(vpc); }
    void addSubnet(const Subnet& subnet) { m_subnets.append(subnet); }
    void addSecurityGroup(const SecurityGroup& group) { m_securityGroups.append(group); }
    void addEndpoint(const InstanceConnectEndpoint& endpoint) { m_endpoints.append(endpoint); }
    void addInstance(const Instance& instance);
    void addKeyPair(const QString& name, const QByteArray& publicKeyPem) { m_keyPairs.insert(name, publicKeyPem); }
    QString validate() const; // empty when consistent, else what is wrong
    bool finish(QString* error); // validate + encrypt passwords that have no passwordData yet

    QString accountId() const { return m_accountId; }
    const QList<Region>& regions() const { return m_regions; }
    const QList<Vpc>& vpcs() const { return m_vpcs; }
    const QList<Subnet>& subnets() const { return m_subnets; }
    const QList<SecurityGroup>& securityGroups() const { return m_securityGroups; }
    const QList<InstanceConnectEndpoint>& endpoints() const { return m_endpoints; }
    const QList<Instance>& instances() const { return m_instances; }
    const QMap<QString, QByteArray>& keyPairs() const { return m_keyPairs; }

    const Region* region(const QString& name) const;
    const Vpc* vpc(const QString& id) const;
    const Subnet* subnet(const QString& id) const;
    const SecurityGroup* securityGroup(const QString& id) const;
    const InstanceConnectEndpoint* endpoint(const QString& id) const;
    const Instance* instance(const QString& id) const;
    Instance* instance(const QString& id);
    QString regionOfSubnet(const QString& subnetId) const;
    QString regionOfSecurityGroup(const QString& groupId) const;

    PagingKnobs paging() const { return m_paging; }
    void setPaging(const PagingKnobs& paging);
    int transitionMs() const { return m_transitionMs; }
    void setTransitionMs(int ms) { m_transitionMs = qMax(0, ms); }

    // Resolve pending/stopping/shutting-down instances whose settlesAt has passed.
    void settle(const QDateTime& now);
    // Force a state (tests, demo scripts); a transient state settles after transitionMs.
    bool setState(const QString& instanceId, InstanceState state, const QDateTime& now);
    // StartInstances/StopInstances semantics; nullopt + error text for IncorrectInstanceState.
    std::optional<StateChange> start(const QString& instanceId, const QDateTime& now, QString* error);
    std::optional<StateChange> stop(const QString& instanceId, const QDateTime& now, QString* error);

private:
    void enter(Instance& instance, InstanceState state, const QDateTime& now);

    QString m_accountId = QStringLiteral("123456789012");
    QList<Region> m_regions;
    QList<Vpc> m_vpcs;
    QList<Subnet> m_subnets;
    QList<SecurityGroup> m_securityGroups;
    QList<InstanceConnectEndpoint> m_endpoints;
    QList<Instance> m_instances;
    QHash<QString, qsizetype> m_instanceIndex;
    QMap<QString, QByteArray> m_keyPairs; // key pair name -> public key PEM
    PagingKnobs m_paging;
    int m_transitionMs = 3000;
};

} // namespace fakeaws
