// CachingProvider: the 15/10-minute refresh thresholds, keeping still-valid credentials when an advisory
// refresh fails, coalescing concurrent fetches, and invalidate().
#include "core/aws/credentials/CachingProvider.h"

#include "CredsTestUtil.h"

#include <QTimeZone>
#include <QTimer>

using namespace bl;

namespace {

// Answers each fetch when the test says so, with credentials numbered by fetch.
class ScriptedProvider final : public CredentialsProvider
{
public:
    explicit ScriptedProvider(const Clock& clock)
        : m_clock(clock)
    { }
    void fetch(QObject* context, Callback<Credentials> done) override
    {
        ++fetches;
        pending.push_back({context, std::move(done)});
        if (autoAnswer)
            QTimer::singleShot(0, context, [this] { answer(); });
    }
    void invalidate() override { ++invalidations; }
    QString describe() const override { return QStringLiteral("scripted"); }

    // Answers the oldest pending fetch.
    void answer()
    {
        if (pending.empty())
            return;
        auto [context, done] = std::move(pending.front());
        pending.erase(pending.begin());
        if (fail) {
            done(Error::make(ErrorKind::Network, QStringLiteral("source unreachable")));
            return;
        }
        Credentials c;
        c.accessKeyId = QStringLiteral("AKID%1").arg(fetches);
        c.secretAccessKey = QStringLiteral("secret");
        if (lifetimeSecs > 0)
            c.expiration = m_clock.nowUtc().addSecs(lifetimeSecs);
        done(c);
    }

    const Clock& m_clock;
    std::vector<std::pair<QPointer<QObject>, Callback<Credentials>>> pending;
    int fetches = 0;
    int invalidations = 0;
    bool autoAnswer = true;
    bool fail = false;
    qint64 lifetimeSecs = 3600;
};

QDateTime t0()
{
    return QDateTime(QDate(2030, 1, 1), QTime(0, 0), QTimeZone::utc());
}

} // namespace

class TestCachingProvider : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void thresholds_data();
    void thresholds();
    void failedAdvisoryRefreshKeepsCredentials();
    void failedMandatoryRefreshIsAnError();
    void concurrentFetchesAreCoalesced();
    void invalidateForcesANewFetch();
    void nonExpiringCredentialsAreKept();
    void destroyedContextGetsNoCallback();
};

void TestCachingProvider::thresholds_data()
{
    QTest::addColumn<int>("minutesLater");
    QTest::addColumn<int>("expectedInnerFetches");
    QTest::addColumn<QString>("expectedKey");
    // The inner credentials live 60 minutes.
    QTest::newRow("fresh: cached") << 10 << 1 << QStringLiteral("AKID1");
    QTest::newRow("16 min left: cached") << 44 << 1 << QStringLiteral("AKID1");
    QTest::newRow("14 min left: advisory refresh") << 46 << 2 << QStringLiteral("AKID2");
    QTest::newRow("9 min left: mandatory refresh") << 51 << 2 << QStringLiteral("AKID2");
    QTest::newRow("expired: refresh") << 61 << 2 << QStringLiteral("AKID2");
}

void TestCachingProvider::thresholds()
{
    QFETCH(int, minutesLater);
    QFETCH(int, expectedInnerFetches);
    QFETCH(QString, expectedKey);
    FixedClock clock(t0());
    auto inner = std::make_unique<ScriptedProvider>(clock);
    ScriptedProvider* raw = inner.get();
    CachingProvider provider(std::move(inner), clock);
    QCOMPARE(provider.describe(), QStringLiteral("scripted"));

    auto r = credstest::fetchAndWait(provider);
    QVERIFY(r && r->ok());
    QCOMPARE((*r)->accessKeyId, QStringLiteral("AKID1"));

    clock.advance(qint64(minutesLater) * 60);
    r = credstest::fetchAndWait(provider);
    QVERIFY(r && r->ok());
    QCOMPARE(raw->fetches, expectedInnerFetches);
    QCOMPARE((*r)->accessKeyId, expectedKey);
}

void TestCachingProvider::failedAdvisoryRefreshKeepsCredentials()
{
    FixedClock clock(t0());
    auto inner = std::make_unique<ScriptedProvider>(clock);
    ScriptedProvider* raw = inner.get();
    CachingProvider provider(std::move(inner), clock);
    QVERIFY(credstest::fetchAndWait(provider)->ok());

    raw->fail = true;
    clock.advance(47 * 60); // 13 min left
    auto r = credstest::fetchAndWait(provider);
    QVERIFY(r && r->ok());
    QCOMPARE((*r)->accessKeyId, QStringLiteral("AKID1"));
    QCOMPARE(raw->fetches, 2);

    // Right after a failure the source is left alone for a minute.
    r = credstest::fetchAndWait(provider);
    QVERIFY(r && r->ok());
    QCOMPARE(raw->fetches, 2);
    clock.advance(61);
    r = credstest::fetchAndWait(provider);
    QVERIFY(r && r->ok());
    QCOMPARE(raw->fetches, 3);

    // Once the source works again the new credentials replace the old.
    raw->fail = false;
    clock.advance(61);
    r = credstest::fetchAndWait(provider);
    QVERIFY(r && r->ok());
    QCOMPARE((*r)->accessKeyId, QStringLiteral("AKID4"));
}

void TestCachingProvider::failedMandatoryRefreshIsAnError()
{
    FixedClock clock(t0());
    auto inner = std::make_unique<ScriptedProvider>(clock);
    ScriptedProvider* raw = inner.get();
    CachingProvider provider(std::move(inner), clock);
    QVERIFY(credstest::fetchAndWait(provider)->ok());
    raw->fail = true;
    clock.advance(52 * 60); // 8 min left
    const auto r = credstest::fetchAndWait(provider);
    QVERIFY(r && !r->ok());
    QCOMPARE(r->error().kind, ErrorKind::Network);
}

void TestCachingProvider::concurrentFetchesAreCoalesced()
{
    FixedClock clock(t0());
    auto inner = std::make_unique<ScriptedProvider>(clock);
    ScriptedProvider* raw = inner.get();
    raw->autoAnswer = false;
    CachingProvider provider(std::move(inner), clock);

    QObject context;
    QStringList answers;
    for (int i = 0; i < 5; ++i) {
        provider.fetch(&context, [&](Result<Credentials> r) {
            QVERIFY(r.ok());
            answers << r->accessKeyId;
        });
    }
    QCOMPARE(raw->fetches, 1);
    QTest::qWait(20);
    QVERIFY(answers.isEmpty());
    raw->answer();
    QTRY_COMPARE(answers.size(), 5);
    QCOMPARE(answers, QStringList(5, QStringLiteral("AKID1")));
    QCOMPARE(provider.innerFetchCount(), 1);
}

void TestCachingProvider::invalidateForcesANewFetch()
{
    FixedClock clock(t0());
    auto inner = std::make_unique<ScriptedProvider>(clock);
    ScriptedProvider* raw = inner.get();
    CachingProvider provider(std::move(inner), clock);
    QVERIFY(credstest::fetchAndWait(provider)->ok());
    provider.invalidate();
    QCOMPARE(raw->invalidations, 1);
    const auto r = credstest::fetchAndWait(provider);
    QVERIFY(r && r->ok());
    QCOMPARE((*r)->accessKeyId, QStringLiteral("AKID2"));

    // A fetch in flight while invalidate() is called is answered but not kept.
    raw->autoAnswer = false;
    provider.invalidate();
    QObject context;
    std::optional<QString> first;
    provider.fetch(&context, [&](Result<Credentials> r2) { first = r2->accessKeyId; });
    provider.invalidate();
    raw->answer();
    QTRY_VERIFY(first.has_value());
    raw->autoAnswer = true;
    const auto again = credstest::fetchAndWait(provider);
    QVERIFY(again && again->ok());
    QCOMPARE(raw->fetches, 4);
}

void TestCachingProvider::nonExpiringCredentialsAreKept()
{
    FixedClock clock(t0());
    auto inner = std::make_unique<ScriptedProvider>(clock);
    ScriptedProvider* raw = inner.get();
    raw->lifetimeSecs = 0;
    CachingProvider provider(std::move(inner), clock);
    QVERIFY(credstest::fetchAndWait(provider)->ok());
    clock.advance(365 * 24 * 3600);
    QVERIFY(credstest::fetchAndWait(provider)->ok());
    QCOMPARE(raw->fetches, 1);
}

void TestCachingProvider::destroyedContextGetsNoCallback()
{
    FixedClock clock(t0());
    auto inner = std::make_unique<ScriptedProvider>(clock);
    ScriptedProvider* raw = inner.get();
    raw->autoAnswer = false;
    CachingProvider provider(std::move(inner), clock);
    bool called = false;
    {
        QObject context;
        provider.fetch(&context, [&](Result<Credentials>) { called = true; });
    }
    raw->answer();
    QTest::qWait(20);
    QVERIFY(!called);
    // The answer was still cached for the next caller.
    QVERIFY(credstest::fetchAndWait(provider)->ok());
    QCOMPARE(raw->fetches, 1);
}

QTEST_GUILESS_MAIN(TestCachingProvider)
#include "TestCachingProvider.moc"
