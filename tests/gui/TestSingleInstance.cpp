// SingleInstance with two instances in one process on a private socket name: the first listens, the second
// hands its --select over and is told to exit; a socket file left by a crashed instance is taken over; a
// running instance that does not answer, or answers nonsense, does not keep the second from starting.

#include "ui/SingleInstance.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <memory>

using bl::SingleInstance;

class TestSingleInstance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void secondLaunchForwardsSelect_data();
    void secondLaunchForwardsSelect();
    void staleSocketIsTakenOver();
    void nameIsFreeAfterPrimaryQuits();
    void silentPrimaryMeansStandalone_data();
    void silentPrimaryMeansStandalone();
    void unknownRequestIsIgnored();
    void defaultNameIsPerUser();

private:
    QString socketPath() const { return m_dir->filePath(QStringLiteral("instance")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {

constexpr int waitMs = 5000;

SingleInstance::Outcome outcomeOf(const QSignalSpy& spy)
{
    return spy.at(0).at(0).value<SingleInstance::Outcome>();
}

// Starts instance and waits for its single finished().
SingleInstance::Outcome run(SingleInstance& instance, const QString& select = {})
{
    QSignalSpy finished(&instance, &SingleInstance::finished);
    instance.start(select);
    if (!finished.wait(waitMs) || finished.count() != 1)
        return SingleInstance::Outcome(-1);
    return outcomeOf(finished);
}

// What a crashed instance leaves behind: a socket file nobody listens on.
bool makeStaleSocket(const QString& path)
{
    const QByteArray native = QFile::encodeName(path);
    sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    if (native.size() >= static_cast<qsizetype>(sizeof(addr.sun_path)))
        return false;
    std::memcpy(addr.sun_path, native.constData(), static_cast<size_t>(native.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    ::close(fd);
    return bound;
}

} // namespace

void TestSingleInstance::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSingleInstance::secondLaunchForwardsSelect_data()
{
    QTest::addColumn<QString>("select");
    QTest::newRow("no argument") << QString();
    QTest::newRow("name") << QStringLiteral("web-1");
    QTest::newRow("id") << QStringLiteral("i-0123456789abcdef0");
    QTest::newRow("spaces") << QStringLiteral("build box 2");
    QTest::newRow("non-ascii") << QStringLiteral("caf\u00e9-\u00fcber");
}

void TestSingleInstance::secondLaunchForwardsSelect()
{
    QFETCH(QString, select);
    SingleInstance first(socketPath());
    QCOMPARE(run(first), SingleInstance::Outcome::Primary);
    QVERIFY(first.isPrimary());

    QSignalSpy raised(&first, &SingleInstance::raiseRequested);
    SingleInstance second(socketPath());
    QCOMPARE(run(second, select), SingleInstance::Outcome::Forwarded);
    QVERIFY(!second.isPrimary());
    QTRY_COMPARE_WITH_TIMEOUT(raised.count(), 1, waitMs);
    QCOMPARE(raised.at(0).at(0).toString(), select);

    // And again: the primary keeps serving later launches.
    SingleInstance third(socketPath());
    QCOMPARE(run(third, QStringLiteral("db-1")), SingleInstance::Outcome::Forwarded);
    QTRY_COMPARE_WITH_TIMEOUT(raised.count(), 2, waitMs);
    QCOMPARE(raised.at(1).at(0).toString(), QStringLiteral("db-1"));
}

void TestSingleInstance::staleSocketIsTakenOver()
{
    QVERIFY(makeStaleSocket(socketPath()));
    QVERIFY(QFileInfo::exists(socketPath()));
    QLocalSocket probe;
    probe.connectToServer(socketPath());
    QTRY_COMPARE_WITH_TIMEOUT(probe.error(), QLocalSocket::ConnectionRefusedError, waitMs);

    SingleInstance first(socketPath());
    QCOMPARE(run(first), SingleInstance::Outcome::Primary);
    QVERIFY(first.isPrimary());

    QSignalSpy raised(&first, &SingleInstance::raiseRequested);
    SingleInstance second(socketPath());
    QCOMPARE(run(second, QStringLiteral("web-1")), SingleInstance::Outcome::Forwarded);
    QTRY_COMPARE_WITH_TIMEOUT(raised.count(), 1, waitMs);
}

void TestSingleInstance::nameIsFreeAfterPrimaryQuits()
{
    {
        SingleInstance first(socketPath());
        QCOMPARE(run(first), SingleInstance::Outcome::Primary);
    }
    QVERIFY(!QFileInfo::exists(socketPath()));
    SingleInstance next(socketPath());
    QCOMPARE(run(next), SingleInstance::Outcome::Primary);
}

void TestSingleInstance::silentPrimaryMeansStandalone_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::newRow("never answers") << QByteArray();
    QTest::newRow("answers nonsense") << QByteArrayLiteral("what?\n");
}

void TestSingleInstance::silentPrimaryMeansStandalone()
{
    QFETCH(QByteArray, answer);
    // Something else holds the name: a hung instance, or another program.
    QLocalServer other;
    QVERIFY(other.listen(socketPath()));
    QList<QLocalSocket*> accepted;
    connect(&other, &QLocalServer::newConnection, this, [&] {
        while (QLocalSocket* s = other.nextPendingConnection()) {
            accepted.append(s);
            if (!answer.isEmpty())
                s->write(answer);
        }
    });

    SingleInstance second(socketPath());
    second.setHandshakeTimeout(500);
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(run(second), SingleInstance::Outcome::Standalone);
    QVERIFY(timer.elapsed() < waitMs);
    QVERIFY(!second.isPrimary());
    QCOMPARE(accepted.size(), 1);
    QVERIFY(other.isListening()); // it is not pushed away
}

void TestSingleInstance::unknownRequestIsIgnored()
{
    SingleInstance first(socketPath());
    QCOMPARE(run(first), SingleInstance::Outcome::Primary);
    QSignalSpy raised(&first, &SingleInstance::raiseRequested);

    QLocalSocket client;
    client.connectToServer(socketPath());
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QLocalSocket::ConnectedState, waitMs);
    client.write("quit\n");
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QLocalSocket::UnconnectedState, waitMs);
    QCOMPARE(client.readAll(), QByteArray());
    QCOMPARE(raised.count(), 0);
}

void TestSingleInstance::defaultNameIsPerUser()
{
    const QByteArray saved = qgetenv("XDG_RUNTIME_DIR");
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_dir->path()));
    const QString name = SingleInstance::defaultServerName();
    qunsetenv("XDG_RUNTIME_DIR");
    const QString fallback = SingleInstance::defaultServerName();
    if (!saved.isEmpty())
        qputenv("XDG_RUNTIME_DIR", saved);

    const QString expected = QStringLiteral("bastionless-%1").arg(::getuid());
    QCOMPARE(name, m_dir->filePath(expected));
    QCOMPARE(fallback, expected);
}

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "TestSingleInstance.moc"
