// The emulator's smux v1 server codec (PROTOCOLS.md §6.8): the §6.8 example frames, frames split across and
// packed into feeds, the ignore rules for unknown streams, and the fatal version-2 frame.

#include "tests/fakeaws/SsmSmuxServer.h"

#include <QTest>

using fakeaws::SsmSmuxServer;
using Kind = SsmSmuxServer::Event::Kind;

class TestSsmSmuxServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exampleFrames()
    {
        QCOMPARE(SsmSmuxServer::frame(SsmSmuxServer::Cmd::Syn, 3).toHex(), QByteArray("0100000003000000"));
        QCOMPARE(SsmSmuxServer::frame(SsmSmuxServer::Cmd::Psh, 3, "hello").toHex(),
                 QByteArray("0102050003000000") + QByteArray("hello").toHex());
        QCOMPARE(SsmSmuxServer::frame(SsmSmuxServer::Cmd::Fin, 3).toHex(), QByteArray("0101000003000000"));
        QCOMPARE(SsmSmuxServer::frame(SsmSmuxServer::Cmd::Nop, 0).toHex(), QByteArray("0103000000000000"));
    }

    void splitAndPackedFeeds()
    {
        const QByteArray stream = SsmSmuxServer::frame(SsmSmuxServer::Cmd::Syn, 3)
            + SsmSmuxServer::frame(SsmSmuxServer::Cmd::Psh, 3, "hello")
            + SsmSmuxServer::frame(SsmSmuxServer::Cmd::Nop, 0) + SsmSmuxServer::frame(SsmSmuxServer::Cmd::Syn, 5)
            + SsmSmuxServer::frame(SsmSmuxServer::Cmd::Fin, 3);
        for (int step : {1, 3, 7, 13, int(stream.size())}) {
            SsmSmuxServer server;
            QList<SsmSmuxServer::Event> events;
            for (qsizetype pos = 0; pos < stream.size(); pos += step)
                server.feed(stream.mid(pos, step), events);
            QCOMPARE(events.size(), 4);
            QCOMPARE(events.at(0).kind, Kind::Open);
            QCOMPARE(events.at(1).kind, Kind::Data);
            QCOMPARE(events.at(1).data, QByteArray("hello"));
            QCOMPARE(events.at(2).kind, Kind::Open);
            QCOMPARE(events.at(2).streamId, 5u);
            QCOMPARE(events.at(3).kind, Kind::Close);
            QVERIFY(!server.isOpen(3));
            QVERIFY(server.isOpen(5));
        }
    }

    void ignoresUnknownStreamsAndSecondSyn()
    {
        SsmSmuxServer server;
        QList<SsmSmuxServer::Event> events;
        server.feed(
            SsmSmuxServer::frame(SsmSmuxServer::Cmd::Psh, 9, "x") + SsmSmuxServer::frame(SsmSmuxServer::Cmd::Fin, 9)
                + SsmSmuxServer::frame(SsmSmuxServer::Cmd::Syn, 3) + SsmSmuxServer::frame(SsmSmuxServer::Cmd::Syn, 3),
            events);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).kind, Kind::Open);
        QCOMPARE(server.finish(3).toHex(), QByteArray("0101000003000000"));
        QVERIFY(server.finish(3).isEmpty());
    }

    void versionTwoFrameKillsTheSession()
    {
        SsmSmuxServer server;
        QList<SsmSmuxServer::Event> events;
        QByteArray v2 = SsmSmuxServer::frame(SsmSmuxServer::Cmd::Syn, 3);
        v2[0] = 2;
        server.feed(v2 + SsmSmuxServer::frame(SsmSmuxServer::Cmd::Syn, 5), events);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).kind, Kind::Error);
        QVERIFY(events.at(0).error.contains(QLatin1String("version 2")));
        QVERIFY(server.isBroken());
    }

    void largeWritesBecomeSeveralFrames()
    {
        const QByteArray data(70000, 'z');
        const QByteArray frames = SsmSmuxServer::dataFrames(7, data);
        QCOMPARE(frames.size(), data.size() + 3 * 8);
        SsmSmuxServer server;
        QList<SsmSmuxServer::Event> events;
        server.feed(SsmSmuxServer::frame(SsmSmuxServer::Cmd::Syn, 7) + frames, events);
        QCOMPARE(events.size(), 4);
        QCOMPARE(events.at(1).data.size(), SsmSmuxServer::kMaxFrameData);
    }
};

QTEST_GUILESS_MAIN(TestSsmSmuxServer)
#include "TestSsmSmuxServer.moc"
