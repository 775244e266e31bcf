// EiceErrors: the service's refusals and close codes become errors a person can act on.

#include "core/tunnel/EiceErrors.h"

#include "core/tunnel/WebSocketHandshake.h"

#include <QFile>
#include <QTest>

using namespace bl;

namespace {

EiceTarget target(quint16 port)
{
    EiceTarget t;
    t.endpointId = QStringLiteral("eice-0123456789abcdef0");
    t.region = QStringLiteral("eu-west-1");
    t.address = QStringLiteral("10.0.1.23");
    t.remotePort = port;
    return t;
}

QByteArray fixture(const char* name)
{
    QFile f(QStringLiteral(BL_TESTDATA_DIR "/tunnel/") + QLatin1String(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

HttpResponseHead head(int status)
{
    HttpResponseHead h;
    h.status = status;
    h.reasonPhrase = "Refused";
    h.headers = {{"x-amzn-RequestId", "req-42"}};
    return h;
}

} // namespace

class TestEiceErrors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void portOtherThan22Or3389()
    {
        // The service's answer as observed (PROTOCOLS.md §5.2).
        const QByteArray body = fixture("eice-invalid-remote-port.json");
        QVERIFY(!body.isEmpty());
        const Error e = EiceErrors::fromRejection(head(400), body, target(5900), std::nullopt, {});
        QCOMPARE(e.kind, ErrorKind::Usage);
        QCOMPARE(e.awsCode, QStringLiteral("InvalidParameter"));
        QCOMPARE(e.httpStatus, 400);
        QCOMPARE(e.requestId, QStringLiteral("req-42"));
        QVERIFY(e.message.contains(QLatin1String("RemotePort is not valid")));
        QVERIFY(e.message.contains(QLatin1String("port 5900")));
        QCOMPARE(e.hint,
                 QStringLiteral("EC2 Instance Connect Endpoint only forwards ports 22 and 3389; use SSM for "
                                "port 5900, or tunnel VNC through SSH."));
    }

    void forbiddenWithAClockOffset()
    {
        const QByteArray body = "{\"ErrorCode\":\"AuthFailure\",\"Message\":\"Signature expired\"}";
        const Error e = EiceErrors::fromRejection(head(403), body, target(22), 600, QStringLiteral("123456789012"));
        QCOMPARE(e.kind, ErrorKind::Credentials);
        QVERIFY(e.hint.contains(QLatin1String("600 s behind AWS's")));
        QVERIFY(e.hint.contains(QLatin1String("ec2-instance-connect:OpenTunnel")));
        QVERIFY(e.hint.contains(
            QLatin1String("arn:aws:ec2:eu-west-1:123456789012:instance-connect-endpoint/eice-0123456789abcdef0")));
    }

    void forbiddenFromAWholeResponse()
    {
        // A recorded refusal, parsed the way the client parses it.
        const QByteArray raw = fixture("eice-forbidden-response.http");
        const auto parsed = WebSocketHandshake::parseResponseHead(raw);
        QVERIFY(parsed && parsed->ok());
        const Error e = EiceErrors::fromRejection(parsed->value(), raw.mid(parsed->value().size), target(22), 0,
                                                  QStringLiteral("210987654321"));
        QCOMPARE(e.awsCode, QStringLiteral("AccessDenied"));
        QCOMPARE(e.requestId, QStringLiteral("7d3c1a52-2b5e-4c1e-9d8a-0f6b1c2d3e4f"));
        QVERIFY(e.message.contains(QLatin1String("User is not authorized to perform OpenTunnel")));
        QVERIFY(e.hint.contains(QLatin1String("arn:aws:ec2:eu-west-1:210987654321:instance-connect-endpoint/")));
    }

    void forbiddenWithARightClock()
    {
        const Error e = EiceErrors::fromRejection(head(403), "{}", target(3389), 2, {});
        QVERIFY(!e.hint.contains(QLatin1String(" behind ")));
        QVERIFY(e.hint.contains(QLatin1String("valid for only 60 s")));
        QVERIFY(e.hint.contains(QLatin1String("<account>:instance-connect-endpoint/eice-")));
        QVERIFY(e.message.contains(QLatin1String("HTTP 403")));
    }

    void bodyThatIsNotJson()
    {
        const Error e = EiceErrors::fromRejection(head(502), "upstream went away", target(22), std::nullopt, {});
        QCOMPARE(e.kind, ErrorKind::Service);
        QVERIFY(e.message.contains(QLatin1String("upstream went away")));
        QVERIFY(!e.hint.isEmpty());
    }

    void closeCodes()
    {
        QVERIFY(!EiceErrors::fromClose(1000, {}, target(22)).has_value());
        EiceTarget limited = target(22);
        limited.maxTunnelDurationSecs = 30;
        const auto expired = EiceErrors::fromClose(1001, QStringLiteral("Tunnel expired"), limited);
        QVERIFY(expired.has_value());
        QVERIFY(expired->message.contains(QLatin1String("Tunnel expired")));
        QVERIFY(expired->message.contains(QLatin1String("1001")));
        QVERIFY(expired->hint.contains(QLatin1String("maximum duration (30 s here)")));
        const auto other = EiceErrors::fromClose(4003, QStringLiteral("remote refused"), target(3389));
        QVERIFY(other.has_value());
        QVERIFY(other->message.contains(QLatin1String("remote refused")));
        QVERIFY(other->hint.contains(QLatin1String("port 3389")));
        QCOMPARE(EiceErrors::fromClose(1006, {}, target(22))->kind, ErrorKind::Network);
    }
};

QTEST_GUILESS_MAIN(TestEiceErrors)
#include "TestEiceErrors.moc"
