#include "core/aws/base/Endpoints.h"

#include <QRegularExpression>

namespace bl {

namespace {

const QString kRegionHint = QStringLiteral("Pass --region or set AWS_REGION / region in the profile.");

bool isTrue(const QString& value)
{
    const QString v = value.trimmed().toLower();
    return v == QLatin1String("true") || v == QLatin1String("1") || v == QLatin1String("yes");
}

QString envSuffix(const QString& serviceId)
{
    QString s = serviceId.toUpper();
    s.replace(QLatin1Char('-'), QLatin1Char('_'));
    s.replace(QLatin1Char(' '), QLatin1Char('_'));
    return s;
}

QString configKey(const QString& serviceId)
{
    QString s = serviceId.toLower();
    s.replace(QLatin1Char('-'), QLatin1Char('_'));
    s.replace(QLatin1Char(' '), QLatin1Char('_'));
    return s;
}

bool ignoreConfiguredUrls(const QProcessEnvironment& env, const std::optional<ConfigSection>& profile)
{
    const QString fromEnv = env.value(QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")).trimmed();
    if (!fromEnv.isEmpty())
        return isTrue(fromEnv);
    return profile && isTrue(profile->value(QStringLiteral("ignore_configured_endpoint_urls")));
}

struct Override
{
    QString url;
    QString origin; // for messages: where the setting came from
};

// botocore's ConfiguredEndpointProvider order (§2.1).
std::optional<Override> configuredOverride(const QString& serviceId, const AwsConfig& config,
                                           const std::optional<ConfigSection>& profile, const QProcessEnvironment& env)
{
    const QString serviceVar = QStringLiteral("AWS_ENDPOINT_URL_") + envSuffix(serviceId);
    const QString globalVar = QStringLiteral("AWS_ENDPOINT_URL");
    if (const QString v = env.value(serviceVar).trimmed(); !v.isEmpty())
        return Override {v, serviceVar};
    if (const QString v = env.value(globalVar).trimmed(); !v.isEmpty())
        return Override {v, globalVar};
    if (!profile)
        return std::nullopt;
    const QString key = QStringLiteral("endpoint_url");
    if (const QString servicesName = profile->value(QStringLiteral("services")); !servicesName.isEmpty()) {
        if (const auto services = config.services(servicesName)) {
            const QString v = services->nested.value(configKey(serviceId)).value(key).trimmed();
            if (!v.isEmpty())
                return Override {v,
                                 QStringLiteral("%1 in [services %2] of %3")
                                     .arg(configKey(serviceId), servicesName, services->file)};
        }
    }
    if (const QString v = profile->value(key); !v.isEmpty())
        return Override {v, QStringLiteral("endpoint_url in profile %1 of %2").arg(profile->name, profile->file)};
    return std::nullopt;
}

QString hostPrefix(const QString& serviceId, bool fips)
{
    if (serviceId == QLatin1String("sso"))
        return QStringLiteral("portal.sso");
    if (serviceId == QLatin1String("sso-oidc"))
        return QStringLiteral("oidc");
    // No FIPS API endpoint is documented for EC2 Instance Connect: keep the normal one.
    if (fips && serviceId != QLatin1String("ec2-instance-connect"))
        return serviceId + QStringLiteral("-fips");
    return serviceId;
}

} // namespace

QString partitionDnsSuffix(const QString& region)
{
    const QString p = partitionName(region);
    if (p == QLatin1String("aws-cn"))
        return QStringLiteral("amazonaws.com.cn");
    if (p == QLatin1String("aws-iso"))
        return QStringLiteral("c2s.ic.gov");
    if (p == QLatin1String("aws-iso-b"))
        return QStringLiteral("sc2s.sgov.gov");
    return QStringLiteral("amazonaws.com");
}

QString partitionName(const QString& region)
{
    if (region.startsWith(QLatin1String("cn-")))
        return QStringLiteral("aws-cn");
    if (region.startsWith(QLatin1String("us-gov-")))
        return QStringLiteral("aws-us-gov");
    if (region.startsWith(QLatin1String("us-isob-")))
        return QStringLiteral("aws-iso-b");
    if (region.startsWith(QLatin1String("us-iso-")))
        return QStringLiteral("aws-iso");
    return QStringLiteral("aws");
}

Result<ResolvedEndpoint> resolveEndpoint(const QString& serviceId, const QString& region, const AwsConfig& config,
                                         const std::optional<ConfigSection>& profile, const QProcessEnvironment& env)
{
    if (region.isEmpty())
        return Error::make(ErrorKind::Config, QStringLiteral("No AWS region is configured for %1").arg(serviceId),
                           kRegionHint);
    // The region becomes part of a host name: refuse anything that could change which host that is.
    static const QRegularExpression regionShape(QStringLiteral("^[a-z0-9]+(-[a-z0-9]+)*$"));
    if (!regionShape.match(region).hasMatch())
        return Error::make(ErrorKind::Config, QStringLiteral("\"%1\" is not a valid AWS region name").arg(region),
                           QStringLiteral("Use a region code such as us-east-1 or eu-west-1."));

    ResolvedEndpoint out;
    out.signingRegion = region;

    if (!ignoreConfiguredUrls(env, profile)) {
        if (const auto o = configuredOverride(serviceId, config, profile, env)) {
            QUrl url(o->url, QUrl::StrictMode);
            const QString scheme = url.scheme().toLower();
            if (!url.isValid() || url.host().isEmpty()
                || (scheme != QLatin1String("https") && scheme != QLatin1String("http"))) {
                return Error::make(
                    ErrorKind::Config,
                    QStringLiteral("Endpoint URL \"%1\" from %2 is not a valid http(s) URL").arg(o->url, o->origin),
                    QStringLiteral("Use a full URL such as https://ec2.us-east-1.amazonaws.com, or "
                                   "remove the setting (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true "
                                   "ignores all of them)."));
            }
            // A bare trailing slash is no base path; callers append their own paths.
            QString path = url.path();
            while (path.endsWith(QLatin1Char('/')))
                path.chop(1);
            url.setPath(path);
            out.url = url;
            out.overridden = true;
            if (serviceId == QLatin1String("sts")
                && url.host().compare(QLatin1String("sts.amazonaws.com"), Qt::CaseInsensitive) == 0)
                out.signingRegion = QStringLiteral("us-east-1");
            return out;
        }
    }

    const QString host = hostPrefix(serviceId, useFips(env, profile)) + QLatin1Char('.') + region + QLatin1Char('.')
        + partitionDnsSuffix(region);
    out.url.setScheme(QStringLiteral("https"));
    out.url.setHost(host);
    return out;
}

} // namespace bl
