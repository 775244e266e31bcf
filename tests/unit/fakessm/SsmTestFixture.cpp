#include "SsmTestFixture.h"

#include "tests/fakeaws/FleetBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ssmtest {

SsmTestFixture::SsmTestFixture()
{
    fakeaws::Fleet fleet;
    fakeaws::FleetBuilder b(fleet, QStringLiteral("fakessm"));
    b.region(QStringLiteral("us-east-1"));
    const auto net = b.standardVpc(QStringLiteral("us-east-1"), QStringLiteral("prod"), 20,
                                   QStringLiteral("us-east-1a"), QStringLiteral("us-east-1b"));
    fakeaws::Instance web = b.instance(QStringLiteral("web"), net.privateSubnet,
                                       fakeaws::FleetBuilder::Os::AmazonLinux2023, QStringLiteral("t3.micro"));
    b.giveSsm(web, QStringLiteral("Online"));
    m_instanceId = web.id;
    b.add(web);
    fakeaws::Instance lost = b.instance(QStringLiteral("lost"), net.privateSubnet,
                                        fakeaws::FleetBuilder::Os::AmazonLinux2023, QStringLiteral("t3.micro"));
    b.giveSsm(lost, QStringLiteral("ConnectionLost"));
    m_offlineId = lost.id;
    b.add(lost);
    fakeaws::Instance bare = b.instance(QStringLiteral("bare"), net.privateSubnet,
                                        fakeaws::FleetBuilder::Os::AmazonLinux2023, QStringLiteral("t3.micro"));
    m_unmanagedId = bare.id;
    b.add(bare);

    fakeaws::FakeAwsOptions options;
    options.fleet = fleet;
    m_aws = std::make_unique<fakeaws::FakeAws>(options);
    const bl::Result<void> started = m_aws->start();
    Q_ASSERT(started);
    m_client = std::make_unique<FakeAwsTestClient>(m_aws->port(), m_aws->caCertificate());
}

SsmTestFixture::~SsmTestFixture() = default;

SessionInfo SsmTestFixture::call(const QByteArray& operation, const QJsonObject& body)
{
    const FakeAwsTestClient::Reply reply =
        m_client->json("ssm", "AmazonSSM." + operation, QJsonDocument(body).toJson(QJsonDocument::Compact),
                       m_aws->defaultCredentials());
    SessionInfo info;
    info.status = reply.status;
    info.body = QJsonDocument::fromJson(reply.body).object();
    return info;
}

SessionInfo SsmTestFixture::start(const QString& document, const QJsonObject& parameters, const QString& target)
{
    return call("StartSession",
                {{QStringLiteral("Target"), target.isEmpty() ? m_instanceId : target},
                 {QStringLiteral("DocumentName"), document},
                 {QStringLiteral("Parameters"), parameters}});
}

std::unique_ptr<SsmTestClient> SsmTestFixture::connect(const SessionInfo& session, const QString& clientVersion)
{
    auto client = std::make_unique<SsmTestClient>();
    if (!client->open(session.streamUrl(), m_aws->caCertificate(), session.token()))
        return nullptr;
    if (!client->handshake(clientVersion))
        return nullptr;
    return client;
}

} // namespace ssmtest
