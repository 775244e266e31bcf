#pragma once
// STS over an AwsSession: who am I (account, ARN). AssumeRole belongs to the credential providers
// (core/aws/credentials/StsAssumeRole), which need it before a session exists.

#include "core/aws/api/AwsSession.h"
#include "core/aws/api/Types.h"

namespace bl {

class StsClient
{
public:
    explicit StsClient(AwsSession& session);

    // A cheap check that the profile's credentials work; always allowed by IAM.
    void getCallerIdentity(const QString& region, QObject* context, Callback<CallerIdentity> done);

private:
    AwsSession& m_session;
};

} // namespace bl
