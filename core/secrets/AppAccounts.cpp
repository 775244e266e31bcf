#include "core/secrets/AppAccounts.h"

#include "core/secrets/SecretsLog.h"

#include <QPointer>
#include <QRegularExpression>
#include <QSettings>
#include <QTimer>

namespace bl {

namespace {

const QString Group = QStringLiteral("accounts");

Error usage(const QString& message, const QString& hint = {})
{
    return Error::make(ErrorKind::Usage, message, hint);
}

void answerLater(QObject* context, Callback<void> done, Result<void> result)
{
    QTimer::singleShot(0, context, [done = std::move(done), result = std::move(result)]() { done(result); });
}

} // namespace

AppAccounts::AppAccounts(QSettings& settings, SecretStore& secrets, QObject* parent)
    : QObject(parent)
    , m_settings(settings)
    , m_secrets(secrets)
{ }

QString AppAccounts::secretKey(const QString& name)
{
    return QStringLiteral("aws/%1/secret_access_key").arg(name);
}

QList<AppAccount> AppAccounts::accounts() const
{
    QList<AppAccount> out;
    m_settings.beginGroup(Group);
    const QStringList names = m_settings.childGroups();
    for (const QString& name : names) {
        AppAccount a;
        a.name = name;
        a.accessKeyId = m_settings.value(name + QStringLiteral("/accessKeyId")).toString();
        a.region = m_settings.value(name + QStringLiteral("/region")).toString();
        if (!a.accessKeyId.isEmpty())
            out.append(a);
    }
    m_settings.endGroup();
    std::sort(out.begin(), out.end(), [](const AppAccount& x, const AppAccount& y) { return x.name < y.name; });
    return out;
}

std::optional<AppAccount> AppAccounts::account(const QString& name) const
{
    for (const AppAccount& a : accounts()) {
        if (a.name == name)
            return a;
    }
    return std::nullopt;
}

Result<void> AppAccounts::validate(const AppAccount& a, const QString& secret, const QStringList& takenNames) const
{
    static const QRegularExpression nameRe(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    static const QRegularExpression keyIdRe(QStringLiteral("^(AKIA|ASIA)[A-Z0-9]{16}$"));
    static const QRegularExpression secretRe(QStringLiteral("^[A-Za-z0-9/+=]{40}$"));
    static const QRegularExpression regionRe(QStringLiteral("^[a-z]{2}(-[a-z]+)+-[0-9]+$"));

    if (a.name.isEmpty())
        return usage(QStringLiteral("The account needs a name"), QStringLiteral("For example: work-admin."));
    if (!nameRe.match(a.name).hasMatch())
        return usage(QStringLiteral("\"%1\" is not a usable account name").arg(a.name),
                     QStringLiteral("Use up to 64 letters, digits, dots, underscores or hyphens."));
    if (takenNames.contains(a.name) || account(a.name))
        return usage(QStringLiteral("An account or profile named \"%1\" already exists").arg(a.name),
                     QStringLiteral("Choose another name, or remove the existing account first."));
    if (!keyIdRe.match(a.accessKeyId).hasMatch())
        return usage(QStringLiteral("\"%1\" is not an AWS access key id").arg(a.accessKeyId),
                     QStringLiteral("An access key id is 20 characters starting with AKIA, as shown by IAM when the "
                                    "key was created."));
    // The secret itself is never quoted back, not even in an error.
    if (!secretRe.match(secret).hasMatch())
        return usage(QStringLiteral("The secret access key is not 40 characters of letters, digits, / and +"),
                     QStringLiteral("Paste the secret access key exactly as IAM showed it, without spaces."));
    if (!a.region.isEmpty() && !regionRe.match(a.region).hasMatch())
        return usage(QStringLiteral("\"%1\" is not an AWS region").arg(a.region),
                     QStringLiteral("Use a region code such as eu-west-1, or leave it empty."));
    return {};
}

void AppAccounts::add(const AppAccount& a, const QString& secret, QObject* context, Callback<void> done)
{
    const Result<void> valid = validate(a, secret);
    if (!valid.ok()) {
        answerLater(context, std::move(done), valid);
        return;
    }
    QPointer<AppAccounts> self(this);
    m_secrets.write(secretKey(a.name), secret, context, [self, a, context, done](Result<void> written) {
        if (!self)
            return;
        if (!written.ok()) {
            done(written);
            return;
        }
        const Result<void> saved = self->saveEntry(a);
        if (!saved.ok()) {
            // Do not leave an orphaned secret behind.
            self->m_secrets.remove(secretKey(a.name), context, [done, saved](Result<void>) { done(saved); });
            return;
        }
        qCInfo(lcSecrets, "added account %s (%s)", qUtf8Printable(a.name), qUtf8Printable(a.accessKeyId));
        Q_EMIT self->changed();
        done({});
    });
}

void AppAccounts::remove(const QString& name, QObject* context, Callback<void> done)
{
    if (!account(name)) {
        answerLater(context, std::move(done),
                    Error::make(ErrorKind::NotFound, QStringLiteral("There is no app account \"%1\"").arg(name)));
        return;
    }
    QPointer<AppAccounts> self(this);
    m_secrets.remove(secretKey(name), context, [self, name, done](Result<void> removed) {
        if (!self)
            return;
        if (!removed.ok()) {
            done(removed);
            return;
        }
        const Result<void> saved = self->removeEntry(name);
        if (saved.ok()) {
            qCInfo(lcSecrets, "removed account %s", qUtf8Printable(name));
            Q_EMIT self->changed();
        }
        done(saved);
    });
}

Result<void> AppAccounts::saveEntry(const AppAccount& a)
{
    m_settings.beginGroup(Group);
    m_settings.setValue(a.name + QStringLiteral("/accessKeyId"), a.accessKeyId);
    if (a.region.isEmpty())
        m_settings.remove(a.name + QStringLiteral("/region"));
    else
        m_settings.setValue(a.name + QStringLiteral("/region"), a.region);
    m_settings.endGroup();
    return syncSettings(QStringLiteral("save account %1").arg(a.name));
}

Result<void> AppAccounts::removeEntry(const QString& name)
{
    m_settings.beginGroup(Group);
    m_settings.remove(name);
    m_settings.endGroup();
    return syncSettings(QStringLiteral("remove account %1").arg(name));
}

Result<void> AppAccounts::syncSettings(const QString& what)
{
    m_settings.sync();
    if (m_settings.status() == QSettings::NoError)
        return {};
    return Error::make(ErrorKind::Io,
                       QStringLiteral("Could not %1: writing %2 failed").arg(what, m_settings.fileName()),
                       QStringLiteral("Check that the directory exists, is writable and the disk is not full."));
}

} // namespace bl
