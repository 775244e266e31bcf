// Favourites: saved to a file and read back by a new instance; switching one on opens its tunnel, off
// removes it; a tunnel removed elsewhere switches its favourite off; bad names and broken files say why.

#include "TunnelTestKit.h"

#include "core/connect/Favourites.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;
using namespace tunneltest;

class TestFavourites : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void persistAcrossReload();
    void toggleOpensAndStops();
    void removingTheTunnelSwitchesOff();
    void rejectsBadInput();
    void brokenFileIsAnError();
};

namespace {

constexpr int waitMs = 10000;

Favourite webFavourite(const QString& name = QStringLiteral("web db"))
{
    Favourite f;
    f.name = name;
    f.instanceId = QStringLiteral("i-0123456789abcdef0");
    f.profile = QStringLiteral("demo");
    f.region = QStringLiteral("us-east-1");
    f.remotePort = 5432;
    f.localPort = 0;
    f.via = TransportChooser::Via::Direct;
    return f;
}

} // namespace

void TestFavourites::persistAcrossReload()
{
    ManagerKit kit;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sub/favourites.json"));
    {
        Favourites favourites(kit.manager, path);
        QVERIFY(favourites.load());
        QCOMPARE(favourites.count(), 0);
        QVERIFY(favourites.add(webFavourite()));
        Favourite other = webFavourite(QStringLiteral("ssh"));
        other.remotePort = 22;
        other.localPort = 2222;
        other.via = TransportChooser::Via::Auto;
        QVERIFY(favourites.add(other));
        QCOMPARE(favourites.uniqueName(QStringLiteral("ssh")), QStringLiteral("ssh (2)"));
    }
    Favourites reloaded(kit.manager, path);
    QVERIFY(reloaded.load());
    QCOMPARE(reloaded.count(), 2);
    QCOMPARE(*reloaded.find(QStringLiteral("web db")), webFavourite());
    QCOMPARE(reloaded.find(QStringLiteral("ssh"))->localPort, 2222);
    QCOMPARE(reloaded.find(QStringLiteral("ssh"))->via, TransportChooser::Via::Auto);
    QVERIFY(reloaded.remove(QStringLiteral("ssh")));

    Favourites again(kit.manager, path);
    QVERIFY(again.load());
    QCOMPARE(again.count(), 1);
}

void TestFavourites::toggleOpensAndStops()
{
    ManagerKit kit;
    QVERIFY2(kit.aws.ok(), qPrintable(kit.aws.error()));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("favourites.json"));
    Favourites favourites(kit.manager, path);
    QVERIFY(favourites.add(webFavourite()));
    QVERIFY(kit.manager.ids().isEmpty());

    QSignalSpy changed(&favourites, &Favourites::favouriteChanged);
    QVERIFY(favourites.setEnabled(QStringLiteral("web db"), true));
    QCOMPARE(changed.size(), 1);
    const quint64 id = favourites.tunnelId(QStringLiteral("web db"));
    QVERIFY(id != 0);
    // The favourite knows only the instance id: the manager looks it up in fakeaws, which does not have it.
    // What matters here is that switching on opened exactly that tunnel.
    QCOMPARE(kit.manager.ids(), QList<quint64> {id});
    QCOMPARE(kit.manager.tunnel(id)->target.remotePort, 5432);
    QCOMPARE(kit.manager.tunnel(id)->target.source, QStringLiteral("demo"));

    // On is saved: a new start reopens it.
    {
        TunnelManager other([&kit](const QString&) { return kit.session; });
        Favourites reloaded(other, path);
        QVERIFY(reloaded.load());
        QVERIFY(reloaded.find(QStringLiteral("web db"))->enabled);
        reloaded.openEnabled();
        QCOMPARE(other.ids().size(), 1);
    }

    QVERIFY(favourites.setEnabled(QStringLiteral("web db"), false));
    QVERIFY(kit.manager.ids().isEmpty());
    QCOMPARE(favourites.tunnelId(QStringLiteral("web db")), 0u);
    QVERIFY(!favourites.find(QStringLiteral("web db"))->enabled);
}

void TestFavourites::removingTheTunnelSwitchesOff()
{
    ManagerKit kit;
    QTemporaryDir dir;
    Favourites favourites(kit.manager, dir.filePath(QStringLiteral("favourites.json")));
    QVERIFY(favourites.add(webFavourite()));
    QVERIFY(favourites.setEnabled(QStringLiteral("web db"), true));
    kit.manager.remove(favourites.tunnelId(QStringLiteral("web db")));
    QVERIFY(!favourites.find(QStringLiteral("web db"))->enabled);
    QCOMPARE(favourites.tunnelId(QStringLiteral("web db")), 0u);
}

void TestFavourites::rejectsBadInput()
{
    ManagerKit kit;
    QTemporaryDir dir;
    Favourites favourites(kit.manager, dir.filePath(QStringLiteral("favourites.json")));
    QVERIFY(favourites.add(webFavourite()));
    auto taken = favourites.add(webFavourite());
    QVERIFY(!taken);
    QVERIFY(taken.error().message.contains(QStringLiteral("web db")));
    QVERIFY(!favourites.add(webFavourite(QString())));
    Favourite noPort = webFavourite(QStringLiteral("x"));
    noPort.remotePort = 0;
    QVERIFY(!favourites.add(noPort));
    QVERIFY(!favourites.setEnabled(QStringLiteral("nope"), true));
    QCOMPARE(favourites.count(), 1);
}

void TestFavourites::brokenFileIsAnError()
{
    ManagerKit kit;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("favourites.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{ not json");
    file.close();
    Favourites favourites(kit.manager, path);
    auto loaded = favourites.load();
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().message.contains(path), qPrintable(loaded.error().message));
    QCOMPARE(favourites.count(), 0);
}

QTEST_GUILESS_MAIN(TestFavourites)
#include "TestFavourites.moc"
