#include "SsmSessionManager.h"

#include "WebSocketServerHandshake.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSslSocket>

namespace fakeaws {

namespace {

const QString kPortDocument = QStringLiteral("AWS-StartPortForwardingSession");
const QString kRemoteHostDocument = QStringLiteral("AWS-StartPortForwardingSessionToRemoteHost");
const QString kSshDocument = QStringLiteral("AWS-StartSSHSession");

HttpResponse json(const QJsonObject& object)
{
    HttpResponse response;
    response.contentType = "application/x-amz-json-1.1";
    response.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return response;
}

HttpResponse validation(const QString& message)
{
    return jsonError(400, "ValidationException", message);
}

HttpResponse upgradeError(int status, const QString& message)
{
    HttpResponse r;
    r.status = status;
    r.contentType = "application/json";
    r.body = QJsonDocument(QJsonObject {{QStringLiteral("message"), message}}).toJson(QJsonDocument::Compact);
    return r;
}

QString userPart(const QString& principalArn)
{
    QString user;
    for (const QChar c : principalArn.section(QLatin1Char('/'), -1)) {
        if (c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_') || c == QLatin1Char('.'))
            user.append(c);
    }
    return user.isEmpty() ? QStringLiteral("fakeaws") : user;
}

QString randomHex(int digits)
{
    QString out;
    for (int i = 0; i < digits; ++i)
        out.append(QLatin1Char("0123456789abcdef"[QRandomGenerator::global()->bounded(16)]));
    return out;
}

// IMDS, the Amazon DNS server and each VPC's reserved addresses (§6.1 table).
bool isForbidden(const QHostAddress& address, const QStringList& vpcCidrs)
{
    static const QList<QHostAddress> fixed = {
        QHostAddress(QStringLiteral("169.254.169.254")), QHostAddress(QStringLiteral("169.254.169.253")),
        QHostAddress(QStringLiteral("fd00:ec2::254")), QHostAddress(QStringLiteral("fd00:ec2::253"))};
    if (fixed.contains(address))
        return true;
    for (const QString& cidr : vpcCidrs) {
        const QPair<QHostAddress, int> subnet = QHostAddress::parseSubnet(cidr);
        if (subnet.first.protocol() != QAbstractSocket::IPv4Protocol || address.protocol() != subnet.first.protocol()
            || !address.isInSubnet(subnet))
            continue;
        const quint32 network = subnet.first.toIPv4Address();
        const quint32 broadcast = network | (subnet.second >= 32 ? 0u : (0xFFFFFFFFu >> subnet.second));
        const quint32 a = address.toIPv4Address();
        if (a - network <= 3 || a == broadcast)
            return true;
    }
    return false;
}

} // namespace

SsmSessionManager::SsmSessionManager(Fleet& fleet, SsmService& ssm, RequestRouter& router, FaultInjector& faults,
                                     QObject* parent)
    : QObject(parent)
    , m_fleet(fleet)
    , m_router(router)
    , m_faults(faults)
{
    ssm.setOperation(QStringLiteral("StartSession"),
                     [this](const QJsonObject& body, const CallContext& c) { return startSession(body, c); });
    ssm.setOperation(QStringLiteral("ResumeSession"),
                     [this](const QJsonObject& body, const CallContext& c) { return resumeSession(body, c); });
    ssm.setOperation(QStringLiteral("TerminateSession"),
                     [this](const QJsonObject& body, const CallContext& c) { return terminateSession(body, c); });
}

SsmSessionManager::~SsmSessionManager()
{
    abortAll();
    for (const QString& id : std::as_const(m_order))
        m_router.removeUpgradeRoute(QByteArray(kPathPrefix) + id.toUtf8());
}

bool SsmSessionManager::setTarget(const QString& instanceId, int remotePort, const QHostAddress& address,
                                  quint16 localPort)
{
    if (!m_fleet.instance(instanceId))
        return false;
    m_targets.insert({instanceId, remotePort}, {address, localPort});
    return true;
}

void SsmSessionManager::setDefaultTarget(int remotePort, const QHostAddress& address, quint16 localPort)
{
    m_defaultTargets.insert(remotePort, {address, localPort});
}

void SsmSessionManager::setRemoteHostTarget(const QString& host, int remotePort, const QHostAddress& address,
                                            quint16 localPort)
{
    m_remoteHosts.insert({host.toLower(), remotePort}, {address, localPort});
}

void SsmSessionManager::clearTargets()
{
    m_targets.clear();
    m_defaultTargets.clear();
    m_remoteHosts.clear();
}

SsmAgentSession* SsmSessionManager::find(const QString& sessionId) const
{
    const auto it = m_sessions.find(sessionId);
    return it == m_sessions.end() ? nullptr : it->second.get();
}

std::optional<SsmSessionRecord> SsmSessionManager::session(const QString& sessionId) const
{
    if (const SsmAgentSession* s = find(sessionId))
        return s->record();
    return std::nullopt;
}

QStringList SsmSessionManager::sessionIds() const
{
    return m_order;
}

QString SsmSessionManager::currentToken(const QString& sessionId) const
{
    const SsmAgentSession* s = find(sessionId);
    return s ? s->token() : QString();
}

void SsmSessionManager::resetCounters()
{
    m_counters = {};
}

int SsmSessionManager::activeChannels() const
{
    int n = 0;
    for (const QPointer<SsmDataChannel>& c : m_channels)
        n += c && c->isOpen() ? 1 : 0;
    return n;
}

QString SsmSessionManager::newToken()
{
    QByteArray raw(96, Qt::Uninitialized);
    for (char& c : raw)
        c = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return QStringLiteral("AAEAA") + QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding));
}

QString SsmSessionManager::streamUrl(const QString& sessionId) const
{
    return QStringLiteral("wss://127.0.0.1:%1%2%3?role=publish_subscribe")
        .arg(m_port)
        .arg(QLatin1String(kPathPrefix), sessionId);
}

HttpResponse SsmSessionManager::startSession(const QJsonObject& body, const CallContext& context)
{
    // The target was checked by SsmService (TargetNotConnected) before this runs.
    const QString target = body.value(QStringLiteral("Target")).toString();
    const QJsonValue document = body.value(QStringLiteral("DocumentName"));
    const QString documentName = document.toString();
    if (!document.isString()
        || (documentName != kPortDocument && documentName != kRemoteHostDocument && documentName != kSshDocument))
        return jsonError(400, "InvalidDocument",
                         QStringLiteral("Document %1 is not supported by fakeaws's Session Manager; use "
                                        "AWS-StartPortForwardingSession, AWS-StartPortForwardingSessionToRemoteHost or "
                                        "AWS-StartSSHSession.")
                             .arg(document.isString() ? documentName : QStringLiteral("(none)")));
    const QJsonValue reason = body.value(QStringLiteral("Reason"));
    if (!reason.isUndefined() && (!reason.isString() || reason.toString().isEmpty() || reason.toString().size() > 256))
        return validation(QStringLiteral("1 validation error detected: Value at 'reason' failed to satisfy "
                                         "constraint: Member must have length between 1 and 256"));
    QMap<QString, QStringList> parameters;
    const QJsonValue params = body.value(QStringLiteral("Parameters"));
    if (!params.isUndefined() && !params.isNull()) {
        if (!params.isObject())
            return validation(QStringLiteral("Parameters must be a map of parameter name to a list of strings"));
        const QJsonObject map = params.toObject();
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (!it.value().isArray())
                return validation(
                    QStringLiteral("Parameter %1 must be a list of strings, e.g. {\"%1\": [\"22\"]}").arg(it.key()));
            QStringList values;
            for (const QJsonValue v : it.value().toArray()) {
                if (!v.isString())
                    return validation(QStringLiteral("Parameter %1 must be a list of strings").arg(it.key()));
                values.append(v.toString());
            }
            parameters.insert(it.key(), values);
        }
    }
    static const QStringList known = {QStringLiteral("portNumber"), QStringLiteral("localPortNumber"),
                                      QStringLiteral("host")};
    for (auto it = parameters.cbegin(); it != parameters.cend(); ++it) {
        if (!known.contains(it.key()) || (it.key() == QLatin1String("host") && documentName != kRemoteHostDocument))
            return validation(QStringLiteral("Parameter %1 is not defined in document %2").arg(it.key(), documentName));
        if (it.value().size() != 1)
            return validation(QStringLiteral("Parameter %1 takes exactly one value").arg(it.key()));
        if (it.key() != QLatin1String("host")) {
            bool ok = false;
            const int port = it.value().first().toInt(&ok);
            if (!ok || port < (it.key() == QLatin1String("localPortNumber") ? 0 : 1) || port > 65535)
                return validation(
                    QStringLiteral("Parameter %1 must be a port number, not \"%2\"").arg(it.key(), it.value().first()));
        }
    }
    if (documentName == kRemoteHostDocument && parameters.value(QStringLiteral("host")).value(0).isEmpty())
        return validation(QStringLiteral("Document %1 needs the parameter host (the host to reach from the instance)")
                              .arg(documentName));

    SsmSessionRecord record;
    record.sessionId = userPart(context.principalArn) + QLatin1Char('-') + randomHex(17);
    record.target = target;
    record.documentName = documentName;
    record.parameters = parameters;
    record.startedBy = context.principalArn;
    record.startedAt = context.now;
    const Instance* instance = m_fleet.instance(target);
    record.agentVersion = !m_settings.agentVersion.isEmpty() ? m_settings.agentVersion
        : instance && !instance->ssm.agentVersion.isEmpty()
        ? instance->ssm.agentVersion
        : QString::fromLatin1(SsmAgentSettings::kDefaultAgentVersion);
    const QString host = parameters.value(QStringLiteral("host")).value(0);
    const int port = parameters.value(QStringLiteral("portNumber"))
                         .value(0, documentName == kSshDocument ? QStringLiteral("22") : QStringLiteral("80"))
                         .toInt();
    const QString sessionId = record.sessionId;
    auto agent = std::make_unique<SsmAgentSession>(std::move(record), m_settings, m_counters,
                                                   [this, target, host, port] { return resolve(target, host, port); });
    agent->setToken(newToken());
    connect(agent.get(), &SsmAgentSession::handshakeCompleted, this,
            [this, sessionId](const QString& mode) { Q_EMIT handshakeCompleted(sessionId, mode); });
    connect(agent.get(), &SsmAgentSession::ended, this, [this, sessionId] { Q_EMIT sessionEnded(sessionId); });
    const QString token = agent->token();
    m_sessions.emplace(sessionId, std::move(agent));
    m_order.append(sessionId);
    ++m_counters.sessionsStarted;
    m_router.addUpgradeRoute(QByteArray(kPathPrefix) + sessionId.toUtf8(), QString::fromLatin1(kAction),
                             [this, sessionId](const RequestRouter::Upgrade& u) { handleUpgrade(u, sessionId); });
    Q_EMIT sessionStarted(sessionId);
    return json({{QStringLiteral("SessionId"), sessionId},
                 {QStringLiteral("TokenValue"), token},
                 {QStringLiteral("StreamUrl"), streamUrl(sessionId)}});
}

HttpResponse SsmSessionManager::resumeSession(const QJsonObject& body, const CallContext& context)
{
    const QString sessionId = body.value(QStringLiteral("SessionId")).toString();
    if (sessionId.isEmpty())
        return validation(QStringLiteral("1 validation error detected: Value null at 'sessionId' failed to satisfy "
                                         "constraint: Member must not be null"));
    SsmAgentSession* agent = find(sessionId);
    if (!agent)
        return jsonError(400, "DoesNotExistException", QStringLiteral("Session %1 does not exist.").arg(sessionId));
    ++m_counters.resumes;
    ++agent->record().resumeCount;
    if (!agent->isEnded() && m_settings.faults.nullTokenResumes > 0) {
        --m_settings.faults.nullTokenResumes;
        agent->terminate(QStringLiteral("resume refused (fault)"));
    }
    if (agent->isEnded())
        return json({{QStringLiteral("SessionId"), sessionId},
                     {QStringLiteral("TokenValue"), QJsonValue::Null},
                     {QStringLiteral("StreamUrl"), streamUrl(sessionId)}});
    Q_UNUSED(context)
    agent->setToken(newToken()); // the old one stops working
    return json({{QStringLiteral("SessionId"), sessionId},
                 {QStringLiteral("TokenValue"), agent->token()},
                 {QStringLiteral("StreamUrl"), streamUrl(sessionId)}});
}

HttpResponse SsmSessionManager::terminateSession(const QJsonObject& body, const CallContext& context)
{
    const QString sessionId = body.value(QStringLiteral("SessionId")).toString();
    if (sessionId.isEmpty())
        return validation(QStringLiteral("1 validation error detected: Value null at 'sessionId' failed to satisfy "
                                         "constraint: Member must not be null"));
    if (SsmAgentSession* agent = find(sessionId))
        agent->terminate(context.principalArn.isEmpty() ? QStringLiteral("TerminateSession") : context.principalArn);
    return json({{QStringLiteral("SessionId"), sessionId}});
}

bool SsmSessionManager::terminate(const QString& sessionId, const QString& by)
{
    SsmAgentSession* agent = find(sessionId);
    if (!agent || agent->isEnded())
        return false;
    agent->terminate(by);
    return true;
}

void SsmSessionManager::handleUpgrade(const RequestRouter::Upgrade& upgrade, const QString& sessionId)
{
    if (std::optional<HttpResponse> bad = WebSocketServerHandshake::check(upgrade.request)) {
        upgrade.reject(*bad);
        return;
    }
    SsmAgentSession* agent = find(sessionId);
    if (!agent) {
        upgrade.reject(upgradeError(404, QStringLiteral("Session %1 does not exist.").arg(sessionId)));
        return;
    }
    // Newer clients header-sign the upgrade for ssmmessages (§6.2); older ones send nothing.
    const bool signedUpgrade = !upgrade.request.header("Authorization").isEmpty();
    if (signedUpgrade) {
        const AuthResult auth = m_router.verifier().verifyHeaders(upgrade.request, upgrade.context.now);
        if (!auth.ok() || auth.service != QLatin1String("ssmmessages")) {
            ++m_counters.channelsRefused;
            ++agent->record().channelsRefused;
            upgrade.reject(upgradeError(
                403,
                auth.ok()
                    ? QStringLiteral("The upgrade is signed for service %1; sign it for ssmmessages.").arg(auth.service)
                    : QStringLiteral("The request signature does not verify (%1).")
                          .arg(auth.detail.isEmpty() ? QStringLiteral("wrong key, time or canonical request")
                                                     : auth.detail)));
            return;
        }
    }
    QSslSocket* socket = upgrade.takeSocket();
    if (!socket) {
        upgrade.reject(upgradeError(400,
                                    QStringLiteral("The WebSocket upgrade must be the first request on its "
                                                   "connection, with nothing sent after it.")));
        return;
    }
    agent->record().lastUpgradeSigned = signedUpgrade;
    agent->record().anyUpgradeSigned = agent->record().anyUpgradeSigned || signedUpgrade;
    auto* channel = new SsmDataChannel(socket, sessionId, this);
    m_channels.removeAll(nullptr);
    m_channels.append(channel);
    connect(channel, &SsmDataChannel::opened, this,
            [this, channel](const QJsonObject& open) { onOpened(channel, open); });
    channel->start(WebSocketServerHandshake::switchingProtocols(
        upgrade.request, m_faults.now(),
        {{QByteArrayLiteral("x-amzn-RequestId"), upgrade.context.requestId.toUtf8()}}));
}

void SsmSessionManager::onOpened(SsmDataChannel* channel, const QJsonObject& open)
{
    SsmAgentSession* agent = find(channel->sessionId());
    QString refusal;
    if (!agent || agent->isEnded())
        refusal = QStringLiteral("The session has ended; start a new one.");
    else if (open.value(QStringLiteral("MessageSchemaVersion")).toString() != QLatin1String("1.0"))
        refusal = QStringLiteral("OpenDataChannel needs MessageSchemaVersion \"1.0\".");
    else if (open.value(QStringLiteral("TokenValue")).toString() != agent->token())
        refusal = QStringLiteral("The TokenValue is not valid for this session (expired, or replaced by "
                                 "ResumeSession).");
    if (!refusal.isEmpty()) {
        ++m_counters.channelsRefused;
        if (agent)
            ++agent->record().channelsRefused;
        channel->closeWith(WebSocketServerCodec::kPolicyViolation, refusal);
        return;
    }
    ++m_counters.channelsOpened;
    ++agent->record().channelsOpened;
    agent->record().clientId = open.value(QStringLiteral("ClientId")).toString();
    agent->attach(channel);
    Q_EMIT channelOpened(channel->sessionId());
}

SsmPortPlugin::Target SsmSessionManager::resolve(const QString& instanceId, const QString& host, int port) const
{
    SsmPortPlugin::Target target;
    const Instance* instance = m_fleet.instance(instanceId);
    if (!instance || instance->state != InstanceState::Running) {
        target.failure = QStringLiteral("instance %1 is not running").arg(instanceId);
        return target;
    }
    const QString lowered = host.toLower();
    if (!host.isEmpty() && lowered != QLatin1String("localhost") && lowered != QLatin1String("127.0.0.1")) {
        QStringList cidrs;
        if (const Vpc* vpc = m_fleet.vpc(instance->vpcId))
            cidrs.append(vpc->cidr);
        const QHostAddress literal(host);
        if (!literal.isNull() && isForbidden(literal, cidrs)) {
            target.failure = QStringLiteral("Forwarding to IP address %1 is forbidden.").arg(host);
            return target;
        }
        if (const auto it = m_remoteHosts.constFind({lowered, port}); it != m_remoteHosts.cend()) {
            target.address = it->first;
            target.port = it->second;
        } else {
            target.failure = QStringLiteral("dial tcp %1:%2: nothing answers there (fakeaws has no remote-host "
                                            "target for it)")
                                 .arg(host)
                                 .arg(port);
        }
        return target;
    }
    if (const auto it = m_targets.constFind({instanceId, port}); it != m_targets.cend()) {
        target.address = it->first;
        target.port = it->second;
    } else if (instance->targets.contains(port)) {
        target.address = QHostAddress(QHostAddress::LocalHost);
        target.port = static_cast<quint16>(instance->targets.value(port));
    } else if (const auto def = m_defaultTargets.constFind(port); def != m_defaultTargets.cend()) {
        target.address = def->first;
        target.port = def->second;
    } else {
        target.failure = QStringLiteral("dial tcp 127.0.0.1:%1: connection refused (fakeaws has no target for port "
                                        "%1 of %2)")
                             .arg(port)
                             .arg(instanceId);
    }
    return target;
}

bool SsmSessionManager::sendChannelClosed(const QString& sessionId, const QString& output)
{
    SsmAgentSession* agent = find(sessionId);
    return agent && agent->sendChannelClosed(output);
}

bool SsmSessionManager::sendPublicationNotices(const QString& sessionId)
{
    SsmAgentSession* agent = find(sessionId);
    return agent && agent->sendPublicationNotices();
}

int SsmSessionManager::dropDataChannels()
{
    int dropped = 0;
    for (auto& [id, agent] : m_sessions)
        dropped += agent->dropChannel() ? 1 : 0;
    return dropped;
}

void SsmSessionManager::abortAll()
{
    const QList<QPointer<SsmDataChannel>> channels = m_channels;
    m_channels.clear();
    for (const QPointer<SsmDataChannel>& c : channels) {
        if (c)
            c->abort();
    }
    for (auto& [id, agent] : m_sessions) {
        if (!agent->isEnded())
            agent->terminate(QStringLiteral("fakeaws stopped"));
    }
}

} // namespace fakeaws
