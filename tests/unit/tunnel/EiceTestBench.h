#pragma once
// The fixture of the EICE tunnel tests: a throwaway CA, a FakeEiceServer with TCP targets behind it (port 22: an
// echo server), an AwsHttpClient that trusts the CA (as AWS_CA_BUNDLE would), static credentials with a session
// token full of characters that need encoding, and helpers to build transports and talk through a listener.

#include "FakeEiceServer.h"
#include "TcpTarget.h"
#include "TestSockets.h"
#include "tests/common/TestPki.h"

#include "core/aws/credentials/StaticProvider.h"
#include "core/aws/http/AwsHttpClient.h"
#include "core/tunnel/ConnectionSlotRegistry.h"
#include "core/tunnel/EiceTransport.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

class EiceTestBench : public TestSockets
{
public:
    static constexpr const char* AccessKey = "AKIDTUNNELTEST";
    static constexpr const char* Secret = "tunnel-test-secret";
    static constexpr const char* Token = "IQoJb3JpZ2luX2VjE/+token=with/odd+chars==";

    EiceTestBench()
        : pki(dir.path())
        , server(pki.serverConfiguration())
        , echo(TcpTarget::Mode::Echo)
    {
        if (!pki.ok() || !server.listen() || !echo.listen())
            return;
        server.setCredentials(AccessKey, Secret, Token);
        server.setTarget(22, echo.port());
        bl::HttpSettings settings;
        settings.caBundlePath = pki.caBundlePath();
        http = std::make_unique<bl::AwsHttpClient>(settings, clock, skew);
        bl::Credentials c;
        c.accessKeyId = QString::fromLatin1(AccessKey);
        c.secretAccessKey = QString::fromLatin1(Secret);
        c.sessionToken = QString::fromLatin1(Token);
        c.accountId = QStringLiteral("123456789012");
        credentials = std::make_unique<bl::StaticProvider>(c, QStringLiteral("test"));
        m_ok = true;
    }

    bool ok() const { return m_ok; }

    bl::EiceTarget target(quint16 remotePort = 22) const
    {
        bl::EiceTarget t;
        t.instanceId = QStringLiteral("i-0123456789abcdef0");
        t.endpointId = QStringLiteral("eice-0test");
        t.dnsName = QStringLiteral("127.0.0.1:%1").arg(server.port());
        t.region = QStringLiteral("us-east-1");
        t.address = QStringLiteral("10.0.1.23");
        t.remotePort = remotePort;
        return t;
    }

    std::unique_ptr<bl::EiceTransport> transport(const bl::EiceTarget& t)
    {
        return std::make_unique<bl::EiceTransport>(t, *http, *credentials, registry.slotsFor(t.endpointId));
    }

    QTemporaryDir dir;
    TestPki pki;
    FakeEiceServer server;
    TcpTarget echo;
    bl::SystemClock clock;
    bl::ClockSkew skew;
    std::unique_ptr<bl::AwsHttpClient> http;
    std::unique_ptr<bl::StaticProvider> credentials;
    bl::ConnectionSlotRegistry registry;

private:
    bool m_ok = false;
};
