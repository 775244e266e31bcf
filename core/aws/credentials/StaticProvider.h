#pragma once
// Long-term or session keys written in a profile (credentials file or config file), or any other fixed
// set of credentials.

#include "core/aws/base/AwsConfig.h"
#include "core/aws/credentials/CredentialsProvider.h"

namespace bl {

class StaticProvider final : public CredentialsProvider
{
public:
    StaticProvider(Credentials credentials, QString description);

    // True when the section names any static key (botocore's test for "has static credentials").
    static bool hasKeys(const ConfigSection& section);
    // aws_access_key_id + aws_secret_access_key (+ aws_session_token or legacy aws_security_token).
    // A key without its secret is a Config error naming the profile and file.
    static Result<Credentials> fromSection(const ConfigSection& section, const QString& profileName,
                                           const QString& fileForMessages);

    void fetch(QObject* context, Callback<Credentials> done) override;
    void invalidate() override { }
    QString describe() const override { return m_description; }

private:
    Credentials m_credentials;
    QString m_description;
};

} // namespace bl
