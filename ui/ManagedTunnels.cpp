#include "ui/ManagedTunnels.h"

#include <QPointer>
#include <QTimer>

namespace bl {

namespace {

quint16 explainedPort(const InventoryEntry& entry)
{
    return entry.instance.isWindows() ? 3389 : 22;
}

} // namespace

ManagedTunnels::ManagedTunnels(TunnelManager& manager, ViaOverrides& overrides, Favourites* favourites, QObject* parent)
    : QObject(parent)
    , m_manager(manager)
    , m_overrides(overrides)
    , m_favourites(favourites)
{ }

TunnelTarget ManagedTunnels::targetFor(const InventoryEntry& entry, quint16 remotePort, TransportChooser::Via via)
{
    TunnelTarget t;
    t.instance = entry.instance;
    t.instanceId = entry.instance.id;
    t.instanceName = entry.instance.name;
    t.source = entry.source;
    t.region = entry.instance.region;
    t.remotePort = remotePort;
    t.via = via;
    return t;
}

void ManagedTunnels::open(const InventoryEntry& entry, int remotePort, QObject* context, Callback<quint16> done)
{
    QPointer<QObject> guard(context);
    const auto port = static_cast<quint16>(remotePort);
    if (const quint64 existing = m_manager.findActive(entry.source, entry.instance.id, port)) {
        QTimer::singleShot(0, context, [guard, done, local = m_manager.tunnel(existing)->localPort] {
            if (guard)
                done(local);
        });
        return;
    }
    // One answer per open: a watcher that goes away with the first state that settles it.
    auto* watcher = new QObject(context);
    auto finish = [watcher, guard, done](Result<quint16> result) {
        watcher->deleteLater();
        if (guard)
            done(result);
    };
    auto settle = [this, watcher, finish](quint64 id, quint64 wanted) {
        if (id != wanted || !watcher->property("open").toBool())
            return;
        const ManagedTunnel* t = m_manager.tunnel(id);
        if (!t) {
            watcher->setProperty("open", false);
            finish(Error::make(ErrorKind::Cancelled, QStringLiteral("The tunnel was closed before it was up")));
        } else if (t->state == TunnelState::Up) {
            watcher->setProperty("open", false);
            finish(t->localPort);
        } else if (t->state == TunnelState::Failed || t->state == TunnelState::Stopped) {
            watcher->setProperty("open", false);
            finish(t->state == TunnelState::Failed
                       ? t->error
                       : Error::make(ErrorKind::Cancelled, QStringLiteral("Opening the tunnel was cancelled")));
        }
    };
    watcher->setProperty("open", true);
    // The manager may answer inside open() (direct TCP): connect before, and look at the state right after.
    auto idHolder = std::make_shared<quint64>(0);
    connect(&m_manager, &TunnelManager::changed, watcher, [settle, idHolder](quint64 id) {
        if (*idHolder)
            settle(id, *idHolder);
    });
    connect(&m_manager, &TunnelManager::removed, watcher, [settle, idHolder](quint64 id) {
        if (*idHolder)
            settle(id, *idHolder);
    });
    *idHolder = m_manager.open(targetFor(entry, port, m_overrides.via(entry.instance.id)));
    const quint64 id = *idHolder;
    // Deliver from the event loop even when the tunnel settled synchronously.
    QTimer::singleShot(0, watcher, [settle, id] { settle(id, id); });
}

quint64 ManagedTunnels::openCustom(const InventoryEntry& entry, quint16 remotePort, quint16 localPort,
                                   TransportChooser::Via via)
{
    TunnelTarget t = targetFor(entry, remotePort, via);
    t.localPort = localPort;
    return m_manager.open(t);
}

QList<TransportChooser::Via> ManagedTunnels::viaChoices()
{
    QList<TransportChooser::Via> out;
    for (const char* name : {"auto", "eice", "ssm", "direct"}) {
        if (auto via = TransportChooser::parseVia(QString::fromLatin1(name)))
            out.append(via.value());
    }
    return out;
}

QString ManagedTunnels::viaLabel(TransportChooser::Via via)
{
    const QString name = viaName(via);
    if (name == QLatin1String("auto"))
        return QStringLiteral("Automatic");
    if (name == QLatin1String("eice"))
        return QStringLiteral("EC2 Instance Connect Endpoint");
    if (name == QLatin1String("direct"))
        return QStringLiteral("Direct TCP");
    if (name == QLatin1String("ssm"))
        return QStringLiteral("Session Manager");
    return name;
}

QString ManagedTunnels::explanationKey(const InventoryEntry& entry) const
{
    return QStringLiteral("%1/%2/%3")
        .arg(entry.key(), viaName(m_overrides.via(entry.instance.id)))
        .arg(explainedPort(entry));
}

QString ManagedTunnels::cachedExplanation(const InventoryEntry& entry) const
{
    return m_explained.value(explanationKey(entry));
}

void ManagedTunnels::explain(const InventoryEntry& entry, QObject* context, std::function<void(const QString&)> done)
{
    const QString key = explanationKey(entry);
    QPointer<QObject> guard(context);
    if (m_explained.contains(key)) {
        QTimer::singleShot(0, context, [guard, done, text = m_explained.value(key)] {
            if (guard)
                done(text);
        });
        return;
    }
    if (m_explaining.contains(key))
        return;
    m_explaining.insert(key);
    const TransportChooser::Via via = m_overrides.via(entry.instance.id);
    const QString prefix = via == TransportChooser::Via::Auto
        ? QStringLiteral("Transport (auto)")
        : QStringLiteral("Transport (%1, your choice)").arg(viaName(via));
    m_manager.explain(targetFor(entry, explainedPort(entry), via), this,
                      [this, key, guard, done, prefix](Result<QPair<QString, QString>> answer) {
                          const QString text = answer
                              ? QStringLiteral("%1: %2 — %3").arg(prefix, answer->first, answer->second)
                              : QStringLiteral("%1: none — %2").arg(prefix, answer.error().message);
                          m_explained.insert(key, text);
                          m_explaining.remove(key);
                          // The chooser may answer inside explain() (direct TCP): always from the event loop.
                          if (guard)
                              QTimer::singleShot(0, guard.data(), [done, text] { done(text); });
                      });
}

} // namespace bl
