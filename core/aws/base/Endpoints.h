#pragma once
// Where to send a request: default endpoints per region and partition, FIPS, and the configured
// overrides (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, [services] sections, profile endpoint_url),
// in botocore's order (PROTOCOLS.md §2.1, §2.8).

#include "core/aws/base/AwsConfig.h"

#include <QUrl>

namespace bl {

// Service ids as used by the endpoint overrides ("ec2", "ec2-instance-connect", "ssm", "sts", "sso",
// "sso-oidc"). Env var suffix: upper-case, '-' -> '_' (EC2_INSTANCE_CONNECT, SSO_OIDC); config sub-block:
// lower snake case (ec2_instance_connect, sso_oidc).
struct ResolvedEndpoint
{
    QUrl url; // scheme://host[:port][/base path]
    QString signingRegion; // usually the region; "us-east-1" for the global STS endpoint
    bool overridden = false; // came from an endpoint_url setting
};

// Errors: empty region (ErrorKind::Config with a hint to pass --region or set AWS_REGION), malformed
// override URL.
Result<ResolvedEndpoint> resolveEndpoint(const QString& serviceId, const QString& region, const AwsConfig& config,
                                         const std::optional<ConfigSection>& profile, const QProcessEnvironment& env);

QString partitionDnsSuffix(const QString& region); // amazonaws.com, amazonaws.com.cn, ...
QString partitionName(const QString& region); // aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b

} // namespace bl
