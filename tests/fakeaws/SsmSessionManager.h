#pragma once
// fakeaws's Session Manager emulator (PROTOCOLS.md §6): StartSession, ResumeSession and TerminateSession on
// the SSM control plane, and the data-channel WebSocket at /v1/data-channel/<SessionId> on the emulator's
// HTTPS port, where an SsmAgentSession plays the message gateway and the SSM agent. Tests configure where
// instance ports lead (like EICE's tunnel targets), the agent's behaviour and faults (settings()), and read
// back what happened (session(), counters()).

#include "FaultInjector.h"
#include "Fleet.h"
#include "RequestRouter.h"
#include "SsmAgentSession.h"
#include "SsmService.h"
#include "SsmSessionTypes.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>

#include <map>
#include <memory>
#include <optional>

namespace fakeaws {

class SsmSessionManager : public QObject
{
    Q_OBJECT

public:
    static constexpr const char* kPathPrefix = "/v1/data-channel/";
    static constexpr const char* kAction = "OpenDataChannel"; // FaultInjector counter name of the upgrade

    SsmSessionManager(Fleet& fleet, SsmService& ssm, RequestRouter& router, FaultInjector& faults,
                      QObject* parent = nullptr);
    ~SsmSessionManager() override;

    // The HTTPS port that StreamUrls name (set by FakeAws::start()).
    void setServerPort(quint16 port) { m_port = port; }

    // Agent behaviour and faults; changes apply to running sessions too.
    SsmAgentSettings& settings() { return m_settings; }
    void setFaults(const SsmFaults& faults) { m_settings.faults = faults; }

    // Where an instance's port leads: address:localPort on this machine. Overrides the fleet's
    // Instance::targets (which lead to 127.0.0.1). false when the instance does not exist.
    bool setTarget(const QString& instanceId, int remotePort, const QHostAddress& address, quint16 localPort);
    // The target for every instance that has none of its own on that port.
    void setDefaultTarget(int remotePort, const QHostAddress& address, quint16 localPort);
    // AWS-StartPortForwardingSessionToRemoteHost: what `host`:remotePort leads to (any instance).
    void setRemoteHostTarget(const QString& host, int remotePort, const QHostAddress& address, quint16 localPort);
    void clearTargets();

    // What tests read back.
    std::optional<SsmSessionRecord> session(const QString& sessionId) const;
    QStringList sessionIds() const; // in start order
    QString lastSessionId() const { return m_order.isEmpty() ? QString() : m_order.last(); }
    QString currentToken(const QString& sessionId) const;
    const SsmCounters& counters() const { return m_counters; }
    void resetCounters();
    int activeChannels() const;

    // Service-side actions for tests.
    bool sendChannelClosed(const QString& sessionId, const QString& output);
    bool sendPublicationNotices(const QString& sessionId);
    int dropDataChannels(); // every open data channel, without a close frame
    bool terminate(const QString& sessionId, const QString& by = QStringLiteral("fakeaws"));
    void abortAll(); // the server is stopping

Q_SIGNALS:
    void sessionStarted(const QString& sessionId);
    void channelOpened(const QString& sessionId);
    void handshakeCompleted(const QString& sessionId, const QString& mode);
    void sessionEnded(const QString& sessionId);

private:
    struct TargetKey
    {
        QString instanceId;
        int remotePort = 0;
        bool operator==(const TargetKey& other) const = default;
    };
    friend size_t qHash(const TargetKey& key, size_t seed = 0)
    {
        return qHashMulti(seed, key.instanceId, key.remotePort);
    }

    HttpResponse startSession(const QJsonObject& body, const CallContext& context);
    HttpResponse resumeSession(const QJsonObject& body, const CallContext& context);
    HttpResponse terminateSession(const QJsonObject& body, const CallContext& context);
    void handleUpgrade(const RequestRouter::Upgrade& upgrade, const QString& sessionId);
    void onOpened(SsmDataChannel* channel, const QJsonObject& open);
    SsmPortPlugin::Target resolve(const QString& instanceId, const QString& host, int port) const;
    QString streamUrl(const QString& sessionId) const;
    SsmAgentSession* find(const QString& sessionId) const;
    static QString newToken();

    Fleet& m_fleet;
    RequestRouter& m_router;
    FaultInjector& m_faults;
    quint16 m_port = 0;
    SsmAgentSettings m_settings;
    SsmCounters m_counters;
    std::map<QString, std::unique_ptr<SsmAgentSession>> m_sessions;
    QStringList m_order;
    QHash<TargetKey, QPair<QHostAddress, quint16>> m_targets;
    QHash<int, QPair<QHostAddress, quint16>> m_defaultTargets;
    QHash<QPair<QString, int>, QPair<QHostAddress, quint16>> m_remoteHosts;
    QList<QPointer<SsmDataChannel>> m_channels;
};

} // namespace fakeaws
