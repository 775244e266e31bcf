// fakeaws's SigV4 verification against the published vectors of PROTOCOLS.md §1.7 (signatures produced by
// botocore and the AWS CLI's own test), plus every way a request can fail authentication.

#include "tests/fakeaws/SignatureVerifier.h"

#include "core/aws/base/SigV4.h"

#include <QTest>
#include <QTimeZone>

using fakeaws::AuthFailure;
using fakeaws::HttpRequest;
using fakeaws::Identities;
using fakeaws::Identity;
using fakeaws::SignatureVerifier;

Q_DECLARE_METATYPE(fakeaws::AuthFailure)

namespace {

const QByteArray kV4Body = "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-state-name&Filter.1."
                           "Value.1=running&Filter.1.Value.2=stopped&Filter.2.Name=tag%3AEnv&Filter.2.Value.1=prod&"
                           "MaxResults=100";
const QByteArray kToken = "FQoGZXIvYXdzEXAMPLETOKEN/+=";

QDateTime at(const char* iso)
{
    QDateTime t = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
    t.setTimeZone(QTimeZone::utc());
    return t;
}

Identity exampleIdentity(bool withToken)
{
    Identity id;
    id.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    id.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    if (withToken)
        id.sessionToken = QString::fromLatin1(kToken);
    return id;
}

// V4 exactly as botocore sends it, with the published signature (not one we computed).
HttpRequest v4Request(bool withToken)
{
    HttpRequest r;
    r.method = "POST";
    r.target = r.path = "/";
    r.headers = {{"Host", "ec2.us-east-1.amazonaws.com"},
                 {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                 {"X-Amz-Date", "20240115T120000Z"},
                 {"User-Agent", "aws-cli/2.0"}};
    const QByteArray signedList =
        withToken ? "content-type;host;x-amz-date;x-amz-security-token" : "content-type;host;x-amz-date";
    const QByteArray signature = withToken ? "b1b8f5bdeabee481ac1822ca08d5df9d96f06da3773cd362f4d20cda164fce02"
                                           : "ca72ba76a393782ef732d8337514e07adb02b41eeb771266b20187e40b4434f1";
    if (withToken)
        r.headers.append({"X-Amz-Security-Token", kToken});
    r.headers.append({"Authorization",
                      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/ec2/aws4_request, SignedHeaders="
                          + signedList + ", Signature=" + signature});
    r.body = kV4Body;
    return r;
}

HttpRequest presigned(const QByteArray& host, const QByteArray& target)
{
    HttpRequest r;
    r.method = "GET";
    r.target = target;
    const qsizetype q = target.indexOf('?');
    r.path = target.left(q);
    r.query = bl::sigv4::parseQueryString(target.mid(q + 1));
    r.headers = {{"Host", host}, {"Upgrade", "websocket"}, {"Connection", "Upgrade"}};
    return r;
}

const QByteArray kV1Host = "eice-123.ec2-instance-connect-endpoint.us-west-2.amazonaws.com";
const QByteArray kV1Target =
    "/openTunnel?instanceConnectEndpointId=eice-123&remotePort=22&privateIpAddress=10.0.0.0&maxTunnelDuration=1&X-"
    "Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=access_key%2F20200101%2Fus-west-2%2Fec2-instance-connect%2Faws4_"
    "request&X-Amz-Date=20200101T010101Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature="
    "3a56740422a5b9aebd22d860b7a30c729e459a6f71a83bc0de3a2b44b7353f28";

} // namespace

class TestSignatureVerifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptsPublishedHeaderVectors_data()
    {
        QTest::addColumn<bool>("withToken");
        QTest::newRow("V4 long-term key") << false;
        QTest::newRow("V4 with session token") << true;
    }
    void acceptsPublishedHeaderVectors()
    {
        QFETCH(bool, withToken);
        Identities ids;
        ids.add(exampleIdentity(withToken));
        const auto r = SignatureVerifier(ids).verifyHeaders(v4Request(withToken), at("2024-01-15T12:04:59Z"));
        QCOMPARE(r.failure, AuthFailure::None);
        QCOMPARE(r.region, QStringLiteral("us-east-1"));
        QCOMPARE(r.service, QStringLiteral("ec2"));
        QVERIFY(r.identity.has_value());
        QCOMPARE(r.identity->accountId, QLatin1String(Identities::kDefaultAccountId));
    }

    void rejectsTampering_data()
    {
        QTest::addColumn<QByteArray>("what");
        QTest::newRow("body") << QByteArray("body");
        QTest::newRow("signed header value") << QByteArray("content-type");
        QTest::newRow("signed header removed") << QByteArray("drop-content-type");
        QTest::newRow("path") << QByteArray("path");
        QTest::newRow("scope region") << QByteArray("region");
    }
    void rejectsTampering()
    {
        QFETCH(QByteArray, what);
        Identities ids;
        ids.add(exampleIdentity(false));
        HttpRequest r = v4Request(false);
        if (what == "body")
            r.body.replace("prod", "test");
        if (what == "path")
            r.path = "/x";
        for (qsizetype i = 0; i < r.headers.size(); ++i) {
            if (r.headers[i].first == "Content-Type" && what == "content-type")
                r.headers[i].second = "application/x-www-form-urlencoded";
            if (r.headers[i].first == "Authorization" && what == "region")
                r.headers[i].second.replace("us-east-1", "us-west-2");
        }
        if (what == "drop-content-type")
            r.headers.removeAt(1);
        const auto result = SignatureVerifier(ids).verifyHeaders(r, at("2024-01-15T12:00:10Z"));
        QCOMPARE(result.failure, AuthFailure::SignatureMismatch);
    }

    void enforcesFiveMinuteWindow_data()
    {
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<AuthFailure>("failure");
        QTest::addColumn<QString>("detail");
        QTest::newRow("5 min late ok") << at("2024-01-15T12:05:00Z") << AuthFailure::None << QString();
        QTest::newRow("5 min early ok") << at("2024-01-15T11:55:00Z") << AuthFailure::None << QString();
        QTest::newRow("6 min late") << at("2024-01-15T12:06:00Z") << AuthFailure::RequestExpired
                                    << QStringLiteral("Signature expired: 20240115T120000Z is now earlier than "
                                                      "20240115T120100Z (20240115T120600Z - 5 min.)");
        QTest::newRow("6 min early") << at("2024-01-15T11:54:00Z") << AuthFailure::RequestNotYetValid
                                     << QStringLiteral("Signature not yet current: 20240115T120000Z is still later "
                                                       "than 20240115T115900Z (20240115T115400Z + 5 min.)");
    }
    void enforcesFiveMinuteWindow()
    {
        QFETCH(QDateTime, now);
        QFETCH(AuthFailure, failure);
        QFETCH(QString, detail);
        Identities ids;
        ids.add(exampleIdentity(false));
        const auto r = SignatureVerifier(ids).verifyHeaders(v4Request(false), now);
        QCOMPARE(r.failure, failure);
        QCOMPARE(r.detail, detail);
    }

    void checksKeysAndTokens_data()
    {
        QTest::addColumn<QString>("identityKind");
        QTest::addColumn<bool>("sendToken");
        QTest::addColumn<AuthFailure>("failure");
        QTest::newRow("unknown key") << QStringLiteral("none") << false << AuthFailure::UnknownAccessKey;
        QTest::newRow("temporary key without token")
            << QStringLiteral("temporary") << false << AuthFailure::InvalidToken;
        QTest::newRow("long-term key with a token") << QStringLiteral("long-term") << true << AuthFailure::InvalidToken;
        QTest::newRow("expired token") << QStringLiteral("expired") << true << AuthFailure::ExpiredToken;
        QTest::newRow("valid token") << QStringLiteral("temporary") << true << AuthFailure::None;
    }
    void checksKeysAndTokens()
    {
        QFETCH(QString, identityKind);
        QFETCH(bool, sendToken);
        QFETCH(AuthFailure, failure);
        Identities ids;
        if (identityKind != QLatin1String("none")) {
            Identity id = exampleIdentity(identityKind != QLatin1String("long-term"));
            if (identityKind == QLatin1String("expired"))
                id.expiration = at("2024-01-15T11:59:00Z");
            ids.add(id);
        }
        HttpRequest r = v4Request(sendToken);
        const auto result = SignatureVerifier(ids).verifyHeaders(r, at("2024-01-15T12:00:30Z"));
        QCOMPARE(result.failure, failure);
    }

    void rejectsMissingOrMalformedAuthorization_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<AuthFailure>("failure");
        QTest::newRow("missing") << QByteArray() << AuthFailure::MissingAuthentication;
        QTest::newRow("other scheme") << QByteArray("Bearer abc") << AuthFailure::IncompleteSignature;
        QTest::newRow("short signature") << QByteArray("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/ec2/"
                                                       "aws4_request, SignedHeaders=host;x-amz-date, Signature=abc")
                                         << AuthFailure::IncompleteSignature;
        QTest::newRow("host not signed") << QByteArray(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/ec2/aws4_request, "
            "SignedHeaders=content-type;x-amz-date, Signature="
            "ca72ba76a393782ef732d8337514e07adb02b41eeb771266b20187e40b4434f1")
                                         << AuthFailure::IncompleteSignature;
    }
    void rejectsMissingOrMalformedAuthorization()
    {
        QFETCH(QByteArray, authorization);
        QFETCH(AuthFailure, failure);
        Identities ids;
        ids.add(exampleIdentity(false));
        HttpRequest r = v4Request(false);
        r.headers.removeLast();
        if (!authorization.isEmpty())
            r.headers.append({"Authorization", authorization});
        QCOMPARE(SignatureVerifier(ids).verifyHeaders(r, at("2024-01-15T12:00:00Z")).failure, failure);
    }

    void verifiesOfficialPresignedVector()
    {
        Identities ids;
        Identity id;
        id.accessKeyId = QStringLiteral("access_key");
        id.secretAccessKey = QStringLiteral("secret_key");
        ids.add(id);
        const SignatureVerifier verifier(ids);
        const HttpRequest ok = presigned(kV1Host, kV1Target);
        const auto r = verifier.verifyPresigned(ok, at("2020-01-01T01:01:30Z"));
        QCOMPARE(r.failure, AuthFailure::None);
        QCOMPARE(r.service, QStringLiteral("ec2-instance-connect"));
        QCOMPARE(r.region, QStringLiteral("us-west-2"));
        // X-Amz-Expires=60: a minute and a second later the URL is dead.
        QCOMPARE(verifier.verifyPresigned(ok, at("2020-01-01T01:02:02Z")).failure, AuthFailure::RequestExpired);

        QByteArray tampered = kV1Target;
        tampered.replace("remotePort=22", "remotePort=23");
        QCOMPARE(verifier.verifyPresigned(presigned(kV1Host, tampered), at("2020-01-01T01:01:30Z")).failure,
                 AuthFailure::SignatureMismatch);
        QCOMPARE(verifier.verifyPresigned(presigned("other.example", kV1Target), at("2020-01-01T01:01:30Z")).failure,
                 AuthFailure::SignatureMismatch);
    }

    void verifiesPresignedVectorWithToken()
    {
        const QByteArray host = "eice-0123456789abcdef0.b67b86ba.ec2-instance-connect-endpoint.us-east-1.amazonaws.com";
        const QByteArray target =
            "/openTunnel?instanceConnectEndpointId=eice-0123456789abcdef0&remotePort=22&privateIpAddress=10.0.1.23&"
            "maxTunnelDuration=3600&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240115%2Fus-"
            "east-1%2Fec2-instance-connect%2Faws4_request&X-Amz-Date=20240115T120000Z&X-Amz-Expires=60&X-Amz-"
            "SignedHeaders=host&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLETOKEN%2F%2B%3D&X-Amz-Signature="
            "45932c629acabbe7e566c8e7afadaacb6496f9684df264dd98e4f1eeefb22c0e";
        Identities ids;
        ids.add(exampleIdentity(true));
        const SignatureVerifier verifier(ids);
        QCOMPARE(verifier.verifyPresigned(presigned(host, target), at("2024-01-15T12:00:20Z")).failure,
                 AuthFailure::None);
        QByteArray noToken = target;
        noToken.replace("&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLETOKEN%2F%2B%3D", "");
        QCOMPARE(verifier.verifyPresigned(presigned(host, noToken), at("2024-01-15T12:00:20Z")).failure,
                 AuthFailure::InvalidToken);
    }
};

QTEST_GUILESS_MAIN(TestSignatureVerifier)
#include "TestSignatureVerifier.moc"
