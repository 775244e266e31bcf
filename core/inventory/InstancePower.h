#pragma once
// Starts and stops the store's instances and follows each one until it settles (running, stopped,
// terminated), feeding every fresh description back into the store, so a row goes stopped -> pending ->
// running in place without a full refresh. Whoever wants to act once an instance runs listens to settled().

#include "core/inventory/InstanceStore.h"

#include <QObject>
#include <QSet>

namespace bl {

class InstancePower : public QObject
{
    Q_OBJECT
public:
    static constexpr int defaultPollMs = 3000;
    static constexpr int defaultMaxPolls = 100; // five minutes at the default interval

    explicit InstancePower(InstanceStore& store, QObject* parent = nullptr);

    void setPollInterval(int ms) { m_pollMs = qMax(1, ms); }
    void setMaxPolls(int polls) { m_maxPolls = qMax(1, polls); }

    // done runs when EC2 accepted (or refused) the request; the instance is then followed until it settles.
    // Errors: NotFound for a key the store does not have, Usage when the state does not allow it,
    // and whatever EC2 answers (e.g. IncorrectInstanceState, UnauthorizedOperation with the IAM action).
    void start(const QString& key, QObject* context, Callback<void> done);
    void stop(const QString& key, QObject* context, Callback<void> done);
    bool isFollowing(const QString& key) const { return m_following.contains(key); }

Q_SIGNALS:
    void settled(const QString& key, bl::InstanceState state);
    void followFailed(const QString& key, const bl::Error& error);

private:
    void change(const QString& key, bool start, QObject* context, Callback<void> done);
    void follow(const QString& key, int pollsLeft);

    InstanceStore& m_store;
    QSet<QString> m_following;
    int m_pollMs = defaultPollMs;
    int m_maxPolls = defaultMaxPolls;
};

} // namespace bl
