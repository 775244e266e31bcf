// fakeaws's own codec of the SSM ClientMessage layout against the byte vectors A-D of PROTOCOLS.md §6.3
// (produced by the plugin's serializer), both ways, plus the reader's tolerance rules and its refusals.

#include "tests/fakeaws/SsmAgentMessage.h"

#include <QTest>

using fakeaws::SsmAgentMessage;

namespace {

const QUuid kIdA(QStringLiteral("dd01e56b-ff48-483e-a508-b5f073f31b16"));
const QUuid kIdB(QStringLiteral("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"));
constexpr quint64 kDate = 1705320000000ull;

QByteArray hex(const char* text)
{
    return QByteArray::fromHex(QByteArray(text).replace(' ', ""));
}

QByteArray header(const char* typeHex, const char* seqFlags, const char* idDigest, const char* typeLength)
{
    return hex("00000074") + hex(typeHex) + hex("00000001 0000018d0cfe2a00") + hex(seqFlags) + hex(idDigest)
        + hex(typeLength);
}

const char* kInputType = "696e7075745f73747265616d5f64617461 202020202020202020202020202020";

QByteArray ackPayloadB()
{
    return QByteArrayLiteral("{\"AcknowledgedMessageType\":\"output_stream_data\",\"AcknowledgedMessageId\":"
                             "\"dd01e56b-ff48-483e-a508-b5f073f31b16\",\"AcknowledgedMessageSequenceNumber\":7,"
                             "\"IsSequentialMessage\":true}");
}

QByteArray handshakeResponseC()
{
    return QByteArrayLiteral("{\"ClientVersion\":\"1.2.650.0\",\"ProcessedClientActions\":[{\"ActionType\":"
                             "\"SessionType\",\"ActionStatus\":1,\"ActionResult\":null,\"Error\":\"\"}],"
                             "\"Errors\":null}");
}

} // namespace

class TestSsmAgentMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void vectors_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<qint64>("seq");
        QTest::addColumn<quint64>("flags");
        QTest::addColumn<QUuid>("id");
        QTest::addColumn<quint32>("payloadType");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QByteArray>("wire");

        QTest::newRow("A input_stream_data hello")
            << QStringLiteral("input_stream_data") << qint64(5) << quint64(0) << kIdA << quint32(1)
            << QByteArrayLiteral("hello")
            << header(kInputType, "0000000000000005 0000000000000000",
                      "a508b5f073f31b16 dd01e56bff48483e "
                      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                      "00000001 00000005")
                + QByteArrayLiteral("hello");
        QTest::newRow("B acknowledge") << QStringLiteral("acknowledge") << qint64(0) << quint64(3) << kIdB << quint32(0)
                                       << ackPayloadB()
                                       << header("61636b6e6f776c65646765202020202020202020202020202020202020202020",
                                                 "0000000000000000 0000000000000003",
                                                 "8695a4b3c2d1e0f90f1e2d3c4b5a4978 "
                                                 "bb487a3f076aac75c3a35b6e402d2e44ccdd9844ac4e5b2007e8b4ac8f1d8f31",
                                                 "00000000 000000b0")
                + ackPayloadB();
        QTest::newRow("C HandshakeResponse")
            << QStringLiteral("input_stream_data") << qint64(0) << quint64(0) << kIdB << quint32(6)
            << handshakeResponseC()
            << header(kInputType, "0000000000000000 0000000000000000",
                      "8695a4b3c2d1e0f90f1e2d3c4b5a4978 "
                      "c15970f285b82fe29690a5c8f2ce9b2f4267eae1785947d095631a5cd98cfa40",
                      "00000006 00000093")
                + handshakeResponseC();
        QTest::newRow("D Flag TerminateSession")
            << QStringLiteral("input_stream_data") << qint64(9) << quint64(0) << kIdB << quint32(10) << hex("00000002")
            << header(kInputType, "0000000000000009 0000000000000000",
                      "8695a4b3c2d1e0f90f1e2d3c4b5a4978 "
                      "433ebf5bc03dffa38536673207a21281612cef5faa9bc7a4d5b9be2fdb12cf1a",
                      "0000000a 00000004")
                + hex("00000002");
    }

    void vectors()
    {
        QFETCH(QString, type);
        QFETCH(qint64, seq);
        QFETCH(quint64, flags);
        QFETCH(QUuid, id);
        QFETCH(quint32, payloadType);
        QFETCH(QByteArray, payload);
        QFETCH(QByteArray, wire);

        SsmAgentMessage m = SsmAgentMessage::make(type, seq, flags, payloadType, payload, kDate);
        m.messageId = id;
        QCOMPARE(m.encode().toHex(), wire.toHex());

        QString error;
        const std::optional<SsmAgentMessage> d = SsmAgentMessage::decode(wire, &error);
        QVERIFY2(d, qPrintable(error));
        QCOMPARE(d->messageType, type);
        QCOMPARE(d->sequenceNumber, seq);
        QCOMPARE(d->flags, flags);
        QCOMPARE(d->messageId, id);
        QCOMPARE(d->createdDate, kDate);
        QCOMPARE(d->payloadType, payloadType);
        QCOMPARE(d->payload, payload);
        QVERIFY(d->digestMatches());
    }

    void ackPayloadMatchesGoFieldOrder()
    {
        QCOMPARE(SsmAgentMessage::ackPayload(QStringLiteral("output_stream_data"), kIdA, 7), ackPayloadB());
        QCOMPARE(SsmAgentMessage::ackedSequence(ackPayloadB()), std::optional<qint64>(7));
        QCOMPARE(SsmAgentMessage::ackedSequence(QByteArrayLiteral("{}")), std::nullopt);
    }

    void flags()
    {
        QCOMPARE(SsmAgentMessage::flagPayload(2).toHex(), QByteArray("00000002"));
        QCOMPARE(SsmAgentMessage::flagValue(hex("00000003")), std::optional<quint32>(3));
        QCOMPARE(SsmAgentMessage::flagValue(hex("0003")), std::nullopt);
    }

    void nulPaddedTypeRoundTrips()
    {
        const SsmAgentMessage m =
            SsmAgentMessage::make(QStringLiteral("channel_closed"), 0, 0, 0, QByteArrayLiteral("{}"), kDate);
        const QByteArray wire = m.encode(true);
        QCOMPARE(wire.mid(4 + 14, 18), QByteArray(18, '\0'));
        const auto d = SsmAgentMessage::decode(wire);
        QVERIFY(d);
        QCOMPARE(d->messageType, QStringLiteral("channel_closed"));
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("wire");
        const SsmAgentMessage m =
            SsmAgentMessage::make(QStringLiteral("input_stream_data"), 1, 0, 1, QByteArrayLiteral("abc"), kDate);
        const QByteArray good = m.encode();
        QTest::newRow("short") << good.left(100);
        QByteArray zeroHeader = good;
        zeroHeader.replace(0, 4, QByteArray(4, '\0'));
        QTest::newRow("HeaderLength 0") << zeroHeader;
        QByteArray noType = good;
        noType.replace(4, 32, QByteArray(32, ' '));
        QTest::newRow("empty type") << noType;
        QByteArray noDate = good;
        noDate.replace(40, 8, QByteArray(8, '\0'));
        QTest::newRow("CreatedDate 0") << noDate;
        QByteArray longLength = good;
        longLength.replace(116, 4, hex("00000010"));
        QTest::newRow("PayloadLength beyond frame") << longLength;
    }

    void refusals()
    {
        QFETCH(QByteArray, wire);
        QString error;
        QVERIFY(!SsmAgentMessage::decode(wire, &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSsmAgentMessage)
#include "TestSsmAgentMessage.moc"
