// ~/.aws/sso/cache must be read and written exactly like the AWS CLI does, so both tools share a login:
// file names, field names, UTC timestamps, private permissions and atomic replacement.
#include "core/aws/credentials/SsoTokenCache.h"

#include "CredsTestUtil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTimeZone>

using namespace bl;

class TestSsoTokenCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsCliFile();
    void writesCliFormat();
    void rewriteKeepsUnknownFields();
    void missingFileIsNotAnError();
    void unusableFilesAreCredentialErrors_data();
    void unusableFilesAreCredentialErrors();
    void registrationRoundTrip();
    void canRefresh();
};

void TestSsoTokenCache::readsCliFile()
{
    QTemporaryDir dir;
    const QString name = QStringLiteral("https://my-sso-portal.awsapps.com/start");
    QVERIFY(QFile::copy(QStringLiteral(BL_TESTDATA_DIR "/credentials/sso-token-cli.json"),
                        dir.filePath(QStringLiteral("c7aaaf71fcc8777ae2475525ed049d39fe16c484.json"))));
    SsoTokenCache cache(dir.path());
    const auto r = cache.readToken(name);
    QVERIFY(r.ok());
    QVERIFY(r->has_value());
    const SsoToken& t = **r;
    QCOMPARE(t.accessToken, QStringLiteral("aoaEXAMPLEACCESS"));
    QCOMPARE(t.expiresAt, QDateTime(QDate(2024, 1, 15), QTime(20, 0), QTimeZone::utc()));
    QCOMPARE(t.refreshToken, QStringLiteral("aorEXAMPLEREFRESH"));
    QCOMPARE(t.clientId, QStringLiteral("clientEXAMPLE"));
    QCOMPARE(t.registrationExpiresAt, QDateTime(QDate(2024, 4, 14), QTime(12, 0), QTimeZone::utc()));
    QCOMPARE(t.startUrl, name);
    QCOMPARE(t.region, QStringLiteral("us-east-1"));
}

void TestSsoTokenCache::writesCliFormat()
{
    QTemporaryDir dir;
    const QString cacheDir = dir.filePath(QStringLiteral("sso/cache"));
    SsoTokenCache cache(cacheDir);
    SsoToken t;
    t.startUrl = QStringLiteral("https://my-sso-portal.awsapps.com/start");
    t.region = QStringLiteral("us-east-1");
    t.accessToken = QStringLiteral("access");
    t.expiresAt = QDateTime(QDate(2024, 1, 15), QTime(20, 0, 0, 500), QTimeZone::utc());
    t.refreshToken = QStringLiteral("refresh");
    t.clientId = QStringLiteral("cid");
    t.clientSecret = QStringLiteral("csecret");
    t.registrationExpiresAt = QDateTime(QDate(2024, 4, 14), QTime(12, 0), QTimeZone::utc());
    QVERIFY(cache.writeToken(QStringLiteral("my-sso"), t).ok());

    const QString path = QDir(cacheDir).filePath(QStringLiteral("0ad374308c5a4e22f723adf10145eafad7c4031c.json"));
    QCOMPARE(cache.tokenPath(QStringLiteral("my-sso")), path);
    const QJsonObject o = QJsonDocument::fromJson(credstest::readFile(path)).object();
    QCOMPARE(o.value(QStringLiteral("expiresAt")).toString(), QStringLiteral("2024-01-15T20:00:00Z"));
    QCOMPARE(o.value(QStringLiteral("registrationExpiresAt")).toString(), QStringLiteral("2024-04-14T12:00:00Z"));
    QCOMPARE(o.value(QStringLiteral("startUrl")).toString(), t.startUrl);
    QCOMPARE(o.value(QStringLiteral("region")).toString(), t.region);
    QCOMPARE(o.value(QStringLiteral("accessToken")).toString(), t.accessToken);
    QCOMPARE(o.value(QStringLiteral("refreshToken")).toString(), t.refreshToken);
    QCOMPARE(o.value(QStringLiteral("clientId")).toString(), t.clientId);
    QCOMPARE(o.value(QStringLiteral("clientSecret")).toString(), t.clientSecret);
    QCOMPARE(o.size(), 8);

    const QFileDevice::Permissions unixBits = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
        | QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
        | QFileDevice::WriteOther | QFileDevice::ExeOther;
    QCOMPARE(QFile::permissions(path) & unixBits, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QCOMPARE(QFile::permissions(cacheDir) & unixBits,
             QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // Atomic replacement leaves no temporary files behind.
    QVERIFY(cache.writeToken(QStringLiteral("my-sso"), t).ok());
    QCOMPARE(QDir(cacheDir).entryList(QDir::Files | QDir::Hidden), QStringList {QFileInfo(path).fileName()});
}

void TestSsoTokenCache::rewriteKeepsUnknownFields()
{
    QTemporaryDir dir;
    SsoTokenCache cache(dir.path());
    credstest::writeFile(cache.tokenPath(QStringLiteral("s")),
                         R"({"accessToken": "a", "expiresAt": "2024-01-15T20:00:00Z", "futureField": {"x": 1}})");
    auto r = cache.readToken(QStringLiteral("s"));
    QVERIFY(r.ok() && r->has_value());
    SsoToken t = **r;
    t.accessToken = QStringLiteral("b");
    QVERIFY(cache.writeToken(QStringLiteral("s"), t).ok());
    const QJsonObject o = QJsonDocument::fromJson(credstest::readFile(cache.tokenPath(QStringLiteral("s")))).object();
    QCOMPARE(o.value(QStringLiteral("accessToken")).toString(), QStringLiteral("b"));
    QCOMPARE(o.value(QStringLiteral("futureField")).toObject().value(QStringLiteral("x")).toInt(), 1);
    QVERIFY(!o.contains(QStringLiteral("refreshToken")));
}

void TestSsoTokenCache::missingFileIsNotAnError()
{
    QTemporaryDir dir;
    SsoTokenCache cache(dir.filePath(QStringLiteral("nothing-here")));
    const auto r = cache.readToken(QStringLiteral("my-sso"));
    QVERIFY(r.ok());
    QVERIFY(!r->has_value());
}

void TestSsoTokenCache::unusableFilesAreCredentialErrors_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("garbage") << QByteArray("{not json") << QStringLiteral("not a JSON object");
    QTest::newRow("no access token") << QByteArray(R"({"expiresAt": "2024-01-15T20:00:00Z"})")
                                     << QStringLiteral("accessToken");
    QTest::newRow("no expiry") << QByteArray(R"({"accessToken": "a"})") << QStringLiteral("expiresAt");
}

void TestSsoTokenCache::unusableFilesAreCredentialErrors()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, errorContains);
    QTemporaryDir dir;
    SsoTokenCache cache(dir.path());
    credstest::writeFile(cache.tokenPath(QStringLiteral("my-sso")), content);
    const auto r = cache.readToken(QStringLiteral("my-sso"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::Credentials);
    QVERIFY2(r.error().message.contains(errorContains), qPrintable(r.error().message));
    QVERIFY(r.error().hint.contains(QStringLiteral("login")));
}

void TestSsoTokenCache::registrationRoundTrip()
{
    QTemporaryDir dir;
    SsoTokenCache cache(dir.path());
    SsoRegistration reg;
    reg.clientId = QStringLiteral("cid");
    reg.clientSecret = QStringLiteral("cs");
    reg.expiresAt = QDateTime(QDate(2024, 4, 14), QTime(12, 0), QTimeZone::utc());
    reg.scopes = QStringList {QStringLiteral("sso:account:access")};
    const QString key = QStringLiteral("c5cfae6e3e4f067423a532368c8b514b6a4b0ace");
    QVERIFY(cache.writeRegistration(key, reg).ok());
    const QJsonObject o =
        QJsonDocument::fromJson(credstest::readFile(dir.filePath(key + QStringLiteral(".json")))).object();
    QCOMPARE(o.value(QStringLiteral("expiresAt")).toString(), QStringLiteral("2024-04-14T12:00:00Z"));
    QCOMPARE(o.value(QStringLiteral("scopes")).toArray().first().toString(), QStringLiteral("sso:account:access"));
    const auto back = cache.readRegistration(key);
    QVERIFY(back);
    QCOMPARE(back->clientId, reg.clientId);
    QCOMPARE(back->clientSecret, reg.clientSecret);
    QCOMPARE(back->expiresAt, reg.expiresAt);
    QCOMPARE(back->scopes, reg.scopes);
    QVERIFY(!cache.readRegistration(QStringLiteral("absent")));
}

void TestSsoTokenCache::canRefresh()
{
    const QDateTime now(QDate(2024, 2, 1), QTime(0, 0), QTimeZone::utc());
    SsoToken t;
    t.refreshToken = QStringLiteral("r");
    t.clientId = QStringLiteral("c");
    t.clientSecret = QStringLiteral("s");
    t.registrationExpiresAt = now.addDays(30);
    QVERIFY(t.canRefresh(now));
    t.registrationExpiresAt = now.addSecs(-1);
    QVERIFY(!t.canRefresh(now));
    t.registrationExpiresAt = now.addDays(30);
    t.refreshToken.clear();
    QVERIFY(!t.canRefresh(now));
}

QTEST_GUILESS_MAIN(TestSsoTokenCache)
#include "TestSsoTokenCache.moc"
