#include "core/tunnel/ConnectionSlots.h"

#include "core/util/Log.h"

#include <QTimer>

namespace bl {

ConnectionSlots::ConnectionSlots(QString name, int limit, int maxWaitMs, QObject* parent)
    : QObject(parent)
    , m_name(std::move(name))
    , m_limit(qMax(1, limit))
    , m_maxWaitMs(maxWaitMs)
{ }

ConnectionSlots::~ConnectionSlots()
{
    for (auto it = m_holders.cbegin(); it != m_holders.cend(); ++it)
        disconnect(it.value());
}

void ConnectionSlots::watch(QObject* holder)
{
    // A holder that dies without releasing (or while waiting) must not keep its slot or queue place.
    m_holders.insert(holder, connect(holder, &QObject::destroyed, this, [this, holder] { release(holder); }));
}

void ConnectionSlots::acquire(QObject* holder, std::function<void(Result<void>)> done)
{
    if (m_holders.contains(holder)) {
        QTimer::singleShot(0, holder, [done] { done(Result<void>()); });
        return;
    }
    if (inUse() < m_limit && m_queue.isEmpty()) {
        grant(holder, std::move(done));
        return;
    }
    qCInfo(lcTunnel).noquote() << m_name << "has" << inUse() << "of" << m_limit
                               << "connections open; the new one waits for a free slot";
    Waiter w;
    w.holder = holder;
    w.done = std::move(done);
    w.timer = new QTimer(this);
    w.timer->setSingleShot(true);
    connect(w.timer, &QTimer::timeout, this, [this, holder] { expire(holder); });
    w.timer->start(m_maxWaitMs);
    // While waiting, destruction withdraws the request (the connection dies with the timer).
    connect(holder, &QObject::destroyed, w.timer, [this, holder] { release(holder); });
    m_queue.append(std::move(w));
    Q_EMIT changed();
}

void ConnectionSlots::grant(QObject* holder, std::function<void(Result<void>)> done)
{
    watch(holder);
    // Delivered from the event loop, and only while the holder lives.
    QTimer::singleShot(0, holder, [done = std::move(done)] { done(Result<void>()); });
    Q_EMIT changed();
}

void ConnectionSlots::release(QObject* holder)
{
    const auto it = m_holders.find(holder);
    if (it != m_holders.end()) {
        disconnect(it.value());
        m_holders.erase(it);
        grantWaiting();
        Q_EMIT changed();
        return;
    }
    for (qsizetype i = 0; i < m_queue.size(); ++i) {
        if (m_queue.at(i).holder == holder) {
            Waiter w = m_queue.takeAt(i);
            w.timer->deleteLater();
            Q_EMIT changed();
            return;
        }
    }
}

void ConnectionSlots::grantWaiting()
{
    while (inUse() < m_limit && !m_queue.isEmpty()) {
        Waiter w = m_queue.takeFirst();
        w.timer->stop();
        w.timer->deleteLater(); // also drops its destroyed() connection
        grant(w.holder, std::move(w.done));
    }
}

void ConnectionSlots::expire(QObject* holder)
{
    for (qsizetype i = 0; i < m_queue.size(); ++i) {
        if (m_queue.at(i).holder != holder)
            continue;
        Waiter w = m_queue.takeAt(i);
        w.timer->deleteLater();
        Error e = Error::make(ErrorKind::Timeout,
                              QStringLiteral("%1 already has %2 connections open (its limit), and none closed "
                                             "within %3 s")
                                  .arg(m_name)
                                  .arg(m_limit)
                                  .arg(m_maxWaitMs / 1000.0),
                              QStringLiteral("Close some of the open connections through this endpoint (ssh "
                                             "sessions, RDP windows, tunnels), or use SSM or a direct connection "
                                             "for the extra ones."));
        QTimer::singleShot(0, holder, [done = std::move(w.done), e] { done(e); });
        Q_EMIT changed();
        return;
    }
}

} // namespace bl
