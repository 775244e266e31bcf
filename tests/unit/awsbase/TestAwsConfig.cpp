// AwsConfig: the two shared files parsed as the AWS CLI parses them (PROTOCOLS.md §2.3), profile kinds,
// and the profile / region / FIPS / path resolution rules (§2.1). Fixtures: tests/data/awsbase/.

#include "core/aws/base/AwsConfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace bl;

namespace {

QString fixture(const QString& name)
{
    return QStringLiteral(BL_TESTDATA_DIR "/awsbase/") + name;
}

QProcessEnvironment envWith(const QStringList& assignments)
{
    QProcessEnvironment env;
    for (const QString& a : assignments) {
        const qsizetype eq = a.indexOf(QLatin1Char('='));
        env.insert(a.left(eq), a.mid(eq + 1));
    }
    return env;
}

QProcessEnvironment fixtureEnv(const QString& config = QStringLiteral("config"),
                               const QString& credentials = QStringLiteral("credentials"))
{
    return envWith({QStringLiteral("HOME=/nonexistent-home"), QStringLiteral("AWS_CONFIG_FILE=") + fixture(config),
                    QStringLiteral("AWS_SHARED_CREDENTIALS_FILE=") + fixture(credentials)});
}

AwsConfig loadFixture()
{
    auto config = AwsConfig::load(fixtureEnv());
    if (!config)
        qFatal("fixture did not load: %s", qPrintable(config.error().toString()));
    return *config;
}

std::optional<ConfigSection> section(const QStringList& pairs)
{
    ConfigSection s;
    for (const QString& p : pairs) {
        const qsizetype eq = p.indexOf(QLatin1Char('='));
        s.values.insert(p.left(eq), p.mid(eq + 1));
    }
    return s;
}

} // namespace

class TestAwsConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void profileValues_data();
    void profileValues();
    void profileNamesAndIgnoredSections();
    void nestedBlocks();
    void ssoSessionAndServices();
    void mergeOrigin();
    void profileKind_data();
    void profileKind();
    void parseErrors_data();
    void parseErrors();
    void inlineParseErrors_data();
    void inlineParseErrors();
    void crlfBomAndProfileDefault();
    void missingFilesAreEmpty();
    void unreadableDirectory();
    void unreadablePermissions();
    void defaultPathsUseHome();
    void expandPath_data();
    void expandPath();
    void resolveProfileName_data();
    void resolveProfileName();
    void resolveRegion_data();
    void resolveRegion();
    void useFips_data();
    void useFips();
};

void TestAwsConfig::profileValues_data()
{
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");
    QTest::newRow("default from config") << "default"
                                         << "region"
                                         << "us-east-1";
    QTest::newRow("default key from credentials") << "default"
                                                  << "aws_access_key_id"
                                                  << "AKIDDEFAULT";
    QTest::newRow("keys are lower-cased") << "dev"
                                          << "role_arn"
                                          << "arn:aws:iam::123456789012:role/Dev";
    QTest::newRow("credentials file wins") << "dev"
                                           << "region"
                                           << "eu-central-1";
    QTest::newRow("colon separator, inline # kept") << "dev"
                                                    << "region_note"
                                                    << "kept verbatim # not a comment";
    QTest::newRow("quoted profile name") << "my name"
                                         << "credential_process"
                                         << "/usr/bin/fetch-creds --profile \"my name\"";
    QTest::newRow("colon separator in credentials") << "only-creds"
                                                    << "aws_secret_access_key"
                                                    << "secretonly";
    QTest::newRow("[profile x] in credentials is literal") << "profile literal"
                                                           << "aws_access_key_id"
                                                           << "AKIDLITERAL";
    QTest::newRow("continuation line") << "multi"
                                       << "description"
                                       << "first line\nsecond line";
    QTest::newRow("comment after nested block") << "dev"
                                                << "source_profile"
                                                << "default";
}

void TestAwsConfig::profileValues()
{
    QFETCH(QString, profile);
    QFETCH(QString, key);
    QFETCH(QString, expected);
    const AwsConfig config = loadFixture();
    const auto p = config.profile(profile);
    QVERIFY2(p.has_value(), qPrintable(profile));
    QCOMPARE(p->value(key), expected);
}

void TestAwsConfig::profileNamesAndIgnoredSections()
{
    const AwsConfig config = loadFixture();
    QCOMPARE(config.profileNames(),
             QStringList({QStringLiteral("default"), QStringLiteral("dev"), QStringLiteral("multi"),
                          QStringLiteral("my name"), QStringLiteral("only-creds"), QStringLiteral("profile literal"),
                          QStringLiteral("sso-user")}));
    for (const QString& ignored : {QStringLiteral("profilefoo"), QStringLiteral("a b"), QStringLiteral("a"),
                                   QStringLiteral("plain"), QStringLiteral("literal"), QStringLiteral("corp")})
        QVERIFY2(!config.profile(ignored).has_value(), qPrintable(ignored));
    QCOMPARE(config.configPath(), fixture(QStringLiteral("config")));
    QCOMPARE(config.credentialsPath(), fixture(QStringLiteral("credentials")));
}

void TestAwsConfig::nestedBlocks()
{
    const auto dev = loadFixture().profile(QStringLiteral("dev"));
    QVERIFY(dev.has_value());
    QVERIFY(!dev->has(QStringLiteral("s3")));
    const QMap<QString, QString> s3 = dev->nested.value(QStringLiteral("s3"));
    QCOMPARE(s3.value(QStringLiteral("addressing_style")), QStringLiteral("path"));
    QCOMPARE(s3.value(QStringLiteral("max_concurrent_requests")), QStringLiteral("5"));
    QCOMPARE(s3.size(), 2);
}

void TestAwsConfig::ssoSessionAndServices()
{
    const AwsConfig config = loadFixture();
    const auto corp = config.ssoSession(QStringLiteral("corp"));
    QVERIFY(corp.has_value());
    QCOMPARE(corp->value(QStringLiteral("sso_start_url")), QStringLiteral("https://corp.awsapps.com/start"));
    QCOMPARE(corp->value(QStringLiteral("sso_registration_scopes")), QStringLiteral("sso:account:access"));
    QVERIFY(!config.ssoSession(QStringLiteral("other")).has_value());

    const auto local = config.services(QStringLiteral("local"));
    QVERIFY(local.has_value());
    QCOMPARE(local->nested.value(QStringLiteral("ec2")).value(QStringLiteral("endpoint_url")),
             QStringLiteral("http://127.0.0.1:4566"));
    QCOMPARE(local->nested.value(QStringLiteral("ec2_instance_connect")).value(QStringLiteral("endpoint_url")),
             QStringLiteral("http://127.0.0.1:4567"));
}

void TestAwsConfig::mergeOrigin()
{
    const AwsConfig config = loadFixture();
    const auto dev = config.profile(QStringLiteral("dev"));
    QCOMPARE(dev->name, QStringLiteral("dev"));
    QCOMPARE(dev->file, fixture(QStringLiteral("config")));
    QCOMPARE(dev->line, 6);
    const auto only = config.profile(QStringLiteral("only-creds"));
    QCOMPARE(only->file, fixture(QStringLiteral("credentials")));
    QCOMPARE(only->line, 14);
}

void TestAwsConfig::profileKind_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QByteArray>("credentials");
    QTest::addColumn<ProfileKind>("kind");
    QTest::addColumn<QString>("name");
    QTest::newRow("role") << QByteArray("[profile p]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n")
                          << QByteArray() << ProfileKind::AssumeRole << "role";
    QTest::newRow("web identity beats role")
        << QByteArray("[profile p]\nrole_arn = arn:aws:iam::1:role/r\nweb_identity_token_file = /t\n") << QByteArray()
        << ProfileKind::WebIdentity << "web identity";
    QTest::newRow("sso session") << QByteArray("[profile p]\nsso_session = s\nsso_account_id = 1\nsso_role_name = r\n")
                                 << QByteArray() << ProfileKind::Sso << "SSO";
    QTest::newRow("legacy sso") << QByteArray(
        "[profile p]\nsso_start_url = https://x/start\nsso_region = us-east-1\nsso_account_id = 1\n"
        "sso_role_name = r\n") << QByteArray()
                                << ProfileKind::Sso << "SSO";
    QTest::newRow("sso without role name") << QByteArray("[profile p]\nsso_session = s\nsso_account_id = 1\n")
                                           << QByteArray() << ProfileKind::Unknown << "unknown";
    QTest::newRow("process") << QByteArray("[profile p]\ncredential_process = /bin/creds\n") << QByteArray()
                             << ProfileKind::Process << "process";
    QTest::newRow("credentials-file keys beat process")
        << QByteArray("[profile p]\ncredential_process = /bin/creds\n")
        << QByteArray("[p]\naws_access_key_id = A\naws_secret_access_key = S\n") << ProfileKind::StaticKeys << "keys";
    QTest::newRow("process beats config-file keys")
        << QByteArray("[profile p]\ncredential_process = /bin/creds\naws_access_key_id = A\n") << QByteArray()
        << ProfileKind::Process << "process";
    QTest::newRow("config keys") << QByteArray("[profile p]\naws_access_key_id = A\naws_secret_access_key = S\n")
                                 << QByteArray() << ProfileKind::StaticKeys << "keys";
    QTest::newRow("region only") << QByteArray("[profile p]\nregion = us-east-1\n") << QByteArray()
                                 << ProfileKind::Unknown << "unknown";
    QTest::newRow("no such profile") << QByteArray("[profile q]\naws_access_key_id = A\n") << QByteArray()
                                     << ProfileKind::Unknown << "unknown";
}

void TestAwsConfig::profileKind()
{
    QFETCH(QByteArray, config);
    QFETCH(QByteArray, credentials);
    QFETCH(ProfileKind, kind);
    QFETCH(QString, name);
    const auto parsed = AwsConfig::fromText(config, credentials);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().toString()));
    QCOMPARE(parsed->profileKind(QStringLiteral("p")), kind);
    QCOMPARE(profileKindName(kind), name);
}

void TestAwsConfig::parseErrors_data()
{
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("credentials");
    QTest::addColumn<QString>("where");
    QTest::newRow("line without separator") << "config-bad-line"
                                            << "credentials"
                                            << "config-bad-line:3:";
    QTest::newRow("setting before any section") << "config-no-section"
                                                << "credentials"
                                                << "config-no-section:3:";
    QTest::newRow("nested line without =") << "config"
                                           << "credentials-bad-nested"
                                           << "credentials-bad-nested:5:";
}

void TestAwsConfig::parseErrors()
{
    QFETCH(QString, config);
    QFETCH(QString, credentials);
    QFETCH(QString, where);
    const auto loaded = AwsConfig::load(fixtureEnv(config, credentials));
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.error().kind, ErrorKind::Config);
    QVERIFY2(loaded.error().message.startsWith(fixture(where)), qPrintable(loaded.error().message));
    QVERIFY(!loaded.error().hint.isEmpty());
    // The offending line may hold a secret: it is never echoed.
    QVERIFY(!loaded.error().message.contains(QStringLiteral("no separator")));
}

void TestAwsConfig::inlineParseErrors_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QByteArray>("credentials");
    QTest::addColumn<QString>("where");
    QTest::newRow("value without key") << QByteArray("[default]\n= value\n") << QByteArray() << "config:2:";
    QTest::newRow("unclosed section header")
        << QByteArray("[default]\n\n[profile x\nregion = a\n") << QByteArray() << "config:3:";
    QTest::newRow("empty section header") << QByteArray("[]\n") << QByteArray() << "config:1:";
    QTest::newRow("credentials file named")
        << QByteArray("[default]\n") << QByteArray("[default]\naws_access_key_id = A\nAKIDSECRET\n")
        << "credentials:3:";
}

void TestAwsConfig::inlineParseErrors()
{
    QFETCH(QByteArray, config);
    QFETCH(QByteArray, credentials);
    QFETCH(QString, where);
    const auto parsed = AwsConfig::fromText(config, credentials);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().kind, ErrorKind::Config);
    QVERIFY2(parsed.error().message.startsWith(where), qPrintable(parsed.error().message));
    QVERIFY(!parsed.error().message.contains(QStringLiteral("AKIDSECRET")));
}

void TestAwsConfig::crlfBomAndProfileDefault()
{
    const auto parsed = AwsConfig::fromText("\xEF\xBB\xBF[default]\r\nregion = eu-north-1\r\n"
                                            "[profile default]\r\noutput = text\r\n",
                                            {});
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().toString()));
    QCOMPARE(parsed->profileNames(), QStringList {QStringLiteral("default")});
    const auto def = parsed->profile(QStringLiteral("default"));
    QCOMPARE(def->value(QStringLiteral("region")), QStringLiteral("eu-north-1"));
    QCOMPARE(def->value(QStringLiteral("output")), QStringLiteral("text"));
}
void TestAwsConfig::missingFilesAreEmpty()
{
    const auto loaded = AwsConfig::load(fixtureEnv(QStringLiteral("does-not-exist"), QStringLiteral("nor-this")));
    QVERIFY(loaded.ok());
    QVERIFY(loaded->profileNames().isEmpty());
    QVERIFY(!loaded->profile(QStringLiteral("default")).has_value());
    QCOMPARE(loaded->profileKind(QStringLiteral("default")), ProfileKind::Unknown);
}

void TestAwsConfig::unreadableDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A directory where the file should be.
    auto loaded =
        AwsConfig::load(envWith({QStringLiteral("AWS_CONFIG_FILE=") + dir.path(),
                                 QStringLiteral("AWS_SHARED_CREDENTIALS_FILE=") + dir.filePath(QStringLiteral("x"))}));
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.error().kind, ErrorKind::Config);
    QVERIFY2(loaded.error().message.contains(dir.path()), qPrintable(loaded.error().message));
}

void TestAwsConfig::unreadablePermissions()
{
    if (::geteuid() == 0)
        QSKIP("running as root: file permissions do not stop reads");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A file without read permission (root reads everything, so only checkable as a normal user).
    const QString path = dir.filePath(QStringLiteral("credentials"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[default]\n");
    f.close();
    QVERIFY(f.setPermissions(QFileDevice::WriteOwner));
    const auto loaded =
        AwsConfig::load(envWith({QStringLiteral("AWS_CONFIG_FILE=") + dir.filePath(QStringLiteral("none")),
                                 QStringLiteral("AWS_SHARED_CREDENTIALS_FILE=") + path}));
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.error().kind, ErrorKind::Config);
    QVERIFY2(loaded.error().message.contains(path), qPrintable(loaded.error().message));
}

void TestAwsConfig::defaultPathsUseHome()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QVERIFY(QDir(home.path()).mkpath(QStringLiteral(".aws")));
    QFile f(home.filePath(QStringLiteral(".aws/config")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[profile fromhome]\nregion = sa-east-1\n");
    f.close();
    const auto loaded = AwsConfig::load(envWith({QStringLiteral("HOME=") + home.path()}));
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->configPath(), home.filePath(QStringLiteral(".aws/config")));
    QCOMPARE(loaded->credentialsPath(), home.filePath(QStringLiteral(".aws/credentials")));
    QCOMPARE(loaded->profileNames(), QStringList {QStringLiteral("fromhome")});
}

void TestAwsConfig::expandPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");
    QTest::newRow("tilde") << "~/.aws/config"
                           << "/home/u/.aws/config";
    QTest::newRow("bare tilde") << "~"
                                << "/home/u";
    QTest::newRow("tilde user untouched") << "~other/x"
                                          << "~other/x";
    QTest::newRow("$VAR") << "$CFG/config"
                          << "/etc/aws/config";
    QTest::newRow("${VAR}") << "${CFG}x/config"
                            << "/etc/awsx/config";
    QTest::newRow("tilde then var") << "~/$SUB"
                                    << "/home/u/dir";
    QTest::newRow("unknown var kept") << "$NOPE/config"
                                      << "$NOPE/config";
    QTest::newRow("unclosed brace kept") << "${CFG/config"
                                         << "${CFG/config";
    QTest::newRow("trailing dollar") << "/x/$"
                                     << "/x/$";
    QTest::newRow("absolute untouched") << "/opt/aws/config"
                                        << "/opt/aws/config";
}

void TestAwsConfig::expandPath()
{
    QFETCH(QString, path);
    QFETCH(QString, expected);
    const auto env =
        envWith({QStringLiteral("HOME=/home/u"), QStringLiteral("CFG=/etc/aws"), QStringLiteral("SUB=dir")});
    QCOMPARE(bl::expandPath(path, env), expected);
}

void TestAwsConfig::resolveProfileName_data()
{
    QTest::addColumn<QString>("explicitProfile");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("expected");
    QTest::newRow("explicit wins") << "cli" << QStringList {QStringLiteral("AWS_PROFILE=env")} << "cli";
    QTest::newRow("AWS_PROFILE") << ""
                                 << QStringList {QStringLiteral("AWS_PROFILE=env"),
                                                 QStringLiteral("AWS_DEFAULT_PROFILE=old")}
                                 << "env";
    QTest::newRow("AWS_DEFAULT_PROFILE") << "" << QStringList {QStringLiteral("AWS_DEFAULT_PROFILE=old")} << "old";
    QTest::newRow("empty AWS_PROFILE ignored")
        << "" << QStringList {QStringLiteral("AWS_PROFILE="), QStringLiteral("AWS_DEFAULT_PROFILE=old")} << "old";
    QTest::newRow("default") << "" << QStringList {} << "default";
}

void TestAwsConfig::resolveProfileName()
{
    QFETCH(QString, explicitProfile);
    QFETCH(QStringList, env);
    QFETCH(QString, expected);
    QCOMPARE(bl::resolveProfileName(explicitProfile, envWith(env)), expected);
}

void TestAwsConfig::resolveRegion_data()
{
    QTest::addColumn<QString>("explicitRegion");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<bool>("withProfile");
    QTest::addColumn<QString>("expected");
    const QStringList both {QStringLiteral("AWS_REGION=eu-west-1"), QStringLiteral("AWS_DEFAULT_REGION=eu-west-2")};
    QTest::newRow("explicit") << "us-west-1" << both << true << "us-west-1";
    QTest::newRow("AWS_REGION") << "" << both << true << "eu-west-1";
    QTest::newRow("AWS_DEFAULT_REGION") << "" << QStringList {QStringLiteral("AWS_DEFAULT_REGION=eu-west-2")} << true
                                        << "eu-west-2";
    QTest::newRow("profile") << "" << QStringList {} << true << "ap-south-1";
    QTest::newRow("nothing") << "" << QStringList {} << false << "";
}

void TestAwsConfig::resolveRegion()
{
    QFETCH(QString, explicitRegion);
    QFETCH(QStringList, env);
    QFETCH(bool, withProfile);
    QFETCH(QString, expected);
    const auto profile = withProfile ? section({QStringLiteral("region=ap-south-1")}) : std::nullopt;
    QCOMPARE(bl::resolveRegion(explicitRegion, envWith(env), profile), expected);
}

void TestAwsConfig::useFips_data()
{
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("profileValue");
    QTest::addColumn<bool>("expected");
    QTest::newRow("off by default") << QStringList {} << "" << false;
    QTest::newRow("env true") << QStringList {QStringLiteral("AWS_USE_FIPS_ENDPOINT=true")} << "" << true;
    QTest::newRow("env TRUE") << QStringList {QStringLiteral("AWS_USE_FIPS_ENDPOINT=TRUE")} << "" << true;
    QTest::newRow("env 1") << QStringList {QStringLiteral("AWS_USE_FIPS_ENDPOINT=1")} << "" << true;
    QTest::newRow("profile yes") << QStringList {} << "yes" << true;
    QTest::newRow("profile false") << QStringList {} << "false" << false;
    QTest::newRow("env false beats profile")
        << QStringList {QStringLiteral("AWS_USE_FIPS_ENDPOINT=false")} << "true" << false;
}

void TestAwsConfig::useFips()
{
    QFETCH(QStringList, env);
    QFETCH(QString, profileValue);
    QFETCH(bool, expected);
    const auto profile = section({QStringLiteral("use_fips_endpoint=") + profileValue});
    QCOMPARE(bl::useFips(envWith(env), profile), expected);
}

QTEST_GUILESS_MAIN(TestAwsConfig)
#include "TestAwsConfig.moc"
