// The EICE path end to end on 127.0.0.1: TunnelListener -> EiceTransport -> (TLS WebSocket) FakeEiceServer -> TCP
// target. Round trips, the exact presigned request on the wire, *.localhost names, fresh URLs, 64 MiB through a slow
// reader and 32 MiB into a slow sink with bounded buffers, normal and non-normal closes, the service's refusals with
// their hints, clock-skew correction, server pings and fragments, stop(), and the stdio mode over pipes.

#include "EiceTestBench.h"

#include "core/aws/base/SigV4.h"
#include "core/tunnel/EicePresigner.h"
#include "core/tunnel/StdioTunnel.h"
#include "core/tunnel/TunnelListener.h"

#include <QSignalSpy>
#include <QTimer>

#include <fcntl.h>
#include <unistd.h>

using namespace bl;

namespace {

constexpr qint64 highWater = ByteStream::DefaultHighWater;
// Every single buffer stays under its high-water mark plus one read and one frame (64 KiB each) and their
// framing (a CI run once peaked 188 bytes above the two 64 KiB blocks).
constexpr qint64 bufferBound = highWater + 128 * 1024 + 1024;

QByteArray headerOf(const QByteArray& head, const QByteArray& name)
{
    for (const QByteArray& line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

Error lastFailure(const QSignalSpy& spy)
{
    return spy.isEmpty() ? Error() : spy.last().at(1).value<Error>();
}

} // namespace

class TestEiceTransport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_bench = std::make_unique<EiceTestBench>();
        QVERIFY(m_bench->ok());
    }
    void cleanup() { m_bench.reset(); }

    void roundTripWithTheExactSignedRequest()
    {
        auto transport = m_bench->transport(m_bench->target());
        TunnelListener listener(*transport);
        QVERIFY(listener.start(0).ok());
        auto client = EiceTestBench::connectTo(listener.port());
        QVERIFY(client);
        QVERIFY(EiceTestBench::echoes(*client, "SSH-2.0-OpenSSH_9.2\r\n"));
        QCOMPARE(m_bench->server.heads().size(), 1);

        const QByteArray head = m_bench->server.heads().first();
        const QByteArray requestLine = head.left(head.indexOf("\r\n"));
        const QByteArray sentTarget = requestLine.mid(4, requestLine.size() - 4 - 9);
        QVERIFY(requestLine.endsWith(" HTTP/1.1"));
        QCOMPARE(headerOf(head, "host"), QByteArray("127.0.0.1:" + QByteArray::number(m_bench->server.port())));
        QVERIFY(headerOf(head, "user-agent").startsWith("bastionless/"));
        // Presigning again at the same instant gives the very bytes that went over the wire.
        QByteArray amzDate;
        for (const auto& [k, v] : sigv4::parseQueryString(sentTarget.mid(sentTarget.indexOf('?') + 1))) {
            if (k == "X-Amz-Date")
                amzDate = v;
        }
        Credentials c;
        c.accessKeyId = QString::fromLatin1(EiceTestBench::AccessKey);
        c.secretAccessKey = QString::fromLatin1(EiceTestBench::Secret);
        c.sessionToken = QString::fromLatin1(EiceTestBench::Token);
        const auto again = EicePresigner::build(m_bench->target(), c, sigv4::parseAmzDate(amzDate));
        QVERIFY(again.ok());
        QCOMPARE(sentTarget, again->requestTarget);
        QVERIFY(sentTarget.contains("X-Amz-Security-Token=IQoJb3JpZ2luX2VjE%2F%2Btoken%3Dwith%2Fodd%2Bchars%3D%3D"));

        const TunnelStats stats = listener.stats();
        QCOMPARE(stats.openConnections, 1);
        QCOMPARE(stats.totalConnections, qint64(1));
        QCOMPARE(stats.bytesUp, qint64(21));
        QCOMPARE(stats.bytesDown, qint64(21));
        QVERIFY(stats.rateUp > 0);
    }

    void localhostDnsNameKeepsItsName()
    {
        EiceTarget t = m_bench->target();
        t.dnsName = QStringLiteral("eice-0test.localhost:%1").arg(m_bench->server.port());
        auto transport = m_bench->transport(t);
        TunnelListener listener(*transport);
        QVERIFY(listener.start(0).ok());
        auto client = EiceTestBench::connectTo(listener.port());
        QVERIFY(client);
        QVERIFY(EiceTestBench::echoes(*client, "over a *.localhost name"));
        QCOMPARE(headerOf(m_bench->server.heads().first(), "host"), t.dnsName.toUtf8());
    }

    void everyConnectionGetsAFreshUrl()
    {
        FixedClock clock(QDateTime::currentDateTimeUtc());
        ClockSkew skew;
        HttpSettings settings;
        settings.caBundlePath = m_bench->pki.caBundlePath();
        AwsHttpClient http(settings, clock, skew);
        EiceTransport transport(m_bench->target(), http, *m_bench->credentials, nullptr);
        TunnelListener listener(transport);
        QVERIFY(listener.start(0).ok());
        auto first = EiceTestBench::connectTo(listener.port());
        QVERIFY(first && EiceTestBench::echoes(*first, "one"));
        clock.advance(5);
        auto second = EiceTestBench::connectTo(listener.port());
        QVERIFY(second && EiceTestBench::echoes(*second, "two"));
        QCOMPARE(m_bench->server.heads().size(), 2);
        const QByteArray a = m_bench->server.heads().at(0);
        const QByteArray b = m_bench->server.heads().at(1);
        QVERIFY(a.left(a.indexOf("\r\n")) != b.left(b.indexOf("\r\n")));
    }

    void bulkDownloadThroughASlowReader()
    {
        const qint64 total = 64 * 1024 * 1024;
        TcpTarget source(TcpTarget::Mode::Source);
        source.setSourceBytes(total);
        QVERIFY(source.listen());
        m_bench->server.setTarget(3389, source.port());
        auto transport = m_bench->transport(m_bench->target(3389));
        TunnelListener listener(*transport);
        QSignalSpy closed(&listener, &TunnelListener::connectionClosed);
        QVERIFY(listener.start(0).ok());
        auto client = EiceTestBench::connectTo(listener.port());
        QVERIFY(client);
        client->setReadBufferSize(128 * 1024);

        // At most 32 MB/s: much slower than the tunnel, so its buffers fill up and must stop growing.
        qint64 received = 0;
        bool intact = true;
        QTimer reader;
        connect(&reader, &QTimer::timeout, client.get(), [&] {
            const QByteArray data = client->read(128 * 1024);
            if (data != TcpTarget::pattern(received, data.size()))
                intact = false;
            received += data.size();
        });
        reader.start(4);
        QTRY_VERIFY_WITH_TIMEOUT(received == total || !intact, 60000);
        QVERIFY(intact);
        QVERIFY(EiceTestBench::waitDisconnected(*client));
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 5000);
        const TunnelStats stats = listener.stats();
        QCOMPARE(stats.bytesDown, total);
        QCOMPARE(stats.failedConnections, qint64(0));
        QVERIFY2(stats.peakBuffered <= bufferBound, qPrintable(QString::number(stats.peakBuffered)));
        QVERIFY(stats.peakBuffered >= highWater / 2); // the reader really was the bottleneck
    }

    void bulkUploadIntoASlowSink()
    {
        const qint64 total = 32 * 1024 * 1024;
        TcpTarget sink(TcpTarget::Mode::SlowSink);
        sink.setSinkBytesPerTick(64 * 1024);
        QVERIFY(sink.listen());
        m_bench->server.setTarget(3389, sink.port());
        auto transport = m_bench->transport(m_bench->target(3389));
        TunnelListener listener(*transport);
        QVERIFY(listener.start(0).ok());
        auto client = EiceTestBench::connectTo(listener.port());
        QVERIFY(client);
        qint64 written = 0;
        auto pump = [&] {
            while (written < total && client->bytesToWrite() < 1024 * 1024) {
                const qint64 n = qMin<qint64>(64 * 1024, total - written);
                client->write(TcpTarget::pattern(written, n));
                written += n;
            }
            if (written == total && client->bytesToWrite() == 0)
                client->disconnectFromHost();
        };
        connect(client.get(), &QTcpSocket::bytesWritten, client.get(), pump);
        pump();
        QTRY_VERIFY_WITH_TIMEOUT(sink.sunk() == total, 60000);
        QVERIFY(sink.patternOk());
        QTRY_COMPARE_WITH_TIMEOUT(listener.stats().openConnections, 0, 10000);
        const TunnelStats stats = listener.stats();
        QCOMPARE(stats.bytesUp, total);
        QVERIFY2(stats.peakBuffered <= bufferBound, qPrintable(QString::number(stats.peakBuffered)));
        QCOMPARE(m_bench->server.clientCloseCodes(), QList<quint16>({1000}));
    }

    void targetEndsNormally()
    {
        m_bench->echo.setCloseAfterMs(300);
        auto transport = m_bench->transport(m_bench->target());
        TunnelListener listener(*transport);
        QSignalSpy closed(&listener, &TunnelListener::connectionClosed);
        QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
        QVERIFY(listener.start(0).ok());
        auto client = EiceTestBench::connectTo(listener.port());
        QVERIFY(client && EiceTestBench::echoes(*client, "bye soon"));
        QVERIFY(EiceTestBench::waitDisconnected(*client));
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 5000);
        QCOMPARE(failed.size(), 0);
    }

    void maxTunnelDurationEndsOneConnectionOnly()
    {
        EiceTarget t = m_bench->target();
        t.maxTunnelDurationSecs = 1;
        auto transport = m_bench->transport(t);
        TunnelListener listener(*transport);
        QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
        QVERIFY(listener.start(0).ok());
        QVERIFY(m_bench->server.heads().isEmpty());
        auto old = EiceTestBench::connectTo(listener.port());
        QVERIFY(old && EiceTestBench::echoes(*old, "before the limit"));
        QVERIFY(headerOf(m_bench->server.heads().first(), "host").size() > 0);
        QVERIFY(m_bench->server.heads().first().contains("maxTunnelDuration=1&"));
        QVERIFY(EiceTestBench::waitDisconnected(*old, 5000));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 5000);
        const Error e = lastFailure(failed);
        QVERIFY2(e.message.contains(QLatin1String("close code 1001")), qPrintable(e.message));
        QVERIFY(e.hint.contains(QLatin1String("maximum duration (1 s here)")));
        // The listener and the endpoint's slots are fine: a new connection works.
        QCOMPARE(listener.state(), TunnelListener::State::Listening);
        QCOMPARE(transport->connectionSlots()->inUse(), 0);
        auto fresh = EiceTestBench::connectTo(listener.port());
        QVERIFY(fresh && EiceTestBench::echoes(*fresh, "after the limit"));
    }

    void portOtherThan22Or3389GetsTheHint()
    {
        auto transport = m_bench->transport(m_bench->target(5900));
        TunnelListener listener(*transport);
        QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
        QVERIFY(listener.start(0).ok());
        auto client = EiceTestBench::connectTo(listener.port());
        QVERIFY(client);
        QVERIFY(EiceTestBench::waitDisconnected(*client));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 5000);
        const Error e = lastFailure(failed);
        QCOMPARE(e.awsCode, QStringLiteral("InvalidParameter"));
        QCOMPARE(e.hint,
                 QStringLiteral("EC2 Instance Connect Endpoint only forwards ports 22 and 3389; use SSM for "
                                "port 5900, or tunnel VNC through SSH."));
        QCOMPARE(listener.lastConnectionError().awsCode, e.awsCode);
        QCOMPARE(listener.stats().failedConnections, qint64(1));
    }

    void clockTenMinutesBehindIsCorrected()
    {
        m_bench->server.setClockOffsetMs(600 * 1000);
        auto transport = m_bench->transport(m_bench->target());
        TunnelListener listener(*transport);
        QVERIFY(listener.start(0).ok());
        auto client = EiceTestBench::connectTo(listener.port());
        QVERIFY(client);
        QVERIFY(EiceTestBench::echoes(*client, "signed with the corrected time"));
        QCOMPARE(m_bench->server.heads().size(), 2); // refused once, then accepted
        QVERIFY(qAbs(m_bench->skew.offsetMs() - 600 * 1000) < 5000);
    }

    void forbiddenNamesTheClockAndTheIamAction()
    {
        m_bench->server.setClockOffsetMs(600 * 1000);
        m_bench->server.setRejection(
            FakeEiceServer::Rejection {403, "{\"ErrorCode\":\"AccessDenied\",\"Message\":\"not authorized\"}"});
        auto transport = m_bench->transport(m_bench->target());
        TunnelListener listener(*transport);
        QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
        QVERIFY(listener.start(0).ok());
        auto client = EiceTestBench::connectTo(listener.port());
        QVERIFY(client);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        const Error e = lastFailure(failed);
        QCOMPARE(e.kind, ErrorKind::Credentials);
        QCOMPARE(e.httpStatus, 403);
        QCOMPARE(e.requestId, QStringLiteral("fake-request-id"));
        QVERIFY2(e.hint.contains(QLatin1String("behind AWS's")), qPrintable(e.hint));
        QVERIFY(
            e.hint.contains(QLatin1String("ec2-instance-connect:OpenTunnel on "
                                          "arn:aws:ec2:us-east-1:123456789012:instance-connect-endpoint/eice-0test")));
        QCOMPARE(m_bench->server.heads().size(), 2);
    }

    void textFrameIsAProtocolError()
    {
        m_bench->server.setSendTextFrame(true);
        auto transport = m_bench->transport(m_bench->target());
        TunnelListener listener(*transport);
        QSignalSpy failed(&listener, &TunnelListener::connectionFailed);
        QVERIFY(listener.start(0).ok());
        auto client = EiceTestBench::connectTo(listener.port());
        QVERIFY(client);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 5000);
        QVERIFY(lastFailure(failed).message.contains(QLatin1String("text frame")));
        QVERIFY(EiceTestBench::waitDisconnected(*client));
    }

    void serverPingsAndFragments()
    {
        m_bench->server.setPingOnOpen(true);
        m_bench->server.setFragmentSize(1000);
        auto transport = m_bench->transport(m_bench->target());
        TunnelListener listener(*transport);
        QVERIFY(listener.start(0).ok());
        auto client = EiceTestBench::connectTo(listener.port());
        QVERIFY(client);
        QVERIFY(EiceTestBench::echoes(*client, TcpTarget::pattern(0, 200 * 1000)));
        QVERIFY(m_bench->server.pongs() >= 2);
    }

    void stopClosesEverythingCleanly()
    {
        auto transport = m_bench->transport(m_bench->target());
        TunnelListener listener(*transport);
        QSignalSpy states(&listener, &TunnelListener::stateChanged);
        QVERIFY(listener.start(0).ok());
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(EiceTestBench::connectTo(listener.port()));
            QVERIFY(clients.back() && EiceTestBench::echoes(*clients.back(), "hi"));
        }
        listener.stop();
        QTRY_COMPARE_WITH_TIMEOUT(listener.state(), TunnelListener::State::Stopped, 8000);
        for (auto& c : clients)
            QVERIFY(EiceTestBench::waitDisconnected(*c));
        QCOMPARE(m_bench->server.clientCloseCodes(), QList<quint16>({1000, 1000, 1000}));
        QCOMPARE(listener.stats().openConnections, 0);
        QCOMPARE(states.last().at(0).value<TunnelListener::State>(), TunnelListener::State::Stopped);
        // Nothing listens any more.
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, listener.port());
        QVERIFY(!probe.waitForConnected(1000));
    }

    void stdioModeOverPipes()
    {
        int in[2], out[2];
        QCOMPARE(::pipe(in), 0);
        QCOMPARE(::pipe(out), 0);
        ::fcntl(out[0], F_SETFL, O_NONBLOCK);
        auto transport = m_bench->transport(m_bench->target());
        {
            StdioTunnel stdio(*transport, in[0], out[1]);
            QSignalSpy finished(&stdio, &StdioTunnel::finished);
            QVERIFY(stdio.start().ok());
            const QByteArray hello = "SSH-2.0-Bastionless\r\n";
            QCOMPARE(::write(in[1], hello.constData(), hello.size()), ssize_t(hello.size()));
            QByteArray got;
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    char buf[256];
                    const ssize_t n = ::read(out[0], buf, sizeof buf);
                    if (n > 0)
                        got.append(buf, n);
                    return got == hello;
                }(),
                10000);
            ::close(in[1]); // ssh went away: the tunnel ends
            QVERIFY(finished.wait(10000));
            QCOMPARE(m_bench->server.clientCloseCodes(), QList<quint16>({1000}));
        }
        ::close(in[0]);
        ::close(out[0]);
        ::close(out[1]);
    }

private:
    std::unique_ptr<EiceTestBench> m_bench;
};

QTEST_GUILESS_MAIN(TestEiceTransport)
#include "TestEiceTransport.moc"
