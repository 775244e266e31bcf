// DirectTransport and DirectStream against local servers: a round trip, the remote's end, a refused port with a
// clear error, the address map used by tests and demos, which address of an instance is used, and shutdown()
// with nothing to end (done from the event loop, once, not after its context is gone).

#include "TcpTarget.h"
#include "TestSockets.h"

#include "core/tunnel/ByteStream.h"
#include "core/tunnel/DirectTransport.h"

#include <QTest>

#include <memory>
#include <vector>

using namespace bl;

namespace {

quint16 closedPort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort(); // free again once s is gone
}

} // namespace

class TestDirectTransport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip()
    {
        TcpTarget echo;
        QVERIFY(echo.listen());
        DirectTransport transport({QStringLiteral("i-1"), QStringLiteral("127.0.0.1"), echo.port(), 5000});
        std::unique_ptr<ByteStream> stream(transport.openStream(nullptr));
        QSignalSpy opened(stream.get(), &ByteStream::opened);
        QVERIFY(opened.wait(5000));
        stream->write("over plain TCP");
        QVERIFY(
            TestSockets::waitUntil(stream.get(), SIGNAL(readyRead()), [&] { return stream->bytesAvailable() == 14; }));
        QCOMPARE(stream->read(100), QByteArray("over plain TCP"));
        QSignalSpy closed(stream.get(), &ByteStream::closed);
        stream->close();
        QVERIFY(closed.wait(5000));
        QCOMPARE(stream->state(), ByteStream::State::Closed);
        QCOMPARE(transport.describe(), QStringLiteral("127.0.0.1 port %1 (i-1)").arg(echo.port()));
    }

    void remoteEndKeepsWhatArrived()
    {
        TcpTarget source(TcpTarget::Mode::Source);
        source.setSourceBytes(1000);
        QVERIFY(source.listen());
        DirectTransport transport({{}, QStringLiteral("127.0.0.1"), source.port(), 5000});
        std::unique_ptr<ByteStream> stream(transport.openStream(nullptr));
        QSignalSpy closed(stream.get(), &ByteStream::closed);
        QVERIFY(closed.wait(5000));
        QVERIFY(stream->remoteFinished());
        QCOMPARE(stream->read(5000), TcpTarget::pattern(0, 1000));
        QVERIFY(stream->atEnd());
    }

    void refusedPort()
    {
        const quint16 port = closedPort();
        DirectTransport transport({QStringLiteral("i-2"), QStringLiteral("127.0.0.1"), port, 5000});
        std::unique_ptr<ByteStream> stream(transport.openStream(nullptr));
        QSignalSpy failed(stream.get(), &ByteStream::failed);
        QVERIFY(failed.wait(5000));
        const Error e = failed.first().at(0).value<Error>();
        QCOMPARE(e.kind, ErrorKind::Network);
        QVERIFY2(e.message.contains(QStringLiteral("127.0.0.1 port %1 (i-2) refused the connection").arg(port)),
                 qPrintable(e.message));
        QVERIFY(!e.hint.isEmpty());
        QCOMPARE(stream->state(), ByteStream::State::Failed);
    }

    void connectTimeout()
    {
        // A listener that never accepts, with its queue full: further connection attempts get no answer.
        QTcpServer deaf;
        deaf.setListenBacklogSize(0);
        QVERIFY(deaf.listen(QHostAddress::LocalHost, 0));
        deaf.pauseAccepting();
        std::vector<std::unique_ptr<QTcpSocket>> fillers;
        for (int i = 0; i < 4; ++i) {
            fillers.push_back(std::make_unique<QTcpSocket>());
            fillers.back()->connectToHost(QHostAddress::LocalHost, deaf.serverPort());
        }
        QTest::qWait(200);
        DirectTransport transport({QStringLiteral("i-5"), QStringLiteral("127.0.0.1"), deaf.serverPort(), 300});
        std::unique_ptr<ByteStream> stream(transport.openStream(nullptr));
        QSignalSpy failed(stream.get(), &ByteStream::failed);
        if (!failed.wait(3000))
            QSKIP("this kernel completed the connection despite the full listen queue");
        const Error e = failed.first().at(0).value<Error>();
        QCOMPARE(e.kind, ErrorKind::Timeout);
        QVERIFY2(e.message.contains(QLatin1String("No answer from 127.0.0.1 port")), qPrintable(e.message));
        QVERIFY(e.hint.contains(QLatin1String("security group")));
    }

    void addressMap()
    {
        TcpTarget echo;
        QVERIFY(echo.listen());
        const auto map = DirectTransport::parseAddressMap(
            QStringLiteral("10.0.1.23:22=127.0.0.1:%1, [2600:1f18::10]:3389=127.0.0.1:9").arg(echo.port()));
        QVERIFY(map.ok());
        QCOMPARE(map->size(), 2);
        QCOMPARE(map->value(QStringLiteral("[2600:1f18::10]:3389")).second, quint16(9));
        DirectTransport transport({QStringLiteral("i-3"), QStringLiteral("10.0.1.23"), 22, 5000});
        transport.setAddressMap(map.value());
        std::unique_ptr<ByteStream> stream(transport.openStream(nullptr));
        QSignalSpy opened(stream.get(), &ByteStream::opened);
        QVERIFY(opened.wait(5000));
        stream->write("mapped");
        QVERIFY(
            TestSockets::waitUntil(stream.get(), SIGNAL(readyRead()), [&] { return stream->bytesAvailable() == 6; }));
        QCOMPARE(echo.accepted(), 1);

        for (const char* bad : {"10.0.1.23=127.0.0.1:1", "10.0.1.23:22", "a:1=b:70000", "a:1=b:2=c:3"}) {
            const auto r = DirectTransport::parseAddressMap(QString::fromLatin1(bad));
            QVERIFY2(!r.ok(), bad);
            QVERIFY(r.error().message.contains(QLatin1String("ADDRESS:PORT=HOST:PORT")));
        }
    }

    void defaultAddress()
    {
        Instance i;
        i.id = QStringLiteral("i-4");
        i.privateIp = QStringLiteral("10.0.0.5");
        i.ipv6 = QStringLiteral("2600::5");
        QCOMPARE(DirectTransport::defaultAddress(i).value(), QStringLiteral("10.0.0.5"));
        i.publicIp = QStringLiteral("3.3.3.3");
        QCOMPARE(DirectTransport::defaultAddress(i).value(), QStringLiteral("3.3.3.3"));
        const auto none = DirectTransport::defaultAddress(Instance());
        QVERIFY(!none.ok());
        QCOMPARE(none.error().kind, ErrorKind::NotFound);
    }

    void shutdownHasNothingToEnd()
    {
        DirectTransport transport({QStringLiteral("i-1"), QStringLiteral("127.0.0.1"), closedPort(), 5000});
        QObject context;
        int calls = 0;
        transport.shutdown(&context, [&calls] { ++calls; });
        QCOMPARE(calls, 0); // never inside the call: the caller may emit or delete from done
        QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 1000);
        QTest::qWait(50);
        QCOMPARE(calls, 1);
        // The context is gone before the event loop runs: done is dropped.
        auto gone = std::make_unique<QObject>();
        transport.shutdown(gone.get(), [&calls] { ++calls; });
        gone.reset();
        QTest::qWait(50);
        QCOMPARE(calls, 1);
    }
};

QTEST_GUILESS_MAIN(TestDirectTransport)
#include "TestDirectTransport.moc"
