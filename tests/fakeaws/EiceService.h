#pragma once
// fakeaws's EC2 Instance Connect Endpoint data plane (PROTOCOLS.md §5): the WebSocket upgrade at /openTunnel
// on the emulator's HTTPS port. Admits requests with EiceAdmission, enforces the 20-connections-per-endpoint
// quota, answers 101 with x-amzn-RequestId and hands each connection to an EiceTunnel relaying to the
// instance's local stand-in (a TCP server on this machine). Also points the fleet's endpoint DnsNames at the
// emulator, injects the faults tunnel tests need and counts what happened.

#include "EiceAdmission.h"
#include "EiceTunnel.h"
#include "FaultInjector.h"
#include "Fleet.h"
#include "RequestRouter.h"

#include <QHash>
#include <QHostAddress>
#include <QMap>
#include <QObject>
#include <QPointer>

#include <optional>

namespace fakeaws {

struct EiceCounters
{
    qint64 tunnelsOpened = 0; // 101 answers sent
    qint64 tunnelsRefused = 0; // upgrade requests answered with an HTTP error instead
    qint64 tunnelsClosed = 0; // finished tunnels
    int concurrent = 0; // admitted and not finished (including those whose 101 is delayed)
    int peakConcurrent = 0;
    qint64 bytesToInstance = 0; // client -> instance
    qint64 bytesFromInstance = 0; // instance -> client
    QMap<int, int> closeCodesSent; // close code -> tunnels that got it (0: none: dropped, or client left first)
    QString lastHost; // Host header of the last admitted request: which DnsName the client used
};

class EiceService : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxConcurrentPerEndpoint = 20; // EC2 UG quota, not adjustable (§5.1)
    static constexpr const char* kPath = "/openTunnel";
    static constexpr const char* kAction = "OpenTunnel"; // name for FaultInjector counters and latency

    EiceService(Fleet& fleet, const SignatureVerifier& verifier, FaultInjector& faults, QObject* parent = nullptr);
    ~EiceService() override;

    // Registers the /openTunnel upgrade route.
    void attach(RequestRouter& router);
    // Called once the HTTPS port is known: every endpoint whose DnsName is a local placeholder (*.localhost,
    // localhost or 127.0.0.1, with or without a port) gets dnsName() and, if it has one, fipsDnsName().
    void setServerPort(quint16 port);
    // "127.0.0.1:<port>": *.localhost names do not resolve everywhere (glibc without nss-myhostname), an IP
    // literal does and the server certificate carries it. The FIPS name is "localhost:<port>", so that tests
    // can tell from counters().lastHost which one a client picked.
    QString dnsName() const;
    QString fipsDnsName() const;

    // Where an instance's remote port leads: address:localPort on this machine. Overrides the fleet's
    // Instance::targets (which lead to 127.0.0.1). false when the instance does not exist.
    bool setTunnelTarget(const QString& instanceId, int remotePort, const QHostAddress& address, quint16 localPort);
    // The target for every instance that has none of its own on that remote port (e.g. one sshd for all).
    void setDefaultTunnelTarget(int remotePort, const QHostAddress& address, quint16 localPort);
    void clearTunnelTargets();

    // Quota (tests may lower it). The request beyond it gets HTTP 429 {"ErrorCode":"ConnectionLimitExceeded"}.
    void setMaxConcurrentPerEndpoint(int count) { m_maxPerEndpoint = qMax(1, count); }
    int activeTunnels(const QString& endpointId = {}) const;

    // Faults.
    // The next `count` upgrade requests get this HTTP answer ({"ErrorCode":..,"Message":..}) before any check.
    void refuseNext(int count, int status, const QString& errorCode, const QString& message);
    // Delays every 101 by this much (on top of FaultInjector latency for "OpenTunnel").
    void setHandshakeDelayMs(int ms) { m_handshakeDelayMs = qMax(0, ms); }
    // Tunnels opened from now on close with `closeCode` after relaying `bytes` bytes (both directions
    // together); closeCode 0 drops the connection without a close frame. bytes < 0 switches it off.
    void closeTunnelsAfterBytes(qint64 bytes, quint16 closeCode = WebSocketServerCodec::kInternalError);
    // Closes every open tunnel now (a mid-stream close). Returns how many.
    int closeAllTunnels(quint16 closeCode, const QString& reason);
    void clearFaults();
    // Drops every tunnel at once (the server is stopping).
    void abortAll();

    const EiceCounters& counters() const { return m_counters; }
    void resetCounters();

Q_SIGNALS:
    void tunnelOpened(const QString& endpointId, const QString& instanceId, int remotePort);
    void tunnelFinished(const QString& endpointId, quint16 closeCodeSent);

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

    void handleUpgrade(const RequestRouter::Upgrade& upgrade);
    void refuse(const RequestRouter::Upgrade& upgrade, const HttpResponse& response);
    void admit(const RequestRouter::Upgrade& upgrade, const EiceTunnelPlan& plan);
    EiceTunnel::Target resolveTarget(const EiceTunnelPlan& plan);
    void onTunnelFinished(EiceTunnel* tunnel);

    Fleet& m_fleet;
    const SignatureVerifier& m_verifier;
    FaultInjector& m_faults;
    quint16 m_port = 0;
    QHash<TargetKey, QPair<QHostAddress, quint16>> m_targets;
    QHash<int, QPair<QHostAddress, quint16>> m_defaultTargets;
    int m_maxPerEndpoint = kMaxConcurrentPerEndpoint;
    QHash<QString, int> m_perEndpoint;
    QList<QPointer<EiceTunnel>> m_tunnels;
    std::optional<HttpResponse> m_refusal;
    int m_refusalsLeft = 0;
    int m_handshakeDelayMs = 0;
    qint64 m_closeAfterBytes = -1;
    quint16 m_closeAfterCode = WebSocketServerCodec::kInternalError;
    EiceCounters m_counters;
};

} // namespace fakeaws
