#include "FakeAws.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

namespace fakeaws {

namespace {

bl::Result<void> writePrivateFile(const QString& path, const QByteArray& content)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit())
        return bl::Error::make(bl::ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return {};
}

QString shellQuote(const QString& value)
{
    QString quoted = value;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace

FakeAws::FakeAws(FakeAwsOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    if (m_options.stateDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/fakeaws-XXXXXX"));
        m_stateDir = m_tempDir->path();
    } else {
        m_stateDir = QDir(m_options.stateDir).absolutePath();
    }
    QDir().mkpath(pushedKeysDir());
    QDir().mkpath(homeDir());

    m_fleet = std::make_unique<Fleet>(m_options.fleet ? *m_options.fleet : Fleet::demo());
    m_options.fleet.reset();
    m_ec2 = std::make_unique<Ec2Service>(*m_fleet);
    m_instanceConnect = std::make_unique<InstanceConnectService>(*m_fleet, pushedKeysDir());
    m_ssm = std::make_unique<SsmService>(*m_fleet);
    m_sts = std::make_unique<StsService>(m_identities);
    m_sso = std::make_unique<SsoService>(m_identities);

    m_router = std::make_unique<RequestRouter>(m_identities, m_faults);
    m_router->addService(QStringLiteral("ec2"), m_ec2.get());
    m_router->addService(QStringLiteral("ec2-instance-connect"), m_instanceConnect.get());
    m_router->addService(QStringLiteral("ssm"), m_ssm.get());
    m_router->addService(QStringLiteral("sts"), m_sts.get());
    for (const SsoService::Route& route : SsoService::routes())
        m_router->addUnsignedRoute(route.method, route.path, route.action, m_sso.get());
    m_eice = std::make_unique<EiceService>(*m_fleet, m_router->verifier(), m_faults);
    m_eice->attach(*m_router);
    m_ssmSessions = std::make_unique<SsmSessionManager>(*m_fleet, *m_ssm, *m_router, m_faults);

    m_server = std::make_unique<HttpsServer>();
    m_server->setClock([this] { return m_faults.now(); });
    RequestRouter* router = m_router.get();
    m_server->setHandler(
        [router](const HttpRequest& request, HttpExchange exchange) { router->handle(request, exchange); });
}

FakeAws::~FakeAws()
{
    stop();
    m_server.reset();
    m_ssmSessions.reset();
    m_eice.reset();
    m_router.reset();
}

bl::Result<void> FakeAws::start(quint16 port)
{
    if (!m_ca) {
        bl::Result<TestCa> ca = TestCa::generate();
        if (!ca)
            return ca.error();
        m_ca = std::move(ca).value();
    }
    if (m_stateDir.isEmpty() || !QDir().mkpath(m_stateDir))
        return bl::Error::make(bl::ErrorKind::Io,
                               QStringLiteral("cannot create the fakeaws state directory %1")
                                   .arg(m_stateDir.isEmpty() ? m_options.stateDir : m_stateDir));
    if (bl::Result<void> written = m_ca->writeCaPem(caBundlePath()); !written)
        return written;

    m_server->setCertificate({m_ca->serverCertificate(), m_ca->caCertificate()}, m_ca->serverKey());
    const QString error = m_server->listen(port);
    if (!error.isEmpty())
        return bl::Error::make(bl::ErrorKind::Network, QStringLiteral("fakeaws %1").arg(error),
                               QStringLiteral("Pick another --port, or 0 for any free port."));
    m_sso->setBaseUrl(endpointUrl());
    m_eice->setServerPort(m_server->port());
    m_ssmSessions->setServerPort(m_server->port());
    return {};
}

void FakeAws::stop()
{
    if (m_server)
        m_server->close();
    if (m_eice)
        m_eice->abortAll();
    if (m_ssmSessions)
        m_ssmSessions->abortAll();
}

bool FakeAws::isRunning() const
{
    return m_server && m_server->isListening();
}

quint16 FakeAws::port() const
{
    return m_server ? m_server->port() : 0;
}

QString FakeAws::endpointUrl() const
{
    return QStringLiteral("https://127.0.0.1:%1").arg(port());
}

QString FakeAws::caBundlePath() const
{
    return m_stateDir + QStringLiteral("/ca.pem");
}

QSslCertificate FakeAws::caCertificate() const
{
    return m_ca ? m_ca->caCertificate() : QSslCertificate();
}

QString FakeAws::pushedKeysDir() const
{
    return m_stateDir + QStringLiteral("/pushed-keys");
}

QString FakeAws::homeDir() const
{
    return m_stateDir + QStringLiteral("/home");
}

Identity FakeAws::addTemporaryAccessKey(const QDateTime& expiration)
{
    const Identity& user = defaultIdentity();
    return m_identities.issueTemporary(user.accountId, user.arn, user.userId, expiration);
}

QProcessEnvironment FakeAws::clientEnvironment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys()) {
        if (key.startsWith(QLatin1String("AWS_")))
            env.remove(key);
    }
    const Identity& user = defaultIdentity();
    env.insert(QStringLiteral("AWS_ENDPOINT_URL"), endpointUrl());
    env.insert(QStringLiteral("AWS_CA_BUNDLE"), caBundlePath());
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), user.accessKeyId);
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), user.secretAccessKey);
    env.insert(QStringLiteral("AWS_REGION"), m_options.region);
    env.insert(QStringLiteral("AWS_DEFAULT_REGION"), m_options.region); // what CLI v1 and older SDKs read
    // No instance-metadata probing and no pager: the CLI would otherwise wait on both.
    env.insert(QStringLiteral("AWS_EC2_METADATA_DISABLED"), QStringLiteral("true"));
    env.insert(QStringLiteral("AWS_PAGER"), QString());
    env.insert(QStringLiteral("HOME"), homeDir());
    return env;
}

QStringList FakeAws::exportLines() const
{
    const Identity& user = defaultIdentity();
    const QList<QPair<QString, QString>> vars = {
        {QStringLiteral("AWS_ENDPOINT_URL"), endpointUrl()},
        {QStringLiteral("AWS_CA_BUNDLE"), caBundlePath()},
        {QStringLiteral("AWS_ACCESS_KEY_ID"), user.accessKeyId},
        {QStringLiteral("AWS_SECRET_ACCESS_KEY"), user.secretAccessKey},
        {QStringLiteral("AWS_REGION"), m_options.region},
        {QStringLiteral("AWS_DEFAULT_REGION"), m_options.region},
    };
    QStringList lines;
    for (const auto& [name, value] : vars)
        lines.append(QStringLiteral("export %1=%2").arg(name, shellQuote(value)));
    return lines;
}

bl::Result<void> FakeAws::writeAwsConfig(const QString& dir) const
{
    if (!isRunning())
        return bl::Error::make(bl::ErrorKind::Usage,
                               QStringLiteral("fakeaws must be started before writing an AWS config"));
    if (!QDir().mkpath(dir))
        return bl::Error::make(bl::ErrorKind::Io, QStringLiteral("cannot create %1").arg(dir));

    const QString account = defaultIdentity().accountId;
    const QString common = QStringLiteral("region = %1\nendpoint_url = %2\nca_bundle = %3\n")
                               .arg(m_options.region, endpointUrl(), caBundlePath());
    QString config = QStringLiteral("# Written by fakeaws: every profile talks to %1.\n\n").arg(endpointUrl());
    config += QStringLiteral("[default]\n") + common;
    config += QStringLiteral("\n[profile static]\n") + common;
    config += QStringLiteral("\n[profile assume-role]\nrole_arn = arn:aws:iam::%1:role/FakeAwsAdmin\n"
                             "source_profile = static\nrole_session_name = fakeaws-demo\n")
                  .arg(account)
        + common;
    config += QStringLiteral("\n[profile assume-role-mfa]\nrole_arn = arn:aws:iam::%1:role/FakeAwsAdminMfa\n"
                             "source_profile = static\nmfa_serial = arn:aws:iam::%1:mfa/fakeaws-user\n"
                             "# MFA code: %2\n")
                  .arg(account, m_sts->mfaCode())
        + common;
    config += QStringLiteral("\n[profile assume-role-external]\nrole_arn = arn:aws:iam::%1:role/PartnerExternalAccess\n"
                             "source_profile = static\nexternal_id = %2\n")
                  .arg(account, m_sts->externalId())
        + common;
    for (const SsoAccount& a : m_sso->accounts()) {
        for (const QString& role : a.roles) {
            config += QStringLiteral("\n[profile sso-%1-%2]\nsso_session = fakeaws\nsso_account_id = %3\n"
                                     "sso_role_name = %4\n")
                          .arg(a.accountName, role.toLower(), a.accountId, role)
                + common;
        }
    }
    config += QStringLiteral("\n[sso-session fakeaws]\nsso_start_url = %1/start\nsso_region = %2\n"
                             "sso_registration_scopes = sso:account:access\n")
                  .arg(endpointUrl(), m_options.region);

    const Identity& user = defaultIdentity();
    const QString keys = QStringLiteral("aws_access_key_id = %1\naws_secret_access_key = %2\n")
                             .arg(user.accessKeyId, user.secretAccessKey);
    const QString credentials = QStringLiteral("[default]\n") + keys + QStringLiteral("\n[static]\n") + keys;

    if (auto r = writePrivateFile(dir + QStringLiteral("/config"), config.toUtf8()); !r)
        return r;
    return writePrivateFile(dir + QStringLiteral("/credentials"), credentials.toUtf8());
}

} // namespace fakeaws
