#include "Fleet.h"

#include "WindowsPasswordCipher.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>

namespace fakeaws {

namespace {

template<typename T>
const T* findById(const QList<T>& list, const QString& id)
{
    for (const T& item : list) {
        if (item.id == id)
            return &item;
    }
    return nullptr;
}

bool isTransient(InstanceState state)
{
    return state == InstanceState::Pending || state == InstanceState::Stopping || state == InstanceState::ShuttingDown;
}

InstanceState settledState(InstanceState state)
{
    switch (state) {
    case InstanceState::Pending:
        return InstanceState::Running;
    case InstanceState::Stopping:
        return InstanceState::Stopped;
    case InstanceState::ShuttingDown:
        return InstanceState::Terminated;
    default:
        return state;
    }
}

QString userInitiated(const QDateTime& now)
{
    return QStringLiteral("User initiated (%1 GMT)").arg(now.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
}

const QStringList& endpointStates()
{
    static const QStringList states = {
        QStringLiteral("create-in-progress"), QStringLiteral("create-complete"), QStringLiteral("create-failed"),
        QStringLiteral("delete-in-progress"), QStringLiteral("delete-complete"), QStringLiteral("delete-failed"),
        QStringLiteral("update-in-progress"), QStringLiteral("update-complete"), QStringLiteral("update-failed"),
    };
    return states;
}

// Checks one kind of record: unique ids with the right prefix.
template<typename T>
QString checkIds(const QList<T>& list, const QString& what, const QRegularExpression& pattern)
{
    QSet<QString> seen;
    for (const T& item : list) {
        if (!pattern.match(item.id).hasMatch())
            return QStringLiteral("%1 '%2': malformed id (expected %3)").arg(what, item.id, pattern.pattern());
        if (seen.contains(item.id))
            return QStringLiteral("%1 '%2' is defined twice").arg(what, item.id);
        seen.insert(item.id);
    }
    return {};
}

} // namespace

void Fleet::addInstance(const Instance& instance)
{
    m_instanceIndex.insert(instance.id, m_instances.size());
    m_instances.append(instance);
}

const Region* Fleet::region(const QString& name) const
{
    for (const Region& r : m_regions) {
        if (r.name == name)
            return &r;
    }
    return nullptr;
}

const Vpc* Fleet::vpc(const QString& id) const
{
    return findById(m_vpcs, id);
}

const Subnet* Fleet::subnet(const QString& id) const
{
    return findById(m_subnets, id);
}

const SecurityGroup* Fleet::securityGroup(const QString& id) const
{
    return findById(m_securityGroups, id);
}

const InstanceConnectEndpoint* Fleet::endpoint(const QString& id) const
{
    return findById(m_endpoints, id);
}

const Instance* Fleet::instance(const QString& id) const
{
    const auto it = m_instanceIndex.constFind(id);
    return it == m_instanceIndex.cend() ? nullptr : &m_instances.at(*it);
}

Instance* Fleet::instance(const QString& id)
{
    const auto it = m_instanceIndex.constFind(id);
    return it == m_instanceIndex.cend() ? nullptr : &m_instances[*it];
}

QString Fleet::regionOfSubnet(const QString& subnetId) const
{
    const Subnet* s = subnet(subnetId);
    const Vpc* v = s ? vpc(s->vpcId) : nullptr;
    return v ? v->region : QString();
}

QString Fleet::regionOfSecurityGroup(const QString& groupId) const
{
    const SecurityGroup* g = securityGroup(groupId);
    const Vpc* v = g ? vpc(g->vpcId) : nullptr;
    return v ? v->region : QString();
}

void Fleet::setPaging(const PagingKnobs& paging)
{
    m_paging.maxPageSize = qMax(0, paging.maxPageSize);
    // Every page empty would never end.
    m_paging.emptyPageEvery = paging.emptyPageEvery >= 2 ? paging.emptyPageEvery : 0;
}

QString Fleet::validate() const
{
    static const QRegularExpression account(QStringLiteral("^[0-9]{12}$"));
    if (!account.match(m_accountId).hasMatch())
        return QStringLiteral("accountId '%1' must be 12 digits").arg(m_accountId);
    QSet<QString> regionNames;
    for (const Region& r : m_regions) {
        if (r.name.isEmpty() || regionNames.contains(r.name))
            return QStringLiteral("region '%1' is empty or defined twice").arg(r.name);
        static const QStringList optIn = {QStringLiteral("opt-in-not-required"), QStringLiteral("opted-in"),
                                          QStringLiteral("not-opted-in")};
        if (!optIn.contains(r.optInStatus))
            return QStringLiteral("region '%1': optInStatus '%2' is not one of %3")
                .arg(r.name, r.optInStatus, optIn.join(QStringLiteral(", ")));
        regionNames.insert(r.name);
    }
    static const QRegularExpression vpcId(QStringLiteral("^vpc-[0-9a-f]{8,17}$"));
    static const QRegularExpression subnetId(QStringLiteral("^subnet-[0-9a-f]{8,17}$"));
    static const QRegularExpression groupId(QStringLiteral("^sg-[0-9a-f]{8,17}$"));
    static const QRegularExpression eiceId(QStringLiteral("^eice-[0-9a-f]{8,17}$"));
    static const QRegularExpression instanceId(QStringLiteral("^i-[0-9a-f]{8}([0-9a-f]{9})?$"));
    for (const QString& error :
         {checkIds(m_vpcs, QStringLiteral("vpc"), vpcId), checkIds(m_subnets, QStringLiteral("subnet"), subnetId),
          checkIds(m_securityGroups, QStringLiteral("security group"), groupId),
          checkIds(m_endpoints, QStringLiteral("endpoint"), eiceId),
          checkIds(m_instances, QStringLiteral("instance"), instanceId)}) {
        if (!error.isEmpty())
            return error;
    }
    for (const Vpc& v : m_vpcs) {
        if (!regionNames.contains(v.region))
            return QStringLiteral("vpc '%1': unknown region '%2'").arg(v.id, v.region);
    }
    for (const Subnet& s : m_subnets) {
        const Vpc* v = vpc(s.vpcId);
        if (!v)
            return QStringLiteral("subnet '%1': unknown vpc '%2'").arg(s.id, s.vpcId);
        if (!s.availabilityZone.startsWith(v->region))
            return QStringLiteral("subnet '%1': availability zone '%2' is not in the VPC's region %3")
                .arg(s.id, s.availabilityZone, v->region);
    }
    for (const SecurityGroup& g : m_securityGroups) {
        if (!vpc(g.vpcId))
            return QStringLiteral("security group '%1': unknown vpc '%2'").arg(g.id, g.vpcId);
        for (const IpPermission& p : g.ingress + g.egress) {
            static const QStringList protocols = {QStringLiteral("tcp"), QStringLiteral("udp"), QStringLiteral("icmp"),
                                                  QStringLiteral("icmpv6"), QStringLiteral("-1")};
            if (!protocols.contains(p.protocol))
                return QStringLiteral("security group '%1': protocol '%2' is not one of %3")
                    .arg(g.id, p.protocol, protocols.join(QStringLiteral(", ")));
        }
    }
    for (const InstanceConnectEndpoint& e : m_endpoints) {
        const Subnet* s = subnet(e.subnetId);
        if (!s)
            return QStringLiteral("endpoint '%1': unknown subnet '%2'").arg(e.id, e.subnetId);
        if (!e.vpcId.isEmpty() && e.vpcId != s->vpcId)
            return QStringLiteral("endpoint '%1': vpc '%2' is not the subnet's vpc '%3'").arg(e.id, e.vpcId, s->vpcId);
        if (!endpointStates().contains(e.state))
            return QStringLiteral("endpoint '%1': state '%2' is not one of %3")
                .arg(e.id, e.state, endpointStates().join(QStringLiteral(", ")));
        if (e.dnsName.isEmpty())
            return QStringLiteral("endpoint '%1' has no dnsName").arg(e.id);
        for (const QString& g : e.securityGroupIds) {
            if (!securityGroup(g))
                return QStringLiteral("endpoint '%1': unknown security group '%2'").arg(e.id, g);
        }
    }
    for (const Instance& i : m_instances) {
        if (!regionNames.contains(i.region))
            return QStringLiteral("instance '%1': unknown region '%2'").arg(i.id, i.region);
        if (!i.availabilityZone.startsWith(i.region))
            return QStringLiteral("instance '%1': availability zone '%2' is not in region %3")
                .arg(i.id, i.availabilityZone, i.region);
        if (!i.subnetId.isEmpty()) {
            const Subnet* s = subnet(i.subnetId);
            if (!s)
                return QStringLiteral("instance '%1': unknown subnet '%2'").arg(i.id, i.subnetId);
            if (!i.vpcId.isEmpty() && i.vpcId != s->vpcId)
                return QStringLiteral("instance '%1': vpc '%2' is not the subnet's vpc '%3'")
                    .arg(i.id, i.vpcId, s->vpcId);
            if (s->availabilityZone != i.availabilityZone)
                return QStringLiteral("instance '%1': availability zone '%2' differs from its subnet's '%3'")
                    .arg(i.id, i.availabilityZone, s->availabilityZone);
        } else if (!i.vpcId.isEmpty()) {
            return QStringLiteral("instance '%1' names a vpc but no subnet").arg(i.id);
        }
        for (const QString& g : i.securityGroupIds) {
            const SecurityGroup* group = securityGroup(g);
            if (!group)
                return QStringLiteral("instance '%1': unknown security group '%2'").arg(i.id, g);
            if (!i.subnetId.isEmpty() && group->vpcId != subnet(i.subnetId)->vpcId)
                return QStringLiteral("instance '%1': security group '%2' belongs to another VPC").arg(i.id, g);
        }
        if (!i.password.isEmpty() && i.passwordData.isEmpty() && !m_keyPairs.contains(i.keyName))
            return QStringLiteral("instance '%1' has a password but its key pair '%2' is not in keyPairs")
                .arg(i.id, i.keyName);
        for (auto it = i.targets.cbegin(); it != i.targets.cend(); ++it) {
            if (it.key() < 1 || it.key() > 65535 || it.value() < 1 || it.value() > 65535)
                return QStringLiteral("instance '%1': target %2 -> %3 is not a pair of TCP ports")
                    .arg(i.id)
                    .arg(it.key())
                    .arg(it.value());
        }
    }
    return {};
}

bool Fleet::finish(QString* error)
{
    QString problem = validate();
    if (problem.isEmpty()) {
        for (InstanceConnectEndpoint& e : m_endpoints) {
            if (e.vpcId.isEmpty())
                e.vpcId = subnet(e.subnetId)->vpcId;
        }
        for (Instance& i : m_instances) {
            if (i.vpcId.isEmpty() && !i.subnetId.isEmpty())
                i.vpcId = subnet(i.subnetId)->vpcId;
            if (i.password.isEmpty() || !i.passwordData.isEmpty())
                continue;
            QString why;
            i.passwordData = WindowsPasswordCipher::encrypt(m_keyPairs.value(i.keyName), i.password.toUtf8(), &why);
            if (i.passwordData.isEmpty()) {
                problem = QStringLiteral("instance '%1': cannot encrypt its password: %2").arg(i.id, why);
                break;
            }
        }
    }
    if (!problem.isEmpty() && error)
        *error = problem;
    return problem.isEmpty();
}

void Fleet::settle(const QDateTime& now)
{
    for (Instance& i : m_instances) {
        if (!isTransient(i.state) || !i.settlesAt.isValid() || now < i.settlesAt)
            continue;
        i.state = settledState(i.state);
        i.settlesAt = {};
        if (i.state == InstanceState::Stopped)
            i.stateReason = userInitiated(now);
        else if (i.state == InstanceState::Running)
            i.stateReason.clear();
    }
}

void Fleet::enter(Instance& instance, InstanceState state, const QDateTime& now)
{
    instance.state = state;
    instance.settlesAt = isTransient(state) ? now.addMSecs(m_transitionMs) : QDateTime();
    if (state == InstanceState::Pending)
        instance.launchTime = now;
    if (state == InstanceState::Stopping || state == InstanceState::Stopped || state == InstanceState::ShuttingDown)
        instance.stateReason = userInitiated(now);
}

bool Fleet::setState(const QString& instanceId, InstanceState state, const QDateTime& now)
{
    Instance* i = instance(instanceId);
    if (!i)
        return false;
    enter(*i, state, now);
    return true;
}

std::optional<Fleet::StateChange> Fleet::start(const QString& instanceId, const QDateTime& now, QString* error)
{
    Instance* i = instance(instanceId);
    if (!i) {
        if (error)
            *error = QStringLiteral("The instance ID '%1' does not exist").arg(instanceId);
        return std::nullopt;
    }
    StateChange change {instanceId, i->state, i->state};
    switch (i->state) {
    case InstanceState::Stopped:
        enter(*i, InstanceState::Pending, now);
        change.current = i->state;
        return change;
    case InstanceState::Pending:
    case InstanceState::Running:
        return change;
    default:
        if (error)
            *error =
                QStringLiteral("The instance '%1' is not in a state from which it can be started.").arg(instanceId);
        return std::nullopt;
    }
}

std::optional<Fleet::StateChange> Fleet::stop(const QString& instanceId, const QDateTime& now, QString* error)
{
    Instance* i = instance(instanceId);
    if (!i) {
        if (error)
            *error = QStringLiteral("The instance ID '%1' does not exist").arg(instanceId);
        return std::nullopt;
    }
    StateChange change {instanceId, i->state, i->state};
    switch (i->state) {
    case InstanceState::Running:
        enter(*i, InstanceState::Stopping, now);
        change.current = i->state;
        return change;
    case InstanceState::Stopping:
    case InstanceState::Stopped:
        return change;
    default:
        if (error)
            *error =
                QStringLiteral("The instance '%1' is not in a state from which it can be stopped.").arg(instanceId);
        return std::nullopt;
    }
}

std::optional<Fleet> Fleet::fromFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read fleet file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    QString why;
    std::optional<Fleet> fleet = fromJson(file.readAll(), &why);
    if (!fleet && error)
        *error = QStringLiteral("%1: %2").arg(path, why);
    return fleet;
}

} // namespace fakeaws
