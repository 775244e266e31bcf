#include "core/aws/api/StsClient.h"

#include "core/aws/api/ServiceCall.h"
#include "core/aws/api/StsProtocol.h"

namespace bl {

StsClient::StsClient(AwsSession& session)
    : m_session(session)
{ }

void StsClient::getCallerIdentity(const QString& region, QObject* context, Callback<CallerIdentity> done)
{
    ServiceCall::run<CallerIdentity>(m_session, QStringLiteral("sts"), region, StsProtocol::getCallerIdentity(),
                                     &StsProtocol::parseGetCallerIdentity, context, std::move(done));
}

} // namespace bl
