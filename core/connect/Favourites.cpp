#include "core/connect/Favourites.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace bl {

namespace {

constexpr int formatVersion = 1;

QJsonObject toJson(const Favourite& f)
{
    return {{QStringLiteral("name"), f.name},
            {QStringLiteral("instanceId"), f.instanceId},
            {QStringLiteral("profile"), f.profile},
            {QStringLiteral("region"), f.region},
            {QStringLiteral("remotePort"), f.remotePort},
            {QStringLiteral("localPort"), f.localPort},
            {QStringLiteral("via"), viaName(f.via)},
            {QStringLiteral("enabled"), f.enabled}};
}

std::optional<Favourite> fromJson(const QJsonObject& o)
{
    Favourite f;
    f.name = o.value(QStringLiteral("name")).toString();
    f.instanceId = o.value(QStringLiteral("instanceId")).toString();
    f.profile = o.value(QStringLiteral("profile")).toString();
    f.region = o.value(QStringLiteral("region")).toString();
    const int remote = o.value(QStringLiteral("remotePort")).toInt();
    const int local = o.value(QStringLiteral("localPort")).toInt();
    if (f.name.isEmpty() || f.instanceId.isEmpty() || remote <= 0 || remote > 65535 || local < 0 || local > 65535)
        return std::nullopt;
    f.remotePort = static_cast<quint16>(remote);
    f.localPort = static_cast<quint16>(local);
    // A transport this version does not know (written by a newer one) falls back to auto.
    auto via = TransportChooser::parseVia(o.value(QStringLiteral("via")).toString());
    f.via = via ? via.value() : TransportChooser::Via::Auto;
    f.enabled = o.value(QStringLiteral("enabled")).toBool();
    return f;
}

} // namespace

TunnelTarget Favourite::target() const
{
    TunnelTarget t;
    t.instanceId = instanceId;
    t.source = profile;
    t.region = region;
    t.remotePort = remotePort;
    t.localPort = localPort;
    t.via = via;
    return t;
}

Favourite Favourite::fromTunnel(const ManagedTunnel& tunnel, const QString& name)
{
    Favourite f;
    f.name = name;
    f.instanceId = tunnel.target.instanceId;
    f.profile = tunnel.target.source;
    f.region = tunnel.target.region;
    f.remotePort = tunnel.target.remotePort;
    f.localPort = tunnel.localPort;
    f.via = tunnel.target.via;
    return f;
}

Favourites::Favourites(TunnelManager& tunnels, QString path, QObject* parent)
    : QObject(parent)
    , m_tunnels(tunnels)
    , m_path(std::move(path))
{
    connect(&m_tunnels, &TunnelManager::removed, this, &Favourites::onTunnelRemoved);
}

Favourites::~Favourites() = default;

QString Favourites::defaultPath()
{
    // Next to the app's QSettings file (~/.config/Bastionless/Bastionless.conf), where people look for it.
    QString dir = QCoreApplication::organizationName();
    if (dir.isEmpty())
        dir = QCoreApplication::applicationName();
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QLatin1Char('/') + dir
        + QStringLiteral("/favourites.json");
}

Result<void> Favourites::load()
{
    m_list.clear();
    QFile file(m_path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return Error::make(ErrorKind::Io,
                           QStringLiteral("Cannot read the favourites %1: %2").arg(m_path, file.errorString()),
                           QStringLiteral("Check the file's permissions"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject())
        return Error::make(
            ErrorKind::Config,
            QStringLiteral("The favourites file %1 is not valid JSON: %2").arg(m_path, parseError.errorString()),
            QStringLiteral("Fix or delete the file; favourites saved from now on replace it"));
    const QJsonArray items = doc.object().value(QStringLiteral("favourites")).toArray();
    for (const QJsonValue& item : items) {
        auto f = fromJson(item.toObject());
        if (f && indexOf(f->name) < 0)
            m_list.append(*f);
    }
    Q_EMIT listChanged();
    return {};
}

void Favourites::openEnabled()
{
    for (Favourite& f : m_list)
        if (f.enabled && !m_tunnelIds.contains(f.name))
            switchOn(f);
}

const Favourite* Favourites::find(const QString& name) const
{
    const int i = indexOf(name);
    return i < 0 ? nullptr : &m_list.at(i);
}

int Favourites::indexOf(const QString& name) const
{
    for (int i = 0; i < m_list.size(); ++i)
        if (m_list.at(i).name == name)
            return i;
    return -1;
}

QString Favourites::uniqueName(const QString& suggestion) const
{
    QString name = suggestion;
    for (int n = 2; indexOf(name) >= 0; ++n)
        name = QStringLiteral("%1 (%2)").arg(suggestion).arg(n);
    return name;
}

Result<void> Favourites::add(const Favourite& favourite)
{
    if (favourite.name.trimmed().isEmpty())
        return Error::make(ErrorKind::Usage, QStringLiteral("A favourite needs a name"));
    if (indexOf(favourite.name) >= 0)
        return Error::make(ErrorKind::Usage,
                           QStringLiteral("There is already a favourite called '%1'").arg(favourite.name),
                           QStringLiteral("Choose another name"));
    if (favourite.instanceId.isEmpty() || favourite.remotePort == 0)
        return Error::make(ErrorKind::Usage, QStringLiteral("A favourite needs an instance and a remote port"));
    m_list.append(favourite);
    if (favourite.enabled)
        switchOn(m_list.last());
    Q_EMIT listChanged();
    return save();
}

Result<void> Favourites::remove(const QString& name)
{
    const int i = indexOf(name);
    if (i < 0)
        return Error::make(ErrorKind::NotFound, QStringLiteral("No favourite called '%1'").arg(name));
    if (const quint64 id = m_tunnelIds.take(name))
        m_tunnels.remove(id);
    m_list.removeAt(i);
    Q_EMIT listChanged();
    return save();
}

Result<void> Favourites::setEnabled(const QString& name, bool on)
{
    const int i = indexOf(name);
    if (i < 0)
        return Error::make(ErrorKind::NotFound, QStringLiteral("No favourite called '%1'").arg(name));
    Favourite& f = m_list[i];
    if (on && !m_tunnelIds.contains(name))
        switchOn(f);
    if (!on) {
        if (const quint64 id = m_tunnelIds.take(name))
            m_tunnels.remove(id);
    }
    const bool was = f.enabled;
    f.enabled = on;
    Q_EMIT favouriteChanged(name);
    return was == on ? Result<void>() : save();
}

void Favourites::switchOn(Favourite& favourite)
{
    m_tunnelIds.insert(favourite.name, m_tunnels.open(favourite.target()));
}

void Favourites::onTunnelRemoved(quint64 id)
{
    // Someone removed a favourite's tunnel in the panel: the favourite is off now.
    for (auto it = m_tunnelIds.begin(); it != m_tunnelIds.end(); ++it) {
        if (it.value() != id)
            continue;
        const QString name = it.key();
        m_tunnelIds.erase(it);
        static_cast<void>(setEnabled(name, false)); // a failed save is reported through saveFailed()
        return;
    }
}

Result<void> Favourites::save()
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QJsonArray items;
    for (const Favourite& f : m_list)
        items.append(toJson(f));
    const QJsonObject root {{QStringLiteral("version"), formatVersion}, {QStringLiteral("favourites"), items}};
    QSaveFile file(m_path);
    Error error;
    if (!file.open(QIODevice::WriteOnly)) {
        error = Error::make(ErrorKind::Io,
                            QStringLiteral("Cannot save the favourites to %1: %2").arg(m_path, file.errorString()),
                            QStringLiteral("Check that the directory is writable"));
    } else {
        file.write(QJsonDocument(root).toJson());
        if (!file.commit())
            error = Error::make(ErrorKind::Io,
                                QStringLiteral("Cannot save the favourites to %1: %2").arg(m_path, file.errorString()),
                                QStringLiteral("Check that the disk is not full and the directory is writable"));
    }
    if (error.message.isEmpty())
        return {};
    Q_EMIT saveFailed(error);
    return error;
}

} // namespace bl
