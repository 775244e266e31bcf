// The `fakeaws` executable as a script uses it: it prints the exports and where it listens, serves HTTPS
// with the CA it wrote, applies fault flags, refuses bad arguments, and stops on SIGTERM/SIGINT or by
// itself after --exit-after.

#include "FakeAwsTestClient.h"

#include "tests/fakeaws/Identities.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {

struct Running
{
    std::unique_ptr<QProcess> process;
    quint16 port = 0;
    QByteArray stdoutText;
};

bl::Credentials defaultCredentials()
{
    bl::Credentials c;
    c.accessKeyId = QLatin1String(fakeaws::Identities::kDefaultAccessKeyId);
    c.secretAccessKey = QLatin1String(fakeaws::Identities::kDefaultSecretAccessKey);
    return c;
}

} // namespace

class TestFakeAwsExecutable : public QObject
{
    Q_OBJECT

private:
    // Starts the executable and waits for its "listening" line.
    Running launch(const QStringList& args)
    {
        Running r;
        r.process = std::make_unique<QProcess>();
        r.process->start(QStringLiteral(FAKEAWS_EXE), args);
        if (!r.process->waitForStarted(5000))
            return r;
        QByteArray err;
        const QRegularExpression listening(QStringLiteral("fakeaws listening on https://127\\.0\\.0\\.1:(\\d+)"));
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 15000 && r.process->state() == QProcess::Running) {
            r.process->waitForReadyRead(200);
            err += r.process->readAllStandardError();
            r.stdoutText += r.process->readAllStandardOutput();
            const auto match = listening.match(QString::fromUtf8(err));
            if (match.hasMatch()) {
                r.port = static_cast<quint16>(match.captured(1).toUInt());
                break;
            }
        }
        r.stdoutText += r.process->readAllStandardOutput();
        return r;
    }

    QTemporaryDir m_dir;

private Q_SLOTS:
    void printsItsEnvironmentServesAndExitsByItself()
    {
        const QString state = m_dir.filePath(QStringLiteral("state"));
        const QString config = m_dir.filePath(QStringLiteral("aws"));
        QElapsedTimer clock;
        clock.start();
        Running r =
            launch({QStringLiteral("--print-env"), QStringLiteral("--state-dir"), state, QStringLiteral("--exit-after"),
                    QStringLiteral("3"), QStringLiteral("--write-config"), config});
        QVERIFY2(r.port != 0, "no 'fakeaws listening on' line");

        const QString out = QString::fromUtf8(r.stdoutText);
        QVERIFY2(out.contains(QStringLiteral("export AWS_ENDPOINT_URL='https://127.0.0.1:%1'").arg(r.port)),
                 qPrintable(out));
        QVERIFY(out.contains(QStringLiteral("export AWS_CA_BUNDLE='%1/ca.pem'").arg(state)));
        QVERIFY(out.contains(QStringLiteral("export AWS_ACCESS_KEY_ID='AKIAFAKEAWSTESTKEY01'")));
        QVERIFY(out.contains(QStringLiteral("export AWS_SECRET_ACCESS_KEY='")));
        QVERIFY(out.contains(QStringLiteral("export AWS_REGION='us-east-1'")));
        QFile env(state + QStringLiteral("/env.sh"));
        QVERIFY(env.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(env.readAll()), out);
        QVERIFY(QFile::exists(config + QStringLiteral("/config")));
        QVERIFY(QFile::exists(config + QStringLiteral("/credentials")));
        QVERIFY(QDir(state + QStringLiteral("/pushed-keys")).exists());

        const QList<QSslCertificate> ca = QSslCertificate::fromPath(state + QStringLiteral("/ca.pem"));
        QCOMPARE(ca.size(), 1);
        FakeAwsTestClient client(r.port, ca.first());
        QCOMPARE(client.send("GET", "/").status, 200);
        QCOMPARE(client.query("sts", "Action=GetCallerIdentity&Version=2011-06-15", defaultCredentials()).status, 200);

        QVERIFY(r.process->waitForFinished(10000));
        QCOMPARE(r.process->exitStatus(), QProcess::NormalExit);
        QCOMPARE(r.process->exitCode(), 0);
        QVERIFY(clock.elapsed() >= 2500);
        QVERIFY(r.process->readAllStandardError().contains("fakeaws stopped"));
    }

    void stopsOnSignals_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }
    void stopsOnSignals()
    {
        QFETCH(int, signal);
        Running r = launch({QStringLiteral("--exit-after"), QStringLiteral("60")});
        QVERIFY(r.port != 0);
        QElapsedTimer clock;
        clock.start();
        ::kill(static_cast<pid_t>(r.process->processId()), signal);
        QVERIFY(r.process->waitForFinished(10000));
        QVERIFY(clock.elapsed() < 5000);
        QCOMPARE(r.process->exitStatus(), QProcess::NormalExit);
        QCOMPARE(r.process->exitCode(), 0);
    }

    void appliesFleetAndFaultFlags()
    {
        Running r =
            launch({QStringLiteral("--fleet"), QStringLiteral("generated:30:2"), QStringLiteral("--latency-ms"),
                    QStringLiteral("200"), QStringLiteral("--fail-next"), QStringLiteral("1:throttle:DescribeRegions"),
                    QStringLiteral("--exit-after"), QStringLiteral("30"), QStringLiteral("--state-dir"),
                    m_dir.filePath(QStringLiteral("flags"))});
        QVERIFY(r.port != 0);
        const QList<QSslCertificate> ca = QSslCertificate::fromPath(m_dir.filePath(QStringLiteral("flags/ca.pem")));
        QCOMPARE(ca.size(), 1);
        FakeAwsTestClient client(r.port, ca.first());
        const auto throttled = client.query("ec2", "Action=DescribeRegions&Version=2016-11-15", defaultCredentials());
        QCOMPARE(throttled.status, 503);
        QVERIFY(throttled.elapsedMs >= 200);
        QCOMPARE(client.query("ec2", "Action=DescribeRegions&Version=2016-11-15", defaultCredentials()).status, 200);
        r.process->terminate();
        QVERIFY(r.process->waitForFinished(10000));
    }

    void refusesBadArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("complaint");
        QTest::newRow("missing fleet file")
            << QStringList {QStringLiteral("--fleet"), QStringLiteral("/nonexistent.json")}
            << QStringLiteral("--fleet");
        QTest::newRow("bad generated") << QStringList {QStringLiteral("--fleet"), QStringLiteral("generated:x")}
                                       << QStringLiteral("generated:N");
        QTest::newRow("bad port") << QStringList {QStringLiteral("--port"), QStringLiteral("70000")}
                                  << QStringLiteral("--port");
        QTest::newRow("bad exit-after") << QStringList {QStringLiteral("--exit-after"), QStringLiteral("0")}
                                        << QStringLiteral("--exit-after");
        QTest::newRow("bad fault") << QStringList {QStringLiteral("--fail-next"), QStringLiteral("2:explode")}
                                   << QStringLiteral("--fail-next");
    }
    void refusesBadArguments()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, complaint);
        QProcess p;
        p.start(QStringLiteral(FAKEAWS_EXE), args); // if it wrongly starts, QProcess kills it at the end
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(p.readAllStandardError().contains(complaint.toUtf8()), qPrintable(complaint));
    }
};

QTEST_GUILESS_MAIN(TestFakeAwsExecutable)
#include "TestFakeAwsExecutable.moc"
