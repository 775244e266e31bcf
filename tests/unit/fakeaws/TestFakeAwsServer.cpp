// FakeAws end to end over HTTPS: correctly signed calls reach EC2, SSM, EC2 Instance Connect and STS; bad
// keys, wrong secrets, missing or expired tokens and skewed clocks are refused with each protocol's own
// error shape; every answer carries Date (the server clock, which can be shifted) and a request id.

#include "FakeAwsTestClient.h"

#include "tests/fakeaws/FakeAws.h"

#include "core/aws/base/SigV4.h"
#include "core/util/Clock.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using fakeaws::FakeAws;

namespace {

QString xmlText(const QByteArray& body, const QString& tag)
{
    const QRegularExpression re(QStringLiteral("<%1>([^<]*)</%1>").arg(tag));
    return re.match(QString::fromUtf8(body)).captured(1);
}

// The error code and message in whichever shape the protocol uses.
QPair<QString, QString> errorOf(const QByteArray& service, const QByteArray& body)
{
    if (service == "ec2" || service == "sts")
        return {xmlText(body, QStringLiteral("Code")), xmlText(body, QStringLiteral("Message"))};
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    return {o.value(QStringLiteral("__type")).toString(), o.value(QStringLiteral("message")).toString()};
}

QByteArray ed25519KeyLine()
{
    QByteArray blob;
    const QByteArray type = "ssh-ed25519";
    blob += QByteArray::fromHex("0000000b") + type + QByteArray::fromHex("00000020") + QByteArray(32, '\x11');
    return "ssh-ed25519 " + blob.toBase64() + " fakeaws-test";
}

} // namespace

class TestFakeAwsServer : public QObject
{
    Q_OBJECT

private:
    FakeAwsTestClient::Reply call(const QByteArray& service, const bl::Credentials& creds, const QDateTime& at = {})
    {
        if (service == "ec2")
            return m_client->query("ec2", "Action=DescribeRegions&Version=2016-11-15", creds, at);
        if (service == "sts")
            return m_client->query("sts", "Action=GetCallerIdentity&Version=2011-06-15", creds, at);
        if (service == "ssm")
            return m_client->json("ssm", "AmazonSSM.DescribeInstanceInformation", "{}", creds, at);
        const QString instance = m_aws->fleet().instances().first().id;
        const QByteArray body =
            QJsonDocument(QJsonObject {{QStringLiteral("InstanceId"), instance},
                                       {QStringLiteral("InstanceOSUser"), QStringLiteral("ec2-user")},
                                       {QStringLiteral("SSHPublicKey"), QString::fromLatin1(ed25519KeyLine())}})
                .toJson(QJsonDocument::Compact);
        return m_client->json("ec2-instance-connect", "AWSEC2InstanceConnectService.SendSSHPublicKey", body, creds, at);
    }

    std::unique_ptr<FakeAws> m_aws;
    std::unique_ptr<FakeAwsTestClient> m_client;

private Q_SLOTS:
    void initTestCase()
    {
        m_aws = std::make_unique<FakeAws>();
        const auto started = m_aws->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().toString()));
        QVERIFY(m_aws->isRunning());
        QVERIFY(m_aws->endpointUrl().startsWith(QLatin1String("https://127.0.0.1:")));
        QVERIFY(QFile::exists(m_aws->caBundlePath()));
        QVERIFY(QFileInfo(m_aws->pushedKeysDir()).isDir());
        m_client = std::make_unique<FakeAwsTestClient>(m_aws->port(), m_aws->caCertificate());
    }

    void signedCallsReachEveryService_data()
    {
        QTest::addColumn<QByteArray>("service");
        QTest::newRow("ec2") << QByteArray("ec2");
        QTest::newRow("sts") << QByteArray("sts");
        QTest::newRow("ssm") << QByteArray("ssm");
        QTest::newRow("ec2-instance-connect") << QByteArray("ec2-instance-connect");
    }
    void signedCallsReachEveryService()
    {
        QFETCH(QByteArray, service);
        const auto reply = call(service, m_aws->defaultCredentials());
        QVERIFY2(reply.status == 200, reply.body.constData());
        QVERIFY(!reply.header("x-amzn-RequestId").isEmpty());
        QVERIFY(!reply.header("Date").isEmpty());
        if (service == "sts")
            QCOMPARE(xmlText(reply.body, QStringLiteral("Arn")), m_aws->defaultIdentity().arn);
    }

    void badCredentialsGetTheProtocolsError_data()
    {
        QTest::addColumn<QByteArray>("service");
        QTest::addColumn<QString>("problem");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message"); // prefix

        const QString invalidToken = QStringLiteral("The security token included in the request is invalid.");
        const QString mismatch = QStringLiteral("The request signature we calculated does not match");
        const QString ec2Auth = QStringLiteral("AWS was not able to validate the provided access credentials");
        const struct
        {
            const char* problem;
            int ec2Status;
            const char* ec2Code;
            QString ec2Message;
            int stsStatus;
            const char* stsCode;
            const char* jsonType;
            QString message;
        } rows[] = {
            {"wrong secret", 401, "AuthFailure", ec2Auth, 403, "SignatureDoesNotMatch", "InvalidSignatureException",
             mismatch},
            {"unknown key", 401, "AuthFailure", ec2Auth, 403, "InvalidClientTokenId", "UnrecognizedClientException",
             invalidToken},
            {"missing token", 401, "AuthFailure", ec2Auth, 403, "InvalidClientTokenId", "UnrecognizedClientException",
             invalidToken},
            {"expired token", 400, "RequestExpired", QStringLiteral("Request has expired."), 403, "ExpiredToken",
             "ExpiredTokenException", QStringLiteral("The security token included in the request is expired")},
            {"6 minutes slow", 400, "RequestExpired", QStringLiteral("Request has expired."), 403,
             "SignatureDoesNotMatch", "InvalidSignatureException", QStringLiteral("Signature expired: ")},
            {"6 minutes fast", 400, "RequestExpired", QStringLiteral("Request has expired."), 403,
             "SignatureDoesNotMatch", "InvalidSignatureException", QStringLiteral("Signature not yet current: ")},
        };
        for (const auto& row : rows) {
            const QString problem = QLatin1String(row.problem);
            QTest::addRow("ec2 %s", row.problem)
                << QByteArray("ec2") << problem << row.ec2Status << QString::fromLatin1(row.ec2Code) << row.ec2Message;
            QTest::addRow("sts %s", row.problem)
                << QByteArray("sts") << problem << row.stsStatus << QString::fromLatin1(row.stsCode) << row.message;
            QTest::addRow("ssm %s", row.problem)
                << QByteArray("ssm") << problem << 400 << QString::fromLatin1(row.jsonType) << row.message;
            QTest::addRow("ec2-instance-connect %s", row.problem)
                << QByteArray("ec2-instance-connect") << problem << 400 << QString::fromLatin1(row.jsonType)
                << row.message;
        }
    }
    void badCredentialsGetTheProtocolsError()
    {
        QFETCH(QByteArray, service);
        QFETCH(QString, problem);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, message);

        bl::Credentials creds = m_aws->defaultCredentials();
        QDateTime at = QDateTime::currentDateTimeUtc();
        if (problem == QLatin1String("wrong secret"))
            creds.secretAccessKey += QLatin1Char('x');
        else if (problem == QLatin1String("unknown key"))
            creds.accessKeyId = QStringLiteral("AKIAUNKNOWNKEY000000");
        else if (problem == QLatin1String("expired token"))
            creds = m_aws->addTemporaryAccessKey(m_aws->now().addSecs(-60)).credentials();
        else if (problem == QLatin1String("missing token")) {
            creds = m_aws->addTemporaryAccessKey(m_aws->now().addSecs(3600)).credentials();
            creds.sessionToken.clear();
        } else if (problem == QLatin1String("6 minutes slow"))
            at = at.addSecs(-360);
        else if (problem == QLatin1String("6 minutes fast"))
            at = at.addSecs(360);

        const auto reply = call(service, creds, at);
        QCOMPARE(reply.status, status);
        const auto [gotCode, gotMessage] = errorOf(service, reply.body);
        QCOMPARE(gotCode, code);
        QVERIFY2(gotMessage.startsWith(message), qPrintable(gotMessage));
        const QByteArray requestId = reply.header("x-amzn-RequestId");
        QVERIFY(!requestId.isEmpty());
        if (service == "ec2")
            QCOMPARE(xmlText(reply.body, QStringLiteral("RequestID")), QString::fromLatin1(requestId));
        if (service == "sts")
            QCOMPARE(xmlText(reply.body, QStringLiteral("RequestId")), QString::fromLatin1(requestId));
    }

    void skewMessageNamesTheTimes()
    {
        const QDateTime signedAt = QDateTime::currentDateTimeUtc().addSecs(-400);
        const auto reply = call("sts", m_aws->defaultCredentials(), signedAt);
        const QString message = xmlText(reply.body, QStringLiteral("Message"));
        const QRegularExpression shape(QStringLiteral("^Signature expired: (\\d{8}T\\d{6}Z) is now earlier than "
                                                      "\\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 5 min\\.\\)$"));
        const auto match = shape.match(message);
        QVERIFY2(match.hasMatch(), qPrintable(message));
        QCOMPARE(match.captured(1), QString::fromLatin1(bl::sigv4::amzDate(signedAt)));
    }

    void dateHeaderFollowsTheServerClock()
    {
        m_aws->faults().setClockOffsetSecs(3600);
        const auto skewed = call("ec2", m_aws->defaultCredentials());
        const auto fixed = call("ec2", m_aws->defaultCredentials(), QDateTime::currentDateTimeUtc().addSecs(3600));
        m_aws->faults().setClockOffsetSecs(0);

        // A client an hour behind the server is refused, and the Date header tells it by how much.
        QCOMPARE(skewed.status, 400);
        QCOMPARE(errorOf("ec2", skewed.body).first, QStringLiteral("RequestExpired"));
        const QDateTime serverDate = bl::ClockSkew::parseHttpDate(skewed.header("Date"));
        QVERIFY(serverDate.isValid());
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(serverDate) - 3600) < 10);
        // Signing with the corrected time works.
        QCOMPARE(fixed.status, 200);
    }

    void unsignedCallsToSignedServicesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("ec2") << QByteArray("application/x-www-form-urlencoded; charset=utf-8")
                             << QByteArray("Action=DescribeRegions&Version=2016-11-15") << 401
                             << QStringLiteral("MissingAuthenticationToken");
        QTest::newRow("sts") << QByteArray("application/x-www-form-urlencoded; charset=utf-8")
                             << QByteArray("Action=GetCallerIdentity&Version=2011-06-15") << 403
                             << QStringLiteral("MissingAuthenticationToken");
        QTest::newRow("json") << QByteArray("application/x-amz-json-1.1") << QByteArray("{}") << 400
                              << QStringLiteral("MissingAuthenticationTokenException");
    }
    void unsignedCallsToSignedServicesAreRefused()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        const auto reply = m_client->send("POST", "/", {{"Content-Type", contentType}}, body);
        QCOMPARE(reply.status, status);
        const QByteArray kind = contentType.contains("json") ? "ssm" : "ec2";
        QCOMPARE(errorOf(kind, reply.body).first, code);
    }

    void signingForAnUnservedServiceIsRefused()
    {
        const fakeaws::Headers headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "X.Y"}};
        const auto signedHeaders =
            m_client->signedHeaders("POST", "/", headers, "{}", m_aws->defaultCredentials(), "dynamodb");
        const auto reply = m_client->send("POST", "/", signedHeaders, "{}");
        QCOMPARE(reply.status, 400);
        QCOMPARE(errorOf("json", reply.body).first, QStringLiteral("InvalidSignatureException"));
    }

    void addedAccessKeysWork()
    {
        fakeaws::Identity extra;
        extra.accessKeyId = QStringLiteral("AKIAEXTRAKEY00000001");
        extra.secretAccessKey = QStringLiteral("extra-secret");
        extra.accountId = QStringLiteral("111122223333");
        m_aws->addAccessKey(extra);
        const auto reply = call("sts", extra.credentials());
        QCOMPARE(reply.status, 200);
        QCOMPARE(xmlText(reply.body, QStringLiteral("Account")), QStringLiteral("111122223333"));
        QCOMPARE(xmlText(reply.body, QStringLiteral("Arn")),
                 QStringLiteral("arn:aws:iam::111122223333:user/AKIAEXTRAKEY00000001"));
    }

    void clientEnvironmentPointsHere()
    {
        const QProcessEnvironment env = m_aws->clientEnvironment();
        QCOMPARE(env.value(QStringLiteral("AWS_ENDPOINT_URL")), m_aws->endpointUrl());
        QCOMPARE(env.value(QStringLiteral("AWS_CA_BUNDLE")), m_aws->caBundlePath());
        QCOMPARE(env.value(QStringLiteral("AWS_ACCESS_KEY_ID")), m_aws->defaultIdentity().accessKeyId);
        QCOMPARE(env.value(QStringLiteral("AWS_SECRET_ACCESS_KEY")), m_aws->defaultIdentity().secretAccessKey);
        QCOMPARE(env.value(QStringLiteral("AWS_REGION")), QStringLiteral("us-east-1"));
        QVERIFY(!env.contains(QStringLiteral("AWS_CONFIG_FILE")));
        QVERIFY(!env.contains(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE")));
        QVERIFY(!env.contains(QStringLiteral("AWS_PROFILE")));
        const QDir home(env.value(QStringLiteral("HOME")));
        QVERIFY(home.exists());
        QVERIFY(!home.exists(QStringLiteral(".aws")));
    }

    void writesAnAwsConfigWithEveryKindOfProfile()
    {
        QTemporaryDir dir;
        const auto written = m_aws->writeAwsConfig(dir.path());
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));
        QFile config(dir.filePath(QStringLiteral("config")));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(config.readAll());
        for (const char* needle :
             {"[profile static]", "source_profile = static", "mfa_serial = ", "external_id = ", "sso_session = fakeaws",
              "[sso-session fakeaws]", "sso_start_url = https://127.0.0.1:"})
            QVERIFY2(text.contains(QLatin1String(needle)), needle);
        QVERIFY(text.contains(QStringLiteral("endpoint_url = ") + m_aws->endpointUrl()));
        QFile credentials(dir.filePath(QStringLiteral("credentials")));
        QVERIFY(credentials.open(QIODevice::ReadOnly));
        QVERIFY(credentials.readAll().contains(m_aws->defaultIdentity().secretAccessKey.toUtf8()));
        QCOMPARE(credentials.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFileDevice::Permissions());
    }

    // The extension point the EICE and SSM data-channel endpoints use: an upgrade route that authenticates a
    // presigned URL and hands the TLS socket to QWebSocketServer.
    void upgradeRouteHandsOverToWebSockets()
    {
        QWebSocketServer wsServer(QStringLiteral("fakeaws-test"), QWebSocketServer::NonSecureMode);
        connect(&wsServer, &QWebSocketServer::newConnection, this, [&wsServer] {
            QWebSocket* ws = wsServer.nextPendingConnection();
            ws->setParent(&wsServer); // the caller owns accepted sockets
            connect(ws, &QWebSocket::textMessageReceived, ws,
                    [ws](const QString& m) { ws->sendTextMessage(m.toUpper()); });
        });
        FakeAws* aws = m_aws.get();
        QPointer<QSslSocket> handedOver;
        m_aws->router().addUpgradeRoute(
            "/echo", QStringLiteral("OpenEcho"), [aws, &wsServer, &handedOver](const auto& upgrade) {
                const fakeaws::AuthResult auth =
                    aws->router().verifier().verifyPresigned(upgrade.request, upgrade.context.now);
                if (!auth.ok()) {
                    upgrade.reject(
                        fakeaws::restJsonError(403, "AccessDeniedException", QStringLiteral("bad signature")));
                    return;
                }
                QSslSocket* socket = upgrade.takeSocket();
                QVERIFY(socket);
                handedOver = socket;
                wsServer.handleConnection(socket);
            });

        bl::sigv4::Request request;
        request.method = "GET";
        request.path = "/echo";
        request.query = {{"remotePort", "22"}};
        request.headers = {{"host", m_client->host()}};
        const auto presigned =
            bl::sigv4::presign(request, m_aws->defaultCredentials(), {"us-east-1", "ec2-instance-connect"},
                               QDateTime::currentDateTimeUtc(), 60);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates({m_aws->caCertificate()});

        QWebSocket ws;
        ws.setSslConfiguration(tls);
        QSignalSpy connected(&ws, &QWebSocket::connected);
        QSignalSpy received(&ws, &QWebSocket::textMessageReceived);
        ws.open(QUrl::fromEncoded("wss://" + m_client->host() + "/echo?" + presigned.query, QUrl::StrictMode));
        QVERIFY(connected.wait(5000));
        ws.sendTextMessage(QStringLiteral("hello"));
        QVERIFY(received.wait(5000));
        QCOMPARE(received.first().first().toString(), QStringLiteral("HELLO"));
        QCOMPARE(m_aws->faults().requestCount(QStringLiteral("OpenEcho")), 1);

        // A tampered URL is refused with an HTTP answer instead of the upgrade.
        QByteArray tampered = presigned.query;
        tampered.replace("remotePort=22", "remotePort=23");
        QWebSocket refused;
        refused.setSslConfiguration(tls);
        QSignalSpy failed(&refused, &QWebSocket::disconnected);
        refused.open(QUrl::fromEncoded("wss://" + m_client->host() + "/echo?" + tampered, QUrl::StrictMode));
        QVERIFY(failed.wait(5000));
        QVERIFY(refused.state() != QAbstractSocket::ConnectedState);
        // The WebSocket side releases the handed-over socket once the close handshake is done.
        ws.close();
        QTRY_VERIFY_WITH_TIMEOUT(handedOver.isNull(), 5000);
        m_aws->router().removeUpgradeRoute("/echo"); // its handler refers to this function's locals
    }

    void stopsAndRestarts()
    {
        const quint16 port = m_aws->port();
        m_aws->stop();
        QVERIFY(!m_aws->isRunning());
        QCOMPARE(m_client->send("GET", "/").status, 0);
        const auto restarted = m_aws->start(port);
        QVERIFY2(restarted.ok(), qPrintable(restarted.ok() ? QString() : restarted.error().toString()));
        QCOMPARE(m_client->send("GET", "/").status, 200);
    }

    void refusesAPortInUse()
    {
        FakeAws second;
        const auto result = second.start(m_aws->port());
        QVERIFY(!result.ok());
        QVERIFY(result.error().message.contains(QString::number(m_aws->port())));
    }
};

QTEST_GUILESS_MAIN(TestFakeAwsServer)
#include "TestFakeAwsServer.moc"
