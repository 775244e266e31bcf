// TestSmuxFrame: the smux v1 header codec against the byte examples of PROTOCOLS.md §6.8.

#include "core/ssm/SmuxFrame.h"

#include <QTest>

using bl::SmuxFrame;

class TestSmuxFrame : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encodesSpecExamples_data();
    void encodesSpecExamples();
    void decodesLittleEndianFields();
    void rejectsOtherCommands();
};

void TestSmuxFrame::encodesSpecExamples_data()
{
    QTest::addColumn<int>("command");
    QTest::addColumn<quint32>("streamId");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("hex");
    QTest::newRow("SYN 3") << int(SmuxFrame::Syn) << 3u << QByteArray() << QByteArrayLiteral("0100000003000000");
    QTest::newRow("PSH hello") << int(SmuxFrame::Psh) << 3u << QByteArrayLiteral("hello")
                               << QByteArrayLiteral("010205000300000068656c6c6f");
    QTest::newRow("FIN 3") << int(SmuxFrame::Fin) << 3u << QByteArray() << QByteArrayLiteral("0101000003000000");
    QTest::newRow("NOP") << int(SmuxFrame::Nop) << 0u << QByteArray() << QByteArrayLiteral("0103000000000000");
}

void TestSmuxFrame::encodesSpecExamples()
{
    QFETCH(int, command);
    QFETCH(quint32, streamId);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, hex);
    const QByteArray encoded = SmuxFrame::encode(static_cast<quint8>(command), streamId, data);
    QCOMPARE(encoded.toHex(), hex);

    const SmuxFrame header = SmuxFrame::decodeHeader(encoded);
    QCOMPARE(header.version, quint8(1));
    QCOMPARE(int(header.command), command);
    QCOMPARE(header.length, quint16(data.size()));
    QCOMPARE(header.streamId, streamId);
    QCOMPARE(header.encodeHeader(), encoded.left(SmuxFrame::HeaderSize));
}

void TestSmuxFrame::decodesLittleEndianFields()
{
    const SmuxFrame frame = SmuxFrame::decodeHeader(QByteArray::fromHex("0102ffff01020304"));
    QCOMPARE(frame.version, quint8(1));
    QCOMPARE(frame.command, quint8(SmuxFrame::Psh));
    QCOMPARE(frame.length, quint16(65535));
    QCOMPARE(frame.streamId, 0x04030201u);

    const QByteArray big = SmuxFrame::encode(SmuxFrame::Psh, 0xfffffffeu, QByteArray(SmuxFrame::MaxLength, 'x'));
    QCOMPARE(big.size(), SmuxFrame::HeaderSize + 65535);
    QCOMPARE(big.left(8).toHex(), QByteArrayLiteral("0102fffffeffffff"));
}

void TestSmuxFrame::rejectsOtherCommands()
{
    for (quint8 command = 0; command < 4; ++command)
        QVERIFY(SmuxFrame::isV1Command(command));
    QVERIFY(!SmuxFrame::isV1Command(SmuxFrame::Upd));
    QVERIFY(!SmuxFrame::isV1Command(0xff));
}

QTEST_GUILESS_MAIN(TestSmuxFrame)
#include "TestSmuxFrame.moc"
