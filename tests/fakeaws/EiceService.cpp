#include "EiceService.h"

#include "WebSocketServerHandshake.h"

#include <QSslSocket>

namespace fakeaws {

namespace {

// A DnsName that stands for "the emulator on this machine" rather than a name a test chose on purpose.
bool isLocalPlaceholder(const QString& dnsName)
{
    const QString host = dnsName.section(QLatin1Char(':'), 0, 0).toLower();
    return host == QLatin1String("localhost") || host == QLatin1String("127.0.0.1")
        || host.endsWith(QLatin1String(".localhost"));
}

// Fleet offers no way to edit an endpoint in place, so the fleet is rebuilt around the edited endpoints
// (assigned into the same object, which the services hold by reference).
Fleet withEndpoints(const Fleet& fleet, const QList<InstanceConnectEndpoint>& endpoints)
{
    Fleet out;
    out.setAccountId(fleet.accountId());
    for (const Region& r : fleet.regions())
        out.addRegion(r);
    for (const Vpc& v : fleet.vpcs())
        out.addVpc(v);
    for (const Subnet& s : fleet.subnets())
        out.addSubnet(s);
    for (const SecurityGroup& g : fleet.securityGroups())
        out.addSecurityGroup(g);
    for (const InstanceConnectEndpoint& e : endpoints)
        out.addEndpoint(e);
    for (const Instance& i : fleet.instances())
        out.addInstance(i);
    for (auto it = fleet.keyPairs().cbegin(); it != fleet.keyPairs().cend(); ++it)
        out.addKeyPair(it.key(), it.value());
    out.setPaging(fleet.paging());
    out.setTransitionMs(fleet.transitionMs());
    return out;
}

} // namespace

EiceService::EiceService(Fleet& fleet, const SignatureVerifier& verifier, FaultInjector& faults, QObject* parent)
    : QObject(parent)
    , m_fleet(fleet)
    , m_verifier(verifier)
    , m_faults(faults)
{ }

EiceService::~EiceService() = default;

void EiceService::attach(RequestRouter& router)
{
    router.addUpgradeRoute(QByteArray(kPath), QString::fromLatin1(kAction),
                           [this](const RequestRouter::Upgrade& upgrade) { handleUpgrade(upgrade); });
}

QString EiceService::dnsName() const
{
    return QStringLiteral("127.0.0.1:%1").arg(m_port);
}

QString EiceService::fipsDnsName() const
{
    return QStringLiteral("localhost:%1").arg(m_port);
}

void EiceService::setServerPort(quint16 port)
{
    m_port = port;
    QList<InstanceConnectEndpoint> endpoints = m_fleet.endpoints();
    bool changed = false;
    for (InstanceConnectEndpoint& e : endpoints) {
        if (isLocalPlaceholder(e.dnsName) && e.dnsName != dnsName()) {
            e.dnsName = dnsName();
            changed = true;
        }
        if (!e.fipsDnsName.isEmpty() && isLocalPlaceholder(e.fipsDnsName) && e.fipsDnsName != fipsDnsName()) {
            e.fipsDnsName = fipsDnsName();
            changed = true;
        }
    }
    if (changed)
        m_fleet = withEndpoints(m_fleet, endpoints);
}

bool EiceService::setTunnelTarget(const QString& instanceId, int remotePort, const QHostAddress& address,
                                  quint16 localPort)
{
    if (!m_fleet.instance(instanceId))
        return false;
    m_targets.insert({instanceId, remotePort}, {address, localPort});
    return true;
}

void EiceService::setDefaultTunnelTarget(int remotePort, const QHostAddress& address, quint16 localPort)
{
    m_defaultTargets.insert(remotePort, {address, localPort});
}

void EiceService::clearTunnelTargets()
{
    m_targets.clear();
    m_defaultTargets.clear();
}

int EiceService::activeTunnels(const QString& endpointId) const
{
    return endpointId.isEmpty() ? m_counters.concurrent : m_perEndpoint.value(endpointId);
}

void EiceService::refuseNext(int count, int status, const QString& errorCode, const QString& message)
{
    m_refusal = EiceAdmission::error(status, errorCode, message);
    m_refusalsLeft = qMax(0, count);
}

void EiceService::closeTunnelsAfterBytes(qint64 bytes, quint16 closeCode)
{
    m_closeAfterBytes = bytes;
    m_closeAfterCode = closeCode;
}

int EiceService::closeAllTunnels(quint16 closeCode, const QString& reason)
{
    int closed = 0;
    const QList<QPointer<EiceTunnel>> tunnels = m_tunnels;
    for (const QPointer<EiceTunnel>& t : tunnels) {
        if (t && t->isStarted() && !t->closeSent()) {
            t->closeWith(closeCode, reason);
            ++closed;
        }
    }
    return closed;
}

void EiceService::clearFaults()
{
    m_refusal.reset();
    m_refusalsLeft = 0;
    m_handshakeDelayMs = 0;
    m_closeAfterBytes = -1;
}

void EiceService::abortAll()
{
    const QList<QPointer<EiceTunnel>> tunnels = m_tunnels;
    m_tunnels.clear();
    for (const QPointer<EiceTunnel>& t : tunnels)
        delete t.data();
    m_perEndpoint.clear();
    m_counters.concurrent = 0;
}

void EiceService::resetCounters()
{
    const int concurrent = m_counters.concurrent;
    m_counters = {};
    m_counters.concurrent = concurrent;
    m_counters.peakConcurrent = concurrent;
}

void EiceService::handleUpgrade(const RequestRouter::Upgrade& upgrade)
{
    if (std::optional<HttpResponse> bad = WebSocketServerHandshake::check(upgrade.request)) {
        refuse(upgrade, *bad);
        return;
    }
    if (m_refusal && m_refusalsLeft > 0) {
        --m_refusalsLeft;
        refuse(upgrade, *m_refusal);
        return;
    }
    const EiceAdmission::Outcome outcome = EiceAdmission::check(upgrade.request, upgrade.context, m_verifier, m_fleet);
    if (!outcome.plan) {
        refuse(upgrade, outcome.refusal);
        return;
    }
    if (m_perEndpoint.value(outcome.plan->endpointId) >= m_maxPerEndpoint) {
        // The real code for this quota is UNCONFIRMED (PROTOCOLS.md §5.2); 429 is what a client must expect.
        refuse(upgrade,
               EiceAdmission::error(429, QStringLiteral("ConnectionLimitExceeded"),
                                    QStringLiteral("The instance connect endpoint %1 already has %2 open "
                                                   "connections, the most it allows. Close one and retry "
                                                   "your request.")
                                        .arg(outcome.plan->endpointId)
                                        .arg(m_maxPerEndpoint)));
        return;
    }
    admit(upgrade, *outcome.plan);
}

void EiceService::refuse(const RequestRouter::Upgrade& upgrade, const HttpResponse& response)
{
    ++m_counters.tunnelsRefused;
    upgrade.reject(response);
}

void EiceService::admit(const RequestRouter::Upgrade& upgrade, const EiceTunnelPlan& plan)
{
    QSslSocket* socket = upgrade.takeSocket();
    if (!socket) {
        refuse(upgrade,
               EiceAdmission::error(400, QStringLiteral("InvalidRequest"),
                                    QStringLiteral("The WebSocket upgrade must be the first request on its "
                                                   "connection, with nothing sent after it.")));
        return;
    }
    auto* tunnel = new EiceTunnel(socket, plan, this);
    m_tunnels.append(tunnel);
    m_perEndpoint[plan.endpointId] += 1;
    m_counters.concurrent += 1;
    m_counters.peakConcurrent = qMax(m_counters.peakConcurrent, m_counters.concurrent);
    m_counters.lastHost = plan.host;
    if (m_closeAfterBytes >= 0)
        tunnel->closeAfterBytes(m_closeAfterBytes, m_closeAfterCode);

    connect(tunnel, &EiceTunnel::relayed, this, [this](qint64 toTarget, qint64 toClient) {
        m_counters.bytesToInstance += toTarget;
        m_counters.bytesFromInstance += toClient;
    });
    connect(tunnel, &EiceTunnel::finished, this, [this, tunnel] { onTunnelFinished(tunnel); });

    const HttpRequest request = upgrade.request;
    const QByteArray requestId = upgrade.context.requestId.toUtf8();
    auto open = [this, tunnel, request, requestId] {
        const EiceTunnel::Target target = resolveTarget(tunnel->plan());
        tunnel->start(WebSocketServerHandshake::switchingProtocols(
                          request, m_faults.now(), {{QByteArrayLiteral("x-amzn-RequestId"), requestId}}),
                      target);
        if (tunnel->isStarted()) {
            ++m_counters.tunnelsOpened;
            Q_EMIT tunnelOpened(tunnel->plan().endpointId, tunnel->plan().instanceId, tunnel->plan().remotePort);
        }
    };
    const int delayMs = m_faults.latencyFor(QString::fromLatin1(kAction)) + m_handshakeDelayMs;
    if (delayMs > 0)
        QTimer::singleShot(delayMs, tunnel, open);
    else
        open();
}

EiceTunnel::Target EiceService::resolveTarget(const EiceTunnelPlan& plan)
{
    EiceTunnel::Target target;
    const QString where = QStringLiteral("%1:%2").arg(plan.privateIpAddress).arg(plan.remotePort);
    m_fleet.settle(m_faults.now());
    const Instance* instance = m_fleet.instance(plan.instanceId);
    if (!instance) {
        target.failure = QStringLiteral("Connection to %1 failed: no host has that address any more.").arg(where);
        return target;
    }
    if (instance->state != InstanceState::Running) {
        target.failure = QStringLiteral("Connection to %1 timed out: instance %2 is %3.")
                             .arg(where, instance->id, instanceStateName(instance->state));
        return target;
    }
    if (const auto it = m_targets.constFind({plan.instanceId, plan.remotePort}); it != m_targets.cend()) {
        target.address = it->first;
        target.port = it->second;
    } else if (instance->targets.contains(plan.remotePort)) {
        target.address = QHostAddress(QHostAddress::LocalHost);
        target.port = static_cast<quint16>(instance->targets.value(plan.remotePort));
    } else if (const auto def = m_defaultTargets.constFind(plan.remotePort); def != m_defaultTargets.cend()) {
        target.address = def->first;
        target.port = def->second;
    } else {
        target.failure = QStringLiteral("Connection to %1 refused: nothing listens on port %2 of %3 (fakeaws has no "
                                        "tunnel target for it).")
                             .arg(where)
                             .arg(plan.remotePort)
                             .arg(instance->id);
    }
    return target;
}

void EiceService::onTunnelFinished(EiceTunnel* tunnel)
{
    m_tunnels.removeAll(tunnel);
    const QString endpointId = tunnel->plan().endpointId;
    if (int& n = m_perEndpoint[endpointId]; --n <= 0)
        m_perEndpoint.remove(endpointId);
    m_counters.concurrent = qMax(0, m_counters.concurrent - 1);
    ++m_counters.tunnelsClosed;
    m_counters.closeCodesSent[tunnel->closeCodeSent()] += 1;
    Q_EMIT tunnelFinished(endpointId, tunnel->closeCodeSent());
}

} // namespace fakeaws
