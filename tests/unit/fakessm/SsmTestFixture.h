#pragma once
// Shared set-up of the fakessm end-to-end tests: a FakeAws with a small fleet (an Online instance, one whose
// agent lost its connection, one without an agent), SigV4-signed SSM calls, and helpers that start a session
// and open its data channel with SsmTestClient.

#include "SsmTestClient.h"
#include "tests/fakeaws/FakeAws.h"
#include "tests/unit/fakeaws/FakeAwsTestClient.h"

#include <QJsonArray>
#include <QJsonObject>

#include <memory>

namespace ssmtest {

struct SessionInfo
{
    int status = 0;
    QJsonObject body;
    QString sessionId() const { return body.value(QStringLiteral("SessionId")).toString(); }
    QString token() const { return body.value(QStringLiteral("TokenValue")).toString(); }
    QString streamUrl() const { return body.value(QStringLiteral("StreamUrl")).toString(); }
    QString errorType() const { return body.value(QStringLiteral("__type")).toString(); }
};

class SsmTestFixture
{
public:
    SsmTestFixture();
    ~SsmTestFixture();

    fakeaws::FakeAws& aws() { return *m_aws; }
    fakeaws::SsmSessionManager& ssm() { return m_aws->ssmSessions(); }
    QString instanceId() const { return m_instanceId; }
    QString offlineInstanceId() const { return m_offlineId; }
    QString unmanagedInstanceId() const { return m_unmanagedId; }

    SessionInfo call(const QByteArray& operation, const QJsonObject& body);
    SessionInfo start(const QString& document, const QJsonObject& parameters, const QString& target = {});
    SessionInfo startPort(int port) // AWS-StartPortForwardingSession to instanceId()
    {
        return start(QStringLiteral("AWS-StartPortForwardingSession"),
                     {{QStringLiteral("portNumber"), QJsonArray {QString::number(port)}}});
    }
    // Opens the data channel and completes the handshake with this client version.
    std::unique_ptr<SsmTestClient> connect(const SessionInfo& session,
                                           const QString& clientVersion = QStringLiteral("1.2.650.0"));

private:
    std::unique_ptr<fakeaws::FakeAws> m_aws;
    std::unique_ptr<FakeAwsTestClient> m_client;
    QString m_instanceId;
    QString m_offlineId;
    QString m_unmanagedId;
};

} // namespace ssmtest
