#include "core/inventory/InstancePower.h"

#include "core/aws/api/Ec2Client.h"
#include "core/inventory/InventoryLog.h"

#include <QPointer>
#include <QTimer>

namespace bl {

namespace {

bool isTransient(InstanceState state)
{
    return state == InstanceState::Pending || state == InstanceState::Stopping || state == InstanceState::ShuttingDown;
}

// Delivers from the event loop, and only while the caller's context lives.
void deliver(QObject* owner, QObject* context, Callback<void> done, Result<void> result)
{
    QPointer<QObject> guard(context);
    QTimer::singleShot(0, owner, [guard, done = std::move(done), result = std::move(result)] {
        if (guard)
            done(result);
    });
}

} // namespace

InstancePower::InstancePower(InstanceStore& store, QObject* parent)
    : QObject(parent)
    , m_store(store)
{
    connect(&m_store, &InstanceStore::reset, this, [this] { m_following.clear(); });
}

void InstancePower::start(const QString& key, QObject* context, Callback<void> done)
{
    change(key, true, context, std::move(done));
}

void InstancePower::stop(const QString& key, QObject* context, Callback<void> done)
{
    change(key, false, context, std::move(done));
}

void InstancePower::change(const QString& key, bool start, QObject* context, Callback<void> done)
{
    const InventoryEntry* entry = m_store.entry(key);
    const InventorySource* src = entry ? m_store.source(entry->source) : nullptr;
    if (!entry || !src || !src->session) {
        deliver(this, context, std::move(done),
                Error::make(ErrorKind::NotFound, QStringLiteral("The instance is no longer in the list"),
                            QStringLiteral("Refresh the list and try again.")));
        return;
    }
    const Instance instance = entry->instance;
    const InstanceState wanted = start ? InstanceState::Running : InstanceState::Stopped;
    const bool allowed = start ? instance.state == InstanceState::Stopped : instance.state == InstanceState::Running;
    if (!allowed) {
        deliver(this, context, std::move(done),
                Error::make(
                    ErrorKind::Usage,
                    QStringLiteral("%1 is %2: it can only be %3")
                        .arg(instance.name.isEmpty() ? instance.id : instance.name, instance.stateName,
                             start ? QStringLiteral("started when stopped") : QStringLiteral("stopped when running")),
                    QStringLiteral("Wait until it is %1.").arg(instanceStateName(wanted))));
        return;
    }

    const QString source = entry->source;
    QPointer<QObject> guard(context);
    auto answer = [this, key, source, instance, guard, done](Result<QList<InstanceStateChange>> result) {
        if (!result) {
            if (guard)
                done(result.error());
            return;
        }
        Instance updated = instance;
        for (const InstanceStateChange& c : std::as_const(*result)) {
            if (c.instanceId == instance.id) {
                updated.state = c.current;
                updated.stateName = c.currentName;
            }
        }
        m_store.updateInstance(source, updated);
        if (guard)
            done(Result<void>());
        if (!m_following.contains(key)) {
            m_following.insert(key);
            follow(key, m_maxPolls);
        }
    };
    Ec2Client ec2(*src->session);
    if (start)
        ec2.startInstances(instance.region, {instance.id}, this, answer);
    else
        ec2.stopInstances(instance.region, {instance.id}, false, this, answer);
}

void InstancePower::follow(const QString& key, int pollsLeft)
{
    QTimer::singleShot(m_pollMs, this, [this, key, pollsLeft] {
        const InventoryEntry* entry = m_following.contains(key) ? m_store.entry(key) : nullptr;
        const InventorySource* src = entry ? m_store.source(entry->source) : nullptr;
        if (!entry || !src) {
            m_following.remove(key);
            return;
        }
        const QString source = entry->source;
        Ec2Client(*src->session)
            .describeInstances(entry->instance.region, {}, {entry->instance.id}, this,
                               [this, key, source, pollsLeft](Result<QList<Instance>> result) {
                                   if (!m_following.contains(key))
                                       return;
                                   if (!result || result->isEmpty()) {
                                       m_following.remove(key);
                                       const Error error = result
                                           ? Error::make(ErrorKind::NotFound, QStringLiteral("The instance vanished"))
                                           : result.error();
                                       qCWarning(lcInventory) << "following" << key << "failed:" << error.summary();
                                       Q_EMIT followFailed(key, error);
                                       return;
                                   }
                                   const Instance now = result->constFirst();
                                   const bool moving = isTransient(now.state) && pollsLeft > 1;
                                   // No longer followed by the time the row changes, so whoever looks at
                                   // the row then sees it free for the next start or stop.
                                   if (!moving)
                                       m_following.remove(key);
                                   m_store.updateInstance(source, now);
                                   if (moving) {
                                       follow(key, pollsLeft - 1);
                                       return;
                                   }
                                   Q_EMIT settled(key, now.state);
                               });
    });
}

} // namespace bl
