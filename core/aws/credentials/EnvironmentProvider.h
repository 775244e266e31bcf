#pragma once
// Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SECURITY_TOKEN or AWS_SESSION_TOKEN /
// AWS_CREDENTIAL_EXPIRATION / AWS_ACCOUNT_ID, first in the chain unless a profile is chosen explicitly.

#include "core/aws/credentials/CredentialsProvider.h"
#include "core/util/Clock.h"

#include <QProcessEnvironment>

namespace bl {

class EnvironmentProvider final : public CredentialsProvider
{
public:
    EnvironmentProvider(QProcessEnvironment env, const Clock& clock);

    // The provider applies when AWS_ACCESS_KEY_ID is non-empty (botocore's rule).
    static bool applies(const QProcessEnvironment& env);
    // Reads the variables; a missing secret or an unreadable expiration is an error.
    static Result<Credentials> read(const QProcessEnvironment& env);

    void fetch(QObject* context, Callback<Credentials> done) override;
    void invalidate() override { }
    QString describe() const override;

private:
    QProcessEnvironment m_env;
    const Clock& m_clock;
};

} // namespace bl
