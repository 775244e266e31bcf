#pragma once
// ConnectionSlots: a counter of concurrent connections with a waiting queue. An EC2 Instance Connect Endpoint
// accepts at most 20 concurrent connections (a quota that cannot be raised), so every tunnel through the same
// endpoint shares one ConnectionSlots (see ConnectionSlotRegistry): a connection beyond the limit waits, in
// order, until another one ends, and gets a clear error if none ends within the wait limit.

#include "core/util/Result.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

class QTimer;

namespace bl {

class ConnectionSlots : public QObject
{
    Q_OBJECT

public:
    static constexpr int EiceLimit = 20;

    // name: for messages ("EC2 Instance Connect Endpoint eice-..."); maxWaitMs: how long a request may queue.
    explicit ConnectionSlots(QString name, int limit = EiceLimit, int maxWaitMs = 60000, QObject* parent = nullptr);
    ~ConnectionSlots() override;

    // Asks for a slot for holder. done runs once, from the event loop: Result<void>{} when the slot is granted,
    // an Error (Timeout) when none freed up within maxWaitMs. The slot is held until release(holder) or until
    // holder is destroyed; releasing a waiting holder withdraws its request (done is not called).
    void acquire(QObject* holder, std::function<void(Result<void>)> done);
    void release(QObject* holder);

    int limit() const { return m_limit; }
    int inUse() const { return static_cast<int>(m_holders.size()); }
    int waiting() const { return static_cast<int>(m_queue.size()); }
    void setMaxWaitMs(int ms) { m_maxWaitMs = ms; }
    int maxWaitMs() const { return m_maxWaitMs; }

Q_SIGNALS:
    void changed(); // inUse() or waiting() changed

private:
    struct Waiter
    {
        QObject* holder = nullptr;
        std::function<void(Result<void>)> done;
        QTimer* timer = nullptr;
    };

    void grant(QObject* holder, std::function<void(Result<void>)> done);
    void grantWaiting();
    void expire(QObject* holder);
    void watch(QObject* holder);

    QString m_name;
    int m_limit;
    int m_maxWaitMs;
    QHash<QObject*, QMetaObject::Connection> m_holders; // holder -> its destroyed() connection
    QList<Waiter> m_queue;
};

} // namespace bl
