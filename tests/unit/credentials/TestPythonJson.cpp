// PythonJson must reproduce Python's json.dumps(sort_keys=True) byte for byte; the expected strings and
// digests below were produced by CPython 3's json module.
#include "core/aws/credentials/PythonJson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace bl;

class TestPythonJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dumps_data();
    void dumps();
    void compactSeparators();
    void sha1();
};

void TestPythonJson::dumps_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QByteArray>("expected");

    QJsonObject nested;
    nested.insert(QStringLiteral("z"), 1);
    nested.insert(QStringLiteral("y"), QStringLiteral("x"));
    QJsonObject mixed;
    mixed.insert(QStringLiteral("c"), nested);
    mixed.insert(QStringLiteral("b"), QJsonArray {1, 2.5, QJsonValue(), true});
    mixed.insert(QStringLiteral("a"), QString::fromUtf8("\xc3\xa9\xe2\x98\x83\"\\\n"));
    QTest::newRow("escapes, sorting, numbers")
        << QJsonValue(mixed)
        << QByteArray(R"({"a": "\u00e9\u2603\"\\\n", "b": [1, 2.5, null, true], "c": {"y": "x", "z": 1}})");

    QJsonObject role;
    role.insert(QStringLiteral("RoleArn"), QStringLiteral("arn:aws:iam::123456789012:role/Admin"));
    role.insert(QStringLiteral("DurationSeconds"), 3600);
    QTest::newRow("integers stay integers")
        << QJsonValue(role)
        << QByteArray(R"({"DurationSeconds": 3600, "RoleArn": "arn:aws:iam::123456789012:role/Admin"})");

    QTest::newRow("control and DEL characters")
        << QJsonValue(QString::fromLatin1("\x01\t\x7f")) << QByteArray(R"("\u0001\t\u007f")");
    QTest::newRow("empty object") << QJsonValue(QJsonObject()) << QByteArray("{}");
    QTest::newRow("astral plane as surrogate pair")
        << QJsonValue(QString::fromUtf8("\xf0\x9f\x94\x91")) << QByteArray(R"("\ud83d\udd11")");
}

void TestPythonJson::dumps()
{
    QFETCH(QJsonValue, value);
    QFETCH(QByteArray, expected);
    QCOMPARE(PythonJson::dumps(value), expected);
}

void TestPythonJson::compactSeparators()
{
    QJsonObject o;
    o.insert(QStringLiteral("roleName"), QStringLiteral("ReadOnly"));
    o.insert(QStringLiteral("accountId"), QStringLiteral("123456789012"));
    o.insert(QStringLiteral("list"), QJsonArray {QStringLiteral("a"), QStringLiteral("b")});
    QCOMPARE(PythonJson::dumps(o, PythonJson::Separators::Compact),
             QByteArray(R"({"accountId":"123456789012","list":["a","b"],"roleName":"ReadOnly"})"));
}

void TestPythonJson::sha1()
{
    QCOMPARE(PythonJson::sha1Hex("my-sso"), QStringLiteral("0ad374308c5a4e22f723adf10145eafad7c4031c"));
}

QTEST_GUILESS_MAIN(TestPythonJson)
#include "TestPythonJson.moc"
