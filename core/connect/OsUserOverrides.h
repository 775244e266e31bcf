#pragma once
// The OS user a person chose for an instance in the app ("Log in as…"), kept where bastionless-cli looks for
// it: the key instances/<id>/osUser of the app's settings file (ConnectionPreferences reads the same key), so
// the SSH command the app starts in a terminal logs in as that user with no extra argument. Each write is
// synced at once, because the CLI process reads the file as soon as it starts.

#include "core/connect/OsUser.h"
#include "core/util/Result.h"

#include <QObject>

class QSettings;

namespace bl {

class OsUserOverrides : public QObject
{
    Q_OBJECT
public:
    // settings must outlive this object.
    explicit OsUserOverrides(QSettings& settings, QObject* parent = nullptr);

    // The override for instanceId; empty when none.
    QString user(const QString& instanceId) const;
    // [connect] osUser: the user for instances nothing else decides; empty when unset.
    QString defaultUser() const;
    // Who the app logs in as for instance and why, as the CLI decides it.
    OsUser::Choice choose(const Instance& instance) const;

    // A plausible login name (letters, digits, '.', '_', '-'; at most 32) or an error saying what is wrong.
    static Result<void> validate(const QString& user);
    // Empty user returns the instance to automatic. Fails on an invalid name or when the file cannot be written.
    Result<void> set(const QString& instanceId, const QString& user);

Q_SIGNALS:
    void changed(const QString& instanceId, const QString& user);

private:
    QSettings& m_settings;
};

} // namespace bl
