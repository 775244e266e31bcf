// SsmProtocol's Session Manager calls: StartSession / ResumeSession / TerminateSession bodies as botocore writes
// them, tolerant but strict-enough parsing of the answers, and the hints for the errors a person can fix.

#include "core/aws/api/SsmProtocol.h"

#include <QTest>

using namespace bl;

class TestSsmSessionProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startRequest_data();
    void startRequest();
    void headers_data();
    void headers();
    void parseStart();
    void parseStartGarbage_data();
    void parseStartGarbage();
    void parseResume_data();
    void parseResume();
    void parseTerminate();
    void explain_data();
    void explain();
    void explainLeavesOthers();
};

void TestSsmSessionProtocol::startRequest_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("document");
    QTest::addColumn<SsmSessionParameters>("parameters");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("port forwarding")
        << QStringLiteral("i-0123456789abcdef0") << QStringLiteral("AWS-StartPortForwardingSession")
        << SsmSessionParameters {{QStringLiteral("portNumber"), {QStringLiteral("3389")}},
                                 {QStringLiteral("localPortNumber"), {QStringLiteral("55678")}}}
        << QString()
        << QByteArray("{\"Target\": \"i-0123456789abcdef0\", \"DocumentName\": \"AWS-StartPortForwardingSession\", "
                      "\"Parameters\": {\"localPortNumber\": [\"55678\"], \"portNumber\": [\"3389\"]}}");
    QTest::newRow("remote host with reason")
        << QStringLiteral("i-1") << QStringLiteral("AWS-StartPortForwardingSessionToRemoteHost")
        << SsmSessionParameters {{QStringLiteral("host"), {QStringLiteral("db.internal")}},
                                 {QStringLiteral("portNumber"), {QStringLiteral("5432")}}}
        << QStringLiteral("ticket \"42\"")
        << QByteArray("{\"Target\": \"i-1\", \"DocumentName\": \"AWS-StartPortForwardingSessionToRemoteHost\", "
                      "\"Parameters\": {\"host\": [\"db.internal\"], \"portNumber\": [\"5432\"]}, "
                      "\"Reason\": \"ticket \\\"42\\\"\"}");
    QTest::newRow("shell: no document, no parameters")
        << QStringLiteral("mi-0123456789abcdef0") << QString() << SsmSessionParameters {} << QString()
        << QByteArray("{\"Target\": \"mi-0123456789abcdef0\"}");
    QTest::newRow("reason cut to 256") << QStringLiteral("i-1") << QStringLiteral("AWS-StartSSHSession")
                                       << SsmSessionParameters {{QStringLiteral("portNumber"), {QStringLiteral("22")}}}
                                       << QString(300, QLatin1Char('r'))
                                       << (QByteArray(
                                               "{\"Target\": \"i-1\", \"DocumentName\": \"AWS-StartSSHSession\", "
                                               "\"Parameters\": {\"portNumber\": [\"22\"]}, \"Reason\": \"")
                                           + QByteArray(256, 'r') + QByteArray("\"}"));
}

void TestSsmSessionProtocol::startRequest()
{
    QFETCH(QString, target);
    QFETCH(QString, document);
    QFETCH(SsmSessionParameters, parameters);
    QFETCH(QString, reason);
    QFETCH(QByteArray, body);
    QCOMPARE(SsmProtocol::startSession(target, document, parameters, reason).body, body);
}

void TestSsmSessionProtocol::headers_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("StartSession") << QStringLiteral("StartSession")
                                  << SsmProtocol::startSession(QStringLiteral("i-1"), {}, {}).body;
    QTest::newRow("ResumeSession") << QStringLiteral("ResumeSession")
                                   << QByteArray("{\"SessionId\": \"alice-0a1b2c3d4e5f67890\"}");
    QTest::newRow("TerminateSession") << QStringLiteral("TerminateSession")
                                      << QByteArray("{\"SessionId\": \"alice-0a1b2c3d4e5f67890\"}");
}

void TestSsmSessionProtocol::headers()
{
    QFETCH(QString, operation);
    QFETCH(QByteArray, body);
    const QString id = QStringLiteral("alice-0a1b2c3d4e5f67890");
    const AwsRequest r = operation == QLatin1String("StartSession")
        ? SsmProtocol::startSession(QStringLiteral("i-1"), {}, {})
        : operation == QLatin1String("ResumeSession") ? SsmProtocol::resumeSession(id)
                                                      : SsmProtocol::terminateSession(id);
    QCOMPARE(r.signingName, QStringLiteral("ssm"));
    QCOMPARE(r.protocol, AwsProtocol::Json);
    QCOMPARE(r.operation, operation);
    QCOMPARE(r.iamAction, QStringLiteral("ssm:") + operation);
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.body, body);
    const QList<QPair<QByteArray, QByteArray>> expected {
        {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/x-amz-json-1.1")},
        {QByteArrayLiteral("X-Amz-Target"), "AmazonSSM." + operation.toLatin1()}};
    QCOMPARE(r.headers, expected);
}

void TestSsmSessionProtocol::parseStart()
{
    const QByteArray body =
        "{\"SessionId\": \"alice-0a1b2c3d4e5f67890\", \"TokenValue\": \"AAEAAExampleToken/+=\", "
        "\"StreamUrl\": \"wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/alice-0a1b2c3d4e5f67890?"
        "role=publish_subscribe&cell-number=AAEAA%2Fx%3D\", \"Unknown\": 1}";
    auto t = SsmProtocol::parseStartSession(body);
    QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().toString()));
    QCOMPARE(t->sessionId, QStringLiteral("alice-0a1b2c3d4e5f67890"));
    QCOMPARE(t->tokenValue, QStringLiteral("AAEAAExampleToken/+="));
    // Kept verbatim: the percent escapes are part of the opaque URL.
    QCOMPARE(t->streamUrl,
             QStringLiteral("wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/"
                            "alice-0a1b2c3d4e5f67890?role=publish_subscribe&cell-number=AAEAA%2Fx%3D"));
}

void TestSsmSessionProtocol::parseStartGarbage_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("<html/>");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("no token") << QByteArray("{\"SessionId\": \"s\", \"StreamUrl\": \"wss://x/\"}");
    QTest::newRow("null token") << QByteArray(
        "{\"SessionId\": \"s\", \"TokenValue\": null, \"StreamUrl\": \"wss://x/\"}");
    QTest::newRow("no url") << QByteArray("{\"SessionId\": \"s\", \"TokenValue\": \"t\"}");
    QTest::newRow("no id") << QByteArray("{\"TokenValue\": \"t\", \"StreamUrl\": \"wss://x/\"}");
    QTest::newRow("number token") << QByteArray(
        "{\"SessionId\": \"s\", \"TokenValue\": 5, \"StreamUrl\": \"wss://x/\"}");
}

void TestSsmSessionProtocol::parseStartGarbage()
{
    QFETCH(QByteArray, body);
    auto t = SsmProtocol::parseStartSession(body);
    QVERIFY(!t.ok());
    QCOMPARE(t.error().kind, ErrorKind::Parse);
    QVERIFY(t.error().message.contains(QLatin1String("SSM StartSession")));
}

void TestSsmSessionProtocol::parseResume_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("url");
    QTest::newRow("new token and url") << QByteArray("{\"SessionId\": \"s\", \"TokenValue\": \"t2\", "
                                                     "\"StreamUrl\": \"wss://h/v1/data-channel/s?role=x\"}")
                                       << true << QStringLiteral("t2")
                                       << QStringLiteral("wss://h/v1/data-channel/s?role=x");
    QTest::newRow("token only (old services)")
        << QByteArray("{\"SessionId\": \"s\", \"TokenValue\": \"t2\"}") << true << QStringLiteral("t2") << QString();
    QTest::newRow("null token: over") << QByteArray("{\"SessionId\": \"s\", \"TokenValue\": null, \"StreamUrl\": null}")
                                      << true << QString() << QString();
    QTest::newRow("empty object: over") << QByteArray("{}") << true << QString() << QString();
    QTest::newRow("garbage") << QByteArray("nope") << false << QString() << QString();
    QTest::newRow("token is an object") << QByteArray("{\"TokenValue\": {}}") << false << QString() << QString();
}

void TestSsmSessionProtocol::parseResume()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QFETCH(QString, token);
    QFETCH(QString, url);
    auto t = SsmProtocol::parseResumeSession(body);
    QCOMPARE(t.ok(), ok);
    if (!ok) {
        QCOMPARE(t.error().kind, ErrorKind::Parse);
        return;
    }
    QCOMPARE(t->tokenValue, token);
    QCOMPARE(t->streamUrl, url);
}

void TestSsmSessionProtocol::parseTerminate()
{
    auto t = SsmProtocol::parseTerminateSession("{\"SessionId\": \"alice-1\"}");
    QVERIFY(t.ok());
    QCOMPARE(*t, QStringLiteral("alice-1"));
    auto empty = SsmProtocol::parseTerminateSession("{}");
    QVERIFY(empty.ok());
    QVERIFY(empty->isEmpty());
    QVERIFY(!SsmProtocol::parseTerminateSession("").ok());
    QVERIFY(!SsmProtocol::parseTerminateSession("{\"SessionId\": []}").ok());
}

void TestSsmSessionProtocol::explain_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QStringList>("inMessage");
    QTest::addColumn<QStringList>("inHint");
    QTest::newRow("target not connected")
        << QStringLiteral("TargetNotConnected") << QStringLiteral("StartSession")
        << QStringList {QStringLiteral("i-0123456789abcdef0"), QStringLiteral("not connected")}
        << QStringList {QStringLiteral("Online"), QStringLiteral("ssmmessages:"), QStringLiteral("region")};
    QTest::newRow("access denied on start")
        << QStringLiteral("AccessDeniedException") << QStringLiteral("StartSession")
        << QStringList {QStringLiteral("i-0123456789abcdef0"), QStringLiteral("AWS-StartPortForwardingSession")}
        << QStringList {QStringLiteral("ssm:StartSession"), QStringLiteral("instance/i-0123456789abcdef0"),
                        QStringLiteral("document/AWS-StartPortForwardingSession")};
    QTest::newRow("access denied on terminate")
        << QStringLiteral("AccessDeniedException") << QStringLiteral("TerminateSession")
        << QStringList {QStringLiteral("alice-0a1b")} << QStringList {QStringLiteral("ssm:TerminateSession")};
    QTest::newRow("resume of a gone session")
        << QStringLiteral("DoesNotExistException") << QStringLiteral("ResumeSession")
        << QStringList {QStringLiteral("alice-0a1b"), QStringLiteral("no longer exists")}
        << QStringList {QStringLiteral("Start a new session")};
    QTest::newRow("unknown document") << QStringLiteral("InvalidDocument") << QStringLiteral("StartSession")
                                      << QStringList {QStringLiteral("AWS-StartPortForwardingSession")}
                                      << QStringList {QStringLiteral("AWS-StartSSHSession")};
    QTest::newRow("bad parameters") << QStringLiteral("ValidationException") << QStringLiteral("StartSession")
                                    << QStringList {QStringLiteral("parameters")}
                                    << QStringList {QStringLiteral("remote port")};
}

void TestSsmSessionProtocol::explain()
{
    QFETCH(QString, code);
    QFETCH(QString, operation);
    QFETCH(QStringList, inMessage);
    QFETCH(QStringList, inHint);
    Error raw = Error::make(ErrorKind::Service, QStringLiteral("raw service text"), QStringLiteral("generic"));
    raw.awsCode = code;
    raw.requestId = QStringLiteral("req-1");
    const Error e = SsmProtocol::explainSessionError(raw, operation, QStringLiteral("i-0123456789abcdef0"),
                                                     QStringLiteral("AWS-StartPortForwardingSession"),
                                                     QStringLiteral("alice-0a1b"));
    for (const QString& s : inMessage)
        QVERIFY2(e.message.contains(s), qPrintable(e.message + QStringLiteral(" lacks ") + s));
    for (const QString& s : inHint)
        QVERIFY2(e.hint.contains(s), qPrintable(e.hint + QStringLiteral(" lacks ") + s));
    QVERIFY(e.message.contains(QLatin1String("raw service text"))); // the service's own words are kept
    QCOMPARE(e.awsCode, code);
    QCOMPARE(e.requestId, QStringLiteral("req-1"));
}

void TestSsmSessionProtocol::explainLeavesOthers()
{
    Error raw = Error::make(ErrorKind::Service, QStringLiteral("slow down"), QStringLiteral("wait"));
    raw.awsCode = QStringLiteral("ThrottlingException");
    const Error e = SsmProtocol::explainSessionError(raw, QStringLiteral("StartSession"), QStringLiteral("i-1"));
    QCOMPARE(e.message, raw.message);
    QCOMPARE(e.hint, raw.hint);
}

QTEST_GUILESS_MAIN(TestSsmSessionProtocol)
#include "TestSsmSessionProtocol.moc"
