// InstanceConnectProtocol: SendSSHPublicKey bodies (PROTOCOLS.md §1.7 V6, byte for byte and by signature),
// argument checks a person would trip over, and the answer.

#include "core/aws/api/InstanceConnectProtocol.h"
#include "core/aws/base/SigV4.h"

#include <QTest>

using namespace bl;

namespace {
const QString v6Key =
    QStringLiteral("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExampleExampleExample0 test");
}

class TestInstanceConnectProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void v6Body();
    void v6Signature();
    void availabilityZone();
    void badArguments_data();
    void badArguments();
    void bareEd25519KeyIsAccepted();
    void answer_data();
    void answer();
};

void TestInstanceConnectProtocol::v6Body()
{
    auto r = InstanceConnectProtocol::sendSshPublicKey(QStringLiteral("i-0123456789abcdef0"),
                                                       QStringLiteral("ec2-user"), v6Key);
    QVERIFY(r.ok());
    QCOMPARE(r->body,
             QByteArray("{\"InstanceId\": \"i-0123456789abcdef0\", \"InstanceOSUser\": \"ec2-user\", "
                        "\"SSHPublicKey\": \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExample"
                        "ExampleExample0 test\"}"));
    QCOMPARE(r->signingName, QStringLiteral("ec2-instance-connect"));
    QCOMPARE(r->protocol, AwsProtocol::Json);
    QCOMPARE(r->iamAction, QStringLiteral("ec2-instance-connect:SendSSHPublicKey"));
    const QList<QPair<QByteArray, QByteArray>> headers {
        {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/x-amz-json-1.1")},
        {QByteArrayLiteral("X-Amz-Target"), QByteArrayLiteral("AWSEC2InstanceConnectService.SendSSHPublicKey")}};
    QCOMPARE(r->headers, headers);
}

void TestInstanceConnectProtocol::v6Signature()
{
    auto r = InstanceConnectProtocol::sendSshPublicKey(QStringLiteral("i-0123456789abcdef0"),
                                                       QStringLiteral("ec2-user"), v6Key);
    QVERIFY(r.ok());
    sigv4::Request req;
    req.method = r->method;
    req.path = r->path;
    req.headers = r->headers;
    req.headers.append({QByteArrayLiteral("Host"), QByteArrayLiteral("ec2-instance-connect.us-east-1.amazonaws.com")});
    req.body = r->body;
    Credentials creds;
    creds.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    creds.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    const auto sig =
        sigv4::signHeaders(req, creds, {QByteArrayLiteral("us-east-1"), QByteArrayLiteral("ec2-instance-connect")},
                           QDateTime(QDate(2024, 1, 15), QTime(12, 0), Qt::UTC));
    QCOMPARE(sig.signature, QByteArray("6660821f6bf12d1a8ee1eb56bd2cfbfae0984804513b530950db650728bfbefb"));
}

void TestInstanceConnectProtocol::availabilityZone()
{
    auto r = InstanceConnectProtocol::sendSshPublicKey(QStringLiteral("i-0123456789abcdef0"), QStringLiteral("ubuntu"),
                                                       v6Key + QStringLiteral("\n"), QStringLiteral("us-east-1a"));
    QVERIFY(r.ok());
    QVERIFY(
        r->body.endsWith("test\", \"AvailabilityZone\": \"us-east-1a\"}")); // trailing newline of a .pub file dropped
}

void TestInstanceConnectProtocol::badArguments_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("mentions");
    const QString id = QStringLiteral("i-0123456789abcdef0");
    const QString user = QStringLiteral("ec2-user");
    QTest::newRow("name instead of id") << QStringLiteral("bastion") << user << v6Key << QStringLiteral("bastion");
    QTest::newRow("upper-case id") << QStringLiteral("i-0123456789ABCDEF0") << user << v6Key << QStringLiteral("i-0");
    QTest::newRow("empty user") << id << QString() << v6Key << QStringLiteral("login name");
    QTest::newRow("user with space") << id << QStringLiteral("ec2 user") << v6Key << QStringLiteral("ec2 user");
    QTest::newRow("user too long") << id << QString(33, QLatin1Char('a')) << v6Key << QStringLiteral("login name");
    QTest::newRow("key too short") << id << user << QStringLiteral("ssh-ed25519 AAAA") << QStringLiteral("public key");
    QTest::newRow("two keys") << id << user << v6Key + QStringLiteral("\n") + v6Key << QStringLiteral("public key");
    QTest::newRow("key too long") << id << user << QString(4097, QLatin1Char('A')) << QStringLiteral("public key");
}

void TestInstanceConnectProtocol::badArguments()
{
    QFETCH(QString, id);
    QFETCH(QString, user);
    QFETCH(QString, key);
    QFETCH(QString, mentions);
    auto r = InstanceConnectProtocol::sendSshPublicKey(id, user, key);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::Usage);
    QVERIFY2(r.error().message.contains(mentions), qPrintable(r.error().message));
    QVERIFY(!r.error().hint.isEmpty());
}

void TestInstanceConnectProtocol::bareEd25519KeyIsAccepted()
{
    // Exactly 80 characters: the service's minimum, which a bare ED25519 key line meets exactly.
    const QString bare =
        QStringLiteral("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExampleExampleExample0");
    QCOMPARE(bare.size(), 80);
    QVERIFY(
        InstanceConnectProtocol::sendSshPublicKey(QStringLiteral("i-0123456789abcdef0"), QStringLiteral("admin"), bare)
            .ok());
}

void TestInstanceConnectProtocol::answer_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("kind");
    QTest::newRow("success") << QByteArray("{\"RequestId\": \"r-1\", \"Success\": true}") << true << 0;
    QTest::newRow("success with extra fields") << QByteArray("{\"Success\":true,\"New\":{\"x\":1}}") << true << 0;
    QTest::newRow("refused") << QByteArray("{\"RequestId\": \"r-1\", \"Success\": false}") << false
                             << int(ErrorKind::Service);
    QTest::newRow("no Success") << QByteArray("{\"RequestId\": \"r-1\"}") << false << int(ErrorKind::Service);
    QTest::newRow("garbage") << QByteArray("Success") << false << int(ErrorKind::Parse);
    QTest::newRow("empty") << QByteArray() << false << int(ErrorKind::Parse);
}

void TestInstanceConnectProtocol::answer()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QFETCH(int, kind);
    const Result<void> r = InstanceConnectProtocol::parseSendSshPublicKey(body);
    QCOMPARE(r.ok(), ok);
    if (!ok) {
        QCOMPARE(int(r.error().kind), kind);
        QVERIFY(r.error().message.contains(QLatin1String("Instance Connect")));
    }
}

QTEST_GUILESS_MAIN(TestInstanceConnectProtocol)
#include "TestInstanceConnectProtocol.moc"
