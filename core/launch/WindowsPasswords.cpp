#include "core/launch/WindowsPasswords.h"

#include "core/aws/api/Ec2Client.h"
#include "core/keys/WindowsPassword.h"
#include "core/secrets/SecretStore.h"
#include "core/util/Log.h"

#include <QPointer>
#include <QTimer>

namespace bl {

namespace {

QString nameOf(const Instance& i)
{
    return i.name.isEmpty() ? i.id : QStringLiteral("%1 (%2)").arg(i.name, i.id);
}

QString keyPairOf(const Instance& i)
{
    return i.keyName.isEmpty() ? QStringLiteral("the key pair %1 was launched with").arg(nameOf(i))
                               : QStringLiteral("key pair %1").arg(i.keyName);
}

// Answers from the event loop, as every asynchronous call here does, while context lives.
template<typename T>
void later(QObject* context, Callback<T> done, Result<T> result)
{
    QPointer<QObject> guard(context);
    QTimer::singleShot(0, context, [guard, done, result] {
        if (guard)
            done(result);
    });
}

bool looksLikePrivateKey(const QByteArray& pem)
{
    return pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN PRIVATE KEY-----");
}

} // namespace

WindowsPasswords::WindowsPasswords(SecretStore& secrets, SessionLookup sessions, QObject* parent)
    : QObject(parent)
    , m_secrets(secrets)
    , m_sessions(std::move(sessions))
{ }

QString WindowsPasswords::secretKey(const InventoryEntry& entry)
{
    const Instance& i = entry.instance;
    const QString pair = i.keyName.isEmpty() ? QStringLiteral("instance/%1").arg(i.id) : i.keyName;
    return QStringLiteral("windows-key/%1/%2/%3").arg(entry.source, i.region, pair);
}

Result<AwsSession*> WindowsPasswords::sessionFor(const InventoryEntry& entry) const
{
    if (!entry.instance.isWindows())
        return Error::make(ErrorKind::Usage, QStringLiteral("%1 is not a Windows instance").arg(nameOf(entry.instance)),
                           QStringLiteral("Only Windows instances have an Administrator password from EC2."));
    AwsSession* session = m_sessions ? m_sessions(entry.source) : nullptr;
    if (!session)
        return Error::make(ErrorKind::Config, QStringLiteral("No AWS credentials for %1").arg(entry.source),
                           QStringLiteral("Refresh the instance list, or check the account in Accounts."));
    return session;
}

void WindowsPasswords::password(const InventoryEntry& entry, QObject* context, Callback<QString> done)
{
    if (Result<AwsSession*> session = sessionFor(entry); !session) {
        later<QString>(context, done, session.error());
        return;
    }
    QPointer<QObject> guard(context);
    m_secrets.read(secretKey(entry), this, [this, entry, guard, done](Result<QString> pem) {
        if (!guard)
            return;
        if (!pem) {
            if (pem.error().kind != ErrorKind::NotFound) {
                done(pem.error());
                return;
            }
            done(Error::make(ErrorKind::NotFound,
                             QStringLiteral("No .pem file is stored for %1").arg(keyPairOf(entry.instance)),
                             QStringLiteral("Give the key pair's .pem file (Get Windows password…); it is kept in "
                                            "the keychain.")));
            return;
        }
        passwordWithKey(entry, pem->toLatin1(), guard, done);
    });
}

void WindowsPasswords::passwordWithKey(const InventoryEntry& entry, const QByteArray& privateKeyPem, QObject* context,
                                       Callback<QString> done)
{
    Result<AwsSession*> session = sessionFor(entry);
    if (!session) {
        later<QString>(context, done, session.error());
        return;
    }
    if (!looksLikePrivateKey(privateKeyPem)) {
        later<QString>(
            context, done,
            Error::make(ErrorKind::Usage, QStringLiteral("That file is not an unencrypted RSA private key"),
                        QStringLiteral("Give the .pem file EC2 gave you for %1.").arg(keyPairOf(entry.instance))));
        return;
    }
    QPointer<QObject> guard(context);
    Ec2Client ec2(**session);
    const Instance instance = entry.instance;
    ec2.getPasswordData(
        instance.region, instance.id, this, [instance, privateKeyPem, guard, done](Result<PasswordData> data) {
            if (!guard)
                return;
            if (!data) {
                done(data.error());
                return;
            }
            if (!data->isReady()) {
                done(Error::make(ErrorKind::NotFound,
                                 QStringLiteral("EC2 has no password for %1 yet").arg(nameOf(instance)),
                                 QStringLiteral("Windows generates it a few minutes after launch; try again. "
                                                "Instances from custom images may never publish one.")));
                return;
            }
            Result<QString> password = WindowsPassword::decrypt(data->encryptedBase64, privateKeyPem);
            if (!password) {
                qCInfo(lcLaunch) << "the given key does not decrypt the password of" << instance.id;
                Error e = Error::make(
                    ErrorKind::Credentials,
                    QStringLiteral("The .pem file does not decrypt the password of %1").arg(nameOf(instance)),
                    QStringLiteral("Give the .pem of %1, the key pair the instance was launched "
                                   "with.")
                        .arg(keyPairOf(instance)));
                done(e);
                return;
            }
            done(password);
        });
}

void WindowsPasswords::storeKey(const InventoryEntry& entry, const QByteArray& privateKeyPem, QObject* context,
                                Callback<void> done)
{
    if (!looksLikePrivateKey(privateKeyPem)) {
        later<void>(
            context, done,
            Error::make(ErrorKind::Usage, QStringLiteral("That file is not an unencrypted RSA private key"),
                        QStringLiteral("Give the .pem file EC2 gave you for %1.").arg(keyPairOf(entry.instance))));
        return;
    }
    m_secrets.write(secretKey(entry), QString::fromLatin1(privateKeyPem), context, std::move(done));
}

void WindowsPasswords::forgetKey(const InventoryEntry& entry, QObject* context, Callback<void> done)
{
    m_secrets.remove(secretKey(entry), context, std::move(done));
}

} // namespace bl
