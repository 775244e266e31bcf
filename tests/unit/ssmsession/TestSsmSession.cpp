// SsmSession against fakeaws's Session Manager emulator: the states a GUI shows (starting, handshaking, ready),
// the handshake's agent version and mode, the service's channel_closed ending the session with its text, end()
// sending the TerminateSession flag and calling the API, resuming after the WebSocket drops (same session, same
// counters), giving up when every resume fails, and a StartSession refusal.

#include "SsmTestBench.h"

#include "core/aws/api/SsmClient.h"
#include "core/ssm/SsmSession.h"

using namespace bl;

class TestSsmSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void statesToReady();
    void channelClosedEndsWithText();
    void endSendsFlagAndTerminates();
    void endWhileStarting();
    void resumesAfterDrop();
    void givesUpAfterFailedResumes();
    void startRefused();
    void clientCalls();

private:
    std::unique_ptr<SsmSession> session(const QString& instance, const QString& document, quint16 port = 22);

    SsmTestBench m_bench;
};

void TestSsmSession::initTestCase()
{
    QVERIFY(m_bench.setUp());
}

void TestSsmSession::init()
{
    m_bench.ssm().setFaults({});
    m_bench.ssm().resetCounters();
}

std::unique_ptr<SsmSession> TestSsmSession::session(const QString& instance, const QString& document, quint16 port)
{
    SsmSessionTarget target;
    target.instanceId = instance;
    target.documentName = document;
    target.parameters.insert(QStringLiteral("portNumber"), {QString::number(port)});
    target.reason = QStringLiteral("test");
    SsmSessionOptions options;
    options.reconnectInitialMinMs = 10;
    options.reconnectInitialMaxMs = 20;
    options.reconnectMaxDelayMs = 100;
    auto s = std::make_unique<SsmSession>(m_bench.session(), target, options);
    s->setRandomSource([] { return 0.5; });
    return s;
}

void TestSsmSession::statesToReady()
{
    auto s = session(m_bench.current, QStringLiteral("AWS-StartPortForwardingSession"));
    QSignalSpy states(s.get(), &SsmSession::stateChanged);
    QSignalSpy ready(s.get(), &SsmSession::ready);
    QSignalSpy progress(s.get(), &SsmSession::progress);
    s->start();
    QVERIFY(ready.wait(15000));
    QList<SsmSession::State> seen;
    for (const auto& args : states)
        seen.append(args.at(0).value<SsmSession::State>());
    const QList<SsmSession::State> expected {SsmSession::State::Starting, SsmSession::State::Handshaking,
                                             SsmSession::State::Ready};
    QCOMPARE(seen, expected);
    QVERIFY(progress.size() >= 3);
    QCOMPARE(s->handshake().agentVersion, QStringLiteral("3.3.40.0"));
    QCOMPARE(s->mode(), SsmForwardMode::Mux);
    QVERIFY(s->handshake().modes.terminateFlagSupported);
    const auto record = m_bench.ssm().session(s->sessionId());
    QVERIFY(record);
    QVERIFY(record->handshakeComplete);
    QCOMPARE(record->clientId, SsmPayloads::uuidText(s->channel().clientId()));
    QVERIFY(!record->clientVersion.isEmpty());
}

void TestSsmSession::channelClosedEndsWithText()
{
    auto s = session(m_bench.current, QStringLiteral("AWS-StartPortForwardingSession"));
    QSignalSpy ready(s.get(), &SsmSession::ready);
    QSignalSpy ended(s.get(), &SsmSession::ended);
    QSignalSpy failed(s.get(), &SsmSession::failed);
    s->start();
    QVERIFY(ready.wait(15000));
    QVERIFY(
        m_bench.ssm().sendChannelClosed(s->sessionId(), QStringLiteral("Your session timed out due to inactivity")));
    QVERIFY(ended.wait(10000));
    QCOMPARE(ended.at(0).at(0).toString(), QStringLiteral("Your session timed out due to inactivity"));
    QCOMPARE(s->state(), SsmSession::State::Ended);
    QCOMPARE(failed.size(), 0);
}

void TestSsmSession::endSendsFlagAndTerminates()
{
    auto s = session(m_bench.current, QStringLiteral("AWS-StartPortForwardingSession"));
    QSignalSpy ready(s.get(), &SsmSession::ready);
    QSignalSpy ended(s.get(), &SsmSession::ended);
    s->start();
    QVERIFY(ready.wait(15000));
    const QString id = s->sessionId();
    s->end();
    QCOMPARE(s->state(), SsmSession::State::Ending);
    QVERIFY(ended.wait(5000));
    QVERIFY(s->terminateApiCalled());
    QTRY_VERIFY_WITH_TIMEOUT(m_bench.ssm().session(id)->terminated, 5000);
    QCOMPARE(m_bench.ssm().session(id)->terminatedBy, QStringLiteral("TerminateSession flag")); // the flag came first
    QTRY_VERIFY_WITH_TIMEOUT(m_bench.ssm().counters().terminations >= 1, 5000);
    s->end(); // again: nothing more
    QCOMPARE(ended.size(), 1);
}

void TestSsmSession::endWhileStarting()
{
    auto s = session(m_bench.current, QStringLiteral("AWS-StartPortForwardingSession"));
    QSignalSpy ended(s.get(), &SsmSession::ended);
    s->start();
    s->end(); // before StartSession answered
    QVERIFY(ended.wait(10000));
    QVERIFY(!s->sessionId().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_bench.ssm().session(s->sessionId())->terminated, 5000);
    QCOMPARE(m_bench.ssm().session(s->sessionId())->channelsOpened, 0);
}

void TestSsmSession::resumesAfterDrop()
{
    auto s = session(m_bench.current, QStringLiteral("AWS-StartPortForwardingSession"));
    QSignalSpy ready(s.get(), &SsmSession::ready);
    QSignalSpy reconnected(s.get(), &SsmSession::reconnected);
    QSignalSpy states(s.get(), &SsmSession::stateChanged);
    s->start();
    QVERIFY(ready.wait(15000));
    const qint64 seqBefore = s->channel().nextSendSequence();
    const QUuid client = s->channel().clientId();
    QCOMPARE(m_bench.ssm().dropDataChannels(), 1);
    QVERIFY(reconnected.wait(10000));
    QCOMPARE(s->state(), SsmSession::State::Ready);
    QVERIFY(states.contains(QVariantList {QVariant::fromValue(SsmSession::State::Reconnecting)}));
    QCOMPARE(s->reconnects(), 1);
    QCOMPARE(s->channel().clientId(), client); // same channel: same ClientId and counters
    QVERIFY(s->channel().nextSendSequence() >= seqBefore);
    // The emulator counts a channel once it checked the OpenDataChannel frame, just after our upgrade.
    QTRY_COMPARE_WITH_TIMEOUT(m_bench.ssm().session(s->sessionId())->channelsOpened, 2, 5000);
    const auto record = m_bench.ssm().session(s->sessionId());
    QCOMPARE(record->resumeCount, 1);
    QCOMPARE(record->clientId, SsmPayloads::uuidText(client));
}

void TestSsmSession::givesUpAfterFailedResumes()
{
    auto s = session(m_bench.current, QStringLiteral("AWS-StartPortForwardingSession"));
    QSignalSpy ready(s.get(), &SsmSession::ready);
    QSignalSpy failed(s.get(), &SsmSession::failed);
    s->start();
    QVERIFY(ready.wait(15000));
    // Every ResumeSession from now on fails (with the HTTP client's own retries behind each attempt).
    m_bench.fake().faults().failNext(100, fakeaws::FaultInjector::Fault::ServiceUnavailable,
                                     QStringLiteral("ResumeSession"));
    QCOMPARE(m_bench.ssm().dropDataChannels(), 1);
    QVERIFY(failed.wait(20000));
    const Error e = failed.at(0).at(0).value<Error>();
    QVERIFY2(e.message.contains(QLatin1String("could not resume")), qPrintable(e.toString()));
    QVERIFY(e.message.contains(QLatin1String("5 attempts")));
    QVERIFY(s->terminateApiCalled());
    m_bench.fake().faults().clearFaults();
}

void TestSsmSession::startRefused()
{
    auto s = session(m_bench.offline, QStringLiteral("AWS-StartPortForwardingSession"));
    QSignalSpy failed(s.get(), &SsmSession::failed);
    s->start();
    QVERIFY(failed.wait(15000));
    QCOMPARE(s->state(), SsmSession::State::Failed);
    QCOMPARE(s->error().awsCode, QStringLiteral("TargetNotConnected"));
    QVERIFY(!s->terminateApiCalled()); // there is no session to terminate
}

void TestSsmSession::clientCalls()
{
    // The control-plane calls on their own: start, resume (new token), terminate twice (idempotent).
    SsmClient client(m_bench.session());
    QObject context;
    std::optional<Result<SsmSessionTicket>> started;
    client.startSession({}, m_bench.current, QStringLiteral("AWS-StartSSHSession"),
                        {{QStringLiteral("portNumber"), {QStringLiteral("22")}}}, {}, &context,
                        [&](Result<SsmSessionTicket> r) { started.emplace(std::move(r)); });
    QTRY_VERIFY_WITH_TIMEOUT(started.has_value(), 15000);
    QVERIFY2(started->ok(), qPrintable(started->ok() ? QString() : started->error().toString()));
    const SsmSessionTicket ticket = started->value();
    QVERIFY(ticket.streamUrl.contains(ticket.sessionId));
    QCOMPARE(m_bench.ssm().currentToken(ticket.sessionId), ticket.tokenValue);

    std::optional<Result<SsmSessionTicket>> resumed;
    client.resumeSession({}, ticket.sessionId, &context,
                         [&](Result<SsmSessionTicket> r) { resumed.emplace(std::move(r)); });
    QTRY_VERIFY_WITH_TIMEOUT(resumed.has_value(), 15000);
    QVERIFY(resumed->ok());
    QVERIFY(!resumed->value().tokenValue.isEmpty());
    QCOMPARE(m_bench.ssm().currentToken(ticket.sessionId), resumed->value().tokenValue);

    for (int i = 0; i < 2; ++i) {
        std::optional<Result<QString>> terminated;
        client.terminateSession({}, ticket.sessionId, &context,
                                [&](Result<QString> r) { terminated.emplace(std::move(r)); });
        QTRY_VERIFY_WITH_TIMEOUT(terminated.has_value(), 15000);
        QVERIFY2(terminated->ok(), qPrintable(terminated->ok() ? QString() : terminated->error().toString()));
        QCOMPARE(terminated->value(), ticket.sessionId);
    }
    QVERIFY(m_bench.ssm().session(ticket.sessionId)->terminated);

    std::optional<Result<SsmSessionTicket>> gone;
    client.resumeSession({}, QStringLiteral("nobody-0123456789abcdef0"), &context,
                         [&](Result<SsmSessionTicket> r) { gone.emplace(std::move(r)); });
    QTRY_VERIFY_WITH_TIMEOUT(gone.has_value(), 15000);
    QVERIFY(!gone->ok());
    QCOMPARE(gone->error().awsCode, QStringLiteral("DoesNotExistException"));
    QVERIFY(gone->error().hint.contains(QLatin1String("new session")));
}

QTEST_GUILESS_MAIN(TestSsmSession)
#include "TestSsmSession.moc"
