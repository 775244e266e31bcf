// The fakeaws executable's Session Manager options: documented in --help, bad values refused with a clear
// message and exit code 2, good ones accepted (the server starts and stops by itself).

#include <QProcess>
#include <QTest>

class TestFakeAwsSsmOptions : public QObject
{
    Q_OBJECT

    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    static Run run(const QStringList& args)
    {
        QProcess p;
        p.start(QStringLiteral(FAKEAWS_EXE), args);
        Run r;
        if (!p.waitForFinished(20000)) {
            p.kill();
            p.waitForFinished(2000);
            return r;
        }
        r.exitCode = p.exitCode();
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

private Q_SLOTS:
    void helpDocumentsOptions()
    {
        const Run r = run({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        for (const char* option : {"--ssm-agent-version", "--ssm-pacing", "--ssm-faults", "--ssm-kill-after"})
            QVERIFY2(r.out.contains(QLatin1String(option)), option);
    }

    void badValues_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("pacing") << QStringList {QStringLiteral("--ssm-pacing"), QStringLiteral("maybe")}
                                << QStringLiteral("--ssm-pacing");
        QTest::newRow("faults") << QStringList {QStringLiteral("--ssm-faults"), QStringLiteral("drop=2")}
                                << QStringLiteral("drop");
        QTest::newRow("version") << QStringList {QStringLiteral("--ssm-agent-version"), QStringLiteral("new")}
                                 << QStringLiteral("--ssm-agent-version");
        QTest::newRow("kill-after") << QStringList {QStringLiteral("--ssm-kill-after"), QStringLiteral("-5")}
                                    << QStringLiteral("--ssm-kill-after");
    }

    void badValues()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const Run r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
    }

    void goodValuesStart()
    {
        const Run r =
            run({QStringLiteral("--ssm-agent-version"), QStringLiteral("3.0.161.0"), QStringLiteral("--ssm-pacing"),
                 QStringLiteral("off"), QStringLiteral("--ssm-faults"),
                 QStringLiteral("drop=0.05,reorder=0.05,duplicate=0.01,seed=7"), QStringLiteral("--ssm-kill-after"),
                 QStringLiteral("65536"), QStringLiteral("--exit-after"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(QLatin1String("fakeaws listening")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestFakeAwsSsmOptions)
#include "TestFakeAwsSsmOptions.moc"
