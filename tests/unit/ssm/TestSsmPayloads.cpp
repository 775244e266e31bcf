// SsmPayloads: the exact bytes of the acknowledgement (vector B) and HandshakeResponse (vector C), the
// OpenDataChannel frame, flags, and parsing of what the agent and service send, malformed input included.

#include "core/ssm/SsmPayloads.h"

#include <QJsonDocument>
#include <QtTest>

using namespace bl;

class TestSsmPayloads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acknowledgeMatchesVectorB();
    void acknowledgeRoundTrip();
    void handshakeResponseMatchesVectorC();
    void handshakeResponseWithFailures();
    void parseHandshakeRequest();
    void parseHandshakeComplete();
    void parseChannelClosed();
    void flags_data();
    void flags();
    void openDataChannel();
    void jsonStringEscapesLikeGo_data();
    void jsonStringEscapesLikeGo();
    void malformed_data();
    void malformed();
};

void TestSsmPayloads::acknowledgeMatchesVectorB()
{
    const QByteArray expected = "{\"AcknowledgedMessageType\":\"output_stream_data\",\"AcknowledgedMessageId\":"
                                "\"dd01e56b-ff48-483e-a508-b5f073f31b16\",\"AcknowledgedMessageSequenceNumber\":7,"
                                "\"IsSequentialMessage\":true}";
    const SsmAcknowledge ack {"output_stream_data",
                              QUuid::fromString(QLatin1String("dd01e56b-ff48-483e-a508-b5f073f31b16")), 7};
    QCOMPARE(SsmPayloads::acknowledge(ack), expected);
}

void TestSsmPayloads::acknowledgeRoundTrip()
{
    const SsmAcknowledge ack {"input_stream_data", QUuid::createUuid(), 123456789012LL};
    auto parsed = SsmPayloads::parseAcknowledge(SsmPayloads::acknowledge(ack));
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->messageType, ack.messageType);
    QCOMPARE(parsed->messageId, ack.messageId);
    QCOMPARE(parsed->sequenceNumber, ack.sequenceNumber);
    // The agent formats with spaces after the colons; the parser must not care.
    auto spaced = SsmPayloads::parseAcknowledge(
        "{\"AcknowledgedMessageType\": \"input_stream_data\", \"AcknowledgedMessageId\": \"x\", "
        "\"AcknowledgedMessageSequenceNumber\": 42, \"IsSequentialMessage\": true}");
    QVERIFY(spaced.ok());
    QCOMPARE(spaced->sequenceNumber, 42);
}

void TestSsmPayloads::handshakeResponseMatchesVectorC()
{
    const QByteArray expected = "{\"ClientVersion\":\"1.2.650.0\",\"ProcessedClientActions\":[{\"ActionType\":"
                                "\"SessionType\",\"ActionStatus\":1,\"ActionResult\":null,\"Error\":\"\"}],"
                                "\"Errors\":null}";
    const QByteArray built = SsmPayloads::handshakeResponse(
        QStringLiteral("1.2.650.0"), {SsmProcessedAction {QStringLiteral("SessionType"), 1, {}}});
    QCOMPARE(built, expected);
    QCOMPARE(built.size(), 147);
}

void TestSsmPayloads::handshakeResponseWithFailures()
{
    const QByteArray built = SsmPayloads::handshakeResponse(
        QStringLiteral("1.2.707.0"),
        {SsmProcessedAction {QStringLiteral("SessionType"), 1, {}},
         SsmProcessedAction {QStringLiteral("KMSEncryption"), 2, QStringLiteral("not \"supported\"")}},
        {QStringLiteral("KMS")});
    const QJsonDocument doc = QJsonDocument::fromJson(built);
    QVERIFY(doc.isObject());
    const QJsonArray actions = doc[QLatin1String("ProcessedClientActions")].toArray();
    QCOMPARE(actions.size(), 2);
    QCOMPARE(actions[1][QLatin1String("ActionStatus")].toInt(), 2);
    QCOMPARE(actions[1][QLatin1String("Error")].toString(), QStringLiteral("not \"supported\""));
    QCOMPARE(doc[QLatin1String("Errors")].toArray().first().toString(), QStringLiteral("KMS"));
}

void TestSsmPayloads::parseHandshakeRequest()
{
    const QByteArray json = "{\"AgentVersion\":\"3.3.40.0\",\"RequestedClientActions\":[{\"ActionType\":"
                            "\"SessionType\",\"ActionParameters\":{\"SessionType\":\"Port\",\"Properties\":{"
                            "\"host\":\"db.internal\",\"localPortNumber\":\"55678\",\"portNumber\":\"3389\","
                            "\"type\":\"LocalPortForwarding\"}}},{\"ActionType\":\"KMSEncryption\","
                            "\"ActionParameters\":{\"KMSKeyId\":\"k\",\"Challenge\":\"Yw==\"}}]}";
    auto req = SsmPayloads::parseHandshakeRequest(json);
    QVERIFY(req.ok());
    QCOMPARE(req->agentVersion, QStringLiteral("3.3.40.0"));
    QCOMPARE(req->sessionType, QStringLiteral("Port"));
    QCOMPARE(req->properties.value(QLatin1String("type")).toString(), QStringLiteral("LocalPortForwarding"));
    QCOMPARE(req->properties.value(QLatin1String("portNumber")).toString(), QStringLiteral("3389"));
    QCOMPARE(req->properties.value(QLatin1String("host")).toString(), QStringLiteral("db.internal"));
    QCOMPARE(req->actions.size(), 2);
    QCOMPARE(req->actions[1].actionType, QStringLiteral("KMSEncryption"));
    QCOMPARE(req->actions[1].parameters.value(QLatin1String("KMSKeyId")).toString(), QStringLiteral("k"));
}

void TestSsmPayloads::parseHandshakeComplete()
{
    auto done = SsmPayloads::parseHandshakeComplete(
        "{\"HandshakeTimeToComplete\": 1500000000, \"CustomerMessage\": \"This session is encrypted.\"}");
    QVERIFY(done.ok());
    QCOMPARE(done->handshakeTimeNs, 1500000000LL);
    QCOMPARE(done->customerMessage, QStringLiteral("This session is encrypted."));
}

void TestSsmPayloads::parseChannelClosed()
{
    auto closed = SsmPayloads::parseChannelClosed(
        "{\"MessageId\":\"m-1\",\"CreatedDate\":\"2024-01-15T12:00:00.000Z\",\"DestinationId\":\"d\","
        "\"SessionId\":\"alice-0a1b\",\"MessageType\":\"channel_closed\",\"SchemaVersion\":1,"
        "\"Output\":\"Session terminated by idle timeout\"}");
    QVERIFY(closed.ok());
    QCOMPARE(closed->sessionId, QStringLiteral("alice-0a1b"));
    QCOMPARE(closed->output, QStringLiteral("Session terminated by idle timeout"));
}

void TestSsmPayloads::flags_data()
{
    QTest::addColumn<int>("flag");
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("DisconnectToPort") << 1 << QByteArray::fromHex("00000001");
    QTest::newRow("TerminateSession") << 2 << QByteArray::fromHex("00000002");
    QTest::newRow("ConnectToPortError") << 3 << QByteArray::fromHex("00000003");
}

void TestSsmPayloads::flags()
{
    QFETCH(int, flag);
    QFETCH(QByteArray, wire);
    QCOMPARE(SsmPayloads::flag(static_cast<SsmFlag>(flag)), wire);
    auto parsed = SsmPayloads::parseFlag(wire);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.value(), static_cast<quint32>(flag));
}

void TestSsmPayloads::openDataChannel()
{
    const QByteArray expected =
        "{\"MessageSchemaVersion\":\"1.0\",\"RequestId\":\"7c2b6a8e-3f1d-4e5a-9b0c-1d2e3f4a5b6c\",\"TokenValue\":"
        "\"AAEAAExampleToken\",\"ClientId\":\"5f0e8c1a-2b3c-4d5e-8f9a-0b1c2d3e4f5a\",\"ClientVersion\":"
        "\"1.2.650.0\"}";
    QCOMPARE(SsmPayloads::openDataChannel(QStringLiteral("AAEAAExampleToken"),
                                          QUuid::fromString(QLatin1String("7c2b6a8e-3f1d-4e5a-9b0c-1d2e3f4a5b6c")),
                                          QUuid::fromString(QLatin1String("5f0e8c1a-2b3c-4d5e-8f9a-0b1c2d3e4f5a")),
                                          QStringLiteral("1.2.650.0")),
             expected);
}

void TestSsmPayloads::jsonStringEscapesLikeGo_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("plain") << QStringLiteral("abc") << QByteArray("\"abc\"");
    QTest::newRow("quote and backslash") << QStringLiteral("a\"b\\c") << QByteArray("\"a\\\"b\\\\c\"");
    QTest::newRow("controls") << QStringLiteral("\n\r\t\x01") << QByteArray("\"\\n\\r\\t\\u0001\"");
    QTest::newRow("html") << QStringLiteral("<a&b>") << QByteArray("\"\\u003ca\\u0026b\\u003e\"");
    QTest::newRow("utf8") << QStringLiteral("caf\u00e9") << QByteArray("\"caf\xc3\xa9\"");
    QTest::newRow("line separator") << QStringLiteral("x\u2028y") << QByteArray("\"x\\u2028y\"");
}

void TestSsmPayloads::jsonStringEscapesLikeGo()
{
    QFETCH(QString, input);
    QFETCH(QByteArray, expected);
    QCOMPARE(SsmPayloads::jsonString(input), expected);
}

void TestSsmPayloads::malformed_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("ack not json") << QStringLiteral("ack") << QByteArray("{\"Ack");
    QTest::newRow("ack array") << QStringLiteral("ack") << QByteArray("[1,2]");
    QTest::newRow("ack without seq") << QStringLiteral("ack") << QByteArray("{\"AcknowledgedMessageType\":\"x\"}");
    QTest::newRow("request garbage") << QStringLiteral("request") << QByteArray("\xff\xfe");
    QTest::newRow("request actions not list")
        << QStringLiteral("request") << QByteArray("{\"AgentVersion\":\"1\",\"RequestedClientActions\":5}");
    QTest::newRow("request action not object")
        << QStringLiteral("request") << QByteArray("{\"RequestedClientActions\":[\"x\"]}");
    QTest::newRow("complete empty") << QStringLiteral("complete") << QByteArray();
    QTest::newRow("closed number") << QStringLiteral("closed") << QByteArray("17");
    QTest::newRow("flag short") << QStringLiteral("flag") << QByteArray("\x00\x01", 2);
    QTest::newRow("flag long") << QStringLiteral("flag") << QByteArray(5, '\0');
}

void TestSsmPayloads::malformed()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, payload);
    Error error;
    if (kind == QLatin1String("ack"))
        error = SsmPayloads::parseAcknowledge(payload).error();
    else if (kind == QLatin1String("request"))
        error = SsmPayloads::parseHandshakeRequest(payload).error();
    else if (kind == QLatin1String("complete"))
        error = SsmPayloads::parseHandshakeComplete(payload).error();
    else if (kind == QLatin1String("closed"))
        error = SsmPayloads::parseChannelClosed(payload).error();
    else
        error = SsmPayloads::parseFlag(payload).error();
    QCOMPARE(error.kind, ErrorKind::Parse);
    QVERIFY(error.message.startsWith(QLatin1String("Could not read the SSM")));
    QVERIFY(!error.hint.isEmpty());
}

QTEST_GUILESS_MAIN(TestSsmPayloads)
#include "TestSsmPayloads.moc"
