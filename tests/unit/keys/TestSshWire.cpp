#include "core/keys/SshWire.h"

#include <QTest>

using bl::SshWire;

class TestSshWire : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesBigEndianAndLengthPrefixed()
    {
        QByteArray out;
        SshWire::appendUint32(out, 0x01020304u);
        SshWire::appendString(out, "ssh-ed25519");
        QCOMPARE(out.toHex(),
                 QByteArrayLiteral("01020304"
                                   "0000000b"
                                   "7373682d65643235353139"));
    }

    void readsBackWhatWasWritten()
    {
        QByteArray out;
        SshWire::appendString(out, "");
        SshWire::appendString(out, QByteArray(300, 'x'));
        SshWire::appendUint32(out, 0xfffffffeu);
        qsizetype pos = 0;
        QByteArray s;
        quint32 v = 0;
        QVERIFY(SshWire::readString(out, pos, s));
        QCOMPARE(s, QByteArray());
        QVERIFY(SshWire::readString(out, pos, s));
        QCOMPARE(s, QByteArray(300, 'x'));
        QVERIFY(SshWire::readUint32(out, pos, v));
        QCOMPARE(v, 0xfffffffeu);
        QCOMPARE(pos, out.size());
        QVERIFY(!SshWire::readUint32(out, pos, v));
    }

    void rejectsTruncatedInput_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("short length") << QByteArray::fromHex("000000");
        QTest::newRow("length beyond data") << QByteArray::fromHex("0000000561626364");
        QTest::newRow("huge length") << QByteArray::fromHex("ffffffff61");
    }
    void rejectsTruncatedInput()
    {
        QFETCH(QByteArray, input);
        qsizetype pos = 0;
        QByteArray s = "untouched";
        QVERIFY(!SshWire::readString(input, pos, s));
        QCOMPARE(pos, qsizetype(0));
        QCOMPARE(s, QByteArray("untouched"));
    }
};

QTEST_GUILESS_MAIN(TestSshWire)
#include "TestSshWire.moc"
