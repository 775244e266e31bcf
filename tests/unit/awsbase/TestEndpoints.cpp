// Endpoint resolution: default hosts per service, partition and FIPS (PROTOCOLS.md §2.8), and the configured
// overrides in botocore's order (§2.1). Fixture: tests/data/awsbase/config-endpoints.

#include "core/aws/base/Endpoints.h"

#include <QTest>

using namespace bl;

namespace {

QProcessEnvironment envWith(const QStringList& assignments)
{
    QProcessEnvironment env;
    for (const QString& a : assignments) {
        const qsizetype eq = a.indexOf(QLatin1Char('='));
        env.insert(a.left(eq), a.mid(eq + 1));
    }
    return env;
}

AwsConfig endpointConfig()
{
    const auto env = envWith({QStringLiteral("AWS_CONFIG_FILE=" BL_TESTDATA_DIR "/awsbase/config-endpoints"),
                              QStringLiteral("AWS_SHARED_CREDENTIALS_FILE=" BL_TESTDATA_DIR "/awsbase/none")});
    auto config = AwsConfig::load(env);
    if (!config)
        qFatal("fixture did not load: %s", qPrintable(config.error().toString()));
    return *config;
}

} // namespace

class TestEndpoints : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults_data();
    void defaults();
    void partitions_data();
    void partitions();
    void overrides_data();
    void overrides();
    void stsSigningRegion_data();
    void stsSigningRegion();
    void errors_data();
    void errors();
};

void TestEndpoints::defaults_data()
{
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("region");
    QTest::addColumn<bool>("fips");
    QTest::addColumn<QString>("url");
    QTest::newRow("ec2") << "ec2"
                         << "us-east-1" << false << "https://ec2.us-east-1.amazonaws.com";
    QTest::newRow("instance connect") << "ec2-instance-connect"
                                      << "eu-west-1" << false << "https://ec2-instance-connect.eu-west-1.amazonaws.com";
    QTest::newRow("ssm") << "ssm"
                         << "ap-northeast-1" << false << "https://ssm.ap-northeast-1.amazonaws.com";
    QTest::newRow("sts is regional") << "sts"
                                     << "eu-central-1" << false << "https://sts.eu-central-1.amazonaws.com";
    QTest::newRow("sso portal") << "sso"
                                << "us-west-2" << false << "https://portal.sso.us-west-2.amazonaws.com";
    QTest::newRow("sso oidc") << "sso-oidc"
                              << "us-west-2" << false << "https://oidc.us-west-2.amazonaws.com";
    QTest::newRow("ec2 fips") << "ec2"
                              << "us-east-1" << true << "https://ec2-fips.us-east-1.amazonaws.com";
    QTest::newRow("ssm fips") << "ssm"
                              << "us-east-2" << true << "https://ssm-fips.us-east-2.amazonaws.com";
    QTest::newRow("sts fips") << "sts"
                              << "us-west-1" << true << "https://sts-fips.us-west-1.amazonaws.com";
    QTest::newRow("instance connect has no fips")
        << "ec2-instance-connect"
        << "us-east-1" << true << "https://ec2-instance-connect.us-east-1.amazonaws.com";
    QTest::newRow("sso has no fips") << "sso"
                                     << "us-east-1" << true << "https://portal.sso.us-east-1.amazonaws.com";
    QTest::newRow("china") << "ec2"
                           << "cn-north-1" << false << "https://ec2.cn-north-1.amazonaws.com.cn";
    QTest::newRow("govcloud") << "ssm"
                              << "us-gov-west-1" << false << "https://ssm.us-gov-west-1.amazonaws.com";
    QTest::newRow("iso") << "ec2"
                         << "us-iso-east-1" << false << "https://ec2.us-iso-east-1.c2s.ic.gov";
    QTest::newRow("iso-b") << "ec2"
                           << "us-isob-east-1" << false << "https://ec2.us-isob-east-1.sc2s.sgov.gov";
}

void TestEndpoints::defaults()
{
    QFETCH(QString, service);
    QFETCH(QString, region);
    QFETCH(bool, fips);
    QFETCH(QString, url);
    QProcessEnvironment env;
    if (fips)
        env.insert(QStringLiteral("AWS_USE_FIPS_ENDPOINT"), QStringLiteral("true"));
    const auto resolved = resolveEndpoint(service, region, AwsConfig(), std::nullopt, env);
    QVERIFY2(resolved.ok(), resolved.ok() ? "" : qPrintable(resolved.error().toString()));
    QCOMPARE(resolved->url.toString(), url);
    QCOMPARE(resolved->signingRegion, region);
    QVERIFY(!resolved->overridden);
}

void TestEndpoints::partitions_data()
{
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("partition");
    QTest::addColumn<QString>("suffix");
    QTest::newRow("aws") << "eu-west-3"
                         << "aws"
                         << "amazonaws.com";
    QTest::newRow("aws-cn") << "cn-northwest-1"
                            << "aws-cn"
                            << "amazonaws.com.cn";
    QTest::newRow("aws-us-gov") << "us-gov-east-1"
                                << "aws-us-gov"
                                << "amazonaws.com";
    QTest::newRow("aws-iso") << "us-iso-west-1"
                             << "aws-iso"
                             << "c2s.ic.gov";
    QTest::newRow("aws-iso-b") << "us-isob-east-1"
                               << "aws-iso-b"
                               << "sc2s.sgov.gov";
    QTest::newRow("us-east is not gov") << "us-east-1"
                                        << "aws"
                                        << "amazonaws.com";
}

void TestEndpoints::partitions()
{
    QFETCH(QString, region);
    QFETCH(QString, partition);
    QFETCH(QString, suffix);
    QCOMPARE(partitionName(region), partition);
    QCOMPARE(partitionDnsSuffix(region), suffix);
}

void TestEndpoints::overrides_data()
{
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("overridden");
    const QStringList none;
    QTest::newRow("service env beats global env")
        << QStringList {QStringLiteral("AWS_ENDPOINT_URL_EC2=http://127.0.0.1:1111"),
                        QStringLiteral("AWS_ENDPOINT_URL=http://127.0.0.1:2222")}
        << "svc"
        << "ec2"
        << "http://127.0.0.1:1111" << true;
    QTest::newRow("global env for another service")
        << QStringList {QStringLiteral("AWS_ENDPOINT_URL_EC2=http://127.0.0.1:1111"),
                        QStringLiteral("AWS_ENDPOINT_URL=http://127.0.0.1:2222")}
        << ""
        << "ssm"
        << "http://127.0.0.1:2222" << true;
    QTest::newRow("env name with underscores")
        << QStringList {QStringLiteral("AWS_ENDPOINT_URL_EC2_INSTANCE_CONNECT=https://localhost:3333")} << ""
        << "ec2-instance-connect"
        << "https://localhost:3333" << true;
    QTest::newRow("sso-oidc env") << QStringList {QStringLiteral("AWS_ENDPOINT_URL_SSO_OIDC=http://127.0.0.1:4444")}
                                  << ""
                                  << "sso-oidc"
                                  << "http://127.0.0.1:4444" << true;
    QTest::newRow("global env beats services block")
        << QStringList {QStringLiteral("AWS_ENDPOINT_URL=http://h:1")} << "svc"
        << "ec2"
        << "http://h:1" << true;
    QTest::newRow("services block") << none << "svc"
                                    << "ec2"
                                    << "http://127.0.0.1:4566" << true;
    QTest::newRow("services block, snake-case id, base path") << none << "svc"
                                                              << "ec2-instance-connect"
                                                              << "http://127.0.0.1:4567/base" << true;
    QTest::newRow("services block for sso-oidc") << none << "svc"
                                                 << "sso-oidc"
                                                 << "https://oidc.local:8443" << true;
    QTest::newRow("services block without this service") << none << "svc"
                                                         << "ssm"
                                                         << "https://ssm.us-east-1.amazonaws.com" << false;
    QTest::newRow("profile endpoint_url") << none << "own"
                                          << "ssm"
                                          << "http://127.0.0.1:9000" << true;
    QTest::newRow("services block beats profile endpoint_url") << none << "both"
                                                               << "ec2"
                                                               << "http://127.0.0.1:4566" << true;
    QTest::newRow("profile endpoint_url when block lacks service") << none << "both"
                                                                   << "sts"
                                                                   << "http://127.0.0.1:9000" << true;
    QTest::newRow("profile ignores configured urls") << none << "ignoring"
                                                     << "ec2"
                                                     << "https://ec2.us-east-1.amazonaws.com" << false;
    QTest::newRow("env ignores all configured urls")
        << QStringList {QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true"),
                        QStringLiteral("AWS_ENDPOINT_URL_EC2=http://127.0.0.1:1111")}
        << "own"
        << "ec2"
        << "https://ec2.us-east-1.amazonaws.com" << false;
    QTest::newRow("env false overrides profile ignore")
        << QStringList {QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false")} << "ignoring"
        << "ec2"
        << "http://127.0.0.1:4566" << true;
    QTest::newRow("unknown services name") << none << "missing-services"
                                           << "ec2"
                                           << "https://ec2.us-east-1.amazonaws.com" << false;
    QTest::newRow("no profile") << none << ""
                                << "ec2"
                                << "https://ec2.us-east-1.amazonaws.com" << false;
}

void TestEndpoints::overrides()
{
    QFETCH(QStringList, env);
    QFETCH(QString, profile);
    QFETCH(QString, service);
    QFETCH(QString, url);
    QFETCH(bool, overridden);
    const AwsConfig config = endpointConfig();
    const auto p = profile.isEmpty() ? std::nullopt : config.profile(profile);
    QVERIFY(profile.isEmpty() || p.has_value());
    const auto resolved = resolveEndpoint(service, QStringLiteral("us-east-1"), config, p, envWith(env));
    QVERIFY2(resolved.ok(), resolved.ok() ? "" : qPrintable(resolved.error().toString()));
    QCOMPARE(resolved->url.toString(), url);
    QCOMPARE(resolved->overridden, overridden);
    QCOMPARE(resolved->signingRegion, QStringLiteral("us-east-1"));
}

void TestEndpoints::stsSigningRegion_data()
{
    QTest::addColumn<QString>("override");
    QTest::addColumn<QString>("signingRegion");
    QTest::newRow("global endpoint") << "https://sts.amazonaws.com"
                                     << "us-east-1";
    QTest::newRow("regional endpoint") << "https://sts.eu-west-1.amazonaws.com"
                                       << "eu-west-1";
    QTest::newRow("local emulator") << "http://127.0.0.1:5000"
                                    << "eu-west-1";
}

void TestEndpoints::stsSigningRegion()
{
    QFETCH(QString, override);
    QFETCH(QString, signingRegion);
    const auto env = envWith({QStringLiteral("AWS_ENDPOINT_URL_STS=") + override});
    const auto resolved =
        resolveEndpoint(QStringLiteral("sts"), QStringLiteral("eu-west-1"), AwsConfig(), std::nullopt, env);
    QVERIFY(resolved.ok());
    QCOMPARE(resolved->signingRegion, signingRegion);
    QCOMPARE(resolved->url.toString(), override);
}

void TestEndpoints::errors_data()
{
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("messagePart");
    QTest::addColumn<QString>("hintPart");
    QTest::newRow("empty region") << ""
                                  << "" << QStringList {} << "region"
                                  << "--region";
    QTest::newRow("empty region even with an override")
        << ""
        << "" << QStringList {QStringLiteral("AWS_ENDPOINT_URL=http://127.0.0.1:1")} << "region"
        << "AWS_REGION";
    QTest::newRow("region that would change the host") << "us-east-1.evil.example/x"
                                                       << "" << QStringList {} << "not a valid AWS region"
                                                       << "us-east-1";
    QTest::newRow("upper-case region") << "US-EAST-1"
                                       << "" << QStringList {} << "not a valid AWS region"
                                       << "us-east-1";
    QTest::newRow("malformed profile endpoint_url") << "us-east-1"
                                                    << "broken" << QStringList {} << "profile broken"
                                                    << "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";
    QTest::newRow("non-http env override")
        << "us-east-1"
        << "" << QStringList {QStringLiteral("AWS_ENDPOINT_URL_EC2=ftp://x")} << "AWS_ENDPOINT_URL_EC2"
        << "https://";
    QTest::newRow("override without host")
        << "us-east-1"
        << "" << QStringList {QStringLiteral("AWS_ENDPOINT_URL=http://")} << "AWS_ENDPOINT_URL"
        << "https://";
}

void TestEndpoints::errors()
{
    QFETCH(QString, region);
    QFETCH(QString, profile);
    QFETCH(QStringList, env);
    QFETCH(QString, messagePart);
    QFETCH(QString, hintPart);
    const AwsConfig config = endpointConfig();
    const auto p = profile.isEmpty() ? std::nullopt : config.profile(profile);
    const auto resolved = resolveEndpoint(QStringLiteral("ec2"), region, config, p, envWith(env));
    QVERIFY(!resolved.ok());
    QCOMPARE(resolved.error().kind, ErrorKind::Config);
    QVERIFY2(resolved.error().message.contains(messagePart), qPrintable(resolved.error().message));
    QVERIFY2(resolved.error().hint.contains(hintPart), qPrintable(resolved.error().hint));
}

QTEST_GUILESS_MAIN(TestEndpoints)
#include "TestEndpoints.moc"
