#pragma once
// Shared by the tunnel tests: a local echo server that stops with the test, a fakeaws session for the
// manager's session lookup, and a direct-TCP target whose address BASTIONLESS_DIRECT_MAP sends to the echo
// server, so a tunnel carries real bytes on 127.0.0.1 without any AWS call.

#include "tests/unit/inventory/FakeAwsSessions.h"

#include "core/connect/TunnelManager.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace tunneltest {

class EchoServer : public QTcpServer
{
public:
    EchoServer()
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = nextPendingConnection()) {
                s->setParent(this);
                connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
};

inline constexpr const char* kPublicIp = "203.0.113.10";

inline bl::Instance fakeInstance(const QString& id = QStringLiteral("i-0123456789abcdef0"))
{
    bl::Instance i;
    i.id = id;
    i.name = QStringLiteral("web-1");
    i.region = QStringLiteral("us-east-1");
    i.state = bl::InstanceState::Running;
    i.publicIp = QString::fromLatin1(kPublicIp);
    return i;
}

// "203.0.113.10:<remotePort>=127.0.0.1:<echo port>"
inline QString directMap(quint16 remotePort, quint16 echoPort)
{
    return QStringLiteral("%1:%2=127.0.0.1:%3").arg(QString::fromLatin1(kPublicIp)).arg(remotePort).arg(echoPort);
}

inline bl::TunnelTarget directTarget(quint16 remotePort, quint16 localPort = 0)
{
    bl::TunnelTarget t;
    t.instance = fakeInstance();
    t.source = QStringLiteral("demo");
    t.remotePort = remotePort;
    t.localPort = localPort;
    t.via = bl::TransportChooser::Via::Direct;
    return t;
}

// The manager of the tests: one fakeaws session called "demo".
struct ManagerKit
{
    ManagerKit()
        : session(&aws.addSession(QStringLiteral("demo")))
        , manager([this](const QString& source) { return source == QLatin1String("demo") ? session : nullptr; })
    {
        manager.setDirectAddressMap(directMap(5432, echo.serverPort()));
    }
    inventorytest::FakeAwsSessions aws;
    bl::AwsSession* session;
    EchoServer echo;
    bl::TunnelManager manager;
};

} // namespace tunneltest
