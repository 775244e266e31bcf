#include "core/connect/OsUserOverrides.h"

#include "core/connect/ConnectionPreferences.h"

#include <QSettings>

namespace bl {

OsUserOverrides::OsUserOverrides(QSettings& settings, QObject* parent)
    : QObject(parent)
    , m_settings(settings)
{ }

QString OsUserOverrides::user(const QString& instanceId) const
{
    if (instanceId.isEmpty())
        return {};
    return m_settings.value(ConnectionPreferences::osUserKey(instanceId)).toString().trimmed();
}

QString OsUserOverrides::defaultUser() const
{
    return m_settings.value(ConnectionPreferences::defaultOsUserKey()).toString().trimmed();
}

OsUser::Choice OsUserOverrides::choose(const Instance& instance) const
{
    return OsUser::choose(instance, {}, user(instance.id), defaultUser());
}

Result<void> OsUserOverrides::validate(const QString& user)
{
    const auto bad = [&user](const QString& why) {
        return Error::make(ErrorKind::Usage, QStringLiteral("“%1” cannot be a login name: %2").arg(user, why),
                           QStringLiteral("Type the user name as on the instance, for example ec2-user, ubuntu or "
                                          "admin."));
    };
    if (user.isEmpty())
        return bad(QStringLiteral("it is empty."));
    if (user.size() > 32)
        return bad(QStringLiteral("it is longer than 32 characters."));
    if (user.front() == QLatin1Char('-'))
        return bad(QStringLiteral("it starts with '-'."));
    for (const QChar c : user) {
        const bool ok = (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
            || c == QLatin1Char('.') || c == QLatin1Char('_') || c == QLatin1Char('-');
        if (!ok)
            return bad(QStringLiteral("it contains “%1”; use letters, digits, '.', '_' or '-'.").arg(c));
    }
    return {};
}

Result<void> OsUserOverrides::set(const QString& instanceId, const QString& user)
{
    const QString name = user.trimmed();
    if (instanceId.isEmpty())
        return Error::make(ErrorKind::Usage, QStringLiteral("No instance to set the login user for."));
    if (!name.isEmpty()) {
        if (Result<void> ok = validate(name); !ok)
            return ok;
    }
    if (name == this->user(instanceId))
        return {};
    const QString key = ConnectionPreferences::osUserKey(instanceId);
    const QVariant before = m_settings.value(key);
    const auto put = [this, &key](const QVariant& value) {
        if (value.isNull() || value.toString().isEmpty())
            m_settings.remove(key);
        else
            m_settings.setValue(key, value);
    };
    put(name);
    m_settings.sync();
    if (m_settings.status() != QSettings::NoError) {
        put(before); // what the app shows stays what the CLI will read
        return Error::make(ErrorKind::Io,
                           QStringLiteral("Could not save the login user to %1.").arg(m_settings.fileName()),
                           QStringLiteral("Check that the file and its folder can be written."));
    }
    Q_EMIT changed(instanceId, name);
    return {};
}

} // namespace bl
