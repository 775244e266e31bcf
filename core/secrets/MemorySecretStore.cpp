#include "core/secrets/MemorySecretStore.h"

#include <QPointer>
#include <QTimer>

namespace bl {

namespace {

// Answers from the event loop, as the keychain does, and only while context lives.
template<typename T>
void answerLater(QObject* context, Callback<T> done, Result<T> result)
{
    QTimer::singleShot(0, context,
                       [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
}

} // namespace

void MemorySecretStore::read(const QString& key, QObject* context, Callback<QString> done)
{
    if (m_failure) {
        answerLater<QString>(context, std::move(done), *m_failure);
        return;
    }
    const auto it = m_secrets.constFind(key);
    if (it == m_secrets.constEnd()) {
        answerLater<QString>(context, std::move(done),
                             Error::make(ErrorKind::NotFound, QStringLiteral("No secret stored for %1").arg(key)));
        return;
    }
    answerLater<QString>(context, std::move(done), *it);
}

void MemorySecretStore::write(const QString& key, const QString& secret, QObject* context, Callback<void> done)
{
    if (m_failure) {
        answerLater<void>(context, std::move(done), *m_failure);
        return;
    }
    m_secrets.insert(key, secret);
    answerLater<void>(context, std::move(done), {});
}

void MemorySecretStore::remove(const QString& key, QObject* context, Callback<void> done)
{
    if (m_failure) {
        answerLater<void>(context, std::move(done), *m_failure);
        return;
    }
    m_secrets.remove(key);
    answerLater<void>(context, std::move(done), {});
}

} // namespace bl
