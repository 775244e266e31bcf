// Ec2Query: flattened lists, filter parsing and EC2's wildcard matching.

#include "Ec2Query.h"

#include <QtTest>

using namespace fakeaws;

namespace {

void row(const char* tag, const char* pattern, const char* value, bool matches)
{
    QTest::newRow(tag) << QString::fromLatin1(pattern) << QString::fromLatin1(value) << matches;
}

QStringList strings(std::initializer_list<const char*> items)
{
    QStringList out;
    for (const char* item : items)
        out.append(QString::fromLatin1(item));
    return out;
}

} // namespace

class TestEc2Query : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wildcards_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("matches");
        row("exact", "web-1", "web-1", true);
        row("case matters", "Web-1", "web-1", false);
        row("star suffix", "web-*", "web-12", true);
        row("star empty", "web-*", "web-", true);
        row("star prefix", "*-prod-2", "api-prod-2", true);
        row("star middle", "api*2", "api-prod-2", true);
        row("star no match", "api*3", "api-prod-2", false);
        row("question", "web-?", "web-1", true);
        row("question needs one", "web-?", "web-", false);
        row("question not two", "web-?", "web-12", false);
        row("escaped star", "a\\*b", "a*b", true);
        row("escaped star literal", "a\\*b", "axb", false);
        row("only star", "*", "", true);
        row("backtracking", "*a*b*c", "xaybzbc", true);
        row("many stars no match", "*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaa", false);
    }
    void wildcards()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, value);
        QFETCH(bool, matches);
        QCOMPARE(Ec2Query::wildcardMatch(pattern, value), matches);
    }

    void listsAreOrderedByIndex()
    {
        const Ec2Query q({{"InstanceId.10", "i-c"},
                          {"InstanceId.2", "i-b"},
                          {"InstanceId.1", "i-a"},
                          {"InstanceIdX", "no"},
                          {"InstanceId.0", "no"}});
        QCOMPARE(q.list("InstanceId"), strings({"i-a", "i-b", "i-c"}));
    }

    void filtersAndOrMatching()
    {
        const Ec2Query q({{"Filter.1.Name", "instance-state-name"},
                          {"Filter.1.Value.1", "running"},
                          {"Filter.1.Value.2", "stopped"},
                          {"Filter.2.Name", "tag:Team"},
                          {"Filter.2.Value.1", "web"}});
        QString error;
        const auto filters = q.filters(strings({"instance-state-name", "tag:"}), &error);
        QVERIFY2(filters, qPrintable(error));
        QCOMPARE(filters->size(), 2);
        auto object = [](const char* state, const char* team) {
            return [=](const QString& name) {
                if (name == QLatin1String("instance-state-name"))
                    return strings({state});
                return *team ? strings({team}) : QStringList();
            };
        };
        QVERIFY(Ec2Query::matches(*filters, object("running", "web")));
        QVERIFY(Ec2Query::matches(*filters, object("stopped", "web")));
        QVERIFY(!Ec2Query::matches(*filters, object("pending", "web")));
        QVERIFY(!Ec2Query::matches(*filters, object("running", "api")));
        QVERIFY(!Ec2Query::matches(*filters, object("running", "")));
    }

    void badFilters_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("withValue");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown") << QStringLiteral("colour") << true
                                 << QStringLiteral("The filter 'colour' is invalid");
        QTest::newRow("bare tag:") << QStringLiteral("tag:") << true << QStringLiteral("The filter 'tag:' is invalid");
        QTest::newRow("no values") << QStringLiteral("vpc-id") << false
                                   << QStringLiteral("requires at least one value");
    }
    void badFilters()
    {
        QFETCH(QString, name);
        QFETCH(bool, withValue);
        QFETCH(QString, expected);
        Params params = {{"Filter.1.Name", name.toUtf8()}};
        if (withValue)
            params.append(qMakePair(QByteArray("Filter.1.Value.1"), QByteArray("x")));
        QString error;
        QVERIFY(!Ec2Query(params).filters(strings({"vpc-id", "tag:"}), &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void valuesWithoutName()
    {
        QString error;
        QVERIFY(!Ec2Query(Params {{"Filter.3.Value.1", "x"}}).filters(strings({"vpc-id"}), &error));
        QVERIFY2(error.contains(QLatin1String("Filter.3")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestEc2Query)
#include "TestEc2Query.moc"
