// The cache file names must be the AWS CLI's, or `aws` and Bastionless would not share logins and role
// credentials. Vectors: PROTOCOLS.md §2.4/§2.6 (c5cfae6e…, 0ad37430…, c7aaaf71…, 31b260da…) and digests
// computed with CPython's json + hashlib for the assume-role and legacy forms.
#include "core/aws/credentials/AssumeRoleProvider.h"
#include "core/aws/credentials/CacheKeys.h"

#include <QTest>

using namespace bl;

class TestCacheKeys : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ssoToken_data();
    void ssoToken();
    void ssoRegistration();
    void ssoRegistrationWithoutScopesOrSession();
    void ssoRoleCredentials_data();
    void ssoRoleCredentials();
    void assumeRole_data();
    void assumeRole();
};

void TestCacheKeys::ssoToken_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("sha1");
    QTest::newRow("modern: session name")
        << QStringLiteral("my-sso") << QStringLiteral("0ad374308c5a4e22f723adf10145eafad7c4031c");
    QTest::newRow("legacy: start URL") << QStringLiteral("https://my-sso-portal.awsapps.com/start")
                                       << QStringLiteral("c7aaaf71fcc8777ae2475525ed049d39fe16c484");
}

void TestCacheKeys::ssoToken()
{
    QFETCH(QString, key);
    QFETCH(QString, sha1);
    QCOMPARE(CacheKeys::ssoToken(key), sha1);
}

void TestCacheKeys::ssoRegistration()
{
    QCOMPARE(CacheKeys::ssoRegistration(QStringLiteral("https://my-sso-portal.awsapps.com/start"),
                                        QStringLiteral("us-east-1"), QStringList {QStringLiteral("sso:account:access")},
                                        QStringLiteral("my-sso")),
             QStringLiteral("c5cfae6e3e4f067423a532368c8b514b6a4b0ace"));
}

void TestCacheKeys::ssoRegistrationWithoutScopesOrSession()
{
    // {"region": "eu-west-1", "scopes": null, "session_name": null, "startUrl": "...", "tool": "botocore"}
    QCOMPARE(CacheKeys::ssoRegistration(QStringLiteral("https://d-123.awsapps.com/start"), QStringLiteral("eu-west-1"),
                                        std::nullopt, QString()),
             QStringLiteral("1aca0563987e138b5bf255b1536407453c170a6f"));
}

void TestCacheKeys::ssoRoleCredentials_data()
{
    QTest::addColumn<QString>("sessionName");
    QTest::addColumn<QString>("startUrl");
    QTest::addColumn<QString>("sha1");
    QTest::newRow("modern") << QStringLiteral("my-sso") << QStringLiteral("https://my-sso-portal.awsapps.com/start")
                            << QStringLiteral("31b260dab331b2af063485cea75f7b8b3cf54c71");
    QTest::newRow("legacy uses the start URL") << QString() << QStringLiteral("https://my-sso-portal.awsapps.com/start")
                                               << QStringLiteral("107af63d78e24f5ce0fbb60ccb8244f20f6e19e6");
}

void TestCacheKeys::ssoRoleCredentials()
{
    QFETCH(QString, sessionName);
    QFETCH(QString, startUrl);
    QFETCH(QString, sha1);
    QCOMPARE(CacheKeys::ssoRoleCredentials(QStringLiteral("123456789012"), QStringLiteral("ReadOnly"), sessionName,
                                           startUrl),
             sha1);
}

void TestCacheKeys::assumeRole_data()
{
    QTest::addColumn<QString>("sessionName");
    QTest::addColumn<int>("duration");
    QTest::addColumn<QString>("externalId");
    QTest::addColumn<QString>("mfaSerial");
    QTest::addColumn<QString>("sha1");
    // json.dumps({"RoleArn": "arn:aws:iam::123456789012:role/Admin"}, sort_keys=True)
    QTest::newRow("generated session name is left out")
        << QString() << 0 << QString() << QString() << QStringLiteral("51e7b105b5040ce662656c8dc6ab4de70c4de7ad");
    QTest::newRow("all parameters") << QStringLiteral("me") << 3600 << QStringLiteral("ext-1")
                                    << QStringLiteral("arn:aws:iam::111122223333:mfa/alice")
                                    << QStringLiteral("4d927154df70ee24cedba12a5c04b14df5424a3b");
}

void TestCacheKeys::assumeRole()
{
    QFETCH(QString, sessionName);
    QFETCH(int, duration);
    QFETCH(QString, externalId);
    QFETCH(QString, mfaSerial);
    QFETCH(QString, sha1);
    AssumeRoleParams p;
    p.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/Admin");
    p.roleSessionName = sessionName;
    if (duration)
        p.durationSeconds = duration;
    p.externalId = externalId;
    p.serialNumber = mfaSerial;
    p.tokenCode = QStringLiteral("123456"); // never part of the key
    QCOMPARE(CacheKeys::assumeRole(AssumeRoleProvider::cacheKeyArgs(p)), sha1);
}

QTEST_GUILESS_MAIN(TestCacheKeys)
#include "TestCacheKeys.moc"
