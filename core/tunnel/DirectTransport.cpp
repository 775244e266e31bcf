#include "core/tunnel/DirectTransport.h"

#include "core/tunnel/ByteStream.h"
#include "core/tunnel/DirectStream.h"

namespace bl {

namespace {

QString mapKey(const QString& address, quint16 port)
{
    return (address.contains(QLatin1Char(':')) ? QLatin1Char('[') + address + QLatin1Char(']') : address)
        + QLatin1Char(':') + QString::number(port);
}

// "host:port" or "[v6]:port".
bool splitHostPort(const QString& text, QString* host, quint16* port)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    QString h = text.left(colon).trimmed();
    if (h.startsWith(QLatin1Char('[')) && h.endsWith(QLatin1Char(']')))
        h = h.mid(1, h.size() - 2);
    bool ok = false;
    const uint p = text.mid(colon + 1).toUInt(&ok);
    if (h.isEmpty() || !ok || p == 0 || p > 65535)
        return false;
    *host = h;
    *port = static_cast<quint16>(p);
    return true;
}

} // namespace

DirectTransport::DirectTransport(DirectTarget target, QObject* parent)
    : TunnelTransport(parent)
    , m_target(std::move(target))
    , m_highWater(ByteStream::DefaultHighWater)
{ }

Result<QString> DirectTransport::defaultAddress(const Instance& instance)
{
    for (const QString& a : {instance.publicIp, instance.privateIp, instance.ipv6}) {
        if (!a.isEmpty())
            return a;
    }
    return Error::make(ErrorKind::NotFound,
                       QStringLiteral("Instance %1 has no IP address to connect to directly").arg(instance.id),
                       QStringLiteral("Start the instance, or connect through EC2 Instance Connect Endpoint or SSM."));
}

Result<QHash<QString, QPair<QString, quint16>>> DirectTransport::parseAddressMap(const QString& spec)
{
    QHash<QString, QPair<QString, quint16>> out;
    for (const QString& entry : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList sides = entry.split(QLatin1Char('='));
        QString fromHost, toHost;
        quint16 fromPort = 0, toPort = 0;
        if (sides.size() != 2 || !splitHostPort(sides.at(0), &fromHost, &fromPort)
            || !splitHostPort(sides.at(1), &toHost, &toPort)) {
            return Error::make(ErrorKind::Config,
                               QStringLiteral("%1: \"%2\" is not ADDRESS:PORT=HOST:PORT")
                                   .arg(QLatin1String(AddressMapVariable), entry.trimmed()));
        }
        out.insert(mapKey(fromHost, fromPort), {toHost, toPort});
    }
    return out;
}

ByteStream* DirectTransport::openStream(QObject* parent)
{
    QString host = m_target.address;
    quint16 port = m_target.port;
    const auto mapped = m_map.constFind(mapKey(host, port));
    if (mapped != m_map.cend()) {
        host = mapped->first;
        port = mapped->second;
    }
    return new DirectStream(host, port, describe(), m_target.connectTimeoutMs, m_highWater, parent);
}

QString DirectTransport::describe() const
{
    const QString where = QStringLiteral("%1 port %2").arg(m_target.address).arg(m_target.port);
    return m_target.instanceId.isEmpty() ? where : QStringLiteral("%1 (%2)").arg(where, m_target.instanceId);
}

} // namespace bl
