// The emulated agent's reliability layer and faults, end to end: data before HandshakeComplete, duplicates
// re-acked, retransmission while the client withholds acks, ResumeSession with token rotation and a
// reconnect that continues the sequence numbers, TerminateSession, seeded drop patterns, the kill-after
// fault, odd message shapes, and the 1024-byte pacing of the agent's output.

#include "SsmTestFixture.h"
#include "tests/unit/fakeeice/EiceTestKit.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTest>

using namespace ssmtest;
using eicetest::TargetServer;

namespace {

QByteArray pattern(int size)
{
    QByteArray out(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        out[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
    return out;
}

} // namespace

class TestSsmAgentSession : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SsmTestFixture> m_f;
    std::unique_ptr<TargetServer> m_echo;

    // Basic mode keeps the stream bytes plain (no smux framing) for these tests.
    SessionInfo startBasic(int port = 3389)
    {
        m_f->ssm().settings().agentVersion = QStringLiteral("3.0.161.0");
        return m_f->startPort(port);
    }

    // A session whose target sends `payload` at once; returns the client after the handshake.
    std::unique_ptr<SsmTestClient> download(TargetServer& source, SessionInfo* session)
    {
        m_f->ssm().setTarget(m_f->instanceId(), 8080, QHostAddress::LocalHost, source.port());
        *session = startBasic(8080);
        return m_f->connect(*session);
    }

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

    void earlyDataIsAckedAndDiscarded()
    {
        const SessionInfo s = startBasic();
        SsmTestClient client;
        QVERIFY(client.open(s.streamUrl(), m_f->aws().caCertificate(), s.token()));
        QTRY_VERIFY(!client.handshakeRequest().isEmpty());
        client.sendOutput(QByteArrayLiteral("early")); // seq 0, before the HandshakeResponse
        QTRY_COMPARE(client.unacked(), 0);
        QVERIFY(client.handshake());
        client.sendOutput(QByteArrayLiteral("late"));
        QTRY_COMPARE(client.output(), QByteArray("late"));
        QTest::qWait(100);
        QCOMPARE(client.output(), QByteArray("late"));
        QCOMPARE(m_f->ssm().counters().earlyDiscarded, 1);
        QCOMPARE(m_echo->receivedCount(), 4);
    }

    void duplicatesAreReacked()
    {
        const SessionInfo s = startBasic();
        auto client = m_f->connect(s);
        QVERIFY(client);
        client->retransmit = false;
        const qint64 seq = client->nextSeq();
        const QByteArray message = encode(QStringLiteral("input_stream_data"), seq, 0, 1, "once");
        client->setSequenceState(seq + 1, client->expected());
        client->sendRaw(message);
        QTRY_COMPARE(client->output(), QByteArray("once"));
        const int acks = client->acksReceived();
        client->sendRaw(message); // as if our first ack had been lost
        QTRY_COMPARE(client->acksReceived(), acks + 1);
        QCOMPARE(m_f->ssm().counters().duplicatesFromClient, 1);
        QTest::qWait(100);
        QCOMPARE(m_echo->receivedCount(), 4); // delivered once
    }

    void retransmitsWhileClientWithholdsAcks()
    {
        const SessionInfo s = startBasic();
        auto client = m_f->connect(s);
        QVERIFY(client);
        client->ackOutputs = false;
        client->sendOutput(QByteArrayLiteral("abc"));
        QTRY_VERIFY_WITH_TIMEOUT(client->duplicatesReceived() >= 2, 5000);
        QVERIFY(m_f->ssm().counters().retransmissions >= 2);
        QCOMPARE(client->output(), QByteArray("abc")); // duplicates are not delivered twice
        client->ackOutputs = true; // the next retransmission gets re-acked and the agent stops
        QTRY_VERIFY_WITH_TIMEOUT(client->duplicatesReceived() >= 3, 5000);
        QTest::qWait(1500);
        const qint64 settled = m_f->ssm().counters().retransmissions;
        QTest::qWait(1200);
        QCOMPARE(m_f->ssm().counters().retransmissions, settled);
    }

    void resumeRotatesTokenAndContinuesSequences()
    {
        const SessionInfo s = startBasic();
        auto first = m_f->connect(s);
        QVERIFY(first);
        first->sendOutput(QByteArrayLiteral("one"));
        QTRY_COMPARE(first->output(), QByteArray("one"));
        QTRY_COMPARE(first->unacked(), 0);
        const qint64 agentNext = first->expected();
        QCOMPARE(m_f->ssm().dropDataChannels(), 1);
        QTRY_VERIFY(!first->isConnected());

        const SessionInfo resumed = m_f->call("ResumeSession", {{QStringLiteral("SessionId"), s.sessionId()}});
        QCOMPARE(resumed.status, 200);
        QCOMPARE(resumed.sessionId(), s.sessionId());
        QCOMPARE(resumed.streamUrl(), s.streamUrl());
        QVERIFY(!resumed.token().isEmpty());
        QVERIFY(resumed.token() != s.token());

        SsmTestClient stale;
        QVERIFY(stale.open(s.streamUrl(), m_f->aws().caCertificate(), s.token()));
        QTRY_VERIFY(!stale.isConnected());
        QCOMPARE(int(stale.socket().closeCode()), 1008);

        SsmTestClient second;
        second.setSequenceState(first->nextSeq(), first->expected());
        QVERIFY(second.open(s.streamUrl(), m_f->aws().caCertificate(), resumed.token()));
        second.sendOutput(QByteArrayLiteral("two"));
        QTRY_COMPARE(second.output(), QByteArray("two"));
        QCOMPARE(second.delivered().first().seq, agentNext); // no new handshake: the counters carried on
        QVERIFY(second.handshakeRequest().isEmpty());
        const auto record = m_f->ssm().session(s.sessionId());
        QCOMPARE(record->resumeCount, 1);
        QCOMPARE(record->channelsOpened, 2);
        QCOMPARE(record->channelsRefused, 1);
        QCOMPARE(m_echo->connections(), 1); // the destination connection survived the reconnect
    }

    void terminateIsIdempotentAndEndsResumes()
    {
        const SessionInfo s = startBasic();
        auto client = m_f->connect(s);
        QVERIFY(client);
        for (int i = 0; i < 2; ++i) {
            const SessionInfo t = m_f->call("TerminateSession", {{QStringLiteral("SessionId"), s.sessionId()}});
            QCOMPARE(t.status, 200);
            QCOMPARE(t.sessionId(), s.sessionId());
        }
        QTRY_VERIFY(client->channelClosed().has_value());
        QTRY_VERIFY(!client->isConnected());
        const auto record = m_f->ssm().session(s.sessionId());
        QVERIFY(record->terminated);
        QCOMPARE(record->terminatedBy, m_f->aws().defaultIdentity().arn);
        const SessionInfo r = m_f->call("ResumeSession", {{QStringLiteral("SessionId"), s.sessionId()}});
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.value(QStringLiteral("TokenValue")).isNull());
        const SessionInfo unknown = m_f->call("ResumeSession", {{QStringLiteral("SessionId"), QStringLiteral("x-1")}});
        QCOMPARE(unknown.status, 400);
        QCOMPARE(unknown.errorType(), QStringLiteral("DoesNotExistException"));
        QCOMPARE(m_f->ssm().counters().terminations, 1);
    }

    void nullTokenFault()
    {
        m_f->ssm().settings().faults.nullTokenResumes = 1;
        const SessionInfo s = startBasic();
        const SessionInfo r = m_f->call("ResumeSession", {{QStringLiteral("SessionId"), s.sessionId()}});
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.value(QStringLiteral("TokenValue")).isNull());
        QVERIFY(m_f->ssm().session(s.sessionId())->terminated);
    }

    void sameSeedSameDropsAndDataIntact()
    {
        const QByteArray payload = pattern(64 * 1024);
        QList<QList<qint64>> patterns;
        for (quint64 seed : {7ull, 7ull, 8ull}) {
            TargetServer source(TargetServer::Mode::Source);
            source.setPayload(payload);
            m_f->ssm().resetCounters();
            m_f->ssm().settings().faults = {};
            m_f->ssm().settings().faults.drop = 0.2;
            m_f->ssm().settings().faults.seed = seed;
            SessionInfo s;
            auto client = download(source, &s);
            QVERIFY(client);
            QTRY_COMPARE_WITH_TIMEOUT(client->output().size(), payload.size(), 20000);
            QCOMPARE(client->output(), payload);
            QCOMPARE(m_f->ssm().counters().outputMessagesToClient, 64);
            patterns.append(m_f->ssm().counters().droppedSequences);
            QVERIFY(!patterns.last().isEmpty());
        }
        QCOMPARE(patterns.at(0), patterns.at(1));
        QVERIFY(patterns.at(0) != patterns.at(2));
    }

    void dropsEachWayReorderDuplicateDelay()
    {
        const QByteArray payload = pattern(48 * 1024);
        m_f->ssm().settings().faults = *fakeaws::SsmFaults::parse(
            QStringLiteral("drop=0.05,reorder=0.1,duplicate=0.1,delay=0.05,delay-ms=30,drop-in=0.2,withhold-acks=0.2,"
                           "seed=3"),
            nullptr);
        const SessionInfo s = startBasic();
        auto client = m_f->connect(s);
        QVERIFY(client);
        for (qsizetype pos = 0; pos < payload.size(); pos += 1024)
            client->sendOutput(payload.mid(pos, 1024));
        QTRY_COMPARE_WITH_TIMEOUT(client->output().size(), payload.size(), 30000);
        QCOMPARE(client->output(), payload);
        const fakeaws::SsmCounters& c = m_f->ssm().counters();
        QVERIFY(c.droppedFromClient > 0);
        QVERIFY(c.reorderedToClient > 0);
        QVERIFY(c.duplicatedToClient > 0);
        QVERIFY(c.acksWithheld > 0);
        QTRY_COMPARE(client->unacked(), 0); // withheld acks came with the client's retransmissions
        QCOMPARE(m_echo->receivedCount(), payload.size()); // nothing lost or doubled towards the target
    }

    void killAfterBytesThenResume()
    {
        const QByteArray payload = pattern(64 * 1024);
        TargetServer source(TargetServer::Mode::Source);
        source.setPayload(payload);
        m_f->ssm().settings().faults.killAfterBytes = 20000;
        SessionInfo s;
        auto client = download(source, &s);
        QVERIFY(client);
        QTRY_VERIFY(!client->isConnected());
        QVERIFY(!client->channelClosed().has_value()); // just gone: no channel_closed, no close frame
        QCOMPARE(m_f->ssm().counters().channelsKilled, 1);
        QVERIFY(client->output().size() < payload.size());
        const SessionInfo r = m_f->call("ResumeSession", {{QStringLiteral("SessionId"), s.sessionId()}});
        SsmTestClient again;
        again.setSequenceState(client->nextSeq(), client->expected());
        QVERIFY(again.open(s.streamUrl(), m_f->aws().caCertificate(), r.token()));
        QTRY_COMPARE_WITH_TIMEOUT(again.output().size() + client->output().size(), payload.size(), 10000);
        QCOMPARE(client->output() + again.output(), payload);
        QCOMPARE(m_f->ssm().counters().channelsKilled, 1); // once, not on every connection
    }

    void nulPaddedTypesAndMinimalNotices()
    {
        m_f->ssm().settings().faults.nulPaddedType = true;
        const SessionInfo s = startBasic();
        auto client = m_f->connect(s);
        QVERIFY(client);
        QVERIFY(m_f->ssm().sendPublicationNotices(s.sessionId()));
        QTRY_COMPARE(client->undecodable().size(), 2);
        QCOMPARE(client->undecodable().at(0).size(), 36);
        QVERIFY(client->undecodable().at(0).startsWith(QByteArray::fromHex("00000074") + "pause_publication"));
        QVERIFY(client->undecodable().at(1).contains("start_publication"));
        QVERIFY(m_f->ssm().sendChannelClosed(s.sessionId(), QStringLiteral("bye")));
        QTRY_VERIFY(client->channelClosed().has_value());
        QCOMPARE(client->channelClosed()->value(QStringLiteral("Output")).toString(), QStringLiteral("bye"));
    }

    void pacingSendsKilobyteMessages_data()
    {
        QTest::addColumn<bool>("pacing");
        QTest::newRow("paced") << true;
        QTest::newRow("unpaced") << false;
    }

    void pacingSendsKilobyteMessages()
    {
        QFETCH(bool, pacing);
        const QByteArray payload = pattern(200 * 1024);
        TargetServer source(TargetServer::Mode::Source);
        source.setPayload(payload);
        m_f->ssm().settings().pacing = pacing;
        SessionInfo s;
        QElapsedTimer timer;
        timer.start();
        auto client = download(source, &s);
        QVERIFY(client);
        QTRY_COMPARE_WITH_TIMEOUT(client->output().size(), payload.size(), 20000);
        const qint64 elapsed = timer.elapsed();
        QCOMPARE(client->output(), payload);
        QCOMPARE(m_f->ssm().counters().largestOutputPayload, 1024);
        QCOMPARE(m_f->ssm().counters().outputMessagesToClient, 200);
        if (pacing) // at least one timer interval between messages (half of it, for coarse timers)
            QVERIFY2(elapsed >= 100, qPrintable(QString::number(elapsed)));
    }

    void muxReceiveBufferStopsAcking()
    {
        TargetServer sink(TargetServer::Mode::Sink);
        QVERIFY(m_f->ssm().setTarget(m_f->instanceId(), 3389, QHostAddress::LocalHost, sink.port()));
        m_f->ssm().settings().muxReceiveBuffer = 64 * 1024; // 4 MiB by default; smaller keeps the test quick
        const SessionInfo s = m_f->startPort(3389);
        auto client = m_f->connect(s);
        QVERIFY(client);
        client->sendOutput(smuxFrame(0, 3));
        const QByteArray data = pattern(4 * 1024 * 1024);
        for (qsizetype pos = 0; pos < data.size(); pos += 16 * 1024)
            client->sendOutput(smuxFrame(2, 3, data.mid(pos, 16 * 1024)));
        QTRY_VERIFY_WITH_TIMEOUT(m_f->ssm().counters().notReady > 0, 15000);
        QVERIFY(client->unacked() > 0);
        sink.release();
        QTRY_COMPARE_WITH_TIMEOUT(sink.receivedCount(), data.size(), 60000);
        QCOMPARE(sink.receivedBytes(), data);
        QTRY_COMPARE(client->unacked(), 0);
    }

    void muxSplitFaultStillCarriesFrames()
    {
        m_f->ssm().settings().faults.splitSmux = true;
        const SessionInfo s = m_f->startPort(3389);
        auto client = m_f->connect(s);
        QVERIFY(client);
        const QByteArray data = pattern(5000);
        client->sendOutput(smuxFrame(0, 3) + smuxFrame(2, 3, data) + smuxFrame(0, 5) + smuxFrame(2, 5, "x"));
        QByteArray got3, got5;
        QTRY_VERIFY([&] {
            QByteArray buffer = client->output();
            got3.clear();
            got5.clear();
            for (const SmuxFrame& f : smuxParse(buffer)) {
                if (f.cmd == 2 && f.streamId == 3)
                    got3 += f.data;
                if (f.cmd == 2 && f.streamId == 5)
                    got5 += f.data;
            }
            return got3 == data && got5 == "x";
        }());
        QVERIFY(m_f->ssm().counters().outputMessagesToClient > 5); // cut into pieces smaller than 1024
    }
};

QTEST_GUILESS_MAIN(TestSsmAgentSession)
#include "TestSsmAgentSession.moc"
