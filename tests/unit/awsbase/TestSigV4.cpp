// SigV4 against AWS's own test suite (../shared/testdata/aws4_testsuite, every case found on disk) and the
// vectors of PROTOCOLS.md §1.7, plus the building blocks fakeaws uses to verify signatures.

#include "core/aws/base/SigV4.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTest>
#include <QTimeZone>

using namespace bl;
using namespace bl::sigv4;

namespace {

// The suite has 34 cases (including normalize-path/* and post-sts-token/*); fewer means discovery broke.
constexpr int kSuiteCases = 34;

const QByteArray kSuiteTime = QByteArrayLiteral("20150830T123600Z");
// get-vanilla-with-session-token carries no token header in its .req: the signer must add this one.
const QByteArray kVanillaSessionToken =
    QByteArrayLiteral("6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267");
const QByteArray kEmptyHash = QByteArrayLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
const QByteArray kV7Token = QByteArrayLiteral("FQoGZXIvYXdzEXAMPLETOKEN/+=");
const QByteArray kV2Host =
    QByteArrayLiteral("eice-0123456789abcdef0.b67b86ba.ec2-instance-connect-endpoint.us-east-1.amazonaws.com");

QString suiteDir()
{
    return qEnvironmentVariable("BL_SHARED_DIR", QStringLiteral(BL_SHARED_DIR))
        + QStringLiteral("/testdata/aws4_testsuite");
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

Credentials exampleCreds(const QByteArray& token = {})
{
    Credentials c;
    c.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    c.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    c.sessionToken = QString::fromUtf8(token);
    return c;
}

QDateTime utc(int y, int mo, int d, int h, int mi, int s)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s), QTimeZone::utc());
}

// A raw HTTP request from the suite: request line, headers (folded lines continue the previous header,
// duplicates stay separate), blank line, body. The target may contain spaces (normalize-path/get-space).
bool parseRawRequest(const QByteArray& raw, Request* out, QString* why)
{
    QByteArray text = raw;
    text.replace("\r\n", "\n");
    const qsizetype blank = text.indexOf("\n\n");
    const QByteArray head = blank < 0 ? text : text.left(blank);
    out->body = blank < 0 ? QByteArray() : text.mid(blank + 2);

    const QList<QByteArray> lines = head.split('\n');
    const QByteArray requestLine = lines.value(0);
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace <= firstSpace) {
        *why = QStringLiteral("bad request line");
        return false;
    }
    out->method = requestLine.left(firstSpace);
    const QByteArray target = requestLine.mid(firstSpace + 1, lastSpace - firstSpace - 1);
    const qsizetype qmark = target.indexOf('?');
    out->path = qmark < 0 ? target : target.left(qmark);
    out->query = qmark < 0 ? QueryList() : parseQueryString(target.mid(qmark + 1));

    out->headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray& line = lines.at(i);
        if (line.isEmpty())
            continue; // a trailing newline without a body
        if (line.startsWith(' ') || line.startsWith('\t')) {
            if (out->headers.isEmpty()) {
                *why = QStringLiteral("continuation before any header");
                return false;
            }
            out->headers.last().second += ' ' + line.trimmed();
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            *why = QStringLiteral("bad header line %1").arg(i + 1);
            return false;
        }
        out->headers.append({line.left(colon), line.mid(colon + 1)});
    }
    return true;
}

QStringList discoverSuite()
{
    QStringList cases;
    QDirIterator it(suiteDir(), {QStringLiteral("*.req")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        cases.append(it.next());
    cases.sort();
    return cases;
}

Request eiceRequest(const QByteArray& host, const QueryList& params)
{
    Request r;
    r.method = "GET";
    r.path = "/openTunnel";
    r.query = params;
    r.headers = {{QByteArrayLiteral("host"), host}};
    return r;
}

Request jsonPost(const QByteArray& host, const QByteArray& target, const QByteArray& body)
{
    Request r;
    r.method = "POST";
    r.path = "/";
    r.headers = {{QByteArrayLiteral("Host"), host},
                 {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/x-amz-json-1.1")},
                 {QByteArrayLiteral("X-Amz-Target"), target}};
    r.body = body;
    return r;
}

// What fakeaws does: recompute the signature from the request as received and the parsed Authorization.
QByteArray verifierSignature(const Request& sent, const HeaderList& sentHeaders, const QByteArray& secret)
{
    QByteArray authz;
    QByteArray date;
    for (const auto& h : sentHeaders) {
        if (h.first.toLower() == "authorization")
            authz = h.second;
        if (h.first.toLower() == "x-amz-date")
            date = h.second;
    }
    const AuthorizationHeader parsed = parseAuthorization(authz);
    if (!parsed.valid)
        return {};
    const Scope scope {parsed.region, parsed.service};
    const QByteArray creq = canonicalRequest(sent.method, sent.path, sent.query, sentHeaders,
                                             parsed.signedHeaders.split(';'), sha256Hex(sent.body));
    return hmacSha256(signingKey(secret, parsed.date, scope), stringToSign(date, scope, creq)).toHex();
}

} // namespace

class TestSigV4 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void suiteIsComplete();
    void awsSuite_data();
    void awsSuite();
    void v1OfficialEicePresign();
    void v2EicePresignWithToken();
    void v2WithoutToken();
    void v3Ipv6Rdp();
    void v4DescribeInstances_data();
    void v4DescribeInstances();
    void v5v6Json_data();
    void v5v6Json();
    void uriEncode_data();
    void uriEncode();
    void canonicalQuerySorting_data();
    void canonicalQuerySorting();
    void parseQueryString_data();
    void parseQueryString();
    void parseAuthorization_data();
    void parseAuthorization();
    void amzDateRoundTrip_data();
    void amzDateRoundTrip();
    void signHeadersSkipsDenyListAndStaleValues();
    void verifierAgreesWithSigner();
};

void TestSigV4::suiteIsComplete()
{
    const QStringList cases = discoverSuite();
    if (cases.size() < kSuiteCases)
        QFAIL(qPrintable(QStringLiteral("found %1 suite cases under %2, expected %3")
                             .arg(cases.size())
                             .arg(suiteDir())
                             .arg(kSuiteCases)));
}

void TestSigV4::awsSuite_data()
{
    QTest::addColumn<QString>("reqPath");
    const QDir root(suiteDir());
    for (const QString& path : discoverSuite()) {
        const QString name = root.relativeFilePath(QFileInfo(path).path());
        QTest::newRow(name.toUtf8().constData()) << path;
    }
}

void TestSigV4::awsSuite()
{
    QFETCH(QString, reqPath);
    const QString base = reqPath.chopped(4);
    const QString caseName = QFileInfo(base).fileName();

    Request request;
    QString why;
    QVERIFY2(parseRawRequest(readFile(reqPath), &request, &why), qPrintable(why));

    QByteArray token;
    if (caseName == QStringLiteral("get-vanilla-with-session-token")) {
        token = kVanillaSessionToken;
    } else if (caseName == QStringLiteral("post-sts-header-before")) {
        // The readme names the token; the signer must sign it rather than duplicate the header.
        const QList<QByteArray> readme =
            readFile(suiteDir() + QStringLiteral("/post-sts-token/readme.txt")).trimmed().split('\n');
        token = readme.last().trimmed();
        QVERIFY(!token.isEmpty());
    }

    const Scope scope {QByteArrayLiteral("us-east-1"), QByteArrayLiteral("service")};
    const Signature sig = signHeaders(request, exampleCreds(token), scope, parseAmzDate(kSuiteTime));

    QCOMPARE(sig.canonicalRequest, readFile(base + QStringLiteral(".creq")));
    QCOMPARE(sig.stringToSign, readFile(base + QStringLiteral(".sts")));
    QCOMPARE(sig.authorization, readFile(base + QStringLiteral(".authz")));

    if (caseName == QStringLiteral("post-sts-header-after")) {
        // The token travels unsigned here: the signed request carries it, the signature does not cover it.
        QVERIFY(readFile(base + QStringLiteral(".sreq")).contains("X-Amz-Security-Token:"));
        QVERIFY(!sig.signedHeaders.contains("x-amz-security-token"));
    }
}

void TestSigV4::v1OfficialEicePresign()
{
    Credentials creds;
    creds.accessKeyId = QStringLiteral("access_key");
    creds.secretAccessKey = QStringLiteral("secret_key");
    const QByteArray host = QByteArrayLiteral("eice-123.ec2-instance-connect-endpoint.us-west-2.amazonaws.com");
    const Request r = eiceRequest(host,
                                  {{"instanceConnectEndpointId", "eice-123"},
                                   {"remotePort", "22"},
                                   {"privateIpAddress", "10.0.0.0"},
                                   {"maxTunnelDuration", "1"}});
    const Presigned p = presign(r, creds, {"us-west-2", "ec2-instance-connect"}, utc(2020, 1, 1, 1, 1, 1), 60);
    const QByteArray url = "wss://" + host + r.path + '?' + p.query;
    QCOMPARE(url,
             QByteArrayLiteral(
                 "wss://eice-123.ec2-instance-connect-endpoint.us-west-2.amazonaws.com/openTunnel?"
                 "instanceConnectEndpointId=eice-123&remotePort=22&privateIpAddress=10.0.0.0&maxTunnelDuration=1&"
                 "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=access_key%2F20200101%2Fus-west-2%2Fec2-"
                 "instance-connect%2Faws4_request&X-Amz-Date=20200101T010101Z&X-Amz-Expires=60&X-Amz-"
                 "SignedHeaders=host&X-Amz-Signature="
                 "3a56740422a5b9aebd22d860b7a30c729e459a6f71a83bc0de3a2b44b7353f28"));
}

void TestSigV4::v2EicePresignWithToken()
{
    const Request r = eiceRequest(kV2Host,
                                  {{"instanceConnectEndpointId", "eice-0123456789abcdef0"},
                                   {"remotePort", "22"},
                                   {"privateIpAddress", "10.0.1.23"},
                                   {"maxTunnelDuration", "3600"}});
    const Presigned p =
        presign(r, exampleCreds(kV7Token), {"us-east-1", "ec2-instance-connect"}, utc(2024, 1, 15, 12, 0, 0), 60);
    QCOMPARE(p.canonicalRequest,
             QByteArrayLiteral(
                 "GET\n/openTunnel\n"
                 "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240115%2Fus-east-1%2Fec2-"
                 "instance-connect%2Faws4_request&X-Amz-Date=20240115T120000Z&X-Amz-Expires=60&X-Amz-Security-"
                 "Token=FQoGZXIvYXdzEXAMPLETOKEN%2F%2B%3D&X-Amz-SignedHeaders=host&instanceConnectEndpointId=eice-"
                 "0123456789abcdef0&maxTunnelDuration=3600&privateIpAddress=10.0.1.23&remotePort=22\n"
                 "host:eice-0123456789abcdef0.b67b86ba.ec2-instance-connect-endpoint.us-east-1.amazonaws.com\n"
                 "\nhost\n")
                 + kEmptyHash);
    QCOMPARE(p.stringToSign.split('\n').last(),
             QByteArrayLiteral("908ed2f7cedba9e64ab1b5e5e8fb715af609221edd58860b9c110cfa94487353"));
    QCOMPARE(p.signature, QByteArrayLiteral("45932c629acabbe7e566c8e7afadaacb6496f9684df264dd98e4f1eeefb22c0e"));
    QCOMPARE("wss://" + kV2Host + "/openTunnel?" + p.query,
             QByteArrayLiteral(
                 "wss://eice-0123456789abcdef0.b67b86ba.ec2-instance-connect-endpoint.us-east-1.amazonaws.com/"
                 "openTunnel?instanceConnectEndpointId=eice-0123456789abcdef0&remotePort=22&privateIpAddress=10.0."
                 "1.23&maxTunnelDuration=3600&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F2024"
                 "0115%2Fus-east-1%2Fec2-instance-connect%2Faws4_request&X-Amz-Date=20240115T120000Z&X-Amz-Expires"
                 "=60&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLETOKEN%2F%2B%3D&X-Amz-"
                 "Signature=45932c629acabbe7e566c8e7afadaacb6496f9684df264dd98e4f1eeefb22c0e"));
}

void TestSigV4::v2WithoutToken()
{
    const Request r = eiceRequest(kV2Host,
                                  {{"instanceConnectEndpointId", "eice-0123456789abcdef0"},
                                   {"remotePort", "22"},
                                   {"privateIpAddress", "10.0.1.23"},
                                   {"maxTunnelDuration", "3600"}});
    const Presigned p =
        presign(r, exampleCreds(), {"us-east-1", "ec2-instance-connect"}, utc(2024, 1, 15, 12, 0, 0), 60);
    QCOMPARE(p.signature, QByteArrayLiteral("1eaf1655a3a99ab8234c39c0a8b00445f495a748d4e3ed2e6466c6e6d585f85f"));
    QVERIFY(!p.query.contains("X-Amz-Security-Token"));
}

void TestSigV4::v3Ipv6Rdp()
{
    const Request r = eiceRequest(kV2Host,
                                  {{"instanceConnectEndpointId", "eice-0123456789abcdef0"},
                                   {"remotePort", "3389"},
                                   {"privateIpAddress", "2600:1f18:abcd:1200::10"}});
    const Presigned p =
        presign(r, exampleCreds(), {"us-east-1", "ec2-instance-connect"}, utc(2024, 1, 15, 12, 0, 0), 60);
    QCOMPARE(p.signature, QByteArrayLiteral("59f06982e3368476ce605ed70f5f861fa78cab541442e4473c9d6fe8dd9b0c0f"));
    QVERIFY(p.query.contains("&privateIpAddress=2600%3A1f18%3Aabcd%3A1200%3A%3A10&"));
}

void TestSigV4::v4DescribeInstances_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QByteArray>("signedHeaders");
    QTest::addColumn<QByteArray>("signature");
    QTest::newRow("no token") << QByteArray() << QByteArrayLiteral("content-type;host;x-amz-date")
                              << QByteArrayLiteral("ca72ba76a393782ef732d8337514e07adb02b41eeb771266b20187e40b4434f1");
    QTest::newRow("token") << kV7Token << QByteArrayLiteral("content-type;host;x-amz-date;x-amz-security-token")
                           << QByteArrayLiteral("b1b8f5bdeabee481ac1822ca08d5df9d96f06da3773cd362f4d20cda164fce02");
}

void TestSigV4::v4DescribeInstances()
{
    QFETCH(QByteArray, token);
    QFETCH(QByteArray, signedHeaders);
    QFETCH(QByteArray, signature);
    Request r;
    r.method = "POST";
    r.headers = {{"Host", "ec2.us-east-1.amazonaws.com"},
                 {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    r.body = QByteArrayLiteral("Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-state-name&Filter.1."
                               "Value.1=running&Filter.1.Value.2=stopped&Filter.2.Name=tag%3AEnv&Filter.2.Value.1="
                               "prod&MaxResults=100");
    QCOMPARE(sha256Hex(r.body), QByteArrayLiteral("4efa9ce69f03c605696fe5dbe984b5f7a277c9ce6ab8e23afcfaaa78a2acc095"));
    const Signature sig = signHeaders(r, exampleCreds(token), {"us-east-1", "ec2"}, utc(2024, 1, 15, 12, 0, 0));
    QCOMPARE(sig.signedHeaders, signedHeaders);
    QCOMPARE(sig.signature, signature);
    QCOMPARE(sig.authorization,
             "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/ec2/aws4_request, SignedHeaders="
                 + signedHeaders + ", Signature=" + signature);
    QCOMPARE(sig.addedHeaders.size(), token.isEmpty() ? 2 : 3);
    QCOMPARE(sig.addedHeaders.first(), (QPair<QByteArray, QByteArray>("X-Amz-Date", "20240115T120000Z")));
    if (!token.isEmpty())
        QCOMPARE(sig.addedHeaders.at(1), (QPair<QByteArray, QByteArray>("X-Amz-Security-Token", token)));
    QCOMPARE(sig.addedHeaders.last(), (QPair<QByteArray, QByteArray>("Authorization", sig.authorization)));
}

void TestSigV4::v5v6Json_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QByteArray>("service");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("signature");
    QTest::newRow("V5 SSM StartSession")
        << QByteArrayLiteral("ssm.us-east-1.amazonaws.com") << QByteArrayLiteral("ssm")
        << QByteArrayLiteral("AmazonSSM.StartSession")
        << QByteArrayLiteral(R"({"Target": "i-0123456789abcdef0", "DocumentName": "AWS-StartPortForwardingSession", )"
                             R"("Parameters": {"portNumber": ["3389"], "localPortNumber": ["55678"]}})")
        << QByteArrayLiteral("4240ad8563613e56d8b8bfbead797b446ca41f88f9176f27ddb3658ab33eee60");
    QTest::newRow("V6 SendSSHPublicKey")
        << QByteArrayLiteral("ec2-instance-connect.us-east-1.amazonaws.com")
        << QByteArrayLiteral("ec2-instance-connect")
        << QByteArrayLiteral("AWSEC2InstanceConnectService.SendSSHPublicKey")
        << QByteArrayLiteral(R"({"InstanceId": "i-0123456789abcdef0", "InstanceOSUser": "ec2-user", "SSHPublicKey": )"
                             R"("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExampleExampleExample0 )"
                             R"(test"})")
        << QByteArrayLiteral("6660821f6bf12d1a8ee1eb56bd2cfbfae0984804513b530950db650728bfbefb");
}

void TestSigV4::v5v6Json()
{
    QFETCH(QByteArray, host);
    QFETCH(QByteArray, service);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, signature);
    const Signature sig =
        signHeaders(jsonPost(host, target, body), exampleCreds(), {"us-east-1", service}, utc(2024, 1, 15, 12, 0, 0));
    QCOMPARE(sig.signedHeaders, QByteArrayLiteral("content-type;host;x-amz-date;x-amz-target"));
    QCOMPARE(sig.signature, signature);
}

void TestSigV4::uriEncode_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<bool>("encodeSlash");
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("space is %20") << QByteArray("a b") << true << QByteArray("a%20b");
    QTest::newRow("unreserved kept") << QByteArray("AZaz09-_.~") << true << QByteArray("AZaz09-_.~");
    QTest::newRow("upper hex") << QByteArray("/+=:") << true << QByteArray("%2F%2B%3D%3A");
    QTest::newRow("plus never space") << QByteArray("+") << true << QByteArray("%2B");
    QTest::newRow("percent re-encoded") << QByteArray("%20") << true << QByteArray("%2520");
    QTest::newRow("utf8 bytes") << QString(QChar(0x1234)).toUtf8() << true << QByteArray("%E1%88%B4");
    QTest::newRow("slash kept for paths") << QByteArray("/a b/c") << false << QByteArray("/a%20b/c");
    QTest::newRow("empty") << QByteArray() << true << QByteArray();
}

void TestSigV4::uriEncode()
{
    QFETCH(QByteArray, raw);
    QFETCH(bool, encodeSlash);
    QFETCH(QByteArray, encoded);
    QCOMPARE(sigv4::uriEncode(raw, encodeSlash), encoded);
}

void TestSigV4::canonicalQuerySorting_data()
{
    QTest::addColumn<QueryList>("params");
    QTest::addColumn<QByteArray>("canonical");
    QTest::newRow("X-Amz before lower-case")
        << QueryList {{"remotePort", "22"}, {"X-Amz-Date", "x"}, {"instanceConnectEndpointId", "e"}}
        << QByteArray("X-Amz-Date=x&instanceConnectEndpointId=e&remotePort=22");
    QTest::newRow("sorted by encoded bytes")
        << QueryList {{"b", "1"}, {QString(QChar(0x1234)).toUtf8(), "2"}, {"a-b", "3"}, {"a", "4"}}
        << QByteArray("%E1%88%B4=2&a=4&a-b=3&b=1");
    QTest::newRow("same key sorted by value")
        << QueryList {{"k", "b"}, {"k", "a b"}, {"k", "B"}} << QByteArray("k=B&k=a%20b&k=b");
    QTest::newRow("empty value") << QueryList {{"flag", ""}} << QByteArray("flag=");
    QTest::newRow("none") << QueryList {} << QByteArray();
}

void TestSigV4::canonicalQuerySorting()
{
    QFETCH(QueryList, params);
    QFETCH(QByteArray, canonical);
    QCOMPARE(canonicalQuery(params), canonical);
}

void TestSigV4::parseQueryString_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QueryList>("decoded");
    QTest::newRow("basic") << QByteArray("a=b&c=%2F") << QueryList {{"a", "b"}, {"c", "/"}};
    QTest::newRow("no value") << QByteArray("flag&x=") << QueryList {{"flag", ""}, {"x", ""}};
    QTest::newRow("plus stays plus") << QByteArray("t=a+b%2B") << QueryList {{"t", "a+b+"}};
    QTest::newRow("empty pieces skipped") << QByteArray("&a=1&&") << QueryList {{"a", "1"}};
    QTest::newRow("value with =") << QByteArray("t=x%3D=y") << QueryList {{"t", "x==y"}};
}

void TestSigV4::parseQueryString()
{
    QFETCH(QByteArray, encoded);
    QFETCH(QueryList, decoded);
    QCOMPARE(sigv4::parseQueryString(encoded), decoded);
}

void TestSigV4::parseAuthorization_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("service");
    const QByteArray sig = QByteArray(64, 'a');
    QTest::newRow("good") << "AWS4-HMAC-SHA256 Credential=AKID/20240115/us-east-1/ec2/aws4_request, "
                             "SignedHeaders=content-type;host;x-amz-date, Signature="
            + sig << true << QByteArray("ec2");
    QTest::newRow("no spaces after commas") << "AWS4-HMAC-SHA256 Credential=AKID/20240115/eu-west-1/ssm/aws4_request,"
                                               "SignedHeaders=host,Signature="
            + sig << true << QByteArray("ssm");
    QTest::newRow("wrong algorithm") << "AWS4-HMAC-SHA1 Credential=AKID/20240115/us-east-1/ec2/aws4_request, "
                                        "SignedHeaders=host, Signature="
            + sig << false << QByteArray();
    QTest::newRow("short scope") << "AWS4-HMAC-SHA256 Credential=AKID/20240115/us-east-1/aws4_request, "
                                    "SignedHeaders=host, Signature="
            + sig << false << QByteArray();
    QTest::newRow("no signature") << QByteArray("AWS4-HMAC-SHA256 Credential=AKID/20240115/us-east-1/ec2/aws4_request, "
                                                "SignedHeaders=host")
                                  << false << QByteArray();
    QTest::newRow("upper-case hex") << "AWS4-HMAC-SHA256 Credential=AKID/20240115/us-east-1/ec2/aws4_request, "
                                       "SignedHeaders=host, Signature="
            + QByteArray(64, 'A') << false
                                    << QByteArray();
    QTest::newRow("garbage") << QByteArray("Basic dXNlcjpwYXNz") << false << QByteArray();
    QTest::newRow("empty") << QByteArray() << false << QByteArray();
}

void TestSigV4::parseAuthorization()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    QFETCH(QByteArray, service);
    const AuthorizationHeader a = sigv4::parseAuthorization(value);
    QCOMPARE(a.valid, valid);
    if (valid) {
        QCOMPARE(a.accessKeyId, QByteArray("AKID"));
        QCOMPARE(a.date, QByteArray("20240115"));
        QCOMPARE(a.service, service);
        QCOMPARE(a.signature, value.right(64));
    }
}

void TestSigV4::amzDateRoundTrip_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("suite time") << kSuiteTime << true;
    QTest::newRow("leap day") << QByteArray("20240229T235959Z") << true;
    QTest::newRow("no Z") << QByteArray("20240115T120000") << false;
    QTest::newRow("bad month") << QByteArray("20241315T120000Z") << false;
    QTest::newRow("not a leap year") << QByteArray("20230229T120000Z") << false;
    QTest::newRow("letters") << QByteArray("2024O115T120000Z") << false;
    QTest::newRow("iso with dashes") << QByteArray("2024-01-15T12:00:00Z") << false;
}

void TestSigV4::amzDateRoundTrip()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    const QDateTime parsed = parseAmzDate(text);
    QCOMPARE(parsed.isValid(), valid);
    if (valid) {
        QCOMPARE(parsed.offsetFromUtc(), 0);
        QCOMPARE(amzDate(parsed), text);
    }
    // A local-time input is converted, not reinterpreted.
    const QDateTime instant = utc(2024, 1, 15, 12, 0, 0);
    QCOMPARE(amzDate(instant.toOffsetFromUtc(3600)), QByteArray("20240115T120000Z"));
}

void TestSigV4::signHeadersSkipsDenyListAndStaleValues()
{
    Request r = jsonPost("ssm.us-east-1.amazonaws.com", "AmazonSSM.StartSession", "{}");
    const Signature clean = signHeaders(r, exampleCreds(), {"us-east-1", "ssm"}, utc(2024, 1, 15, 12, 0, 0));
    r.headers += HeaderList {{"User-Agent", "bastionless/0.1"},
                             {"Connection", "keep-alive"},
                             {"X-Amz-Date", "19990101T000000Z"},
                             {"Authorization", "AWS4-HMAC-SHA256 stale"}};
    const Signature sig = signHeaders(r, exampleCreds(), {"us-east-1", "ssm"}, utc(2024, 1, 15, 12, 0, 0));
    QCOMPARE(sig.signedHeaders, QByteArray("content-type;host;x-amz-date;x-amz-target"));
    QCOMPARE(sig.signature, clean.signature);
    QVERIFY(!sig.canonicalRequest.contains("19990101"));
}

void TestSigV4::verifierAgreesWithSigner()
{
    Request r = jsonPost("ssm.us-east-1.amazonaws.com", "AmazonSSM.StartSession", "{\"Target\": \"i-1\"}");
    r.query = {{"a b", "c/d"}};
    const Signature sig = signHeaders(r, exampleCreds(kV7Token), {"us-east-1", "ssm"}, utc(2024, 1, 15, 12, 0, 0));
    HeaderList sent = r.headers + sig.addedHeaders;
    sent += HeaderList {{"User-Agent", "added after signing"}};
    QCOMPARE(verifierSignature(r, sent, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), sig.signature);
    // A tampered body or wrong secret no longer verifies.
    Request tampered = r;
    tampered.body = "{\"Target\": \"i-2\"}";
    QVERIFY(verifierSignature(tampered, sent, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY") != sig.signature);
    QVERIFY(verifierSignature(r, sent, "other") != sig.signature);
}

QTEST_GUILESS_MAIN(TestSigV4)
#include "TestSigV4.moc"
