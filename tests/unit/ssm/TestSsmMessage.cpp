// SsmMessage codec: the byte vectors of PROTOCOLS.md §6.3 both ways, reader tolerance (NUL padding, publication
// control messages with short headers) and a clear error for every kind of malformed frame.

#include "core/ssm/SsmMessage.h"
#include "core/ssm/SsmPayloads.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace bl;

namespace {

const quint64 VectorDate = 1705320000000ULL;
const QUuid DataId = QUuid::fromString(QLatin1String("dd01e56b-ff48-483e-a508-b5f073f31b16"));
const QUuid AckId = QUuid::fromString(QLatin1String("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"));

QByteArray hex(const char* s)
{
    QByteArray h(s);
    h.replace(' ', QByteArray());
    return QByteArray::fromHex(h);
}

const char VectorBPayload[] = "{\"AcknowledgedMessageType\":\"output_stream_data\",\"AcknowledgedMessageId\":"
                              "\"dd01e56b-ff48-483e-a508-b5f073f31b16\",\"AcknowledgedMessageSequenceNumber\":7,"
                              "\"IsSequentialMessage\":true}";
const char VectorCPayload[] = "{\"ClientVersion\":\"1.2.650.0\",\"ProcessedClientActions\":[{\"ActionType\":"
                              "\"SessionType\",\"ActionStatus\":1,\"ActionResult\":null,\"Error\":\"\"}],"
                              "\"Errors\":null}";

SsmMessage message(const char* type, qint64 seq, quint64 flags, const QUuid& id, SsmPayloadType pt,
                   const QByteArray& payload)
{
    SsmMessage m;
    m.messageType = type;
    m.createdDate = VectorDate;
    m.sequenceNumber = seq;
    m.flags = flags;
    m.messageId = id;
    m.payloadType = static_cast<quint32>(pt);
    m.payload = payload;
    return m;
}

} // namespace

class TestSsmMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void vectors_data();
    void vectors();
    void vectorDigests();
    void readerStripsSpacesAndNuls();
    void publicationControlSkipsValidation();
    void emptyPayloadSkipsDigestCheck();
    void malformed_data();
    void malformed();
    void randomBytesNeverCrash();
};

void TestSsmMessage::vectors_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<qint64>("seq");
    QTest::addColumn<quint64>("flags");
    QTest::addColumn<QUuid>("id");
    QTest::addColumn<quint32>("payloadType");
    QTest::addColumn<QByteArray>("payload");

    QTest::newRow("A input_stream_data hello")
        << hex("00000074 696e7075745f73747265616d5f64617461 202020202020202020202020202020 00000001 0000018d0cfe2a00"
               "0000000000000005 0000000000000000 a508b5f073f31b16 dd01e56bff48483e"
               "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 00000001 00000005 68656c6c6f")
        << QByteArray("input_stream_data") << qint64(5) << quint64(0) << DataId << quint32(1) << QByteArray("hello");
    QTest::newRow("B acknowledge")
        << (hex("00000074 61636b6e6f776c65646765202020202020202020202020202020202020202020 00000001 0000018d0cfe2a00"
                "0000000000000000 0000000000000003 8695a4b3c2d1e0f90f1e2d3c4b5a4978"
                "bb487a3f076aac75c3a35b6e402d2e44ccdd9844ac4e5b2007e8b4ac8f1d8f31 00000000 000000b0")
            + QByteArray(VectorBPayload))
        << QByteArray("acknowledge") << qint64(0) << quint64(3) << AckId << quint32(0) << QByteArray(VectorBPayload);
    QTest::newRow("C HandshakeResponse")
        << (hex("00000074 696e7075745f73747265616d5f64617461202020202020202020202020202020 00000001 0000018d0cfe2a00"
                "0000000000000000 0000000000000000 8695a4b3c2d1e0f90f1e2d3c4b5a4978"
                "c15970f285b82fe29690a5c8f2ce9b2f4267eae1785947d095631a5cd98cfa40 00000006 00000093")
            + QByteArray(VectorCPayload))
        << QByteArray("input_stream_data") << qint64(0) << quint64(0) << AckId << quint32(6)
        << QByteArray(VectorCPayload);
    QTest::newRow("D Flag TerminateSession")
        << hex("00000074 696e7075745f73747265616d5f64617461202020202020202020202020202020 00000001 0000018d0cfe2a00"
               "0000000000000009 0000000000000000 8695a4b3c2d1e0f90f1e2d3c4b5a4978"
               "433ebf5bc03dffa38536673207a21281612cef5faa9bc7a4d5b9be2fdb12cf1a 0000000a 00000004 00000002")
        << QByteArray("input_stream_data") << qint64(9) << quint64(0) << AckId << quint32(10)
        << SsmPayloads::flag(SsmFlag::TerminateSession);
}

void TestSsmMessage::vectors()
{
    QFETCH(QByteArray, wire);
    QFETCH(QByteArray, type);
    QFETCH(qint64, seq);
    QFETCH(quint64, flags);
    QFETCH(QUuid, id);
    QFETCH(quint32, payloadType);
    QFETCH(QByteArray, payload);

    SsmMessage m = message(type.constData(), seq, flags, id, static_cast<SsmPayloadType>(payloadType), payload);
    QCOMPARE(m.encode().toHex(), wire.toHex());

    auto decoded = SsmMessage::decode(wire);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    QCOMPARE(decoded->messageType, type);
    QCOMPARE(decoded->schemaVersion, 1u);
    QCOMPARE(decoded->createdDate, VectorDate);
    QCOMPARE(decoded->sequenceNumber, seq);
    QCOMPARE(decoded->flags, flags);
    QCOMPARE(decoded->messageId, id);
    QCOMPARE(decoded->payloadType, payloadType);
    QCOMPARE(decoded->payload, payload);
}

void TestSsmMessage::vectorDigests()
{
    // The payload lengths the document states for B and C.
    QCOMPARE(QByteArray(VectorBPayload).size(), 176);
    QCOMPARE(QByteArray(VectorCPayload).size(), 147);
    // The un-swapped UUID's text is what acknowledgements carry; the wire halves are swapped.
    QCOMPARE(SsmMessage::uuidToWire(DataId).toHex(), QByteArray("a508b5f073f31b16dd01e56bff48483e"));
    QCOMPARE(SsmMessage::uuidFromWire(hex("a508b5f073f31b16dd01e56bff48483e")), DataId);
}

void TestSsmMessage::readerStripsSpacesAndNuls()
{
    QByteArray wire = message("output_stream_data", 3, 1, DataId, SsmPayloadType::Output, "x").encode();
    for (int i = 4 + 18; i < 4 + 32; ++i)
        wire[i] = '\0';
    auto decoded = SsmMessage::decode(wire);
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->messageType, QByteArray("output_stream_data"));
    QCOMPARE(decoded->payload, QByteArray("x"));
}

void TestSsmMessage::publicationControlSkipsValidation()
{
    // Just HeaderLength and the type: no date, no digest, no payload length.
    QByteArray minimal = hex("00000074") + QByteArray("pause_publication").leftJustified(32, ' ');
    auto paused = SsmMessage::decode(minimal);
    QVERIFY(paused.ok());
    QVERIFY(paused->isType(SsmMessageType::PausePublication));

    QByteArray zeroed(120, '\0');
    zeroed.replace(4, 17, QByteArray("start_publication"));
    auto started = SsmMessage::decode(zeroed);
    QVERIFY(started.ok());
    QVERIFY(started->isPublicationControl());
}

void TestSsmMessage::emptyPayloadSkipsDigestCheck()
{
    QByteArray wire = message("output_stream_data", 0, 0, DataId, SsmPayloadType::Output, {}).encode();
    wire.replace(80, 32, QByteArray(32, '\0')); // some senders leave the digest empty when there is no payload
    QVERIFY(SsmMessage::decode(wire).ok());
}

void TestSsmMessage::malformed_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("needle");

    const QByteArray good = message("output_stream_data", 4, 0, DataId, SsmPayloadType::Output, "hello").encode();
    QTest::newRow("empty") << QByteArray() << QStringLiteral("shorter than");
    QTest::newRow("short header") << good.left(119) << QStringLiteral("shorter than");
    QByteArray badHeaderLength = good;
    badHeaderLength[3] = 120;
    QTest::newRow("HeaderLength 120") << badHeaderLength << QStringLiteral("HeaderLength is 120");
    QByteArray noType = good;
    noType.replace(4, 32, QByteArray(32, ' '));
    QTest::newRow("empty type") << noType << QStringLiteral("empty MessageType");
    QByteArray noDate = good;
    noDate.replace(40, 8, QByteArray(8, '\0'));
    QTest::newRow("zero date") << noDate << QStringLiteral("CreatedDate is 0");
    QTest::newRow("payload truncated") << good.left(good.size() - 1) << QStringLiteral("PayloadLength is 5");
    QTest::newRow("payload too long") << good + "!" << QStringLiteral("PayloadLength is 5");
    QByteArray huge = good;
    huge.replace(116, 4, hex("ffffffff"));
    QTest::newRow("absurd length") << huge << QStringLiteral("PayloadLength is 4294967295");
    QByteArray badDigest = good;
    badDigest[90] = static_cast<char>(badDigest[90] ^ 1);
    QTest::newRow("digest") << badDigest << QStringLiteral("digest does not match");
    QByteArray corrupt = good;
    corrupt[good.size() - 1] = 'O';
    QTest::newRow("payload corrupted") << corrupt << QStringLiteral("digest does not match");
}

void TestSsmMessage::malformed()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, needle);
    auto decoded = SsmMessage::decode(wire);
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error().kind, ErrorKind::Parse);
    QVERIFY2(decoded.error().message.contains(needle), qPrintable(decoded.error().message));
    QVERIFY(!decoded.error().hint.isEmpty());
}

void TestSsmMessage::randomBytesNeverCrash()
{
    QRandomGenerator rng(20260122);
    const QByteArray good = message("output_stream_data", 4, 0, DataId, SsmPayloadType::Output, "payload").encode();
    int accepted = 0;
    for (int i = 0; i < 5000; ++i) {
        QByteArray wire = good.left(static_cast<int>(rng.bounded(good.size() + 1)));
        const int flips = static_cast<int>(rng.bounded(4));
        for (int f = 0; f < flips && !wire.isEmpty(); ++f)
            wire[static_cast<int>(rng.bounded(wire.size()))] = static_cast<char>(rng.bounded(256));
        if (SsmMessage::decode(wire).ok())
            ++accepted;
    }
    // Only frames whose damage missed every checked field (e.g. the flags or sequence number) may pass.
    QVERIFY(accepted < 5000);
}

QTEST_GUILESS_MAIN(TestSsmMessage)
#include "TestSsmMessage.moc"
