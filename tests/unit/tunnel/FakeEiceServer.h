#pragma once
// FakeEiceServer: a stand-in for an EC2 Instance Connect Endpoint in the tunnel tests. A TLS server on 127.0.0.1
// that accepts WebSocket upgrades at /openTunnel, checks the presigned URL with the bl::sigv4 functions (its own
// clock may be shifted), refuses ports other than 22/3389 with the service's InvalidParameter JSON, honours
// maxTunnelDuration by closing with 1001, and relays binary frames to a local TCP target per remote port. Knobs
// make it misbehave on purpose (forced refusals, a text frame, pings, fragmented frames). It records every
// request head it receives.

#include "core/aws/base/SigV4.h"

#include <QHash>
#include <QObject>
#include <QSslConfiguration>

#include <optional>

class QSslServer;
class FakeEiceSession;

class FakeEiceServer : public QObject
{
    Q_OBJECT

public:
    struct Rejection
    {
        int status = 403;
        QByteArray body;
    };

    FakeEiceServer(const QSslConfiguration& tls, QObject* parent = nullptr);
    ~FakeEiceServer() override;

    bool listen();
    quint16 port() const;

    // Identity the signatures are checked against.
    void setCredentials(const QByteArray& accessKeyId, const QByteArray& secret, const QByteArray& token = {});
    void setTarget(int remotePort, quint16 localPort) { m_targets.insert(remotePort, localPort); }
    void setClockOffsetMs(qint64 ms) { m_clockOffsetMs = ms; }
    void setRejection(std::optional<Rejection> r) { m_rejection = std::move(r); }
    void setSendTextFrame(bool on) { m_sendText = on; }
    void setPingOnOpen(bool on) { m_pingOnOpen = on; }
    void setFragmentSize(int bytes) { m_fragmentSize = bytes; }

    QDateTime now() const;
    QByteArray httpDate() const;
    // Empty when the presigned query (decoded pairs) and Host header are valid.
    QString verify(const bl::sigv4::QueryList& params, const QByteArray& host) const;

    quint16 targetPort(int remotePort) const { return m_targets.value(remotePort, 0); }
    const std::optional<Rejection>& rejection() const { return m_rejection; }
    bool sendText() const { return m_sendText; }
    bool pingOnOpen() const { return m_pingOnOpen; }
    int fragmentSize() const { return m_fragmentSize; }

    // What happened.
    const QList<QByteArray>& heads() const { return m_heads; }
    int upgrades() const { return m_upgrades; }
    int openNow() const { return m_openNow; }
    int maxConcurrent() const { return m_maxConcurrent; }
    int pongs() const { return m_pongs; }
    const QList<quint16>& clientCloseCodes() const { return m_clientCloseCodes; }

    // Called by sessions.
    void recordHead(const QByteArray& head) { m_heads.append(head); }
    void sessionOpened();
    void sessionEnded(bool wasOpen);
    void recordPong() { ++m_pongs; }
    void recordClientClose(quint16 code) { m_clientCloseCodes.append(code); }

private:
    void accept();

    QSslServer* m_server;
    QByteArray m_accessKeyId = "AKIDTUNNELTEST";
    QByteArray m_secret = "tunnel-test-secret";
    QByteArray m_token;
    QHash<int, quint16> m_targets;
    qint64 m_clockOffsetMs = 0;
    std::optional<Rejection> m_rejection;
    bool m_sendText = false;
    bool m_pingOnOpen = false;
    int m_fragmentSize = 0;
    QList<QByteArray> m_heads;
    int m_upgrades = 0;
    int m_openNow = 0;
    int m_maxConcurrent = 0;
    int m_pongs = 0;
    QList<quint16> m_clientCloseCodes;
};
