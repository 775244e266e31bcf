#include "core/aws/api/InstanceConnectClient.h"

#include "core/aws/api/InstanceConnectProtocol.h"
#include "core/aws/credentials/PostResult.h"

namespace bl {

InstanceConnectClient::InstanceConnectClient(AwsSession& session)
    : m_session(session)
{ }

void InstanceConnectClient::sendSshPublicKey(const QString& region, const QString& instanceId, const QString& osUser,
                                             const QString& publicKeyLine, const QString& availabilityZone,
                                             QObject* context, Callback<void> done)
{
    Result<AwsRequest> request =
        InstanceConnectProtocol::sendSshPublicKey(instanceId, osUser, publicKeyLine, availabilityZone);
    if (!request) {
        postResult<void>(context, std::move(done), request.error());
        return;
    }
    m_session.call(QStringLiteral("ec2-instance-connect"), region, *request, context,
                   [done = std::move(done)](Result<AwsResponse> response) {
                       if (!response) {
                           done(response.error());
                           return;
                       }
                       Result<void> r = InstanceConnectProtocol::parseSendSshPublicKey(response->body);
                       if (!r) {
                           Error e = r.error();
                           if (e.requestId.isEmpty())
                               e.requestId = response->requestId;
                           done(e);
                           return;
                       }
                       done(Result<void>());
                   });
}

} // namespace bl
