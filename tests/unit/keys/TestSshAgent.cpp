#include "core/keys/SshAgent.h"

#include "core/keys/Ed25519KeyPair.h"
#include "core/keys/SshWire.h"

#include "ResultText.h"
#include "ToolRunner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using bl::Ed25519KeyPair;
using bl::SshAgent;

namespace {

// Collects the single callback result of an agent request.
struct Outcome
{
    std::optional<bl::Result<void>> result;
    int calls = 0;
    bl::Callback<void> callback()
    {
        return [this](bl::Result<void> r) {
            ++calls;
            result = std::move(r);
        };
    }
};

// An agent stand-in that records the request and answers with a fixed reply (or never answers).
class FakeAgent : public QObject
{
public:
    FakeAgent(const QString& path, QByteArray reply)
        : m_reply(std::move(reply))
    {
        m_server.listen(path);
        connect(&m_server, &QLocalServer::newConnection, this, [this] {
            QLocalSocket* socket = m_server.nextPendingConnection();
            connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                received += socket->readAll();
                if (!m_reply.isEmpty())
                    socket->write(m_reply);
            });
        });
    }
    bool listening() const { return m_server.isListening(); }
    QByteArray received;

private:
    QLocalServer m_server;
    QByteArray m_reply;
};

QByteArray reply(quint8 type)
{
    return QByteArray::fromHex("00000001") + char(type);
}

} // namespace

class TestSshAgent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_tmp.reset(new QTemporaryDir);
        QVERIFY(m_tmp->isValid());
        m_socket = m_tmp->filePath(QStringLiteral("agent.sock"));
    }

    void cleanup()
    {
        if (m_agent) {
            m_agent->terminate();
            if (!m_agent->waitForFinished(5000)) {
                m_agent->kill();
                m_agent->waitForFinished(5000);
            }
            m_agent.reset();
        }
    }

    // The real OpenSSH agent accepts the key with a lifetime, lists it, signs with it, and removes it again.
    void addsAndRemovesWithRealAgent()
    {
        startRealAgent();
        auto key = Ed25519KeyPair::generate(QStringLiteral("bastionless-test"));
        QVERIFY(key.ok());
        SshAgent agent(m_socket);

        Outcome added;
        agent.addKey(*key, std::chrono::seconds(300), added.callback());
        QCOMPARE(added.calls, 0); // never synchronous
        QTRY_COMPARE_WITH_TIMEOUT(added.calls, 1, 10000);
        QVERIFY2(added.result->ok(), resultText(*added.result).constData());

        const ToolResult listed = sshAdd({QStringLiteral("-l")});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY2(listed.out.contains(key->fingerprint().toLatin1()), listed.out.constData());
        QVERIFY(listed.out.contains("bastionless-test"));
        const ToolResult publicKeys = sshAdd({QStringLiteral("-L")});
        QCOMPARE(QString::fromUtf8(publicKeys.out.trimmed()), key->publicKeyLine());

        // Signing through the agent with only the public key on disk proves the agent holds the right secret.
        const QString pubFile = m_tmp->filePath(QStringLiteral("key.pub"));
        const QString dataFile = m_tmp->filePath(QStringLiteral("data"));
        QVERIFY(writeFile(pubFile, key->publicKeyLine().toUtf8() + '\n') && writeFile(dataFile, "payload"));
        const ToolResult sign = ToolRunner::run(QStringLiteral("ssh-keygen"),
                                                {QStringLiteral("-Y"), QStringLiteral("sign"), QStringLiteral("-f"),
                                                 pubFile, QStringLiteral("-n"), QStringLiteral("test"), dataFile},
                                                agentEnv());
        QVERIFY2(sign.exitCode == 0, sign.err.constData());

        Outcome removed;
        agent.removeKey(key->publicKeyBlob(), removed.callback());
        QTRY_COMPARE_WITH_TIMEOUT(removed.calls, 1, 10000);
        QVERIFY2(removed.result->ok(), resultText(*removed.result).constData());
        const ToolResult after = sshAdd({QStringLiteral("-l")});
        QVERIFY(!after.out.contains(key->fingerprint().toLatin1()));

        Outcome again;
        agent.removeKey(key->publicKeyBlob(), again.callback());
        QTRY_COMPARE_WITH_TIMEOUT(again.calls, 1, 10000);
        QVERIFY(!again.result->ok());
        QCOMPARE(again.result->error().kind, bl::ErrorKind::NotFound);
    }

    // The lifetime constraint reaches the agent: a 2-second key is listed, then disappears by itself.
    void lifetimeExpiresInRealAgent()
    {
        startRealAgent();
        auto key = Ed25519KeyPair::generate(QStringLiteral("short-lived"));
        QVERIFY(key.ok());
        const QByteArray fingerprint = key->fingerprint().toLatin1();
        SshAgent agent(m_socket);
        Outcome added;
        QElapsedTimer sinceAdd;
        sinceAdd.start();
        agent.addKey(*key, std::chrono::seconds(2), added.callback());
        QTRY_COMPARE_WITH_TIMEOUT(added.calls, 1, 10000);
        QVERIFY2(added.result->ok(), resultText(*added.result).constData());
        const ToolResult listed = sshAdd({QStringLiteral("-l")});
        if (sinceAdd.elapsed() < 800)
            QVERIFY2(listed.out.contains(fingerprint), listed.out.constData());
        QTRY_VERIFY_WITH_TIMEOUT(!sshAdd({QStringLiteral("-l")}).out.contains(fingerprint), 10000);
        QVERIFY(sinceAdd.elapsed() >= 1000); // the agent's clock has whole seconds, so 2 s may end after 1.x s
    }

    // The request bytes, field by field (draft-miller-ssh-agent §3.2, §3.2.6).
    void sendsConstrainedAddRequest()
    {
        FakeAgent fake(m_socket, reply(SshAgent::SuccessReply));
        QVERIFY(fake.listening());
        auto key = Ed25519KeyPair::generate(QStringLiteral("wire"));
        QVERIFY(key.ok());
        SshAgent agent(m_socket);
        Outcome added;
        agent.addKey(*key, std::chrono::seconds(90), added.callback());
        QTRY_COMPARE_WITH_TIMEOUT(added.calls, 1, 5000);
        QVERIFY(added.result->ok());

        const QByteArray& in = fake.received;
        qsizetype pos = 0;
        quint32 length = 0, lifetime = 0;
        QByteArray type, pub, priv, comment;
        QVERIFY(bl::SshWire::readUint32(in, pos, length));
        QCOMPARE(qsizetype(length), in.size() - 4);
        QCOMPARE(quint8(in.at(pos++)), quint8(25));
        QVERIFY(bl::SshWire::readString(in, pos, type));
        QVERIFY(bl::SshWire::readString(in, pos, pub));
        QVERIFY(bl::SshWire::readString(in, pos, priv));
        QVERIFY(bl::SshWire::readString(in, pos, comment));
        QCOMPARE(type, QByteArray("ssh-ed25519"));
        QCOMPARE(pub, key->publicKey());
        QCOMPARE(priv, key->sshPrivateKey());
        QCOMPARE(comment, QByteArray("wire"));
        QCOMPARE(quint8(in.at(pos++)), quint8(1));
        QVERIFY(bl::SshWire::readUint32(in, pos, lifetime));
        QCOMPARE(lifetime, 90u);
        QCOMPARE(pos, in.size());
    }

    void reportsRefusal()
    {
        FakeAgent fake(m_socket, reply(SshAgent::FailureReply));
        auto key = Ed25519KeyPair::generate();
        QVERIFY(key.ok());
        SshAgent agent(m_socket);
        Outcome added;
        agent.addKey(*key, std::chrono::seconds(60), added.callback());
        QTRY_COMPARE_WITH_TIMEOUT(added.calls, 1, 5000);
        QVERIFY(!added.result->ok());
        QVERIFY2(added.result->error().message.contains(QStringLiteral("refused")),
                 resultText(*added.result).constData());
        QVERIFY(added.result->error().hint.contains(QStringLiteral("locked")));
    }

    void reportsMissingAgent_data()
    {
        QTest::addColumn<bool>("unset");
        QTest::addColumn<QString>("expected");
        QTest::newRow("SSH_AUTH_SOCK unset") << true << QStringLiteral("SSH_AUTH_SOCK is not set");
        QTest::newRow("stale socket path") << false << QStringLiteral("No ssh-agent is listening");
    }
    void reportsMissingAgent()
    {
        QFETCH(bool, unset);
        QFETCH(QString, expected);
        auto key = Ed25519KeyPair::generate();
        QVERIFY(key.ok());
        SshAgent agent(unset ? QString() : m_socket);
        Outcome added;
        agent.addKey(*key, std::chrono::seconds(60), added.callback());
        QCOMPARE(added.calls, 0);
        QTRY_COMPARE_WITH_TIMEOUT(added.calls, 1, 5000);
        QVERIFY(!added.result->ok());
        QVERIFY2(added.result->error().message.contains(expected), resultText(*added.result).constData());
        QVERIFY(!added.result->error().hint.isEmpty());
    }

    void timesOutOnSilentAgent()
    {
        FakeAgent fake(m_socket, QByteArray());
        auto key = Ed25519KeyPair::generate();
        QVERIFY(key.ok());
        SshAgent agent(m_socket);
        agent.setTimeout(std::chrono::milliseconds(300));
        Outcome added;
        agent.addKey(*key, std::chrono::seconds(60), added.callback());
        QTRY_COMPARE_WITH_TIMEOUT(added.calls, 1, 5000);
        QVERIFY(!added.result->ok());
        QCOMPARE(added.result->error().kind, bl::ErrorKind::Timeout);
        QTest::qWait(400);
        QCOMPARE(added.calls, 1); // exactly once
    }

    void noCallbackAfterDestruction()
    {
        FakeAgent fake(m_socket, QByteArray());
        auto key = Ed25519KeyPair::generate();
        QVERIFY(key.ok());
        Outcome added;
        {
            SshAgent agent(m_socket);
            agent.setTimeout(std::chrono::milliseconds(100));
            agent.addKey(*key, std::chrono::seconds(60), added.callback());
        }
        QTest::qWait(300);
        QCOMPARE(added.calls, 0);
    }

    void rejectsZeroLifetime()
    {
        auto key = Ed25519KeyPair::generate();
        QVERIFY(key.ok());
        SshAgent agent(m_socket);
        Outcome added;
        agent.addKey(*key, std::chrono::seconds(0), added.callback());
        QTRY_COMPARE_WITH_TIMEOUT(added.calls, 1, 5000);
        QVERIFY(!added.result->ok());
    }

private:
    void startRealAgent()
    {
        const QString program = QStandardPaths::findExecutable(QStringLiteral("ssh-agent"));
        QVERIFY2(!program.isEmpty(), "ssh-agent (Debian package openssh-client) is needed for this test");
        m_agent.reset(new QProcess);
        m_agent->start(program, {QStringLiteral("-D"), QStringLiteral("-a"), m_socket});
        QVERIFY(m_agent->waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(m_socket), 5000);
    }

    QProcessEnvironment agentEnv() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SSH_AUTH_SOCK"), m_socket);
        return env;
    }

    ToolResult sshAdd(const QStringList& args) const
    {
        return ToolRunner::run(QStringLiteral("ssh-add"), args, agentEnv());
    }

    static bool writeFile(const QString& path, const QByteArray& data)
    {
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
    }

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_socket;
    std::unique_ptr<QProcess> m_agent;
};

QTEST_GUILESS_MAIN(TestSshAgent)
#include "TestSshAgent.moc"
