// AWS error answers as each protocol shapes them (PROTOCOLS.md §3.8 EC2, §2.7 STS, §4 JSON 1.1, §2.6 OIDC,
// plus what proxies and gateways put in between) must become Errors with the right code, message, request
// id, kind and an actionable hint, and no body, however broken, may crash or hang the parser.

#include "core/aws/http/AwsHttpClient.h"

#include <QFile>
#include <QTest>

using namespace bl;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

QByteArray fixture(const char* name)
{
    QFile f(QStringLiteral(BL_TESTDATA_DIR "/http/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return f.readAll();
}

AwsRequest requestFor(AwsProtocol protocol)
{
    AwsRequest r;
    r.protocol = protocol;
    switch (protocol) {
    case AwsProtocol::Ec2Query:
        r.signingName = QStringLiteral("ec2");
        r.operation = QStringLiteral("DescribeInstances");
        r.iamAction = QStringLiteral("ec2:DescribeInstances");
        break;
    case AwsProtocol::Query:
        r.signingName = QStringLiteral("sts");
        r.operation = QStringLiteral("AssumeRole");
        r.iamAction = QStringLiteral("sts:AssumeRole");
        break;
    case AwsProtocol::Json:
        r.signingName = QStringLiteral("ssm");
        r.operation = QStringLiteral("StartSession");
        r.iamAction = QStringLiteral("ssm:StartSession");
        break;
    case AwsProtocol::RestJson:
        r.sign = false;
        r.operation = QStringLiteral("CreateToken");
        break;
    }
    return r;
}

// "Name: value" lines -> header list
Headers headerList(const QByteArray& lines)
{
    Headers h;
    for (const QByteArray& line : lines.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            h.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return h;
}

} // namespace

class TestAwsErrors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void unauthorizedHintNamesAction_data();
    void unauthorizedHintNamesAction();
    void brokenBodiesNeverCrash_data();
    void brokenBodiesNeverCrash();
    void throttlingCodes_data();
    void throttlingCodes();
    void clockSkew_data();
    void clockSkew();
};

void TestAwsErrors::parse_data()
{
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("messagePart");
    QTest::addColumn<QString>("requestId");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("hintPart");

    const int ec2 = int(AwsProtocol::Ec2Query);
    const int query = int(AwsProtocol::Query);
    const int json = int(AwsProtocol::Json);
    const int rest = int(AwsProtocol::RestJson);

    QTest::newRow("ec2 UnauthorizedOperation")
        << ec2 << 403 << fixture("ec2-unauthorized-operation.xml") << QByteArray() << "UnauthorizedOperation"
        << "You are not authorized to perform this operation"
        << "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE" << int(ErrorKind::Service) << "ec2:DescribeInstances";
    QTest::newRow("ec2 InvalidInstanceID.NotFound")
        << ec2 << 400 << fixture("ec2-instance-not-found.xml") << QByteArray() << "InvalidInstanceID.NotFound"
        << "The instance ID 'i-1a2b3c4d' does not exist"
        << "ea966190-f9aa-478e-9ede-example" << int(ErrorKind::NotFound) << "region";
    QTest::newRow("ec2 RequestLimitExceeded")
        << ec2 << 503 << fixture("ec2-request-limit-exceeded.xml") << QByteArray() << "RequestLimitExceeded"
        << "Request limit exceeded."
        << "0c2b5d0e-2b1c-4b43-9d2a-aaaaEXAMPLE" << int(ErrorKind::Service) << "throttling";
    QTest::newRow("ec2 AuthFailure") << ec2 << 401 << fixture("ec2-auth-failure.xml") << QByteArray() << "AuthFailure"
                                     << "not able to validate the provided access credentials"
                                     << "5d2f6e7a-1111-4b43-9d2a-bbbbEXAMPLE" << int(ErrorKind::Credentials) << "clock";
    QTest::newRow("ec2 namespaced RequestExpired")
        << ec2 << 400
        << QByteArrayLiteral("<Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><Errors><Error><Code>"
                             "RequestExpired</Code><Message>Request has expired.</Message></Error></Errors>"
                             "<RequestID>r-1</RequestID></Response>")
        << QByteArray() << "RequestExpired"
        << "Request has expired."
        << "r-1" << int(ErrorKind::Credentials) << "clock";
    QTest::newRow("sts AccessDenied") << query << 403 << fixture("sts-access-denied.xml") << QByteArray()
                                      << "AccessDenied"
                                      << "is not authorized to perform: sts:AssumeRole"
                                      << "c6104cbe-af31-11e0-8154-cbc7ccf896c7" << int(ErrorKind::Service)
                                      << "sts:AssumeRole";
    QTest::newRow("sts ExpiredToken") << query << 400 << fixture("sts-expired-token.xml") << QByteArray()
                                      << "ExpiredToken"
                                      << "The security token included in the request is expired"
                                      << "9e0c3b7e-5a4f-4d5c-8f1b-1e2fEXAMPLE" << int(ErrorKind::Credentials)
                                      << "Log in again";
    QTest::newRow("sts signature expired")
        << query << 403 << fixture("sts-signature-expired.xml") << QByteArray() << "SignatureDoesNotMatch"
        << "Signature expired: 20240115T114500Z"
        << "4b2ec8a1-9b55-4a3e-9cf4-0d1dEXAMPLE" << int(ErrorKind::Credentials) << "timedatectl";
    QTest::newRow("sts wrong secret")
        << query << 403
        << QByteArrayLiteral("<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The "
                             "request signature we calculated does not match the signature you provided. Check "
                             "your AWS Secret Access Key and signing method.</Message></Error><RequestId>s-2"
                             "</RequestId></ErrorResponse>")
        << QByteArray() << "SignatureDoesNotMatch"
        << "does not match the signature you provided"
        << "s-2" << int(ErrorKind::Credentials) << "AWS_SECRET_ACCESS_KEY";
    QTest::newRow("json 1.1 ExpiredTokenException")
        << json << 400
        << QByteArrayLiteral("{\"__type\":\"com.amazon.coral.service#ExpiredTokenException\",\"message\":\"The "
                             "security token included in the request is expired\"}")
        << QByteArrayLiteral("x-amzn-RequestId: 3f1e6a0c-ssm-EXAMPLE") << "ExpiredTokenException"
        << "security token included in the request is expired"
        << "3f1e6a0c-ssm-EXAMPLE" << int(ErrorKind::Credentials) << "Log in again";
    QTest::newRow("json 1.1 AccessDeniedException, capital Message")
        << json << 400
        << QByteArrayLiteral("{\"__type\":\"AccessDeniedException\",\"Message\":\"User: arn:aws:iam::123456789012:"
                             "user/dev is not authorized to perform: ssm:StartSession on resource: arn:aws:ec2:"
                             "us-east-1:123456789012:instance/i-0123456789abcdef0\"}")
        << QByteArrayLiteral("x-amzn-RequestId: a-1") << "AccessDeniedException"
        << "not authorized to perform: ssm:StartSession"
        << "a-1" << int(ErrorKind::Service) << "ssm:StartSession";
    QTest::newRow("json 1.1 EC2 Instance Connect throttling")
        << json << 400
        << QByteArrayLiteral("{\"__type\":\"com.amazonaws.ec2instanceconnect#ThrottlingException\",\"Message\":"
                             "\"Rate exceeded\"}")
        << QByteArray() << "ThrottlingException"
        << "Rate exceeded" << QString() << int(ErrorKind::Service) << "throttling";
    // Smithy's awsJson rules: the code is what follows '#' and precedes ':' (the coral URI suffix).
    QTest::newRow("json 1.1 __type with namespace and uri")
        << json << 400
        << QByteArrayLiteral("{\"__type\":\"com.amazonaws.ssm#InvalidInstanceId:http://internal.amazon.com/coral/"
                             "com.amazon.coral.validate/\",\"message\":\"Instance is not connected\"}")
        << QByteArray() << "InvalidInstanceId"
        << "Instance is not connected" << QString() << int(ErrorKind::Service) << QString();
    QTest::newRow("x-amzn-ErrorType with uri")
        << rest << 401 << QByteArrayLiteral("{\"message\":\"Session token not found or invalid\"}")
        << QByteArrayLiteral("x-amzn-ErrorType: UnauthorizedException:http://internal.amazon.com/coral/"
                             "com.amazon.coral.service/\nx-amzn-RequestId: sso-77")
        << "UnauthorizedException"
        << "Session token not found or invalid"
        << "sso-77" << int(ErrorKind::Credentials) << "Log in again";
    QTest::newRow("x-amzn-ErrorType with namespace and uri")
        << rest << 429 << QByteArrayLiteral("{\"message\":\"Too many requests\"}")
        << QByteArrayLiteral("x-amzn-ErrorType: com.amazonaws.sso#TooManyRequestsException:http://internal.amazon."
                             "com/coral/com.amazon.coral.service/")
        << "TooManyRequestsException"
        << "Too many requests" << QString() << int(ErrorKind::Service) << "throttling";
    QTest::newRow("oidc authorization_pending")
        << rest << 400
        << QByteArrayLiteral("{\"error\":\"authorization_pending\",\"error_description\":\"Authorization is still "
                             "pending\"}")
        << QByteArray() << "authorization_pending"
        << "Authorization is still pending" << QString() << int(ErrorKind::Service) << QString();
    QTest::newRow("oidc header wins over error field")
        << rest << 400 << QByteArrayLiteral("{\"error\":\"slow_down\",\"error_description\":\"Slow down\"}")
        << QByteArrayLiteral("x-amzn-ErrorType: SlowDownException") << "SlowDownException"
        << "Slow down" << QString() << int(ErrorKind::Service) << QString();
    QTest::newRow("html 502 from a gateway") << ec2 << 502 << fixture("gateway-502.html") << QByteArray() << QString()
                                             << "HTTP 502" << QString() << int(ErrorKind::Service) << "try again";
    QTest::newRow("html 403 from a web filter")
        << json << 403 << fixture("proxy-error.html") << QByteArray() << QString() << "HTTP 403" << QString()
        << int(ErrorKind::Service) << "HTTPS_PROXY";
    QTest::newRow("empty 403") << ec2 << 403 << QByteArray() << QByteArray() << QString() << "HTTP 403" << QString()
                               << int(ErrorKind::Service) << "endpoint";
    QTest::newRow("empty 404 with request id header")
        << rest << 404 << QByteArray() << QByteArrayLiteral("x-amz-request-id: rid-404") << QString() << "HTTP 404"
        << "rid-404" << int(ErrorKind::NotFound) << "endpoint";
    QTest::newRow("empty 500") << query << 500 << QByteArray() << QByteArray() << QString() << "HTTP 500" << QString()
                               << int(ErrorKind::Service) << "try again";
    QTest::newRow("truncated ec2 xml keeps the code")
        << ec2 << 403 << fixture("ec2-unauthorized-truncated.xml") << QByteArray() << "UnauthorizedOperation"
        << "DescribeInstances" << QString() << int(ErrorKind::Service) << "ec2:DescribeInstances";
}

void TestAwsErrors::parse()
{
    QFETCH(int, protocol);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, headers);
    QFETCH(QString, code);
    QFETCH(QString, messagePart);
    QFETCH(QString, requestId);
    QFETCH(int, kind);
    QFETCH(QString, hintPart);

    const AwsProtocol p = AwsProtocol(protocol);
    const Error e = parseAwsError(p, status, body, headerList(headers), requestFor(p));
    QCOMPARE(e.awsCode, code);
    QVERIFY2(e.message.contains(messagePart), qPrintable(e.message));
    // The operation is named so a person knows which call failed.
    QVERIFY2(e.message.contains(requestFor(p).operation), qPrintable(e.message));
    QCOMPARE(e.requestId, requestId);
    QCOMPARE(errorKindName(ErrorKind(e.kind)), errorKindName(ErrorKind(kind)));
    QCOMPARE(e.httpStatus, status);
    if (hintPart.isEmpty())
        return;
    QVERIFY2(e.hint.contains(hintPart, Qt::CaseInsensitive), qPrintable(e.hint));
}

void TestAwsErrors::unauthorizedHintNamesAction_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("iamAction");
    QTest::addColumn<QString>("named");

    QTest::newRow("ec2 action") << "UnauthorizedOperation"
                                << "DescribeInstances"
                                << "ec2:DescribeInstances"
                                << "\"ec2:DescribeInstances\"";
    QTest::newRow("eic action") << "AuthException"
                                << "SendSSHPublicKey"
                                << "ec2-instance-connect:SendSSHPublicKey"
                                << "\"ec2-instance-connect:SendSSHPublicKey\"";
    QTest::newRow("ssm action") << "AccessDeniedException"
                                << "StartSession"
                                << "ssm:StartSession"
                                << "\"ssm:StartSession\"";
    QTest::newRow("no action: operation") << "AccessDenied"
                                          << "GetCallerIdentity" << QString() << "\"GetCallerIdentity\"";
    QTest::newRow("nothing known") << "UnauthorizedOperation" << QString() << QString() << "this operation";
}

void TestAwsErrors::unauthorizedHintNamesAction()
{
    QFETCH(QString, code);
    QFETCH(QString, operation);
    QFETCH(QString, iamAction);
    QFETCH(QString, named);

    AwsRequest r;
    r.operation = operation;
    r.iamAction = iamAction;
    const QString hint = hintForAwsError(code, QStringLiteral("You are not authorized to perform this operation."), r);
    QVERIFY2(hint.contains(named), qPrintable(hint));
}

void TestAwsErrors::brokenBodiesNeverCrash_data()
{
    QTest::addColumn<QByteArray>("body");

    QByteArray binary;
    for (int i = 0; i < 4096; ++i)
        binary.append(char((i * 131 + 7) & 0xff));
    QTest::newRow("binary") << binary;
    QTest::newRow("only declaration") << QByteArrayLiteral("<?xml version=\"1.0\"?>");
    QTest::newRow("unclosed error") << QByteArrayLiteral("<Response><Errors><Error><Code>");
    QTest::newRow("nested code") << QByteArrayLiteral("<Error><Code><Code>X</Code></Code><Message><b>m</b></Message>");
    QTest::newRow("entity bomb") << QByteArrayLiteral(
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
        "<Response><Errors><Error><Code>&b;</Code></Error></Errors></Response>");
    QTest::newRow("truncated json") << QByteArrayLiteral("{\"__type\":\"Throttl");
    QTest::newRow("json array") << QByteArrayLiteral("[1,2,3]");
    QTest::newRow("json wrong types") << QByteArrayLiteral("{\"__type\":42,\"message\":{\"a\":1},\"error\":null}");
    QTest::newRow("json type is only a hash") << QByteArrayLiteral("{\"__type\":\"#\"}");
    QTest::newRow("nul bytes") << QByteArray("<Response>\0<Errors>\0", 20);
    QTest::newRow("deep nesting") << QByteArray(20000, '[');
}

void TestAwsErrors::brokenBodiesNeverCrash()
{
    QFETCH(QByteArray, body);
    const Headers weirdHeaders = {{"x-amzn-ErrorType", ":"}, {"x-amzn-RequestId", QByteArray()}};
    for (AwsProtocol p : {AwsProtocol::Ec2Query, AwsProtocol::Query, AwsProtocol::Json, AwsProtocol::RestJson}) {
        for (int status : {400, 403, 500, 502}) {
            const Error plain = parseAwsError(p, status, body, {}, requestFor(p));
            QVERIFY(!plain.message.isEmpty());
            QCOMPARE(plain.httpStatus, status);
            const Error odd = parseAwsError(p, status, body, weirdHeaders, requestFor(p));
            QVERIFY(!odd.message.isEmpty());
        }
    }
}

void TestAwsErrors::throttlingCodes_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("throttling");

    // PROTOCOLS.md §3.8, botocore's standard retry mode.
    for (const char* c : {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
                          "TooManyRequestsException", "ProvisionedThroughputExceededException",
                          "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
                          "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete"})
        QTest::newRow(c) << QString::fromLatin1(c) << true;
    for (const char* c : {"", "throttling", "REQUESTLIMITEXCEEDED", "ThrottlingExceptionX", "InternalError",
                          "UnauthorizedOperation", "InvalidParameterValue", "ExpiredToken", "AuthFailure"})
        QTest::newRow(c[0] ? c : "empty") << QString::fromLatin1(c) << false;
}

void TestAwsErrors::throttlingCodes()
{
    QFETCH(QString, code);
    QFETCH(bool, throttling);
    QCOMPARE(isThrottlingCode(code), throttling);
}

void TestAwsErrors::clockSkew_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("skew");

    // PROTOCOLS.md §1.8: the six codes SDKs treat as clock skew; SignatureDoesNotMatch only by its message.
    QTest::newRow("RequestExpired") << "RequestExpired"
                                    << "Request has expired." << true;
    QTest::newRow("AuthFailure") << "AuthFailure"
                                 << "AWS was not able to validate the credentials" << true;
    QTest::newRow("InvalidSignatureException") << "InvalidSignatureException"
                                               << "Signature expired: 20240115T114500Z is now earlier than ..." << true;
    QTest::newRow("RequestTimeTooSkewed") << "RequestTimeTooSkewed" << QString() << true;
    QTest::newRow("RequestInTheFuture") << "RequestInTheFuture" << QString() << true;
    QTest::newRow("SignatureDoesNotMatch expired")
        << "SignatureDoesNotMatch"
        << "Signature expired: 20131008T001036Z is now earlier than 20131008T001112Z (20131008T001612Z - 5 min.)"
        << true;
    QTest::newRow("SignatureDoesNotMatch not yet current")
        << "SignatureDoesNotMatch"
        << "Signature not yet current: 20240115T122000Z is still later than 20240115T120500Z (20240115T120000Z + "
           "5 min.)"
        << true;
    QTest::newRow("SignatureDoesNotMatch wrong secret")
        << "SignatureDoesNotMatch"
        << "The request signature we calculated does not match the signature you provided." << false;
    QTest::newRow("UnauthorizedOperation") << "UnauthorizedOperation"
                                           << "Signature expired" << false;
    QTest::newRow("throttling") << "RequestLimitExceeded"
                                << "Request limit exceeded." << false;
    QTest::newRow("no code") << QString() << "Signature expired" << false;
}

void TestAwsErrors::clockSkew()
{
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(bool, skew);
    Error e = Error::make(ErrorKind::Service, message);
    e.awsCode = code;
    QCOMPARE(isClockSkewError(e), skew);
}

QTEST_GUILESS_MAIN(TestAwsErrors)
#include "TestAwsErrors.moc"
