#include "core/aws/credentials/AssumeRoleProvider.h"

#include "core/aws/credentials/CacheKeys.h"
#include "core/aws/credentials/PostResult.h"
#include "core/util/Log.h"

#include <QPointer>
#include <QRegularExpression>

namespace bl {

struct AssumeRoleProvider::Attempt
{
    QPointer<QObject> context;
    Callback<Credentials> done;
    AssumeRoleParams params;
    Credentials source;

    void finish(Result<Credentials> r)
    {
        if (context)
            done(std::move(r));
    }
};

AssumeRoleProvider::AssumeRoleProvider(AssumeRoleSettings settings, std::unique_ptr<CredentialsProvider> source,
                                       AwsHttpClient& http, const Clock& clock, MfaPrompt mfaPrompt)
    : m_settings(std::move(settings))
    , m_source(std::move(source))
    , m_http(http)
    , m_clock(clock)
    , m_mfaPrompt(std::move(mfaPrompt))
    , m_cache(m_settings.cacheDirectory)
{ }

AssumeRoleProvider::~AssumeRoleProvider() = default;

QJsonObject AssumeRoleProvider::cacheKeyArgs(const AssumeRoleParams& p)
{
    QJsonObject args;
    args.insert(QStringLiteral("RoleArn"), p.roleArn);
    if (!p.roleSessionName.isEmpty())
        args.insert(QStringLiteral("RoleSessionName"), p.roleSessionName);
    if (p.durationSeconds)
        args.insert(QStringLiteral("DurationSeconds"), *p.durationSeconds);
    if (!p.externalId.isEmpty())
        args.insert(QStringLiteral("ExternalId"), p.externalId);
    if (!p.serialNumber.isEmpty())
        args.insert(QStringLiteral("SerialNumber"), p.serialNumber);
    return args;
}

QString AssumeRoleProvider::cacheKey() const
{
    return CacheKeys::assumeRole(cacheKeyArgs(m_settings.params));
}

void AssumeRoleProvider::fetch(QObject* context, Callback<Credentials> done)
{
    auto attempt = std::make_shared<Attempt>();
    attempt->context = context;
    attempt->done = std::move(done);
    attempt->params = m_settings.params;

    if (!m_settings.cacheDirectory.isEmpty() && !m_skipFileCache) {
        const auto cached = m_cache.read(cacheKey());
        if (!cached.ok()) {
            qCWarning(lcCreds) << "ignoring the CLI cache entry:" << cached.error().summary();
        } else if (*cached) {
            std::optional<Credentials> c = StsAssumeRole::credentialsFromCacheJson(**cached);
            if (c && !c->expiresWithin(m_clock.nowUtc(), CacheMinRemainingSecs)) {
                c->source = QStringLiteral("profile %1 (role %2, from the CLI cache)")
                                .arg(m_settings.profileName, m_settings.params.roleArn);
                qCDebug(lcCreds) << "role credentials for profile" << m_settings.profileName << "from the CLI cache";
                postResult(context, attempt->done, Result<Credentials>(*c));
                return;
            }
        }
    }

    m_source->fetch(&m_guard, [this, attempt](Result<Credentials> r) {
        if (!r.ok()) {
            Error e = r.error();
            e.message = QStringLiteral("Cannot get the source credentials for role %1 (profile %2): %3")
                            .arg(m_settings.params.roleArn, m_settings.profileName, e.message);
            attempt->finish(std::move(e));
            return;
        }
        withSource(attempt, r.value());
    });
}

void AssumeRoleProvider::withSource(std::shared_ptr<Attempt> attempt, Credentials source)
{
    attempt->source = std::move(source);
    if (attempt->params.roleSessionName.isEmpty()) {
        attempt->params.roleSessionName =
            QStringLiteral("botocore-session-%1").arg(m_clock.nowUtc().toSecsSinceEpoch());
    }
    if (attempt->params.serialNumber.isEmpty()) {
        assume(attempt);
        return;
    }
    if (!m_mfaPrompt) {
        attempt->finish(
            Error::make(ErrorKind::Credentials,
                        QStringLiteral("Profile %1 needs an MFA code for %2, but nothing can ask for one here")
                            .arg(m_settings.profileName, attempt->params.serialNumber),
                        QStringLiteral("Use the profile from the desktop app or an interactive "
                                       "`bastionless-cli` session, or use a profile without mfa_serial.")));
        return;
    }
    m_mfaPrompt(attempt->params.serialNumber, &m_guard, [this, attempt](Result<QString> code) {
        if (!code.ok()) {
            attempt->finish(code.error());
            return;
        }
        const QString digits = code.value().trimmed();
        static const QRegularExpression sixDigits(QStringLiteral("^\\d{6}$"));
        if (!sixDigits.match(digits).hasMatch()) {
            attempt->finish(
                Error::make(ErrorKind::Usage,
                            QStringLiteral("The MFA code for %1 must be 6 digits").arg(attempt->params.serialNumber),
                            QStringLiteral("Enter the 6-digit code your MFA device shows.")));
            return;
        }
        attempt->params.tokenCode = digits;
        assume(attempt);
    });
}

void AssumeRoleProvider::assume(std::shared_ptr<Attempt> attempt)
{
    qCDebug(lcCreds) << "assuming" << attempt->params.roleArn << "for profile" << m_settings.profileName;
    StsAssumeRole::send(
        m_http, m_settings.sts, attempt->source, attempt->params, &m_guard, [this, attempt](Result<AssumedRole> r) {
            if (!r.ok()) {
                attempt->finish(r.error());
                return;
            }
            if (!m_settings.cacheDirectory.isEmpty()) {
                const auto written = m_cache.write(cacheKey(), StsAssumeRole::toCacheJson(*r));
                if (!written.ok())
                    qCWarning(lcCreds) << "cannot write the CLI cache:" << written.error().summary();
            }
            m_skipFileCache = false;
            Credentials c = r->credentials;
            c.source = QStringLiteral("profile %1 (role %2)").arg(m_settings.profileName, m_settings.params.roleArn);
            attempt->finish(std::move(c));
        });
}

void AssumeRoleProvider::invalidate()
{
    // The cached file holds the very credentials that were just rejected.
    m_skipFileCache = true;
}

QString AssumeRoleProvider::describe() const
{
    QString s = QStringLiteral("profile %1: role %2").arg(m_settings.profileName, m_settings.params.roleArn);
    if (!m_settings.params.serialNumber.isEmpty())
        s += QStringLiteral(" with MFA %1").arg(m_settings.params.serialNumber);
    return s + QStringLiteral(", source: ") + m_source->describe();
}

} // namespace bl
