// InstanceConnectService: SendSSHPublicKey validation and errors (§4), and the record of pushed keys that the
// sshd AuthorizedKeysCommand script reads, with its 60-second window.

#include "FleetRequests.h"
#include "InstanceConnectService.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace fakeaws;
using namespace fakefleettest;

namespace {

const QByteArray kTarget = QByteArrayLiteral("AWSEC2InstanceConnectService.SendSSHPublicKey");

QString s(const char* text)
{
    return QString::fromLatin1(text);
}

QByteArray wireString(const QByteArray& data)
{
    QByteArray out;
    const auto n = static_cast<quint32>(data.size());
    out.append(static_cast<char>(n >> 24)).append(static_cast<char>(n >> 16));
    out.append(static_cast<char>(n >> 8)).append(static_cast<char>(n));
    return out + data;
}

// An OpenSSH public key line of the given type built from arbitrary bytes (the service only checks shape).
QString keyLine(const QByteArray& type, const QByteArray& innerType, int fill, const QString& comment = {})
{
    QByteArray blob = wireString(innerType);
    if (type == "ssh-rsa")
        blob += wireString(QByteArray::fromHex("010001")) + wireString(QByteArray(257, static_cast<char>(fill)));
    else
        blob += wireString(QByteArray(32, static_cast<char>(fill)));
    QString line = QString::fromLatin1(type + ' ' + blob.toBase64());
    if (!comment.isEmpty())
        line += QLatin1Char(' ') + comment;
    return line;
}

QString ed25519(int fill, const QString& comment = {})
{
    return keyLine("ssh-ed25519", "ssh-ed25519", fill, comment);
}

} // namespace

class TestInstanceConnectService : public QObject
{
    Q_OBJECT

private:
    Fleet m_fleet;
    QTemporaryDir m_dir;
    QDateTime m_clock;

    QString idOf(const QString& name) const
    {
        for (const Instance& i : m_fleet.instances()) {
            if (i.name() == name)
                return i.id;
        }
        return {};
    }

    // Sends a key for (instance, user); returns the HTTP status and the JSON body.
    QPair<int, QJsonObject> send(const QJsonObject& body, const QString& region = s("us-east-1"))
    {
        InstanceConnectService service(m_fleet, m_dir.path());
        service.setClock([this] { return m_clock; });
        const HttpResponse r = service.handle(FleetRequests::json(kTarget, body), FleetRequests::context(region));
        return {r.status, QJsonDocument::fromJson(r.body).object()};
    }

    QJsonObject request(const QString& instanceId, const QString& user, const QString& key)
    {
        return {{s("InstanceId"), instanceId}, {s("InstanceOSUser"), user}, {s("SSHPublicKey"), key}};
    }

private Q_SLOTS:
    void init()
    {
        m_fleet = Fleet::demo();
        QVERIFY(m_dir.isValid());
        m_clock = QDateTime::currentDateTimeUtc();
    }

    void cleanup()
    {
        for (const QString& file : QDir(m_dir.path()).entryList(QDir::Files))
            QFile::remove(QDir(m_dir.path()).filePath(file));
    }

    void acceptsValidKeys_data()
    {
        QTest::addColumn<QString>("key");
        const QString bare = ed25519(1);
        QCOMPARE(bare.size(), 80); // the minimum length: a bare ed25519 line must not be refused
        QTest::newRow("ed25519, bare, 80 chars") << bare;
        QTest::newRow("ed25519 with comment") << ed25519(2, s("bastionless@laptop"));
        QTest::newRow("rsa") << keyLine("ssh-rsa", "ssh-rsa", 3);
        QTest::newRow("4096 chars") << ed25519(4, QString(4096 - 81, QLatin1Char('c')));
    }
    void acceptsValidKeys()
    {
        QFETCH(QString, key);
        const auto [status, body] = send(request(idOf(s("build-runner")), s("ubuntu"), key));
        QCOMPARE(status, 200);
        QCOMPARE(body.value(s("Success")).toBool(), true);
        QVERIFY(!body.value(s("RequestId")).toString().isEmpty());
    }

    void rejectsBadArguments_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("type");
        const QString id = idOf(s("build-runner"));
        const QString good = ed25519(5);
        QTest::newRow("sk key") << request(
            id, s("ubuntu"), keyLine("sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519@openssh.com", 1, s("yubikey")))
                                << s("InvalidArgsException");
        QTest::newRow("ecdsa") << request(id, s("ubuntu"), keyLine("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", 1))
                               << s("InvalidArgsException");
        QTest::newRow("79 chars") << request(id, s("ubuntu"), good.left(79)) << s("InvalidArgsException");
        QTest::newRow("4097 chars") << request(id, s("ubuntu"), ed25519(4, QString(4096 - 80, QLatin1Char('c'))))
                                    << s("InvalidArgsException");
        QTest::newRow("type mismatch") << request(id, s("ubuntu"), keyLine("ssh-ed25519", "ssh-rsa", 1, s("xxxxxxxx")))
                                       << s("InvalidArgsException");
        QTest::newRow("not base64") << request(id, s("ubuntu"), s("ssh-ed25519 ") + QString(80, QLatin1Char('%')))
                                    << s("InvalidArgsException");
        QTest::newRow("two lines") << request(id, s("ubuntu"), good + QLatin1Char('\n') + ed25519(6))
                                   << s("InvalidArgsException");
        QTest::newRow("malformed instance id")
            << request(s("i-XYZ0123456"), s("ubuntu"), good) << s("InvalidArgsException");
        QTest::newRow("short instance id") << request(s("i-0123"), s("ubuntu"), good) << s("InvalidArgsException");
        QTest::newRow("path in user") << request(id, s("../etc"), good) << s("InvalidArgsException");
        QTest::newRow("user with space") << request(id, s("ec2 user"), good) << s("InvalidArgsException");
        QTest::newRow("user too long") << request(id, QString(33, QLatin1Char('u')), good) << s("InvalidArgsException");
        QTest::newRow("no user") << QJsonObject {{s("InstanceId"), id}, {s("SSHPublicKey"), good}}
                                 << s("InvalidArgsException");
        QJsonObject zone = request(id, s("ubuntu"), good);
        zone.insert(s("AvailabilityZone"), s("us-east-1f"));
        QTest::newRow("wrong zone") << zone << s("InvalidArgsException");
        QTest::newRow("unknown instance")
            << request(s("i-0123456789abcdef0"), s("ubuntu"), good) << s("EC2InstanceNotFoundException");
        QTest::newRow("other region") << request(idOf(s("kafka-1")), s("ec2-user"), good)
                                      << s("EC2InstanceNotFoundException");
        QTest::newRow("stopped") << request(idOf(s("batch-worker-1")), s("ec2-user"), good)
                                 << s("EC2InstanceStateInvalidException");
        QTest::newRow("terminated") << request(idOf(s("old-ci")), s("ec2-user"), good)
                                    << s("EC2InstanceStateInvalidException");
        QTest::newRow("pending") << request(idOf(s("api-staging")), s("ec2-user"), good)
                                 << s("EC2InstanceUnavailableException");
    }
    void rejectsBadArguments()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, type);
        const auto [status, reply] = send(body);
        QCOMPARE(status, 400);
        QCOMPARE(reply.value(s("__type")).toString(), type);
        QVERIFY(!QFile::exists(QDir(m_dir.path()).filePath(s("ubuntu.keys"))));
        QVERIFY(!QFile::exists(QDir(m_dir.path()).filePath(s("ec2-user.keys"))));
    }

    void unknownOperations()
    {
        InstanceConnectService service(m_fleet, m_dir.path());
        const auto context = FleetRequests::context(s("us-east-1"));
        HttpResponse r = service.handle(FleetRequests::json("AWSEC2InstanceConnectService.Nope", {}), context);
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("UnknownOperationException"));
        r = service.handle(FleetRequests::json("AmazonSSM.SendSSHPublicKey", {}), context);
        QVERIFY(r.body.contains("UnknownOperationException"));
        HttpRequest broken = FleetRequests::json(kTarget, {});
        broken.body = "{not json";
        QCOMPARE(service.handle(broken, context).status, 400);
    }

    void recordsKeysForSixtySeconds()
    {
        const QString id = idOf(s("build-runner"));
        const QString other = idOf(s("jenkins"));
        const QString first = ed25519(7, s("first"));
        const QString second = ed25519(8, s("second"));
        const QDateTime t0 = QDateTime(QDate(2025, 6, 1), QTime(10, 0), Qt::UTC);
        m_clock = t0;
        QCOMPARE(send(request(id, s("ubuntu"), first)).first, 200);
        m_clock = t0.addSecs(30);
        QCOMPARE(send(request(id, s("ubuntu"), second)).first, 200);
        QCOMPARE(send(request(other, s("ubuntu"), ed25519(9))).first, 200);
        QCOMPARE(send(request(id, s("ec2-user"), ed25519(10))).first, 200);

        QFile file(QDir(m_dir.path()).filePath(s("ubuntu.keys")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.first(), QByteArray::number(t0.toSecsSinceEpoch()) + ' ' + id.toLatin1() + ' ' + first.toUtf8());
        QVERIFY(file.permissions() & QFileDevice::ReadOther);

        const QString dir = m_dir.path();
        QCOMPARE(InstanceConnectService::recentKeys(dir, id, s("ubuntu"), t0.addSecs(30)),
                 (QStringList {first, second}));
        QCOMPARE(InstanceConnectService::recentKeys(dir, id, s("ubuntu"), t0.addSecs(60)),
                 (QStringList {first, second}));
        QCOMPARE(InstanceConnectService::recentKeys(dir, id, s("ubuntu"), t0.addSecs(61)), QStringList {second});
        QCOMPARE(InstanceConnectService::recentKeys(dir, id, s("ubuntu"), t0.addSecs(91)), QStringList {});
        QCOMPARE(InstanceConnectService::recentKeys(dir, id, s("ec2-user"), t0.addSecs(30)).size(), 1);
        QCOMPARE(InstanceConnectService::recentKeys(dir, id, s("nobody"), t0.addSecs(30)), QStringList {});
        // Not before it was pushed either.
        QCOMPARE(InstanceConnectService::recentKeys(dir, id, s("ubuntu"), t0.addSecs(-1)), QStringList {});
    }

    void authorizedKeysCommandPrintsTheRecentKeys()
    {
        const QString script = QStringLiteral(FAKEAWS_SOURCE_DIR "/authorized-keys-command.sh");
        QVERIFY(QFile::exists(script));
        const QString id = idOf(s("build-runner"));
        const QString fresh = ed25519(11, s("fresh key"));
        const QString stale = ed25519(12, s("stale"));
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QFile file(QDir(m_dir.path()).filePath(s("ubuntu.keys")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::number(now - 120) + ' ' + id.toLatin1() + ' ' + stale.toUtf8() + '\n');
        file.write(QByteArray::number(now - 200) + ' ' + id.toLatin1() + ' ' + ed25519(13).toUtf8() + '\n');
        file.close();
        m_clock = QDateTime::currentDateTimeUtc(); // the script judges with the machine's clock
        QCOMPARE(send(request(id, s("ubuntu"), fresh)).first, 200);
        QCOMPARE(send(request(idOf(s("jenkins")), s("ubuntu"), ed25519(14))).first, 200);

        auto run = [&](const QStringList& args) {
            QProcess p;
            p.start(s("sh"), QStringList {script} + args);
            if (!p.waitForFinished(10000))
                return s("<timeout>");
            return QString::fromUtf8(p.readAllStandardOutput()) + (p.exitCode() ? s("<exit>") : QString());
        };
        QCOMPARE(run({m_dir.path(), id, s("ubuntu")}), fresh + QLatin1Char('\n'));
        QCOMPARE(run({m_dir.path(), id, s("root")}), QString());
        QCOMPARE(run({m_dir.path(), id, s("../ubuntu")}), QString());
        QCOMPARE(run({m_dir.path(), id}), s("<exit>"));
    }

    void notRecordedWithoutADirectory()
    {
        InstanceConnectService service(m_fleet, QString());
        const HttpResponse r =
            service.handle(FleetRequests::json(kTarget, request(idOf(s("build-runner")), s("ubuntu"), ed25519(15))),
                           FleetRequests::context(s("us-east-1")));
        QCOMPARE(r.status, 200);
    }
};

QTEST_GUILESS_MAIN(TestInstanceConnectService)
#include "TestInstanceConnectService.moc"
