// The tunnel library against the fakeaws emulator's own EICE endpoint (an independent implementation of the
// service side): the endpoint found through DescribeInstanceConnectEndpoints, presigned URLs it accepts, the FIPS
// name, its InvalidParameter refusal, a mid-stream close, its clock, and 21 connections against its quota.

#include "TcpTarget.h"
#include "TestSockets.h"

#include "tests/fakeaws/FakeAws.h"
#include "tests/fakeaws/FleetBuilder.h"

#include "core/aws/api/Ec2Client.h"
#include "core/aws/credentials/StaticProvider.h"
#include "core/tunnel/ConnectionSlotRegistry.h"
#include "core/tunnel/EiceEndpointFinder.h"
#include "core/tunnel/EiceTransport.h"
#include "core/tunnel/TunnelListener.h"

#include <QTest>

#include <memory>
#include <vector>

using namespace bl;

class TestEiceFakeAwsInterop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        fakeaws::Fleet fleet;
        fakeaws::FleetBuilder b(fleet, QStringLiteral("interop"));
        const QString r = QStringLiteral("us-east-1");
        b.region(r);
        const auto net =
            b.standardVpc(r, QStringLiteral("app"), 3, QStringLiteral("us-east-1a"), QStringLiteral("us-east-1a"));
        b.endpoint(net.privateSubnet, {net.eiceGroup}, false, true);
        fakeaws::Instance i = b.instance(QStringLiteral("box"), net.privateSubnet,
                                         fakeaws::FleetBuilder::Os::AmazonLinux2023, QStringLiteral("t3.micro"));
        m_instanceId = i.id;
        b.add(i);
        QString error;
        QVERIFY2(fleet.finish(&error), qPrintable(error));

        QVERIFY(m_echo.listen());
        fakeaws::FakeAwsOptions options;
        options.fleet = fleet;
        m_fake = std::make_unique<fakeaws::FakeAws>(options);
        const auto started = m_fake->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().toString()));
        QVERIFY(m_fake->setTunnelTarget(m_instanceId, 22, QHostAddress::LocalHost, m_echo.port()));
        const QProcessEnvironment env = m_fake->clientEnvironment();
        auto config = AwsConfig::load(env);
        QVERIFY(config.ok());
        m_http = std::make_unique<AwsHttpClient>(HttpSettings::fromEnvironment(env), m_clock, m_skew);
        m_session = std::make_unique<AwsSession>(
            config.value(), QStringLiteral("default"), QStringLiteral("us-east-1"), env, *m_http,
            std::make_unique<StaticProvider>(m_fake->defaultCredentials(), QStringLiteral("fakeaws")));
        m_ec2 = std::make_unique<Ec2Client>(*m_session);

        auto listed = std::make_shared<std::optional<Result<QList<Instance>>>>();
        m_ec2->describeInstances({}, {}, {m_instanceId}, this,
                                 [listed](Result<QList<Instance>> answer) { listed->emplace(std::move(answer)); });
        QTRY_VERIFY_WITH_TIMEOUT(listed->has_value(), 20000);
        QVERIFY(listed->value().ok() && listed->value().value().size() == 1);
        m_instance = listed->value().value().first();
    }

    void init()
    {
        m_fake->eice().clearFaults();
        m_fake->eice().resetCounters();
        m_fake->faults().setClockOffsetSecs(0);
    }

    void roundTrip()
    {
        const EiceTarget t = target(22);
        auto transport = transportFor(t);
        TunnelListener listener(*transport);
        QVERIFY(listener.start(0).ok());
        auto client = TestSockets::connectTo(listener.port());
        QVERIFY(client);
        QVERIFY(TestSockets::echoes(*client, TcpTarget::pattern(0, 1024 * 1024)));
        QCOMPARE(m_fake->eice().counters().tunnelsOpened, qint64(1));
        QCOMPARE(m_fake->eice().counters().lastHost, t.dnsName);
        QCOMPARE(m_fake->eice().counters().bytesToInstance, qint64(1024 * 1024));
    }

    void fipsName()
    {
        EiceFindOptions fips;
        fips.fips = true;
        const EiceTarget t = target(22, fips);
        QVERIFY(!t.dnsName.isEmpty());
        auto transport = transportFor(t);
        TunnelListener listener(*transport);
        QVERIFY(listener.start(0).ok());
        auto client = TestSockets::connectTo(listener.port());
        QVERIFY(client && TestSockets::echoes(*client, "via the FIPS name"));
        QCOMPARE(m_fake->eice().counters().lastHost, t.dnsName);
    }

    void vncPortIsRefusedWithTheHint()
    {
        auto transport = transportFor(target(5900));
        TunnelListener listener(*transport);
        QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
        QVERIFY(listener.start(0).ok());
        auto client = TestSockets::connectTo(listener.port());
        QVERIFY(client && TestSockets::waitDisconnected(*client));
        QVERIFY(failed.size() == 1 || failed.wait(5000));
        const Error e = failed.first().at(1).value<Error>();
        QCOMPARE(e.awsCode, QStringLiteral("InvalidParameter"));
        QVERIFY(e.hint.contains(QLatin1String("use SSM for port 5900, or tunnel VNC through SSH")));
    }

    void midStreamCloseLeavesTheListenerUsable()
    {
        auto transport = transportFor(target(22));
        TunnelListener listener(*transport);
        QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
        QVERIFY(listener.start(0).ok());
        auto old = TestSockets::connectTo(listener.port());
        QVERIFY(old && TestSockets::echoes(*old, "before"));
        QCOMPARE(m_fake->eice().closeAllTunnels(1001, QStringLiteral("Tunnel expired")), 1);
        QVERIFY(TestSockets::waitDisconnected(*old));
        QVERIFY(failed.size() == 1 || failed.wait(5000));
        QVERIFY(failed.first().at(1).value<Error>().message.contains(QLatin1String("Tunnel expired")));
        auto fresh = TestSockets::connectTo(listener.port());
        QVERIFY(fresh && TestSockets::echoes(*fresh, "after"));
    }

    void serverClockAheadIsLearnt()
    {
        m_fake->faults().setClockOffsetSecs(600);
        auto transport = transportFor(target(22));
        TunnelListener listener(*transport);
        QVERIFY(listener.start(0).ok());
        auto client = TestSockets::connectTo(listener.port());
        QVERIFY(client && TestSockets::echoes(*client, "corrected"));
        QVERIFY2(qAbs(m_skew.offsetMs() - 600000) < 5000, qPrintable(QString::number(m_skew.offsetMs())));
        m_skew.setOffsetMs(0);
    }

    void twentyOneConnections()
    {
        auto transport = transportFor(target(22));
        TunnelListener listener(*transport);
        QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
        QVERIFY(listener.start(0).ok());
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        for (int i = 0; i < 21; ++i) {
            clients.push_back(TestSockets::connectTo(listener.port()));
            QVERIFY(clients.back());
            clients.back()->write("c" + QByteArray::number(i));
        }
        for (int i = 0; i < 20; ++i) {
            const QByteArray expected = "c" + QByteArray::number(i);
            QVERIFY(TestSockets::waitUntil(clients[i].get(), SIGNAL(readyRead()),
                                           [&] { return clients[i]->bytesAvailable() >= expected.size(); }));
            QCOMPARE(clients[i]->readAll(), expected);
        }
        QCOMPARE(m_fake->eice().activeTunnels(), 20);
        QCOMPARE(clients[20]->bytesAvailable(), qint64(0));
        clients[0]->disconnectFromHost();
        QVERIFY(TestSockets::waitUntil(clients[20].get(), SIGNAL(readyRead()),
                                       [&] { return clients[20]->bytesAvailable() == 3; }));
        QCOMPARE(clients[20]->readAll(), QByteArray("c20"));
        QCOMPARE(m_fake->eice().counters().peakConcurrent, 20);
        QCOMPARE(m_fake->eice().counters().tunnelsRefused, qint64(0)); // never a 429: we queued instead
        QCOMPARE(failed.size(), 0);
    }

private:
    EiceTarget target(quint16 port, const EiceFindOptions& options = {})
    {
        auto out = std::make_shared<std::optional<Result<EiceTarget>>>();
        EiceEndpointFinder(*m_ec2).find(m_instance, options, this,
                                        [out](Result<EiceTarget> r) { out->emplace(std::move(r)); });
        if (!QTest::qWaitFor([&] { return out->has_value(); }, 20000) || !out->value().ok()) {
            qWarning("no endpoint found");
            return {};
        }
        EiceTarget t = out->value().value();
        t.remotePort = port;
        return t;
    }

    std::unique_ptr<EiceTransport> transportFor(const EiceTarget& t)
    {
        return std::make_unique<EiceTransport>(t, m_session->http(), m_session->credentials(),
                                               m_registry.slotsFor(t.endpointId));
    }

    TcpTarget m_echo;
    QString m_instanceId;
    Instance m_instance;
    SystemClock m_clock;
    ClockSkew m_skew;
    ConnectionSlotRegistry m_registry;
    std::unique_ptr<fakeaws::FakeAws> m_fake;
    std::unique_ptr<AwsHttpClient> m_http;
    std::unique_ptr<AwsSession> m_session;
    std::unique_ptr<Ec2Client> m_ec2;
};

QTEST_GUILESS_MAIN(TestEiceFakeAwsInterop)
#include "TestEiceFakeAwsInterop.moc"
