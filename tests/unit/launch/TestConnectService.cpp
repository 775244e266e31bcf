// ConnectService: the exact argv for each terminal emulator and viewer, the `bastionless-cli` line to copy,
// a missing program named together with the Debian package that provides it, and RDP to a Windows instance
// with the password from GetPasswordData (fakeaws) on the viewer's standard input, never in its argv.

#include "DemoWindows.h"
#include "tests/gui/RecordingLauncher.h"
#include "tests/unit/api/FakeAwsHarness.h"

#include "core/launch/ConnectService.h"
#include "core/launch/WindowsPasswords.h"
#include "core/secrets/MemorySecretStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace bl;
using guitest::FakeTunnels;
using guitest::RecordingLauncher;

class TestConnectService : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sshInTerminal_data();
    void sshInTerminal();
    void viewers_data();
    void viewers();
    void environmentSourceHasNoProfile();
    void appAccountsGoAsAccount();
    void commandLineIsQuoted();
    void missingPrograms_data();
    void missingPrograms();
    void rdpOpensTunnelThenViewer();
    void defaultKind();
    void rdpPasswordOnStdin_data();
    void rdpPasswordOnStdin();
    void rdpWithoutKeySaysWhy();
    void remminaGetsNoPassword();
};

namespace {

InventoryEntry entry(bool windows = false)
{
    InventoryEntry e;
    e.instance.id = QStringLiteral("i-0123456789abcdef0");
    e.instance.name = QStringLiteral("web-1");
    e.instance.region = QStringLiteral("eu-west-1");
    e.instance.platform = windows ? QStringLiteral("windows") : QStringLiteral("linux");
    e.source = QStringLiteral("prod");
    e.cliProfile = QStringLiteral("prod");
    return e;
}

const QString kCli = QStringLiteral("/opt/bastionless/bin/bastionless-cli");

QStringList cliSsh()
{
    return {kCli,
            QStringLiteral("ssh"),
            QStringLiteral("i-0123456789abcdef0"),
            QStringLiteral("--profile"),
            QStringLiteral("prod"),
            QStringLiteral("--region"),
            QStringLiteral("eu-west-1")};
}

} // namespace

void TestConnectService::sshInTerminal_data()
{
    QTest::addColumn<QString>("terminal");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("xterm") << QStringLiteral("xterm") << QStringList {QStringLiteral("-e")} + cliSsh();
    QTest::newRow("debian alternative") << QStringLiteral("x-terminal-emulator")
                                        << QStringList {QStringLiteral("-e")} + cliSsh();
    QTest::newRow("gnome-terminal") << QStringLiteral("gnome-terminal")
                                    << QStringList {QStringLiteral("--")} + cliSsh();
    QTest::newRow("konsole") << QStringLiteral("konsole") << QStringList {QStringLiteral("-e")} + cliSsh();
    QTest::newRow("xfce4-terminal") << QStringLiteral("xfce4-terminal")
                                    << QStringList {QStringLiteral("-x")} + cliSsh();
    QTest::newRow("alacritty") << QStringLiteral("alacritty") << QStringList {QStringLiteral("-e")} + cliSsh();
    QTest::newRow("kitty") << QStringLiteral("kitty") << cliSsh();
}

void TestConnectService::sshInTerminal()
{
    QFETCH(QString, terminal);
    QFETCH(QStringList, expected);
    RecordingLauncher launcher;
    launcher.installed = {{terminal, QStringLiteral("/usr/bin/") + terminal},
                          {QStringLiteral("bastionless-cli"), kCli}};
    FakeTunnels tunnels;
    ConnectService connect(launcher, tunnels, {});
    const Result<LaunchCommand> command = connect.sshCommand(entry());
    QVERIFY2(command.ok(), qPrintable(command.ok() ? QString() : command.error().toString()));
    QCOMPARE(command->program, QStringLiteral("/usr/bin/") + terminal);
    QCOMPARE(command->arguments, expected);
}

void TestConnectService::viewers_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("windows");
    QTest::addColumn<QString>("viewer");
    QTest::addColumn<QStringList>("expected");
    const int rdp = int(ConnectKind::Rdp);
    const int vnc = int(ConnectKind::Vnc);
    QTest::newRow("freerdp 2, windows") << rdp << true << QStringLiteral("xfreerdp")
                                        << QStringList {
                                               QStringLiteral("/v:127.0.0.1:45123"), QStringLiteral("/u:Administrator"),
                                               QStringLiteral("/cert-ignore"), QStringLiteral("/dynamic-resolution"),
                                               QStringLiteral("/t:web-1 (i-0123456789abcdef0)")};
    QTest::newRow("freerdp 3, windows") << rdp << true << QStringLiteral("xfreerdp3")
                                        << QStringList {
                                               QStringLiteral("/v:127.0.0.1:45123"), QStringLiteral("/u:Administrator"),
                                               QStringLiteral("/cert:ignore"), QStringLiteral("/dynamic-resolution"),
                                               QStringLiteral("/title:web-1 (i-0123456789abcdef0)")};
    QTest::newRow("freerdp 2, linux desktop")
        << rdp << false << QStringLiteral("xfreerdp")
        << QStringList {QStringLiteral("/v:127.0.0.1:45123"), QStringLiteral("/cert-ignore"),
                        QStringLiteral("/dynamic-resolution"), QStringLiteral("/t:web-1 (i-0123456789abcdef0)")};
    QTest::newRow("remmina rdp") << rdp << true << QStringLiteral("remmina")
                                 << QStringList {QStringLiteral("-c"),
                                                 QStringLiteral("rdp://Administrator@127.0.0.1:45123")};
    QTest::newRow("tigervnc") << vnc << false << QStringLiteral("vncviewer")
                              << QStringList {QStringLiteral("127.0.0.1::45123")};
    QTest::newRow("remmina vnc") << vnc << false << QStringLiteral("remmina")
                                 << QStringList {QStringLiteral("-c"), QStringLiteral("vnc://127.0.0.1:45123")};
}

void TestConnectService::viewers()
{
    QFETCH(int, kind);
    QFETCH(bool, windows);
    QFETCH(QString, viewer);
    QFETCH(QStringList, expected);
    RecordingLauncher launcher;
    launcher.installed = {{viewer, QStringLiteral("/usr/bin/") + viewer}};
    FakeTunnels tunnels;
    ConnectService connect(launcher, tunnels, {});
    const Result<LaunchCommand> command = connect.viewerCommand(ConnectKind(kind), entry(windows), 45123);
    QVERIFY2(command.ok(), qPrintable(command.ok() ? QString() : command.error().toString()));
    QCOMPARE(command->program, QStringLiteral("/usr/bin/") + viewer);
    QCOMPARE(command->arguments, expected);
}

void TestConnectService::environmentSourceHasNoProfile()
{
    InventoryEntry e = entry();
    e.source = QStringLiteral("environment");
    e.cliProfile.clear();
    QCOMPARE(
        ConnectService::cliArguments(ConnectKind::Ssh, e),
        (QStringList {QStringLiteral("ssh"), e.instance.id, QStringLiteral("--region"), QStringLiteral("eu-west-1")}));
    QCOMPARE(ConnectService::cliArguments(ConnectKind::Rdp, e),
             (QStringList {QStringLiteral("tunnel"), e.instance.id, QStringLiteral("--remote-port"),
                           QStringLiteral("3389"), QStringLiteral("--region"), QStringLiteral("eu-west-1")}));
}

void TestConnectService::appAccountsGoAsAccount()
{
    // An account added in the app is no ~/.aws profile: the CLI finds it with --account.
    InventoryEntry e = entry();
    e.source = QStringLiteral("work");
    e.cliProfile.clear();
    e.cliAccount = QStringLiteral("work");
    QCOMPARE(ConnectService::cliArguments(ConnectKind::Ssh, e),
             (QStringList {QStringLiteral("ssh"), e.instance.id, QStringLiteral("--account"), QStringLiteral("work"),
                           QStringLiteral("--region"), QStringLiteral("eu-west-1")}));
    QCOMPARE(ConnectService::cliCommandLine(ConnectKind::Vnc, e),
             QStringLiteral("bastionless-cli tunnel i-0123456789abcdef0 --remote-port 5900 --account work --region "
                            "eu-west-1"));
}

void TestConnectService::commandLineIsQuoted()
{
    InventoryEntry e = entry();
    e.cliProfile = QStringLiteral("team's dev");
    QCOMPARE(ConnectService::cliCommandLine(ConnectKind::Ssh, e),
             QStringLiteral("bastionless-cli ssh i-0123456789abcdef0 --profile 'team'\\''s dev' --region eu-west-1"));
}

void TestConnectService::missingPrograms_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QStringList>("installed");
    QTest::addColumn<QString>("mentions");
    QTest::addColumn<QString>("package");
    const QString cli = QStringLiteral("bastionless-cli");
    QTest::newRow("no terminal") << int(ConnectKind::Ssh) << QStringList {cli} << QStringLiteral("No terminal emulator")
                                 << QStringLiteral("xterm");
    QTest::newRow("no rdp viewer") << int(ConnectKind::Rdp) << QStringList {cli} << QStringLiteral("RDP viewer")
                                   << QStringLiteral("freerdp2-x11");
    QTest::newRow("no vnc viewer") << int(ConnectKind::Vnc) << QStringList {cli} << QStringLiteral("VNC viewer")
                                   << QStringLiteral("tigervnc-viewer");
}

void TestConnectService::missingPrograms()
{
    QFETCH(int, kind);
    QFETCH(QStringList, installed);
    QFETCH(QString, mentions);
    QFETCH(QString, package);
    RecordingLauncher launcher;
    launcher.installed.clear();
    for (const QString& p : installed)
        launcher.installed.insert(p, QStringLiteral("/usr/bin/") + p);
    FakeTunnels tunnels;
    ConnectService connect(launcher, tunnels, {});
    std::optional<Result<LaunchCommand>> answer;
    connect.connectTo(ConnectKind(kind), entry(), this, [&answer](Result<LaunchCommand> r) { answer = r; });
    QTRY_VERIFY(answer.has_value());
    QVERIFY(!answer->ok());
    QVERIFY2(answer->error().message.contains(mentions), qPrintable(answer->error().message));
    QVERIFY2(answer->error().hint.contains(QStringLiteral("apt install ") + package), qPrintable(answer->error().hint));
    QVERIFY(launcher.started.isEmpty());
    QVERIFY(tunnels.openedRemotePorts.isEmpty()); // no tunnel for a viewer that is not there
}

void TestConnectService::rdpOpensTunnelThenViewer()
{
    RecordingLauncher launcher;
    FakeTunnels tunnels;
    tunnels.localPort = 40111;
    ConnectService connect(launcher, tunnels, {});
    QSignalSpy launched(&connect, &ConnectService::launched);
    std::optional<Result<LaunchCommand>> answer;
    connect.connectTo(ConnectKind::Rdp, entry(true), this, [&answer](Result<LaunchCommand> r) { answer = r; });
    QTRY_VERIFY(answer.has_value());
    QVERIFY(answer->ok());
    QCOMPARE(tunnels.openedRemotePorts, QList<int> {3389});
    QCOMPARE(launcher.started.size(), 1);
    QCOMPARE(launcher.started.constFirst().program, QStringLiteral("/usr/bin/xfreerdp"));
    QCOMPARE(launcher.started.constFirst().arguments.constFirst(), QStringLiteral("/v:127.0.0.1:40111"));
    QCOMPARE(launched.size(), 1);
}

void TestConnectService::defaultKind()
{
    QCOMPARE(ConnectService::defaultKind(entry(false).instance), ConnectKind::Ssh);
    QCOMPARE(ConnectService::defaultKind(entry(true).instance), ConnectKind::Rdp);
}

namespace {

// fakeaws with the demo fleet, its win-ad-01 as an entry, and a WindowsPasswords over a memory keychain.
struct PasswordRig
{
    apitest::FakeAwsHarness aws;
    MemorySecretStore secrets;
    WindowsPasswords passwords {secrets, [this](const QString&) { return &aws.session(); }};
    InventoryEntry entry;
    QString password;

    PasswordRig()
    {
        if (const fakeaws::Instance* i = launchtest::demoInstance(aws.fleet(), QStringLiteral("win-ad-01"))) {
            entry = launchtest::entryFor(*i);
            password = i->password;
        }
    }
    bool storeKey(QObject* context)
    {
        std::optional<Result<void>> stored;
        passwords.storeKey(entry, launchtest::demoWindowsKey(), context, [&stored](Result<void> r) { stored = r; });
        return QTest::qWaitFor([&stored] { return stored.has_value(); }, 5000) && stored->ok();
    }
};

std::optional<Result<LaunchCommand>> rdp(ConnectService& connect, const InventoryEntry& e, QObject* context)
{
    auto answer = std::make_shared<std::optional<Result<LaunchCommand>>>();
    connect.connectTo(ConnectKind::Rdp, e, context, [answer](Result<LaunchCommand> r) { *answer = r; });
    if (!QTest::qWaitFor([answer] { return answer->has_value(); }, 20000))
        qWarning("connectTo did not answer within 20 s");
    return *answer;
}

} // namespace

void TestConnectService::rdpPasswordOnStdin_data()
{
    QTest::addColumn<QString>("viewer");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("standardInput");
    const QString title = QStringLiteral("/t:win-ad-01 (<id>)");
    // FreeRDP 2: its usual argv plus /from-stdin; with /u: given it reads only the password line.
    QTest::newRow("freerdp 2") << QStringLiteral("xfreerdp")
                               << QStringList {QStringLiteral("/v:127.0.0.1:40222"),
                                               QStringLiteral("/u:Administrator"),
                                               QStringLiteral("/cert-ignore"),
                                               QStringLiteral("/dynamic-resolution"),
                                               title,
                                               QStringLiteral("/from-stdin")}
                               << QStringLiteral("<password>\n");
    // FreeRDP 3: the whole argument list, one per line, password included.
    QTest::newRow("freerdp 3") << QStringLiteral("xfreerdp3") << QStringList {QStringLiteral("/args-from:stdin")}
                               << QStringLiteral("/v:127.0.0.1:40222\n/u:Administrator\n/cert:ignore\n"
                                                 "/dynamic-resolution\n/title:win-ad-01 (<id>)\n/p:<password>\n");
}

void TestConnectService::rdpPasswordOnStdin()
{
    QFETCH(QString, viewer);
    QFETCH(QStringList, arguments);
    QFETCH(QString, standardInput);
    PasswordRig rig;
    QVERIFY2(rig.aws.ok(), qPrintable(rig.aws.error()));
    QVERIFY(!rig.password.isEmpty());
    QVERIFY(rig.storeKey(this));
    RecordingLauncher launcher;
    launcher.installed = {{viewer, QStringLiteral("/usr/bin/") + viewer}};
    FakeTunnels tunnels;
    tunnels.localPort = 40222;
    ConnectService connect(launcher, tunnels, {});
    connect.setWindowsPasswords(&rig.passwords);
    const auto answer = rdp(connect, rig.entry, this);
    QVERIFY(answer.has_value());
    QVERIFY2(answer->ok(), qPrintable(answer->ok() ? QString() : answer->error().toString()));
    QCOMPARE(launcher.started.size(), 1);
    const LaunchCommand& started = launcher.started.constFirst();
    for (QString& a : arguments)
        a.replace(QStringLiteral("<id>"), rig.entry.instance.id);
    QCOMPARE(started.arguments, arguments);
    for (const QString& a : started.arguments)
        QVERIFY2(!a.contains(rig.password), "the password is on the command line");
    standardInput.replace(QStringLiteral("<id>"), rig.entry.instance.id)
        .replace(QStringLiteral("<password>"), rig.password);
    QCOMPARE(QString::fromUtf8(started.standardInput), standardInput);
    QVERIFY(started.note.isEmpty());
    QCOMPARE(tunnels.openedRemotePorts, QList<int> {3389});
}

void TestConnectService::rdpWithoutKeySaysWhy()
{
    PasswordRig rig;
    QVERIFY2(rig.aws.ok(), qPrintable(rig.aws.error()));
    RecordingLauncher launcher;
    FakeTunnels tunnels;
    ConnectService connect(launcher, tunnels, {});
    connect.setWindowsPasswords(&rig.passwords);
    const auto answer = rdp(connect, rig.entry, this);
    QVERIFY(answer.has_value() && answer->ok());
    QCOMPARE(launcher.started.size(), 1);
    const LaunchCommand& started = launcher.started.constFirst();
    // The viewer still starts, asking the person for the password as before.
    QVERIFY(started.arguments.contains(QStringLiteral("/u:Administrator")));
    QVERIFY(!started.arguments.contains(QStringLiteral("/from-stdin")));
    QVERIFY(started.standardInput.isEmpty());
    QVERIFY2(started.note.contains(QStringLiteral(".pem")), qPrintable(started.note));
    QCOMPARE(answer->value().note, started.note);
}

void TestConnectService::remminaGetsNoPassword()
{
    PasswordRig rig;
    QVERIFY2(rig.aws.ok(), qPrintable(rig.aws.error()));
    QVERIFY(rig.storeKey(this));
    RecordingLauncher launcher;
    launcher.installed = {{QStringLiteral("remmina"), QStringLiteral("/usr/bin/remmina")}};
    FakeTunnels tunnels;
    ConnectService connect(launcher, tunnels, {});
    connect.setWindowsPasswords(&rig.passwords);
    const auto answer = rdp(connect, rig.entry, this);
    QVERIFY(answer.has_value() && answer->ok());
    const LaunchCommand& started = launcher.started.constFirst();
    QCOMPARE(started.arguments,
             (QStringList {QStringLiteral("-c"), QStringLiteral("rdp://Administrator@127.0.0.1:45123")}));
    QVERIFY(started.standardInput.isEmpty());
    QVERIFY2(started.note.contains(QStringLiteral("Get Windows password")), qPrintable(started.note));
    QCOMPARE(rig.aws.requests("GetPasswordData"), 0); // nothing to fill in, so nothing fetched
}

QTEST_GUILESS_MAIN(TestConnectService)
#include "TestConnectService.moc"
