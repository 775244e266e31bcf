// EicePresigner against PROTOCOLS.md §1.7 (V1 is the AWS CLI's own test vector), an independent recomputation of
// the signature with the bl::sigv4 building blocks, and the DnsName rules (verbatim host[:port], *.localhost).

#include "core/aws/base/SigV4.h"
#include "core/tunnel/EicePresigner.h"

#include <QTest>

using namespace bl;

namespace {

const QByteArray v2Host = "eice-0123456789abcdef0.b67b86ba.ec2-instance-connect-endpoint.us-east-1.amazonaws.com";

Credentials creds(const char* akid, const char* secret, const char* token = "")
{
    Credentials c;
    c.accessKeyId = QString::fromLatin1(akid);
    c.secretAccessKey = QString::fromLatin1(secret);
    c.sessionToken = QString::fromLatin1(token);
    return c;
}

EiceTarget v2Target()
{
    EiceTarget t;
    t.endpointId = QStringLiteral("eice-0123456789abcdef0");
    t.dnsName = QString::fromLatin1(v2Host);
    t.region = QStringLiteral("us-east-1");
    t.address = QStringLiteral("10.0.1.23");
    t.remotePort = 22;
    t.maxTunnelDurationSecs = 3600;
    return t;
}

QDateTime at(const char* iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
}

QByteArray param(const QByteArray& target, const QByteArray& name)
{
    const auto query = sigv4::parseQueryString(target.mid(target.indexOf('?') + 1));
    for (const auto& [k, v] : query) {
        if (k == name)
            return v;
    }
    return {};
}

} // namespace

class TestEicePresigner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cliVectorV1()
    {
        EiceTarget t;
        t.endpointId = QStringLiteral("eice-123");
        t.dnsName = QStringLiteral("eice-123.ec2-instance-connect-endpoint.us-west-2.amazonaws.com");
        t.region = QStringLiteral("us-west-2");
        t.address = QStringLiteral("10.0.0.0");
        t.remotePort = 22;
        t.maxTunnelDurationSecs = 1;
        const auto r = EicePresigner::build(t, creds("access_key", "secret_key"), at("2020-01-01T01:01:01Z"));
        QVERIFY(r.ok());
        QCOMPARE(r->requestTarget,
                 QByteArray("/openTunnel?instanceConnectEndpointId=eice-123&remotePort=22&privateIpAddress=10.0.0.0&"
                            "maxTunnelDuration=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=access_key%2F"
                            "20200101%2Fus-west-2%2Fec2-instance-connect%2Faws4_request&X-Amz-Date=20200101T010101Z&"
                            "X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=3a56740422a5b9aebd22d860b7a30c"
                            "729e459a6f71a83bc0de3a2b44b7353f28"));
        QCOMPARE(r->hostHeader, t.dnsName.toUtf8());
        QCOMPARE(r->connectHost, t.dnsName);
        QCOMPARE(r->peerName, t.dnsName);
        QCOMPARE(r->port, quint16(443));
    }

    void vectorV2WithToken()
    {
        const auto r = EicePresigner::build(
            v2Target(), creds("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "FQoGZXIvYXdzEXAMPLETOKEN/+="),
            at("2024-01-15T12:00:00Z"));
        QVERIFY(r.ok());
        QCOMPARE(r->requestTarget,
                 QByteArray("/openTunnel?instanceConnectEndpointId=eice-0123456789abcdef0&remotePort=22&"
                            "privateIpAddress=10.0.1.23&maxTunnelDuration=3600&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
                            "X-Amz-Credential=AKIDEXAMPLE%2F20240115%2Fus-east-1%2Fec2-instance-connect%2Faws4_request&"
                            "X-Amz-Date=20240115T120000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&"
                            "X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLETOKEN%2F%2B%3D&X-Amz-Signature=45932c629acabbe7e"
                            "566c8e7afadaacb6496f9684df264dd98e4f1eeefb22c0e"));
        const auto noToken = EicePresigner::build(
            v2Target(), creds("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), at("2024-01-15T12:00:00Z"));
        QCOMPARE(param(noToken->requestTarget, "X-Amz-Signature"),
                 QByteArray("1eaf1655a3a99ab8234c39c0a8b00445f495a748d4e3ed2e6466c6e6d585f85f"));
    }

    void vectorV3Ipv6()
    {
        EiceTarget t = v2Target();
        t.remotePort = 3389;
        t.address = QStringLiteral("2600:1f18:abcd:1200::10");
        t.maxTunnelDurationSecs = 0;
        const auto r = EicePresigner::build(t, creds("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                                            at("2024-01-15T12:00:00Z"));
        QVERIFY(r.ok());
        QVERIFY(r->requestTarget.contains("privateIpAddress=2600%3A1f18%3Aabcd%3A1200%3A%3A10&"));
        QVERIFY(!r->requestTarget.contains("maxTunnelDuration"));
        QCOMPARE(param(r->requestTarget, "X-Amz-Signature"),
                 QByteArray("59f06982e3368476ce605ed70f5f861fa78cab541442e4473c9d6fe8dd9b0c0f"));
    }

    void signatureRecomputes()
    {
        // What a verifier does: take the query as sent, drop the signature, rebuild the canonical request with the
        // Host header, and sign again.
        EiceTarget t = v2Target();
        t.dnsName = QStringLiteral("127.0.0.1:40443");
        const Credentials c = creds("AKIDTEST", "s3cret", "tok/en+with=odd/chars");
        const QDateTime when = at("2025-06-01T08:30:00Z");
        const auto r = EicePresigner::build(t, c, when);
        QVERIFY(r.ok());
        QCOMPARE(r->hostHeader, QByteArray("127.0.0.1:40443"));
        QCOMPARE(r->connectHost, QStringLiteral("127.0.0.1"));
        QCOMPARE(r->port, quint16(40443));

        const QByteArray query = r->requestTarget.mid(r->requestTarget.indexOf('?') + 1);
        sigv4::QueryList rest;
        QByteArray sent;
        for (const auto& [k, v] : sigv4::parseQueryString(query)) {
            if (k == "X-Amz-Signature")
                sent = v;
            else
                rest.append({k, v});
        }
        QCOMPARE(param(r->requestTarget, "X-Amz-Expires"), QByteArray("60"));
        QCOMPARE(param(r->requestTarget, "X-Amz-SignedHeaders"), QByteArray("host"));
        QCOMPARE(param(r->requestTarget, "X-Amz-Security-Token"), QByteArray("tok/en+with=odd/chars"));
        const sigv4::Scope scope {"us-east-1", "ec2-instance-connect"};
        const QByteArray canonical = sigv4::canonicalRequest("GET", "/openTunnel", rest, {{"host", r->hostHeader}},
                                                             {"host"}, sigv4::sha256Hex({}));
        QVERIFY(canonical.endsWith("\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        const QByteArray expected = sigv4::hmacSha256(sigv4::signingKey("s3cret", "20250601", scope),
                                                      sigv4::stringToSign("20250601T083000Z", scope, canonical))
                                        .toHex();
        QCOMPARE(sent, expected);

        // A fresh URL for a later connection differs.
        const auto later = EicePresigner::build(t, c, when.addSecs(1));
        QVERIFY(later->requestTarget != r->requestTarget);
    }

    void dnsNames_data()
    {
        QTest::addColumn<QString>("dns");
        QTest::addColumn<QString>("connectHost");
        QTest::addColumn<QString>("peerName");
        QTest::addColumn<int>("port");
        QTest::newRow("real") << QStringLiteral("eice-1.ec2-instance-connect-endpoint.eu-west-1.amazonaws.com")
                              << QStringLiteral("eice-1.ec2-instance-connect-endpoint.eu-west-1.amazonaws.com")
                              << QStringLiteral("eice-1.ec2-instance-connect-endpoint.eu-west-1.amazonaws.com") << 443;
        QTest::newRow("address and port")
            << QStringLiteral("127.0.0.1:4443") << QStringLiteral("127.0.0.1") << QStringLiteral("127.0.0.1") << 4443;
        QTest::newRow("localhost name") << QStringLiteral("eice-0abc.localhost:4443") << QStringLiteral("127.0.0.1")
                                        << QStringLiteral("eice-0abc.localhost") << 4443;
        QTest::newRow("localhost") << QStringLiteral("localhost") << QStringLiteral("127.0.0.1")
                                   << QStringLiteral("localhost") << 443;
        QTest::newRow("ipv6 literal") << QStringLiteral("[::1]:4443") << QStringLiteral("::1") << QStringLiteral("::1")
                                      << 4443;
    }

    void dnsNames()
    {
        QFETCH(QString, dns);
        QFETCH(QString, connectHost);
        QFETCH(QString, peerName);
        QFETCH(int, port);
        EiceTarget t = v2Target();
        t.dnsName = dns;
        const auto r = EicePresigner::build(t, creds("A", "B"), at("2024-01-15T12:00:00Z"));
        QVERIFY(r.ok());
        QCOMPARE(r->connectHost, connectHost);
        QCOMPARE(r->peerName, peerName);
        QCOMPARE(int(r->port), port);
        QCOMPARE(r->hostHeader, dns.toUtf8());
    }

    void rejectsBadInput_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("needle");
        QTest::newRow("endpoint id") << QStringLiteral("endpointId") << QStringLiteral("i-0123")
                                     << QStringLiteral("not an endpoint id");
        QTest::newRow("no address") << QStringLiteral("address") << QStringLiteral("")
                                    << QStringLiteral("no private IP");
        QTest::newRow("duration") << QStringLiteral("duration") << QStringLiteral("4000")
                                  << QStringLiteral("between 1 and 3600");
        QTest::newRow("dns port") << QStringLiteral("dnsName") << QStringLiteral("eice.example:99999")
                                  << QStringLiteral("invalid port");
        QTest::newRow("dns path") << QStringLiteral("dnsName") << QStringLiteral("eice.example/x")
                                  << QStringLiteral("not a host name");
        QTest::newRow("no region") << QStringLiteral("region") << QStringLiteral("") << QStringLiteral("no region");
    }

    void rejectsBadInput()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, needle);
        EiceTarget t = v2Target();
        if (field == QLatin1String("endpointId"))
            t.endpointId = value;
        else if (field == QLatin1String("address"))
            t.address = value;
        else if (field == QLatin1String("duration"))
            t.maxTunnelDurationSecs = value.toInt();
        else if (field == QLatin1String("dnsName"))
            t.dnsName = value;
        else
            t.region = value;
        const auto r = EicePresigner::build(t, creds("A", "B"), at("2024-01-15T12:00:00Z"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(needle), qPrintable(r.error().message));
        QCOMPARE(r.error().kind, ErrorKind::Usage);
    }

    void needsCredentials()
    {
        const auto r = EicePresigner::build(v2Target(), Credentials(), at("2024-01-15T12:00:00Z"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Credentials);
    }
};

QTEST_GUILESS_MAIN(TestEicePresigner)
#include "TestEicePresigner.moc"
