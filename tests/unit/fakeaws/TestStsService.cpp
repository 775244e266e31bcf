// STS in fakeaws over HTTPS: GetCallerIdentity, AssumeRole with its validation, MFA and external-id roles,
// and the credentials it issues (their lifetime, that they work for EC2, that they expire).

#include "FakeAwsTestClient.h"

#include "tests/fakeaws/FakeAws.h"

#include <QRegularExpression>
#include <QTest>
#include <QUrl>

using fakeaws::FakeAws;

namespace {

QString xmlText(const QByteArray& body, const QString& tag)
{
    const QRegularExpression re(QStringLiteral("<%1>([^<]*)</%1>").arg(tag));
    return re.match(QString::fromUtf8(body)).captured(1);
}

QByteArray enc(const QString& s)
{
    return QUrl::toPercentEncoding(s);
}

QByteArray assumeRoleBody(const QString& roleArn, const QString& session, const QByteArray& extra = {})
{
    return "Action=AssumeRole&Version=2011-06-15&RoleArn=" + enc(roleArn) + "&RoleSessionName=" + enc(session) + extra;
}

bl::Credentials credentialsFrom(const QByteArray& body)
{
    bl::Credentials c;
    c.accessKeyId = xmlText(body, QStringLiteral("AccessKeyId"));
    c.secretAccessKey = xmlText(body, QStringLiteral("SecretAccessKey"));
    c.sessionToken = xmlText(body, QStringLiteral("SessionToken"));
    c.expiration = QDateTime::fromString(xmlText(body, QStringLiteral("Expiration")), Qt::ISODate);
    return c;
}

} // namespace

class TestStsService : public QObject
{
    Q_OBJECT

private:
    FakeAwsTestClient::Reply sts(const QByteArray& body, const bl::Credentials& creds)
    {
        return m_client->query("sts", body, creds);
    }

    std::unique_ptr<FakeAws> m_aws;
    std::unique_ptr<FakeAwsTestClient> m_client;
    const QString m_account = QStringLiteral("123456789012");

private Q_SLOTS:
    void initTestCase()
    {
        m_aws = std::make_unique<FakeAws>();
        const auto started = m_aws->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().toString()));
        m_client = std::make_unique<FakeAwsTestClient>(m_aws->port(), m_aws->caCertificate());
    }

    void getCallerIdentityDescribesTheUser()
    {
        const auto reply = sts("Action=GetCallerIdentity&Version=2011-06-15", m_aws->defaultCredentials());
        QCOMPARE(reply.status, 200);
        QVERIFY(
            reply.body.startsWith("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"));
        QCOMPARE(xmlText(reply.body, QStringLiteral("Account")), m_account);
        QCOMPARE(xmlText(reply.body, QStringLiteral("Arn")),
                 QStringLiteral("arn:aws:iam::123456789012:user/fakeaws-user"));
        QVERIFY(xmlText(reply.body, QStringLiteral("UserId")).startsWith(QLatin1String("AIDA")));
        QCOMPARE(xmlText(reply.body, QStringLiteral("RequestId")),
                 QString::fromLatin1(reply.header("x-amzn-RequestId")));
    }

    void assumeRoleChecksItsInput_data()
    {
        QTest::addColumn<QString>("role");
        QTest::addColumn<QString>("session");
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message"); // substring

        const QString admin = QStringLiteral("arn:aws:iam::123456789012:role/Admin");
        const QString mfa = QStringLiteral("arn:aws:iam::123456789012:role/OpsMfaRequired");
        const QString external = QStringLiteral("arn:aws:iam::123456789012:role/PartnerExternal");
        const QString session = QStringLiteral("test-session");
        const QByteArray serial = "&SerialNumber=" + enc(QStringLiteral("arn:aws:iam::123456789012:mfa/fakeaws-user"));

        QTest::newRow("plain") << admin << session << QByteArray() << 200 << QString() << QString();
        QTest::newRow("path in role arn") << QStringLiteral("arn:aws:iam::123456789012:role/team/a/Admin") << session
                                          << QByteArray() << 200 << QString() << QString();
        QTest::newRow("malformed arn") << QStringLiteral("arn:aws:iam::12:role/Admin") << session << QByteArray() << 400
                                       << QStringLiteral("ValidationError") << QStringLiteral("is invalid");
        QTest::newRow("user arn") << QStringLiteral("arn:aws:iam::123456789012:user/bob") << session << QByteArray()
                                  << 400 << QStringLiteral("ValidationError") << QString();
        QTest::newRow("session too short") << admin << QStringLiteral("x") << QByteArray() << 400
                                           << QStringLiteral("ValidationError") << QStringLiteral("roleSessionName");
        QTest::newRow("session bad chars") << admin << QStringLiteral("a b") << QByteArray() << 400
                                           << QStringLiteral("ValidationError") << QStringLiteral("roleSessionName");
        QTest::newRow("no session") << admin << QString() << QByteArray() << 400 << QStringLiteral("ValidationError")
                                    << QStringLiteral("roleSessionName");
        QTest::newRow("duration too short") << admin << session << QByteArray("&DurationSeconds=899") << 400
                                            << QStringLiteral("ValidationError") << QStringLiteral("durationSeconds");
        QTest::newRow("duration too long") << admin << session << QByteArray("&DurationSeconds=43201") << 400
                                           << QStringLiteral("ValidationError") << QStringLiteral("durationSeconds");
        QTest::newRow("mfa missing") << mfa << session << QByteArray() << 403 << QStringLiteral("AccessDenied")
                                     << QStringLiteral("MultiFactorAuthentication failed");
        QTest::newRow("mfa wrong code") << mfa << session << serial + "&TokenCode=654321" << 403
                                        << QStringLiteral("AccessDenied")
                                        << QStringLiteral(
                                               "MultiFactorAuthentication failed with invalid MFA one time pass code");
        QTest::newRow("mfa malformed code") << mfa << session << serial + "&TokenCode=12ab56" << 400
                                            << QStringLiteral("ValidationError") << QStringLiteral("tokenCode");
        QTest::newRow("mfa right code") << mfa << session << serial + "&TokenCode=123456" << 200 << QString()
                                        << QString();
        QTest::newRow("external id missing")
            << external << session << QByteArray() << 403 << QStringLiteral("AccessDenied")
            << QStringLiteral("is not authorized to perform: sts:AssumeRole");
        QTest::newRow("external id wrong") << external << session << QByteArray("&ExternalId=guess") << 403
                                           << QStringLiteral("AccessDenied") << QString();
        QTest::newRow("external id right")
            << external << session << QByteArray("&ExternalId=fakeaws-external-id") << 200 << QString() << QString();
        QTest::newRow("denied role") << QStringLiteral("arn:aws:iam::123456789012:role/DeniedRole") << session
                                     << QByteArray() << 403 << QStringLiteral("AccessDenied")
                                     << QStringLiteral("arn:aws:iam::123456789012:role/DeniedRole");
    }
    void assumeRoleChecksItsInput()
    {
        QFETCH(QString, role);
        QFETCH(QString, session);
        QFETCH(QByteArray, extra);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, message);
        const auto reply = sts(assumeRoleBody(role, session, extra), m_aws->defaultCredentials());
        QCOMPARE(reply.status, status);
        if (status == 200) {
            QVERIFY(xmlText(reply.body, QStringLiteral("AccessKeyId")).startsWith(QLatin1String("ASIA")));
            return;
        }
        QVERIFY(reply.body.startsWith("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"));
        QCOMPARE(xmlText(reply.body, QStringLiteral("Type")), QStringLiteral("Sender"));
        QCOMPARE(xmlText(reply.body, QStringLiteral("Code")), code);
        QVERIFY2(xmlText(reply.body, QStringLiteral("Message")).contains(message), reply.body.constData());
    }

    void mfaCodeAndExternalIdAreConfigurable()
    {
        m_aws->sts().setMfaCode(QStringLiteral("987654"));
        m_aws->sts().setExternalId(QStringLiteral("other-id"));
        const QString mfa = QStringLiteral("arn:aws:iam::123456789012:role/AdminMfa");
        const QByteArray serial = "&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fu";
        QCOMPARE(
            sts(assumeRoleBody(mfa, QStringLiteral("s1"), serial + "&TokenCode=123456"), m_aws->defaultCredentials())
                .status,
            403);
        QCOMPARE(
            sts(assumeRoleBody(mfa, QStringLiteral("s1"), serial + "&TokenCode=987654"), m_aws->defaultCredentials())
                .status,
            200);
        const QString external = QStringLiteral("arn:aws:iam::123456789012:role/ExternalAudit");
        QCOMPARE(
            sts(assumeRoleBody(external, QStringLiteral("s1"), "&ExternalId=other-id"), m_aws->defaultCredentials())
                .status,
            200);
        m_aws->sts().setMfaCode(QStringLiteral("123456"));
        m_aws->sts().setExternalId(QStringLiteral("fakeaws-external-id"));
    }

    void assumedRoleCredentialsWorkUntilTheyExpire()
    {
        const QString role = QStringLiteral("arn:aws:iam::210987654321:role/Deploy");
        const auto reply =
            sts(assumeRoleBody(role, QStringLiteral("ci-run-7"), "&DurationSeconds=900"), m_aws->defaultCredentials());
        QCOMPARE(reply.status, 200);
        // The §2.7 shape.
        QVERIFY(reply.body.startsWith("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"));
        for (const char* tag : {"<AssumeRoleResult>", "<AssumedRoleUser>", "<AssumedRoleId>", "<Credentials>",
                                "<Expiration>", "<ResponseMetadata>", "<RequestId>"})
            QVERIFY2(reply.body.contains(tag), tag);
        QCOMPARE(xmlText(reply.body, QStringLiteral("Arn")),
                 QStringLiteral("arn:aws:sts::210987654321:assumed-role/Deploy/ci-run-7"));
        QVERIFY(xmlText(reply.body, QStringLiteral("AssumedRoleId")).endsWith(QLatin1String(":ci-run-7")));
        const bl::Credentials creds = credentialsFrom(reply.body);
        QVERIFY(creds.isValid());
        QVERIFY(!creds.sessionToken.isEmpty());
        QVERIFY(creds.expiration && creds.expiration->isValid());
        QVERIFY(qAbs(m_aws->now().secsTo(*creds.expiration) - 900) < 10);

        const auto who = sts("Action=GetCallerIdentity&Version=2011-06-15", creds);
        QCOMPARE(who.status, 200);
        QCOMPARE(xmlText(who.body, QStringLiteral("Arn")),
                 QStringLiteral("arn:aws:sts::210987654321:assumed-role/Deploy/ci-run-7"));
        QCOMPARE(xmlText(who.body, QStringLiteral("Account")), QStringLiteral("210987654321"));
        QCOMPARE(m_client->query("ec2", "Action=DescribeRegions&Version=2016-11-15", creds).status, 200);

        // Role chaining is capped at one hour.
        const auto chained = sts(assumeRoleBody(QStringLiteral("arn:aws:iam::210987654321:role/Next"),
                                                QStringLiteral("chain"), "&DurationSeconds=7200"),
                                 creds);
        QCOMPARE(chained.status, 400);
        QVERIFY(xmlText(chained.body, QStringLiteral("Message")).contains(QLatin1String("role chaining")));

        // Fifteen minutes later they are refused.
        m_aws->faults().setClockOffsetSecs(901);
        bl::Credentials later = creds;
        const auto expired = m_client->query("sts", "Action=GetCallerIdentity&Version=2011-06-15", later,
                                             QDateTime::currentDateTimeUtc().addSecs(901));
        m_aws->faults().setClockOffsetSecs(0);
        QCOMPARE(expired.status, 403);
        QCOMPARE(xmlText(expired.body, QStringLiteral("Code")), QStringLiteral("ExpiredToken"));
    }

    void defaultDurationIsAnHour()
    {
        const auto reply = sts(assumeRoleBody(QStringLiteral("arn:aws:iam::123456789012:role/Admin"),
                                              QStringLiteral("s") + QStringLiteral("2")),
                               m_aws->defaultCredentials());
        QCOMPARE(reply.status, 200);
        QVERIFY(qAbs(m_aws->now().secsTo(*credentialsFrom(reply.body).expiration) - 3600) < 10);
    }

    void unknownActionIsInvalidAction()
    {
        const auto reply = sts("Action=GetSessionTokenX&Version=2011-06-15", m_aws->defaultCredentials());
        QCOMPARE(reply.status, 400);
        QCOMPARE(xmlText(reply.body, QStringLiteral("Code")), QStringLiteral("InvalidAction"));
    }
};

QTEST_GUILESS_MAIN(TestStsService)
#include "TestStsService.moc"
