#include "core/connect/TunnelManager.h"

#include "core/tunnel/TunnelTransport.h"
#include "core/util/Log.h"

#include <QPointer>
#include <QTimer>

namespace bl {

// One tunnel and the objects of its current attempt. The listener owns the transport (reparented), so that
// the listener's relays are gone before the transport they use; the chooser is deleted on its own.
struct TunnelManager::Slot
{
    ManagedTunnel info;
    quint64 generation = 0; // bumped by every stop/choose, so a late answer of an old chooser is ignored
    TransportChooser* chooser = nullptr;
    TunnelListener* listener = nullptr;
};

QString ManagedTunnel::displayName() const
{
    const QString id = target.instanceId.isEmpty() ? target.instance.id : target.instanceId;
    return target.instanceName.isEmpty() ? id : QStringLiteral("%1 (%2)").arg(target.instanceName, id);
}

QString tunnelStateName(TunnelState state)
{
    switch (state) {
    case TunnelState::Choosing:
        return QStringLiteral("choosing");
    case TunnelState::Connecting:
        return QStringLiteral("connecting");
    case TunnelState::Up:
        return QStringLiteral("up");
    case TunnelState::Reconnecting:
        return QStringLiteral("reconnecting");
    case TunnelState::Failed:
        return QStringLiteral("failed");
    case TunnelState::Stopped:
        return QStringLiteral("stopped");
    }
    return {};
}

QString viaName(TransportChooser::Via via)
{
    // Through parseVia, so a transport added to the chooser (SSM) gets its name here without a change.
    for (const char* name : {"auto", "eice", "direct", "ssm"}) {
        const QString text = QString::fromLatin1(name);
        auto parsed = TransportChooser::parseVia(text);
        if (parsed && parsed.value() == via)
            return text;
    }
    return QStringLiteral("auto");
}

TunnelManager::TunnelManager(SessionLookup sessions, QObject* parent)
    : QObject(parent)
    , m_sessions(std::move(sessions))
{ }

TunnelManager::~TunnelManager()
{
    for (auto& [id, slot] : m_slots) {
        if (slot->listener)
            disconnect(slot->listener, nullptr, this, nullptr);
        delete slot->listener;
        delete slot->chooser;
    }
}

TransportChooser* TunnelManager::makeChooser(const TunnelTarget& target, QObject* parent, Error& error)
{
    AwsSession* session = m_sessions ? m_sessions(target.source) : nullptr;
    if (!session) {
        error = Error::make(ErrorKind::Config, QStringLiteral("No AWS credentials for '%1'").arg(target.source),
                            QStringLiteral("Check that the profile still exists in ~/.aws/config and refresh"));
        return nullptr;
    }
    auto* chooser =
        new TransportChooser(*session, target.region.isEmpty() ? QStringList() : QStringList {target.region}, parent);
    if (!m_directMap.isEmpty())
        chooser->setDirectAddressMap(m_directMap);
    return chooser;
}

quint64 TunnelManager::open(const TunnelTarget& target)
{
    const quint64 id = m_nextId++;
    auto slot = std::make_unique<Slot>();
    slot->info.id = id;
    slot->info.target = target;
    if (slot->info.target.instanceId.isEmpty())
        slot->info.target.instanceId = target.instance.id;
    if (slot->info.target.instanceName.isEmpty())
        slot->info.target.instanceName = target.instance.name;
    if (slot->info.target.region.isEmpty())
        slot->info.target.region = target.instance.region;
    slot->info.localPort = target.localPort;
    m_slots.emplace(id, std::move(slot));
    Q_EMIT added(id);
    choose(id);
    return id;
}

void TunnelManager::choose(quint64 id)
{
    Slot& slot = *m_slots.at(id);
    const quint64 generation = ++slot.generation;
    slot.info.error = {};
    slot.info.stats = {};
    setState(id, TunnelState::Choosing);
    Error error;
    slot.chooser = makeChooser(slot.info.target, this, error);
    if (!slot.chooser) {
        setState(id, TunnelState::Failed, error);
        return;
    }
    auto done = [this, id, generation](Result<TransportChooser::Choice> choice) {
        onChosen(id, generation, std::move(choice));
    };
    const TunnelTarget& t = slot.info.target;
    if (!t.instance.id.isEmpty())
        slot.chooser->chooseFor(t.instance, t.remotePort, t.via, done);
    else
        slot.chooser->choose(t.instanceId, t.remotePort, t.via, done);
}

void TunnelManager::onChosen(quint64 id, quint64 generation, Result<TransportChooser::Choice> choice)
{
    auto it = m_slots.find(id);
    if (it == m_slots.end() || it->second->generation != generation)
        return; // stopped or restarted meanwhile
    Slot& slot = *it->second;
    if (!choice) {
        setState(id, TunnelState::Failed, choice.error());
        return;
    }
    slot.info.target.instance = choice->instance;
    slot.info.target.instanceId = choice->instance.id; // a favourite may name the instance by its Name tag
    slot.info.target.instanceName = choice->instance.name;
    if (slot.info.target.region.isEmpty())
        slot.info.target.region = choice->instance.region;
    slot.info.transportLabel = choice->label;
    slot.info.transportReason = choice->reason;
    setState(id, TunnelState::Connecting);

    auto* listener = new TunnelListener(*choice->transport, this);
    choice->transport->setParent(listener);
    slot.listener = listener;
    connect(listener, &TunnelListener::statsChanged, this, [this, id, listener] {
        auto found = m_slots.find(id);
        if (found == m_slots.end() || found->second->listener != listener)
            return;
        found->second->info.stats = listener->stats();
        Q_EMIT changed(id);
    });
    connect(listener, &TunnelListener::connectionOpened, this, [this, id, listener] {
        auto found = m_slots.find(id);
        if (found != m_slots.end() && found->second->listener == listener
            && found->second->info.state == TunnelState::Reconnecting)
            setState(id, TunnelState::Up);
    });
    connect(listener, &TunnelListener::connectionFailed, this, [this, id, listener](quint64, const Error& e) {
        auto found = m_slots.find(id);
        if (found != m_slots.end() && found->second->listener == listener
            && (found->second->info.state == TunnelState::Up || found->second->info.state == TunnelState::Reconnecting))
            setState(id, TunnelState::Reconnecting, e);
    });
    connect(listener, &TunnelListener::stateChanged, this, [this, id, listener](TunnelListener::State state) {
        auto found = m_slots.find(id);
        if (found != m_slots.end() && found->second->listener == listener && state == TunnelListener::State::Failed)
            setState(id, TunnelState::Failed, listener->error());
    });

    if (Result<void> started = listener->start(slot.info.localPort); !started) {
        Error e = started.error();
        if (e.hint.isEmpty())
            e.hint = QStringLiteral("Choose another local port, or 0 for any free one, and restart the tunnel");
        setState(id, TunnelState::Failed, e);
        return;
    }
    slot.info.localPort = listener->port();
    slot.info.upSince = QDateTime::currentDateTime();
    setState(id, TunnelState::Up);
    Q_EMIT tunnelUp(id, slot.info.localPort);
}

void TunnelManager::teardown(Slot& slot)
{
    ++slot.generation;
    if (slot.chooser) {
        slot.chooser->deleteLater(); // drops a choice still under way
        slot.chooser = nullptr;
    }
    TunnelListener* listener = slot.listener;
    slot.listener = nullptr;
    if (!listener)
        return;
    disconnect(listener, nullptr, this, nullptr);
    if (listener->state() != TunnelListener::State::Listening) {
        listener->deleteLater();
        return;
    }
    // Let open connections end gracefully; the listener goes away once it says Stopped.
    connect(listener, &TunnelListener::stateChanged, listener, [listener](TunnelListener::State state) {
        if (state == TunnelListener::State::Stopped || state == TunnelListener::State::Failed)
            listener->deleteLater();
    });
    listener->stop();
    if (listener->state() == TunnelListener::State::Stopped)
        listener->deleteLater();
}

void TunnelManager::stop(quint64 id)
{
    auto it = m_slots.find(id);
    if (it == m_slots.end())
        return;
    teardown(*it->second);
    it->second->info.stats.openConnections = 0;
    it->second->info.stats.rateUp = it->second->info.stats.rateDown = 0;
    if (it->second->info.state != TunnelState::Stopped)
        setState(id, TunnelState::Stopped);
}

void TunnelManager::restart(quint64 id)
{
    auto it = m_slots.find(id);
    if (it == m_slots.end())
        return;
    teardown(*it->second);
    choose(id);
}

void TunnelManager::remove(quint64 id)
{
    auto it = m_slots.find(id);
    if (it == m_slots.end())
        return;
    teardown(*it->second);
    m_slots.erase(it);
    Q_EMIT removed(id);
}

void TunnelManager::stopAll()
{
    for (quint64 id : ids())
        stop(id);
}

void TunnelManager::shutdownAll(QObject* context, std::function<void()> done)
{
    // The transports are asked first: stopping a listener deletes its transport, and with it the event-loop work
    // that ends the far side. Each calls back once (at its timeout at the latest), so done runs once all have.
    auto pending = std::make_shared<int>(1);
    auto finish = [this, pending, done = std::move(done)] {
        if (--*pending == 0) {
            stopAll();
            done();
        }
    };
    for (auto& [id, slot] : m_slots) {
        if (!slot->listener)
            continue;
        ++*pending;
        slot->listener->transport().shutdown(context, finish);
    }
    QTimer::singleShot(0, context, finish); // the initial count: done comes from the event loop even with none
}

QList<quint64> TunnelManager::ids() const
{
    QList<quint64> result;
    for (const auto& [id, slot] : m_slots)
        result.append(id);
    return result;
}

QList<ManagedTunnel> TunnelManager::list() const
{
    QList<ManagedTunnel> result;
    for (const auto& [id, slot] : m_slots)
        result.append(slot->info);
    return result;
}

const ManagedTunnel* TunnelManager::tunnel(quint64 id) const
{
    auto it = m_slots.find(id);
    return it == m_slots.end() ? nullptr : &it->second->info;
}

quint64 TunnelManager::findActive(const QString& source, const QString& instanceId, quint16 remotePort) const
{
    for (const auto& [id, slot] : m_slots) {
        const ManagedTunnel& t = slot->info;
        if ((t.state == TunnelState::Up || t.state == TunnelState::Reconnecting) && t.target.source == source
            && t.target.instanceId == instanceId && t.target.remotePort == remotePort)
            return id;
    }
    return 0;
}

void TunnelManager::setState(quint64 id, TunnelState state, const Error& error)
{
    auto it = m_slots.find(id);
    if (it == m_slots.end())
        return;
    ManagedTunnel& info = it->second->info;
    const bool failedNow = state == TunnelState::Failed && info.state != TunnelState::Failed;
    info.state = state;
    if (state != TunnelState::Up)
        info.error = error;
    if (failedNow) {
        teardown(*it->second);
        qCWarning(lcConnect).noquote() << "tunnel to" << info.displayName() << "port" << info.target.remotePort
                                       << "failed:" << error.message;
    }
    Q_EMIT changed(id);
    if (failedNow)
        Q_EMIT tunnelFailed(id, error);
}

void TunnelManager::explain(const TunnelTarget& target, QObject* context, Callback<QPair<QString, QString>> done)
{
    QPointer<QObject> guard(context);
    Error error;
    TransportChooser* chooser = makeChooser(target, this, error);
    if (!chooser) {
        QTimer::singleShot(0, context, [guard, done, error] {
            if (guard)
                done(error);
        });
        return;
    }
    auto answer = [chooser, guard, done](Result<TransportChooser::Choice> choice) {
        // Deleting the chooser also deletes the transport it made: nothing is opened.
        chooser->deleteLater();
        if (!guard)
            return;
        if (!choice)
            done(choice.error());
        else
            done(qMakePair(choice->label, choice->reason));
    };
    if (!target.instance.id.isEmpty())
        chooser->chooseFor(target.instance, target.remotePort, target.via, answer);
    else
        chooser->choose(target.instanceId, target.remotePort, target.via, answer);
}

} // namespace bl
