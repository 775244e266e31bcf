// The other Session Manager documents through SsmTransport against fakeaws: AWS-StartSSHSession as one byte stream
// (directly and through StdioTunnel, as `bastionless-cli proxy` uses it; its end ends the session), and
// AWS-StartPortForwardingSessionToRemoteHost reaching a host as the instance sees it.

#include "SsmTestBench.h"

#include "tests/unit/tunnel/TcpTarget.h"
#include "tests/unit/tunnel/TestSockets.h"

#include "tests/common/StdioPipes.h"

#include "core/ssm/SsmTransport.h"
#include "core/tunnel/StdioTunnel.h"
#include "core/tunnel/TunnelListener.h"

using namespace bl;

class TestSsmDocuments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void sshSessionStream();
    void sshSessionThroughStdio();
    void sshSessionOneConnection();
    void remoteHost();

private:
    std::unique_ptr<SsmTransport> transport(SsmTransportOptions::Document document, quint16 port,
                                            const QString& host = {});

    SsmTestBench m_bench;
    TcpTarget m_echo;
};

void TestSsmDocuments::initTestCase()
{
    QVERIFY(m_bench.setUp());
    QVERIFY(m_echo.listen());
    QVERIFY(m_bench.fake().setSsmTarget(m_bench.current, 22, QHostAddress::LocalHost, m_echo.port()));
}

void TestSsmDocuments::init()
{
    m_bench.ssm().setFaults({});
}

std::unique_ptr<SsmTransport> TestSsmDocuments::transport(SsmTransportOptions::Document document, quint16 port,
                                                          const QString& host)
{
    SsmTransportOptions o;
    o.document = document;
    o.remotePort = port;
    o.remoteHost = host;
    return std::make_unique<SsmTransport>(m_bench.session(), m_bench.current, o);
}

void TestSsmDocuments::sshSessionStream()
{
    auto t = transport(SsmTransportOptions::Document::SshSession, 22);
    QObject owner;
    ByteStream* s = t->openStream(&owner);
    QSignalSpy opened(s, &ByteStream::opened);
    QSignalSpy closed(s, &ByteStream::closed);
    QVERIFY(opened.wait(15000));
    QCOMPARE(t->session()->mode(), SsmForwardMode::Stream);
    const QString id = t->session()->sessionId();
    QCOMPARE(m_bench.ssm().session(id)->documentName, QStringLiteral("AWS-StartSSHSession"));
    QCOMPARE(m_bench.ssm().session(id)->mode, QStringLiteral("stdio"));
    const QByteArray data = SsmTestBench::randomBytes(300 * 1024, 4);
    s->write(data);
    QByteArray got;
    QVERIFY(TestSockets::waitUntil(
        s, SIGNAL(readyRead()),
        [&] {
            got += s->read(1 << 20);
            return got.size() >= data.size();
        },
        30000));
    QCOMPARE(SsmTestBench::sha256(got), SsmTestBench::sha256(data));
    QSignalSpy finished(t.get(), &SsmTransport::sessionFinished);
    s->close(); // the end of the one connection ends the session
    QVERIFY(closed.size() == 1 || closed.wait(10000));
    QVERIFY(finished.size() == 1 || finished.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(m_bench.ssm().session(id)->terminated, 10000);
}

void TestSsmDocuments::sshSessionThroughStdio()
{
    auto t = transport(SsmTransportOptions::Document::SshSession, 22);
    StdioPipes p;
    QVERIFY(p.ok());
    StdioTunnel stdio(*t, p.tunnelInput(), p.tunnelOutput());
    stdio.setRefuseTerminal(false);
    QSignalSpy finished(&stdio, &StdioTunnel::finished);
    QSignalSpy failed(&stdio, &StdioTunnel::failed);
    QVERIFY(stdio.start().ok());
    const QByteArray hello = "SSH-2.0-OpenSSH_9.2 through Session Manager\r\n";
    QVERIFY(p.send(hello));
    QByteArray got;
    QTRY_VERIFY_WITH_TIMEOUT((got += p.readAvailable()) == hello, 15000);
    p.closeInput();
    QVERIFY(finished.wait(15000));
    QCOMPARE(failed.size(), 0);
    QCOMPARE(stdio.bytesOut(), qint64(hello.size()));
    QTRY_VERIFY_WITH_TIMEOUT(m_bench.ssm().session(t->session()->sessionId())->terminated, 10000);
}

void TestSsmDocuments::sshSessionOneConnection()
{
    auto t = transport(SsmTransportOptions::Document::SshSession, 22);
    QObject owner;
    ByteStream* first = t->openStream(&owner);
    QSignalSpy opened(first, &ByteStream::opened);
    QVERIFY(opened.wait(15000));
    ByteStream* second = t->openStream(&owner);
    QSignalSpy failed(second, &ByteStream::failed);
    QVERIFY(failed.wait(5000));
    QCOMPARE(second->error().kind, ErrorKind::Usage);
    QVERIFY(first->isOpen());
}

void TestSsmDocuments::remoteHost()
{
    m_bench.ssm().setRemoteHostTarget(QStringLiteral("db.internal"), 5432, QHostAddress::LocalHost, m_echo.port());
    auto t = transport(SsmTransportOptions::Document::PortForwardingToRemoteHost, 5432, QStringLiteral("db.internal"));
    QVERIFY(t->describe().contains(QLatin1String("db.internal")));
    TunnelListener listener(*t);
    QVERIFY(listener.start().ok());
    auto client = TestSockets::connectTo(listener.port());
    QVERIFY(client);
    QVERIFY(TestSockets::echoes(*client, "SELECT 1;\n"));
    const auto record = m_bench.ssm().session(t->session()->sessionId());
    QCOMPARE(record->documentName, QStringLiteral("AWS-StartPortForwardingSessionToRemoteHost"));
    QCOMPARE(record->parameters.value(QStringLiteral("host")), QStringList {QStringLiteral("db.internal")});
    QCOMPARE(record->parameters.value(QStringLiteral("portNumber")), QStringList {QStringLiteral("5432")});
}

QTEST_GUILESS_MAIN(TestSsmDocuments)
#include "TestSsmDocuments.moc"
