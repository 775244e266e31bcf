#pragma once
// Shared pieces of the fakeaws EICE tests: a small fleet with endpoints in every state that matters, presigned
// /openTunnel targets built with bl::sigv4::presign like a real client, a raw TLS WebSocket client that can
// read the HTTP refusal and stop reading on purpose, and local TCP targets (echo, greet-and-close, sink,
// source) standing in for sshd.

#include "core/aws/base/Credentials.h"
#include "core/aws/base/SigV4.h"
#include "tests/fakeaws/Fleet.h"

#include <QDateTime>
#include <QPointer>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTcpServer>

#include <optional>

namespace eicetest {

struct TestFleet
{
    fakeaws::Fleet fleet;
    QString endpointId; // us-east-1, create-complete, with a FIPS name, in the "prod" VPC
    QString pendingEndpointId; // us-east-1, create-in-progress, in the "data" VPC
    QString westEndpointId; // us-west-2
    QString instanceId; // running, in prod's private subnet
    QString instanceIp;
    QString secondInstanceId; // running, in prod's public subnet
    QString secondInstanceIp;
    QString stoppedInstanceId; // stopped, in prod
    QString stoppedInstanceIp;
    QString dataInstanceIp; // running, in the "data" VPC (no usable endpoint)

    static TestFleet make();
};

// GET /openTunnel?<presigned query> as the CLI signs it (PROTOCOLS.md §1.6): host only, empty-body hash.
struct OpenTunnel
{
    QString endpointId;
    QString privateIp;
    QByteArray remotePort = "22";
    std::optional<QByteArray> maxTunnelDuration;
    QByteArray host; // the DnsName used
    bl::Credentials credentials;
    QDateTime signedAt;
    int expires = 60;
    QByteArray region = "us-east-1";
    QByteArray service = "ec2-instance-connect";

    QByteArray target() const; // /openTunnel?...&X-Amz-Signature=...
};

QSslConfiguration trusting(const QSslCertificate& ca);

// A WebSocket client on a raw QSslSocket: sees the exact HTTP answer, sends masked frames, and reads the
// server's frames only when asked (so a test can hold back and watch the server's back-pressure).
class RawTunnelClient : public QObject
{
    Q_OBJECT

public:
    explicit RawTunnelClient(QObject* parent = nullptr);

    // Connects to 127.0.0.1:port, sends the upgrade request and reads the answer's head (and body).
    bool open(quint16 port, const QSslCertificate& ca, const QByteArray& target, const QByteArray& host,
              int timeoutMs = 10000);
    int status() const { return m_status; }
    QByteArray head() const { return m_head; }
    QByteArray body() const { return m_body; }
    QByteArray header(const QByteArray& name) const;

    void sendBinary(const QByteArray& bytes);
    void sendText(const QString& text);
    void sendClose(quint16 code);
    // Stops draining the socket (its read buffer is bounded, so the server's writes back up).
    void holdBack(bool hold);
    // Payload bytes of binary frames received so far; closeCode() once a close frame came (0 before).
    QByteArray received() const { return m_data; }
    quint16 closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QSslSocket& socket() { return m_socket; }

private:
    void drain();

    QSslSocket m_socket;
    int m_status = 0;
    QByteArray m_head;
    QByteArray m_body;
    QByteArray m_buffer;
    QByteArray m_data;
    quint16 m_closeCode = 0;
    QString m_closeReason;
    bool m_hold = false;
    bool m_upgraded = false;
};

// A stand-in for the service behind the instance's port, on 127.0.0.1.
class TargetServer : public QObject
{
    Q_OBJECT

public:
    enum class Mode {
        Echo, // sends back what it receives
        GreetAndClose, // sends greeting(), then closes
        Sink, // reads nothing until release(); its receive window is small
        Source, // sends payload() as soon as a client connects, then waits
    };

    explicit TargetServer(Mode mode, QObject* parent = nullptr);
    quint16 port() const { return m_server.serverPort(); }
    void setPayload(const QByteArray& bytes) { m_payload = bytes; }
    void release(); // Sink: start reading
    int connections() const { return m_connections; }
    int disconnections() const { return m_disconnections; }
    QByteArray receivedBytes() const { return m_received; }
    qint64 receivedCount() const { return m_receivedCount; }
    static QByteArray greeting() { return QByteArrayLiteral("SSH-2.0-FakeTarget\r\n"); }

private:
    QTcpServer m_server;
    Mode m_mode;
    QByteArray m_payload;
    QList<QPointer<QTcpSocket>> m_sockets;
    QByteArray m_received;
    qint64 m_receivedCount = 0;
    bool m_released = false;
    int m_connections = 0;
    int m_disconnections = 0;
};

} // namespace eicetest
