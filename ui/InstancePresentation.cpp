#include "ui/InstancePresentation.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace bl {

QColor InstancePresentation::stateColor(InstanceState state)
{
    switch (state) {
    case InstanceState::Running:
        return QColor(0x2e, 0x7d, 0x32);
    case InstanceState::Pending:
    case InstanceState::Stopping:
        return QColor(0xb2, 0x6a, 0x00);
    case InstanceState::ShuttingDown:
    case InstanceState::Terminated:
        return QColor(0xc6, 0x28, 0x28);
    case InstanceState::Stopped:
    case InstanceState::Unknown:
        break;
    }
    return QColor(0x75, 0x75, 0x75);
}

QIcon InstancePresentation::stateIcon(InstanceState state)
{
    static QHash<int, QIcon> cache;
    const int key = static_cast<int>(state);
    if (const auto it = cache.constFind(key); it != cache.cend())
        return *it;
    QIcon icon;
    for (const int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(stateColor(state));
        const qreal d = size * 0.5;
        p.drawEllipse(QRectF((size - d) / 2, (size - d) / 2, d, d));
        p.end();
        icon.addPixmap(pixmap);
    }
    cache.insert(key, icon);
    return icon;
}

QString InstancePresentation::platformText(const Instance& instance)
{
    if (instance.isWindows())
        return QStringLiteral("Windows");
    // EC2's platform details are long ("Red Hat Enterprise Linux with SQL Server Standard"); the column wants
    // the family. The tooltip has the full text.
    const QString details = instance.platformDetails;
    static const QList<QPair<QString, QString>> families = {
        {QStringLiteral("Red Hat Enterprise Linux"), QStringLiteral("RHEL")},
        {QStringLiteral("SUSE Linux"), QStringLiteral("SUSE")},
        {QStringLiteral("Ubuntu Pro"), QStringLiteral("Ubuntu Pro")},
    };
    for (const auto& [prefix, family] : families) {
        if (details.startsWith(prefix))
            return family;
    }
    return QStringLiteral("Linux");
}

QString InstancePresentation::reachabilityText(const InventoryEntry& entry)
{
    const Reachability& r = entry.reach;
    const QStringList paths = r.paths();
    if (r.running) {
        if (!paths.isEmpty())
            return paths.join(QStringLiteral(" · "));
        if (r.checking)
            return QStringLiteral("checking…");
        // The reason is long; it is in the tooltip and in the window's detail line.
        return r.reason.isEmpty() ? QStringLiteral("unknown") : QStringLiteral("Not reachable");
    }
    // Not running: the ways in it will have once started, or what its state means.
    if (entry.instance.state == InstanceState::Terminated || paths.isEmpty())
        return QStringLiteral("—");
    return QStringLiteral("%1 (when running)").arg(paths.join(QStringLiteral(" · ")));
}

QColor InstancePresentation::reachabilityColor(const InventoryEntry& entry)
{
    const Reachability& r = entry.reach;
    if (!r.running || r.checking)
        return QColor(0x75, 0x75, 0x75);
    if (!r.hasPath() && !r.reason.isEmpty())
        return QColor(0xc6, 0x28, 0x28);
    return {};
}

QString InstancePresentation::reachabilityTooltip(const InventoryEntry& entry)
{
    const Reachability& r = entry.reach;
    QStringList lines;
    if (!r.reason.isEmpty())
        lines << r.reason;
    if (r.eice == PathState::Available)
        lines << QStringLiteral("EC2 Instance Connect Endpoint: %1").arg(r.eiceEndpointId);
    if (r.ssm == PathState::Available)
        lines << QStringLiteral("SSM agent online");
    else if (!r.ssmPingStatus.isEmpty())
        lines << QStringLiteral("SSM agent: %1").arg(r.ssmPingStatus);
    if (r.publicIp)
        lines << QStringLiteral("Public IP: %1").arg(entry.instance.publicIp);
    if (r.checking)
        lines << QStringLiteral("Still checking for endpoints and SSM agents…");
    if (entry.stale)
        lines << QStringLiteral("This region could not be listed on the last refresh: this is the previous answer.");
    return lines.join(QLatin1Char('\n'));
}

QString InstancePresentation::summary(const InventoryEntry& entry)
{
    const Instance& i = entry.instance;
    const Reachability& r = entry.reach;
    QStringList parts;
    parts << (i.name.isEmpty() ? i.id : QStringLiteral("%1 (%2)").arg(i.name, i.id));
    parts << QStringLiteral("%1 in %2").arg(i.stateName, i.region);
    if (r.reachable()) {
        QStringList ways;
        if (r.eice == PathState::Available)
            ways << QStringLiteral("EC2 Instance Connect Endpoint %1").arg(r.eiceEndpointId);
        if (r.ssm == PathState::Available)
            ways << QStringLiteral("SSM agent online");
        if (r.publicIp)
            ways << QStringLiteral("public IP %1").arg(i.publicIp);
        parts << QStringLiteral("reachable via %1").arg(ways.join(QStringLiteral(", ")));
    } else if (!r.reason.isEmpty()) {
        parts << r.reason;
    } else if (r.checking) {
        parts << QStringLiteral("checking how it can be reached…");
    }
    if (entry.stale)
        parts << QStringLiteral("(previous answer: its region could not be listed)");
    return parts.join(QStringLiteral(" · "));
}

QString InstancePresentation::tagsTooltip(const Instance& instance)
{
    QStringList lines;
    for (const Tag& t : instance.tags)
        lines << QStringLiteral("%1 = %2").arg(t.key, t.value);
    return lines.join(QLatin1Char('\n'));
}

} // namespace bl
