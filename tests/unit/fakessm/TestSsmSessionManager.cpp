// fakeaws's Session Manager end to end over TLS on 127.0.0.1: StartSession validation and answers, the
// data-channel admission (token, signed upgrade), the handshake and the port-forwarding mode the agent
// picks, and relaying in basic, stdio and mux mode to local stand-in servers. The client is SsmTestClient,
// which speaks the ClientMessage layout with its own encoder.

#include "SsmTestFixture.h"
#include "tests/unit/fakeeice/EiceTestKit.h"

#include "core/aws/base/SigV4.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace ssmtest;
using eicetest::TargetServer;

namespace {

QJsonObject params(std::initializer_list<QPair<QString, QString>> items)
{
    QJsonObject o;
    for (const auto& [k, v] : items)
        o.insert(k, QJsonArray {v});
    return o;
}

} // namespace

class TestSsmSessionManager : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SsmTestFixture> m_f;
    std::unique_ptr<TargetServer> m_echo;

private Q_SLOTS:
    void init()
    {
        m_f = std::make_unique<SsmTestFixture>();
        m_f->ssm().settings().pacing = false;
        m_echo = std::make_unique<TargetServer>(TargetServer::Mode::Echo);
        QVERIFY(m_f->ssm().setTarget(m_f->instanceId(), 3389, QHostAddress::LocalHost, m_echo->port()));
    }

    void cleanup()
    {
        m_f.reset();
        m_echo.reset();
    }

    void startSessionRefusals_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("mentions");
        const QByteArray t = "\"Target\":\"%1\"";
        QTest::newRow("shell document") << QByteArray("{" + t + ",\"DocumentName\":\"SSM-SessionManagerRunShell\"}")
                                        << "InvalidDocument"
                                        << "SSM-SessionManagerRunShell";
        QTest::newRow("parameters not a map")
            << QByteArray("{" + t + ",\"DocumentName\":\"AWS-StartPortForwardingSession\",\"Parameters\":[\"22\"]}")
            << "ValidationException"
            << "map";
        QTest::newRow("value not a list") << QByteArray(
            "{" + t + ",\"DocumentName\":\"AWS-StartPortForwardingSession\",\"Parameters\":{\"portNumber\":\"22\"}}")
                                          << "ValidationException"
                                          << "portNumber";
        QTest::newRow("number in list") << QByteArray(
            "{" + t + ",\"DocumentName\":\"AWS-StartPortForwardingSession\",\"Parameters\":{\"portNumber\":[22]}}")
                                        << "ValidationException"
                                        << "portNumber";
        QTest::newRow("bad port") << QByteArray(
            "{" + t + ",\"DocumentName\":\"AWS-StartSSHSession\",\"Parameters\":{\"portNumber\":[\"70000\"]}}")
                                  << "ValidationException"
                                  << "70000";
        QTest::newRow("remote host without host")
            << QByteArray("{" + t
                          + ",\"DocumentName\":\"AWS-StartPortForwardingSessionToRemoteHost\",\"Parameters\":"
                            "{\"portNumber\":[\"5432\"]}}")
            << "ValidationException"
            << "host";
        QTest::newRow("host on the wrong document")
            << QByteArray("{" + t
                          + ",\"DocumentName\":\"AWS-StartPortForwardingSession\",\"Parameters\":"
                            "{\"host\":[\"db\"]}}")
            << "ValidationException"
            << "host";
        QTest::newRow("no target") << QByteArray("{\"DocumentName\":\"AWS-StartSSHSession\"}") << "ValidationException"
                                   << "target";
        QTest::newRow("agent offline") << QByteArray(
            "{\"Target\":\"OFFLINE\",\"DocumentName\":\"AWS-StartSSHSession\"}")
                                       << "TargetNotConnected"
                                       << "OFFLINE";
        QTest::newRow("not managed") << QByteArray("{\"Target\":\"BARE\",\"DocumentName\":\"AWS-StartSSHSession\"}")
                                     << "TargetNotConnected"
                                     << "BARE";
    }

    void startSessionRefusals()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, type);
        QFETCH(QString, mentions);
        body.replace("%1", m_f->instanceId().toUtf8());
        body.replace("OFFLINE", m_f->offlineInstanceId().toUtf8());
        body.replace("BARE", m_f->unmanagedInstanceId().toUtf8());
        mentions.replace(QLatin1String("OFFLINE"), m_f->offlineInstanceId());
        mentions.replace(QLatin1String("BARE"), m_f->unmanagedInstanceId());
        const SessionInfo r = m_f->call("StartSession", QJsonDocument::fromJson(body).object());
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorType(), type);
        const QString message =
            r.body.value(QStringLiteral("message")).toString() + r.body.value(QStringLiteral("Message")).toString();
        QVERIFY2(message.contains(mentions, Qt::CaseInsensitive), qPrintable(message));
        QCOMPARE(m_f->ssm().counters().sessionsStarted, 0);
    }

    void startSessionAnswer()
    {
        const SessionInfo r = m_f->startPort(3389);
        QCOMPARE(r.status, 200);
        QVERIFY2(QRegularExpression(QStringLiteral("^[A-Za-z0-9_.-]+-[0-9a-f]{17}$")).match(r.sessionId()).hasMatch(),
                 qPrintable(r.sessionId()));
        QVERIFY(r.token().size() > 20);
        QCOMPARE(r.streamUrl(),
                 QStringLiteral("wss://127.0.0.1:%1/v1/data-channel/%2?role=publish_subscribe")
                     .arg(m_f->aws().port())
                     .arg(r.sessionId()));
        const auto record = m_f->ssm().session(r.sessionId());
        QVERIFY(record);
        QCOMPARE(record->startedBy, m_f->aws().defaultIdentity().arn);
        QCOMPARE(record->parameters.value(QStringLiteral("portNumber")), QStringList {QStringLiteral("3389")});
        QVERIFY(!record->terminated);
    }

    void handshake_data()
    {
        QTest::addColumn<QString>("document");
        QTest::addColumn<QJsonObject>("parameters");
        QTest::addColumn<QString>("agentVersion");
        QTest::addColumn<QString>("clientVersion");
        QTest::addColumn<QByteArray>("properties");
        QTest::addColumn<QString>("mode");
        const QString pf = QStringLiteral("AWS-StartPortForwardingSession");
        const QJsonObject p = params({{QStringLiteral("portNumber"), QStringLiteral("3389")},
                                      {QStringLiteral("localPortNumber"), QStringLiteral("55678")}});
        const QByteArray props =
            "{\"localPortNumber\":\"55678\",\"portNumber\":\"3389\",\"type\":\"LocalPortForwarding\"}";
        QTest::newRow("mux") << pf << p << QString() << "1.2.650.0" << props << "mux";
        QTest::newRow("old client: basic") << pf << p << QString() << "1.1.69.0" << props << "basic";
        QTest::newRow("old agent: basic") << pf << p << "3.0.161.0"
                                          << "1.2.650.0" << props << "basic";
        QTest::newRow("ssh: stdio, no type")
            << "AWS-StartSSHSession" << params({{QStringLiteral("portNumber"), QStringLiteral("3389")}}) << QString()
            << "1.2.650.0" << QByteArray("{\"portNumber\":\"3389\"}") << "stdio";
    }

    void handshake()
    {
        QFETCH(QString, document);
        QFETCH(QJsonObject, parameters);
        QFETCH(QString, agentVersion);
        QFETCH(QString, clientVersion);
        QFETCH(QByteArray, properties);
        QFETCH(QString, mode);
        m_f->ssm().settings().agentVersion = agentVersion;
        const SessionInfo s = m_f->start(document, parameters);
        QCOMPARE(s.status, 200);
        QSignalSpy completed(&m_f->ssm(), &fakeaws::SsmSessionManager::handshakeCompleted);
        auto client = m_f->connect(s, clientVersion);
        QVERIFY(client);

        const QList<Message> d = client->delivered();
        QVERIFY(d.size() >= 2);
        QCOMPARE(d.at(0).seq, 0);
        QCOMPARE(d.at(0).flags, quint64(1));
        QCOMPARE(d.at(0).payloadType, 5u);
        QCOMPARE(d.at(1).seq, 1);
        QCOMPARE(d.at(1).payloadType, 7u);
        const QJsonObject request = client->handshakeRequest();
        QCOMPARE(request.value(QStringLiteral("AgentVersion")).toString(),
                 agentVersion.isEmpty() ? QStringLiteral("3.3.40.0") : agentVersion);
        const QJsonObject action = request.value(QStringLiteral("RequestedClientActions")).toArray().at(0).toObject();
        QCOMPARE(action.value(QStringLiteral("ActionType")).toString(), QStringLiteral("SessionType"));
        const QJsonObject ap = action.value(QStringLiteral("ActionParameters")).toObject();
        QCOMPARE(ap.value(QStringLiteral("SessionType")).toString(), QStringLiteral("Port"));
        QCOMPARE(QJsonDocument(ap.value(QStringLiteral("Properties")).toObject()).toJson(QJsonDocument::Compact),
                 properties);
        // Sorted keys on the wire, as the agent marshals its map.
        QVERIFY(d.at(0).payload.contains(properties));

        QTRY_COMPARE_WITH_TIMEOUT(client->unacked(), 0, 5000); // the HandshakeResponse was acked
        QTRY_COMPARE(completed.size(), 1);
        QCOMPARE(completed.at(0).at(1).toString(), mode);
        const auto record = m_f->ssm().session(s.sessionId());
        QCOMPARE(record->clientVersion, clientVersion);
        QCOMPARE(record->mode, mode);
        QVERIFY(record->handshakeComplete);
        QCOMPARE(record->channelsOpened, 1);
        QVERIFY(!record->anyUpgradeSigned);
    }

    void failedActionEndsSession()
    {
        const SessionInfo s = m_f->startPort(3389);
        SsmTestClient client;
        QVERIFY(client.open(s.streamUrl(), m_f->aws().caCertificate(), s.token()));
        QTRY_VERIFY(!client.handshakeRequest().isEmpty());
        client.sendInput(6,
                         QByteArrayLiteral("{\"ClientVersion\":\"1.2.650.0\",\"ProcessedClientActions\":[{"
                                           "\"ActionType\":\"SessionType\",\"ActionStatus\":3,\"Error\":\"nope\"}]}"));
        QTRY_VERIFY(client.channelClosed().has_value());
        QVERIFY(client.channelClosed()->value(QStringLiteral("Output")).toString().contains(QLatin1String("nope")));
        QTRY_VERIFY(!client.isConnected());
        QVERIFY(m_f->ssm().session(s.sessionId())->terminated);
    }

    void wrongTokenIsRefused()
    {
        const SessionInfo s = m_f->startPort(3389);
        SsmTestClient client;
        QVERIFY(client.open(s.streamUrl(), m_f->aws().caCertificate(), QStringLiteral("not-the-token")));
        QTRY_VERIFY(!client.isConnected());
        QCOMPARE(int(client.socket().closeCode()), 1008);
        QVERIFY(client.socket().closeReason().contains(QLatin1String("TokenValue")));
        QVERIFY(client.delivered().isEmpty());
        QCOMPARE(m_f->ssm().session(s.sessionId())->channelsRefused, 1);
    }

    void signedUpgrade_data()
    {
        QTest::addColumn<QByteArray>("service");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("ssmmessages") << QByteArray("ssmmessages") << true;
        QTest::newRow("wrong service") << QByteArray("ssm") << false;
    }

    void signedUpgrade()
    {
        QFETCH(QByteArray, service);
        QFETCH(bool, accepted);
        const SessionInfo s = m_f->startPort(3389);
        const QByteArray path = QUrl(s.streamUrl()).toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
        FakeAwsTestClient signer(m_f->aws().port(), m_f->aws().caCertificate());
        const fakeaws::Headers headers =
            signer.signedHeaders("GET", path, {}, {}, m_f->aws().defaultCredentials(), service);
        QList<QPair<QByteArray, QByteArray>> extra;
        for (const auto& h : headers) {
            if (h.first.compare("Host", Qt::CaseInsensitive) != 0)
                extra.append(h);
        }
        SsmTestClient client;
        const bool opened = client.open(s.streamUrl(), m_f->aws().caCertificate(), s.token(), extra, 5000);
        QCOMPARE(opened, accepted);
        if (accepted) {
            QVERIFY(client.handshake());
            QVERIFY(m_f->ssm().session(s.sessionId())->anyUpgradeSigned);
            QVERIFY(m_f->ssm().session(s.sessionId())->lastUpgradeSigned);
        } else {
            QCOMPARE(m_f->ssm().counters().channelsRefused, 1);
        }
    }

    void basicRelayAndDisconnectToPort()
    {
        m_f->ssm().settings().agentVersion = QStringLiteral("3.0.161.0");
        const SessionInfo s = m_f->startPort(3389);
        auto client = m_f->connect(s);
        QVERIFY(client);
        QCOMPARE(m_f->ssm().session(s.sessionId())->mode, QStringLiteral("basic"));
        QTRY_COMPARE(m_echo->connections(), 1); // dialled before any data
        client->sendOutput(QByteArrayLiteral("first"));
        QTRY_COMPARE(client->output(), QByteArray("first"));
        client->sendInput(10, flag(1)); // DisconnectToPort
        QTRY_COMPARE(m_echo->disconnections(), 1);
        client->sendOutput(QByteArrayLiteral("second"));
        QTRY_COMPARE(client->output(), QByteArray("firstsecond"));
        QCOMPARE(m_echo->connections(), 2);
        QTRY_COMPARE(client->unacked(), 0);
        QCOMPARE(m_f->ssm().counters().bytesToTarget, 11);
        QCOMPARE(m_f->ssm().counters().bytesFromTarget, 11);
    }

    void terminateFlagEndsSession()
    {
        m_f->ssm().settings().agentVersion = QStringLiteral("3.0.161.0");
        const SessionInfo s = m_f->startPort(3389);
        auto client = m_f->connect(s);
        QVERIFY(client);
        client->sendInput(10, flag(2));
        QTRY_VERIFY(client->channelClosed().has_value());
        QCOMPARE(client->channelClosed()->value(QStringLiteral("SessionId")).toString(), s.sessionId());
        QTRY_VERIFY(!client->isConnected());
        const auto record = m_f->ssm().session(s.sessionId());
        QVERIFY(record->terminated);
        QCOMPARE(record->terminatedBy, QStringLiteral("TerminateSession flag"));
        QTRY_COMPARE(m_echo->disconnections(), 1);
    }

    void sshSessionEndsWhenTargetCloses()
    {
        TargetServer greeter(TargetServer::Mode::GreetAndClose);
        m_f->ssm().setTarget(m_f->instanceId(), 22, QHostAddress::LocalHost, greeter.port());
        const SessionInfo s = m_f->start(QStringLiteral("AWS-StartSSHSession"), {});
        auto client = m_f->connect(s);
        QVERIFY(client);
        QTRY_COMPARE(client->output(), TargetServer::greeting());
        QTRY_VERIFY(client->channelClosed().has_value());
        QTRY_VERIFY(!client->isConnected());
        QCOMPARE(m_f->ssm().session(s.sessionId())->terminatedBy, QStringLiteral("target closed"));
    }

    void muxThreeStreams()
    {
        const SessionInfo s = m_f->startPort(3389);
        auto client = m_f->connect(s);
        QVERIFY(client);
        QCOMPARE(m_f->ssm().session(s.sessionId())->mode, QStringLiteral("mux"));
        const QList<quint32> ids = {3, 5, 7};
        QByteArray out;
        for (quint32 id : ids)
            out += smuxFrame(0, id) + smuxFrame(2, id, QByteArray("stream-") + QByteArray::number(id));
        // Split across messages in odd places, the way a byte stream may be.
        for (qsizetype pos = 0; pos < out.size(); pos += 11)
            client->sendOutput(out.mid(pos, 11));
        QHash<quint32, QByteArray> received;
        QByteArray buffer;
        qsizetype used = 0;
        auto collect = [&] {
            buffer += client->output().mid(used);
            used = client->output().size();
            for (const SmuxFrame& f : smuxParse(buffer)) {
                if (f.cmd == 2)
                    received[f.streamId] += f.data;
            }
            return received.size() == 3 && std::all_of(ids.begin(), ids.end(), [&](quint32 id) {
                       return received.value(id) == QByteArray("stream-") + QByteArray::number(id);
                   });
        };
        QTRY_VERIFY(collect());
        QCOMPARE(m_echo->connections(), 3);
        // FIN from the client closes that stream's destination; the agent FINs back.
        client->sendOutput(smuxFrame(1, 5));
        QTRY_COMPARE(m_echo->disconnections(), 1);
        bool finBack = false;
        QTRY_VERIFY([&] {
            buffer += client->output().mid(used);
            used = client->output().size();
            for (const SmuxFrame& f : smuxParse(buffer))
                finBack = finBack || (f.cmd == 1 && f.streamId == 5);
            return finBack;
        }());
        client->sendOutput(smuxFrame(2, 3, "more"));
        QTRY_COMPARE(received.value(3), QByteArray("stream-3"));
        QTRY_VERIFY([&] {
            collect();
            return received.value(3) == QByteArray("stream-3more");
        }());
    }

    void connectToPortError_data()
    {
        QTest::addColumn<bool>("refused");
        QTest::newRow("no target for the port") << false;
        QTest::newRow("target refuses") << true;
    }

    void connectToPortError()
    {
        QFETCH(bool, refused);
        if (refused) {
            QTcpServer closed;
            QVERIFY(closed.listen(QHostAddress::LocalHost));
            const quint16 port = closed.serverPort();
            closed.close();
            m_f->ssm().setTarget(m_f->instanceId(), 2222, QHostAddress::LocalHost, port);
        }
        const SessionInfo s = m_f->startPort(2222);
        auto client = m_f->connect(s);
        QVERIFY(client);
        client->sendOutput(smuxFrame(0, 3));
        QTRY_COMPARE(client->flagsReceived(), QList<quint32> {3});
        QByteArray buffer;
        QTRY_VERIFY([&] {
            buffer = client->output();
            const QList<SmuxFrame> frames = smuxParse(buffer);
            return !frames.isEmpty() && frames.first().cmd == 1 && frames.first().streamId == 3;
        }());
        // The flag comes before the stream's FIN.
        qint64 flagSeq = -1, finSeq = -1;
        for (const Message& m : client->delivered()) {
            if (m.payloadType == 10 && flagSeq < 0)
                flagSeq = m.seq;
            if (m.payloadType == 1 && finSeq < 0)
                finSeq = m.seq;
        }
        QVERIFY(flagSeq >= 0 && flagSeq < finSeq);
        QVERIFY(!m_f->ssm().session(s.sessionId())->terminated);
    }

    void remoteHostTargetsAndForbiddenAddresses_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("reachable");
        QTest::newRow("configured name") << "db.internal" << true;
        QTest::newRow("IMDS") << "169.254.169.254" << false;
        QTest::newRow("Amazon DNS") << "169.254.169.253" << false;
        QTest::newRow("VPC resolver (+2)") << "10.20.0.2" << false;
        QTest::newRow("VPC broadcast") << "10.20.255.255" << false;
    }

    void remoteHostTargetsAndForbiddenAddresses()
    {
        QFETCH(QString, host);
        QFETCH(bool, reachable);
        m_f->ssm().setRemoteHostTarget(QStringLiteral("db.internal"), 5432, QHostAddress::LocalHost, m_echo->port());
        m_f->ssm().setRemoteHostTarget(host, 5432, QHostAddress::LocalHost, m_echo->port());
        const SessionInfo s = m_f->start(
            QStringLiteral("AWS-StartPortForwardingSessionToRemoteHost"),
            params({{QStringLiteral("host"), host}, {QStringLiteral("portNumber"), QStringLiteral("5432")}}));
        QCOMPARE(s.status, 200);
        auto client = m_f->connect(s);
        QVERIFY(client);
        QVERIFY(client->handshakeRequest()
                    .value(QStringLiteral("RequestedClientActions"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("ActionParameters"))
                    .toObject()
                    .value(QStringLiteral("Properties"))
                    .toObject()
                    .value(QStringLiteral("host"))
                == host);
        client->sendOutput(smuxFrame(0, 3) + smuxFrame(2, 3, "q"));
        if (reachable) {
            QTRY_VERIFY(client->output().contains("q"));
            QVERIFY(client->flagsReceived().isEmpty());
        } else {
            QTRY_COMPARE(client->flagsReceived(), QList<quint32> {3});
            QCOMPARE(m_echo->connections(), 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestSsmSessionManager)
#include "TestSsmSessionManager.moc"
