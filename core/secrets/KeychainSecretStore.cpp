#include "core/secrets/KeychainSecretStore.h"

#include "core/secrets/SecretsLog.h"

#include <qt6keychain/keychain.h>

#include <QPointer>

namespace bl {

namespace {

const QString NoServiceHint = QStringLiteral(
    "Bastionless keeps secret access keys only in the system keychain. Start a Secret Service in your desktop "
    "session: GNOME Keyring (Debian package gnome-keyring) or KWallet (kwalletmanager), and make sure the session "
    "has a D-Bus session bus (package dbus-user-session). Then try again.");

bool looksLikeNoService(const QString& text)
{
    static const QStringList markers {
        QStringLiteral("org.freedesktop.secrets"),
        QStringLiteral("ServiceUnknown"),
        QStringLiteral("autolaunch"),
        QStringLiteral("D-Bus"),
        QStringLiteral("DBus"),
        QStringLiteral("dbus"),
        QStringLiteral("No such secret"),
        QStringLiteral("kwalletd"),
        QStringLiteral("not provided"),
        QStringLiteral("Could not connect"),
    };
    for (const QString& m : markers) {
        if (text.contains(m, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// Starts job and delivers its outcome to finish (from the event loop) while context lives.
template<typename T>
void run(QKeychain::Job* job, QObject* context, Callback<T> done, std::function<Result<T>(QKeychain::Job*)> finish)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    QPointer<QObject> guard(context);
    QObject::connect(job, &QKeychain::Job::finished, context,
                     [guard, done = std::move(done), finish = std::move(finish)](QKeychain::Job* finished) {
                         if (guard)
                             done(finish(finished));
                     });
    job->start();
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service)
    : m_service(std::move(service))
{ }

QString KeychainSecretStore::describe() const
{
    return QStringLiteral("the system keychain (Secret Service, service \"%1\")").arg(m_service);
}

Error KeychainSecretStore::errorFor(int keychainError, const QString& errorString, const QString& operation,
                                    const QString& key)
{
    const QString what = QStringLiteral("Could not %1 the secret \"%2\" in the system keychain").arg(operation, key);
    const QString detail = errorString.isEmpty() ? QString() : QStringLiteral(": %1").arg(errorString);
    switch (keychainError) {
    case QKeychain::EntryNotFound:
        return Error::make(ErrorKind::NotFound, QStringLiteral("The system keychain holds no secret \"%1\"").arg(key),
                           QStringLiteral("Add the account's access keys again in Accounts."));
    case QKeychain::AccessDeniedByUser:
        return Error::make(ErrorKind::Cancelled, what + QStringLiteral(": access was refused at the keychain prompt"),
                           QStringLiteral("Unlock the keychain when it asks, then try again."));
    case QKeychain::AccessDenied:
        return Error::make(ErrorKind::Credentials, what + detail,
                           QStringLiteral("The keychain is locked or refuses this program; unlock it (Seahorse or "
                                          "KWallet Manager) and try again."));
    case QKeychain::NoBackendAvailable:
        return Error::make(ErrorKind::Config,
                           what + QStringLiteral(": no keychain (Secret Service) is running") + detail, NoServiceHint);
    case QKeychain::NotImplemented:
        return Error::make(ErrorKind::Internal, what + detail,
                           QStringLiteral("This platform has no keychain QtKeychain can use."));
    default:
        if (looksLikeNoService(errorString)) {
            return Error::make(ErrorKind::Config,
                               what + QStringLiteral(": no Secret Service answers on the D-Bus session bus") + detail,
                               NoServiceHint);
        }
        return Error::make(ErrorKind::Io, what + detail,
                           QStringLiteral("Check that the keychain is unlocked (Seahorse or KWallet Manager)."));
    }
}

void KeychainSecretStore::read(const QString& key, QObject* context, Callback<QString> done)
{
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    qCDebug(lcSecrets, "reading secret %s", qUtf8Printable(key));
    run<QString>(job, context, std::move(done), [key](QKeychain::Job* j) -> Result<QString> {
        if (j->error() == QKeychain::NoError)
            return static_cast<QKeychain::ReadPasswordJob*>(j)->textData();
        return errorFor(j->error(), j->errorString(), QStringLiteral("read"), key);
    });
}

void KeychainSecretStore::write(const QString& key, const QString& secret, QObject* context, Callback<void> done)
{
    auto* job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setTextData(secret);
    qCDebug(lcSecrets, "writing secret %s", qUtf8Printable(key));
    run<void>(job, context, std::move(done), [key](QKeychain::Job* j) -> Result<void> {
        if (j->error() == QKeychain::NoError)
            return {};
        return errorFor(j->error(), j->errorString(), QStringLiteral("store"), key);
    });
}

void KeychainSecretStore::remove(const QString& key, QObject* context, Callback<void> done)
{
    auto* job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    qCDebug(lcSecrets, "removing secret %s", qUtf8Printable(key));
    run<void>(job, context, std::move(done), [key](QKeychain::Job* j) -> Result<void> {
        // Removing what is not there leaves the keychain as asked.
        if (j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound)
            return {};
        return errorFor(j->error(), j->errorString(), QStringLiteral("remove"), key);
    });
}

} // namespace bl
