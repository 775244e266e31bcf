// StdioTunnel with pipes standing in for ssh's: bytes both ways, the end of input ending the tunnel, a large
// transfer through a slow output reader with a bounded buffer, a reader that goes away, a failing transport, and
// the refusal to run on a terminal.

#include "TcpTarget.h"
#include "TestSockets.h"

#include "tests/common/StdioPipes.h"

#include "core/tunnel/DirectTransport.h"
#include "core/tunnel/StdioTunnel.h"

#include <QTest>
#include <QTimer>

#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

using namespace bl;

namespace {

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

} // namespace

class TestStdioTunnel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bothWaysThenEndOfInput()
    {
        TcpTarget echo;
        QVERIFY(echo.listen());
        DirectTransport transport({{}, QStringLiteral("127.0.0.1"), echo.port(), 5000});
        StdioPipes p;
        QVERIFY(p.ok());
        StdioTunnel stdio(transport, p.tunnelInput(), p.tunnelOutput());
        QSignalSpy finished(&stdio, &StdioTunnel::finished);
        QVERIFY(stdio.start().ok());
        QVERIFY(p.send(QByteArrayLiteral("hello\n")));
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += p.readAvailable()) == "hello\n", 5000);
        p.closeInput();
        QVERIFY(finished.wait(5000));
        QCOMPARE(stdio.bytesIn(), qint64(6));
        QCOMPARE(stdio.bytesOut(), qint64(6));
        QTRY_COMPARE_WITH_TIMEOUT(echo.openNow(), 0, 5000);
        // While it runs, the descriptors are non-blocking (flagsAreRestored checks they get their mode back).
        QVERIFY(::fcntl(p.tunnelInput(), F_GETFL) & O_NONBLOCK);
    }

    void flagsAreRestored()
    {
        TcpTarget echo;
        QVERIFY(echo.listen());
        DirectTransport transport({{}, QStringLiteral("127.0.0.1"), echo.port(), 5000});
        StdioPipes p;
        {
            StdioTunnel stdio(transport, p.tunnelInput(), p.tunnelOutput());
            QVERIFY(stdio.start().ok());
            QVERIFY(::fcntl(p.tunnelOutput(), F_GETFL) & O_NONBLOCK);
        }
        QVERIFY(!(::fcntl(p.tunnelInput(), F_GETFL) & O_NONBLOCK));
        QVERIFY(!(::fcntl(p.tunnelOutput(), F_GETFL) & O_NONBLOCK));
    }

    void largeDownloadWithASlowReader()
    {
        const qint64 total = 16 * 1024 * 1024;
        TcpTarget source(TcpTarget::Mode::Source);
        source.setSourceBytes(total);
        QVERIFY(source.listen());
        DirectTransport transport({{}, QStringLiteral("127.0.0.1"), source.port(), 5000});
        StdioPipes p;
        StdioTunnel stdio(transport, p.tunnelInput(), p.tunnelOutput());
        stdio.setHighWater(128 * 1024);
        QSignalSpy finished(&stdio, &StdioTunnel::finished);
        QVERIFY(stdio.start().ok());
        qint64 received = 0;
        bool intact = true;
        QTimer reader;
        connect(&reader, &QTimer::timeout, &stdio, [&] {
            const QByteArray chunk = p.readSome(32768);
            if (!chunk.isEmpty()) {
                if (chunk != TcpTarget::pattern(received, chunk.size()))
                    intact = false;
                received += chunk.size();
            }
        });
        reader.start(1);
        QVERIFY(TestSockets::waitUntil(
            &stdio, SIGNAL(finished()), [&] { return received == total || !intact; }, 60000));
        QVERIFY(intact);
        QVERIFY(finished.size() == 1 || finished.wait(5000));
        QCOMPARE(stdio.bytesOut(), total);
        QVERIFY2(stdio.peakOutBuffered() <= 128 * 1024, qPrintable(QString::number(stdio.peakOutBuffered())));
        QVERIFY(stdio.stream()->peakReceiveBuffered() <= 128 * 1024 + ByteStream::DefaultHighWater);
    }

    void readerGoesAway()
    {
        TcpTarget source(TcpTarget::Mode::Source);
        source.setSourceBytes(8 * 1024 * 1024);
        QVERIFY(source.listen());
        DirectTransport transport({{}, QStringLiteral("127.0.0.1"), source.port(), 5000});
        StdioPipes p;
        StdioTunnel stdio(transport, p.tunnelInput(), p.tunnelOutput());
        QSignalSpy finished(&stdio, &StdioTunnel::finished);
        QVERIFY(stdio.start().ok());
        QTRY_VERIFY_WITH_TIMEOUT(stdio.bytesOut() > 0, 5000);
        p.closeOutput(); // ssh exited: writes now fail with EPIPE instead of killing us
        QVERIFY(finished.wait(5000));
    }

    void transportFailure()
    {
        DirectTransport transport({QStringLiteral("i-9"), QStringLiteral("127.0.0.1"), freePort(), 5000});
        StdioPipes p;
        StdioTunnel stdio(transport, p.tunnelInput(), p.tunnelOutput());
        QSignalSpy failed(&stdio, &StdioTunnel::failed);
        QVERIFY(stdio.start().ok());
        QVERIFY(failed.wait(5000));
        QVERIFY(failed.first().at(0).value<Error>().message.contains(QLatin1String("refused")));
        QVERIFY(p.readAvailable().isEmpty()); // stdout carries tunnel bytes only
    }

    void refusesATerminal()
    {
        const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
        if (master < 0)
            QSKIP("no pseudo-terminal available");
        QVERIFY(::grantpt(master) == 0 && ::unlockpt(master) == 0);
        const int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
        QVERIFY(slave >= 0);
        DirectTransport transport({{}, QStringLiteral("127.0.0.1"), 9, 1000});
        StdioPipes p;
        StdioTunnel stdio(transport, slave, p.tunnelOutput());
        const auto r = stdio.start();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Usage);
        QVERIFY(r.error().hint.contains(QLatin1String("ProxyCommand")));
        ::close(slave);
        ::close(master);
    }
};

QTEST_GUILESS_MAIN(TestStdioTunnel)
#include "TestStdioTunnel.moc"
