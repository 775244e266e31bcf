// JsonWriter: json.dumps-compatible output, including escaping, so bodies match botocore's bytes.

#include "core/aws/api/JsonWriter.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace bl;

class TestJsonWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quote_data();
    void quote();
    void nesting();
};

void TestJsonWriter::quote_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("plain") << QStringLiteral("ec2-user") << QByteArray("\"ec2-user\"");
    QTest::newRow("quote and backslash") << QStringLiteral("a\"b\\c") << QByteArray("\"a\\\"b\\\\c\"");
    QTest::newRow("slash kept") << QStringLiteral("a/b+c=") << QByteArray("\"a/b+c=\"");
    QTest::newRow("controls") << QStringLiteral("\n\r\t\b\f") << QByteArray("\"\\n\\r\\t\\b\\f\"");
    QTest::newRow("other control") << QString(QChar(0x01)) << QByteArray("\"\\u0001\"");
    QTest::newRow("DEL") << QString(QChar(0x7F)) << QByteArray("\"\\u007f\"");
    QTest::newRow("latin1") << QStringLiteral("caf\u00e9") << QByteArray("\"caf\\u00e9\"");
    QTest::newRow("astral") << QString::fromUtf8("\xf0\x9f\x94\x91") << QByteArray("\"\\ud83d\\udd11\"");
}

void TestJsonWriter::quote()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, json);
    QCOMPARE(JsonWriter::quote(text), json);
    // And it reads back as the same text.
    const QByteArray doc = "{\"k\": " + json + "}";
    QCOMPARE(QJsonDocument::fromJson(doc).object().value(QLatin1String("k")).toString(), text);
}

void TestJsonWriter::nesting()
{
    JsonWriter w;
    w.beginObject();
    w.key(QStringLiteral("a")).beginArray().beginObject().key(QStringLiteral("x")).value(qint64(1)).endObject();
    w.beginObject().endObject().endArray();
    w.key(QStringLiteral("b")).value(true);
    w.key(QStringLiteral("c")).value(QStringList {});
    w.key(QStringLiteral("d")).value(QStringList {QStringLiteral("p"), QStringLiteral("q")});
    w.endObject();
    QCOMPARE(w.data(), QByteArray("{\"a\": [{\"x\": 1}, {}], \"b\": true, \"c\": [], \"d\": [\"p\", \"q\"]}"));
}

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "TestJsonWriter.moc"
