#include "HttpTestKit.h"

#include "core/aws/base/SigV4.h"

#include <QTest>

using namespace bl;

namespace httptest {

namespace {

const QByteArray kFormType = QByteArrayLiteral("application/x-www-form-urlencoded; charset=utf-8");
const QByteArray kEc2Body = QByteArrayLiteral("Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-"
                                              "state-name&Filter.1.Value.1=running&Filter.2.Name=tag%3AEnv&Filter."
                                              "2.Value.1=prod&MaxResults=100");
const QByteArray kSsmBody = QByteArrayLiteral(
    "{\"Target\": \"i-0123456789abcdef0\", \"DocumentName\": \"AWS-StartPortForwardingSession\", \"Parameters\": "
    "{\"portNumber\": [\"3389\"], \"localPortNumber\": [\"55678\"]}}");

} // namespace

const QByteArray kToken = QByteArrayLiteral("FQoGZXIvYXdzEXAMPLETOKEN/+=");

Credentials creds(bool withToken)
{
    Credentials c;
    c.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    c.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    if (withToken)
        c.sessionToken = QString::fromLatin1(kToken);
    return c;
}

AwsRequest request(AwsProtocol protocol)
{
    AwsRequest r;
    r.protocol = protocol;
    switch (protocol) {
    case AwsProtocol::Ec2Query:
    case AwsProtocol::Query:
        r.signingName = QStringLiteral("ec2");
        r.operation = QStringLiteral("DescribeInstances");
        r.iamAction = QStringLiteral("ec2:DescribeInstances");
        r.headers = {{"Content-Type", kFormType}};
        r.body = kEc2Body;
        break;
    case AwsProtocol::Json:
        r.signingName = QStringLiteral("ssm");
        r.operation = QStringLiteral("StartSession");
        r.iamAction = QStringLiteral("ssm:StartSession");
        r.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "AmazonSSM.StartSession"}};
        r.body = kSsmBody;
        break;
    case AwsProtocol::RestJson:
        r.sign = false;
        r.operation = QStringLiteral("CreateToken");
        r.path = "/token";
        r.headers = {{"Content-Type", "application/json"}};
        r.body = "{\"clientId\":\"c\",\"grantType\":\"urn:ietf:params:oauth:grant-type:device_code\"}";
        break;
    }
    return r;
}

ScriptedReply errorReply(AwsProtocol protocol, int status, const QByteArray& code, const QByteArray& message)
{
    if (code.isEmpty()) {
        ScriptedReply r;
        r.status = status;
        return r;
    }
    switch (protocol) {
    case AwsProtocol::Ec2Query:
        return ScriptedReply::ec2Error(status, code, message);
    case AwsProtocol::Query: {
        ScriptedReply r;
        r.status = status;
        r.body = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>"
            + code + "</Code><Message>" + message + "</Message></Error><RequestId>rid-sts</RequestId></ErrorResponse>";
        return r;
    }
    case AwsProtocol::Json: {
        ScriptedReply r;
        r.status = status;
        r.headers = {{"x-amzn-RequestId", "rid-json"}, {"Content-Type", "application/x-amz-json-1.1"}};
        r.body = "{\"__type\":\"com.amazon.coral.service#" + code + "\",\"message\":\"" + message + "\"}";
        return r;
    }
    case AwsProtocol::RestJson: {
        ScriptedReply r;
        r.status = status;
        r.headers = {{"x-amzn-ErrorType", code + ":http://internal.amazon.com/coral/com.amazon.coral.service/"}};
        r.body = "{\"message\":\"" + message + "\"}";
        return r;
    }
    }
    return {};
}

QString signatureProblem(const ReceivedRequest& r, const Credentials& c, const QByteArray& service)
{
    const sigv4::AuthorizationHeader auth = sigv4::parseAuthorization(r.header("Authorization"));
    if (!auth.valid)
        return QStringLiteral("no valid Authorization header");
    const QByteArray date = r.header("X-Amz-Date");
    if (auth.accessKeyId != c.accessKeyId.toUtf8() || auth.region != "us-east-1" || auth.service != service
        || auth.date != date.left(8))
        return QStringLiteral("unexpected credential scope");
    const QList<QByteArray> names = auth.signedHeaders.split(';');
    for (const QByteArray& name : names) {
        if (r.headerCount(name) != 1)
            return QStringLiteral("signed header %1 sent %2 times")
                .arg(QString::fromLatin1(name))
                .arg(r.headerCount(name));
    }
    const sigv4::Scope scope {"us-east-1", service};
    const QByteArray canonical = sigv4::canonicalRequest(r.method, r.path, sigv4::parseQueryString(r.rawQuery),
                                                         r.headers, names, sigv4::sha256Hex(r.body));
    const QByteArray key = sigv4::signingKey(c.secretAccessKey.toUtf8(), date.left(8), scope);
    if (sigv4::hmacSha256(key, sigv4::stringToSign(date, scope, canonical)).toHex() != auth.signature)
        return QStringLiteral("signature does not verify; canonical request as received:\n%1")
            .arg(QString::fromUtf8(canonical));
    return {};
}

qint64 secsFromNow(const QByteArray& amzDate)
{
    return QDateTime::currentDateTimeUtc().secsTo(sigv4::parseAmzDate(amzDate));
}

QString Outcome::why() const
{
    return !result ? QStringLiteral("no answer") : result->ok() ? QString() : error().toString();
}

std::shared_ptr<Outcome> start(AwsHttpClient& client, const AwsRequest& r, const QUrl& endpoint,
                               const std::optional<Credentials>& c, QObject* context)
{
    auto out = std::make_shared<Outcome>();
    out->inSend = true;
    client.send(r, endpoint, QStringLiteral("us-east-1"), c, context, [out](Result<AwsResponse> result) {
        ++out->calls;
        out->calledInsideSend = out->calledInsideSend || out->inSend;
        out->result.emplace(std::move(result));
    });
    out->inSend = false;
    return out;
}

HttpSettings fastSettings()
{
    HttpSettings s;
    s.requestTimeoutMs = 5000;
    return s;
}

bool finish(const std::shared_ptr<Outcome>& o, int timeoutMs)
{
    if (!QTest::qWaitFor([&] { return o->calls > 0; }, timeoutMs))
        return false;
    QTest::qWait(20); // a second call would come from the event loop too
    return o->calls == 1 && !o->calledInsideSend;
}

} // namespace httptest
