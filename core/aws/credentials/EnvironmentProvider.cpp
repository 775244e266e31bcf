#include "core/aws/credentials/EnvironmentProvider.h"

#include "core/aws/credentials/PostResult.h"
#include "core/aws/credentials/Timestamps.h"

namespace bl {

EnvironmentProvider::EnvironmentProvider(QProcessEnvironment env, const Clock& clock)
    : m_env(std::move(env))
    , m_clock(clock)
{ }

bool EnvironmentProvider::applies(const QProcessEnvironment& env)
{
    return !env.value(QStringLiteral("AWS_ACCESS_KEY_ID")).isEmpty();
}

Result<Credentials> EnvironmentProvider::read(const QProcessEnvironment& env)
{
    Credentials c;
    c.accessKeyId = env.value(QStringLiteral("AWS_ACCESS_KEY_ID"));
    c.secretAccessKey = env.value(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
    c.source = QStringLiteral("environment variables");
    if (c.accessKeyId.isEmpty()) {
        return Error::make(ErrorKind::Credentials, QStringLiteral("AWS_ACCESS_KEY_ID is not set"),
                           QStringLiteral("Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use a profile."));
    }
    if (c.secretAccessKey.isEmpty()) {
        return Error::make(ErrorKind::Credentials,
                           QStringLiteral("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"),
                           QStringLiteral("Set AWS_SECRET_ACCESS_KEY too, or unset AWS_ACCESS_KEY_ID to use a "
                                          "profile instead."));
    }
    // botocore takes the legacy name first, and a variable that is present counts even when empty.
    if (env.contains(QStringLiteral("AWS_SECURITY_TOKEN")))
        c.sessionToken = env.value(QStringLiteral("AWS_SECURITY_TOKEN"));
    else
        c.sessionToken = env.value(QStringLiteral("AWS_SESSION_TOKEN"));
    const QString expiration = env.value(QStringLiteral("AWS_CREDENTIAL_EXPIRATION"));
    if (!expiration.isEmpty()) {
        const QDateTime t = Timestamps::parseIso8601(expiration);
        if (!t.isValid()) {
            return Error::make(
                ErrorKind::Config,
                QStringLiteral("AWS_CREDENTIAL_EXPIRATION is not an ISO-8601 time: \"%1\"").arg(expiration),
                QStringLiteral("Use a form like 2024-01-15T13:00:00Z, or unset the variable."));
        }
        c.expiration = t;
    }
    c.accountId = env.value(QStringLiteral("AWS_ACCOUNT_ID"));
    return c;
}

void EnvironmentProvider::fetch(QObject* context, Callback<Credentials> done)
{
    Result<Credentials> r = read(m_env);
    if (r.ok() && r->expiration && *r->expiration <= m_clock.nowUtc()) {
        r = Error::make(ErrorKind::Credentials,
                        QStringLiteral("The credentials in the environment expired at %1 (AWS_CREDENTIAL_EXPIRATION)")
                            .arg(Timestamps::formatUtc(*r->expiration)),
                        QStringLiteral("Export fresh AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN "
                                       "values, or unset them to use a profile."));
    }
    postResult(context, std::move(done), std::move(r));
}

QString EnvironmentProvider::describe() const
{
    return QStringLiteral("environment variables (AWS_ACCESS_KEY_ID)");
}

} // namespace bl
