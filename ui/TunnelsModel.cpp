#include "ui/TunnelsModel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>
#include <QTimer>

namespace bl {

TunnelsModel::TunnelsModel(TunnelManager& manager, QObject* parent)
    : QAbstractTableModel(parent)
    , m_manager(manager)
    , m_ids(manager.ids())
    , m_uptime(new QTimer(this))
{
    connect(&m_manager, &TunnelManager::added, this, &TunnelsModel::onAdded);
    connect(&m_manager, &TunnelManager::changed, this, &TunnelsModel::onChanged);
    connect(&m_manager, &TunnelManager::removed, this, &TunnelsModel::onRemoved);
    m_uptime->setInterval(1000);
    connect(m_uptime, &QTimer::timeout, this, &TunnelsModel::tick);
    m_uptime->start();
}

int TunnelsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_ids.size());
}

int TunnelsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TunnelsModel::formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString TunnelsModel::formatDuration(qint64 seconds)
{
    const qint64 h = seconds / 3600;
    const qint64 m = (seconds / 60) % 60;
    const qint64 s = seconds % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

QVariant TunnelsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ManagedTunnel* t = m_manager.tunnel(m_ids.at(index.row()));
    if (!t)
        return {};
    if (role == IdRole)
        return t->id;
    if (role == StateRole)
        return static_cast<int>(t->state);
    const bool live = t->state == TunnelState::Up || t->state == TunnelState::Reconnecting;
    if (role == Qt::ForegroundRole && index.column() == State) {
        if (t->state == TunnelState::Failed)
            return QBrush(QColor(0xb7, 0x1c, 0x1c));
        if (t->state == TunnelState::Reconnecting)
            return QBrush(QColor(0xe6, 0x51, 0x00));
        return {};
    }
    if (role == Qt::TextAlignmentRole && index.column() >= LocalPort && index.column() <= Uptime)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Transport:
            return t->transportReason.isEmpty()
                ? t->transportLabel
                : QStringLiteral("%1\nWhy: %2").arg(t->transportLabel, t->transportReason);
        case State:
            return t->error.message.isEmpty() ? QVariant() : t->error.toString();
        case LocalPort:
            return QStringLiteral("Connect to 127.0.0.1:%1").arg(t->localPort);
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Instance:
        return t->displayName();
    case Transport:
        return t->transportLabel.isEmpty() ? QStringLiteral("(%1)").arg(viaName(t->target.via)) : t->transportLabel;
    case LocalPort:
        return t->localPort == 0 ? QStringLiteral("any") : QString::number(t->localPort);
    case RemotePort:
        return QString::number(t->target.remotePort);
    case Connections:
        return live ? QString::number(t->stats.openConnections) : QString();
    case Sent:
        return formatBytes(t->stats.bytesUp);
    case Received:
        return formatBytes(t->stats.bytesDown);
    case Rate:
        if (live && t->stats.rateUp < 1 && t->stats.rateDown < 1)
            return QStringLiteral("idle");
        return live ? QStringLiteral("↑%1/s ↓%2/s")
                          .arg(formatBytes(static_cast<qint64>(t->stats.rateUp)),
                               formatBytes(static_cast<qint64>(t->stats.rateDown)))
                    : QString();
    case Uptime:
        return live && t->upSince.isValid() ? formatDuration(t->upSince.secsTo(QDateTime::currentDateTime()))
                                            : QString();
    case State:
        if (!t->error.message.isEmpty() && (t->state == TunnelState::Failed || t->state == TunnelState::Reconnecting))
            return QStringLiteral("%1: %2").arg(tunnelStateName(t->state), t->error.message);
        return tunnelStateName(t->state);
    }
    return {};
}

QVariant TunnelsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Instance:
        return QStringLiteral("Instance");
    case Transport:
        return QStringLiteral("Transport");
    case LocalPort:
        return QStringLiteral("Local port");
    case RemotePort:
        return QStringLiteral("Remote port");
    case Connections:
        return QStringLiteral("Open");
    case Sent:
        return QStringLiteral("Sent");
    case Received:
        return QStringLiteral("Received");
    case Rate:
        return QStringLiteral("Rate");
    case Uptime:
        return QStringLiteral("Uptime");
    case State:
        return QStringLiteral("State");
    }
    return {};
}

void TunnelsModel::onAdded(quint64 id)
{
    if (m_ids.contains(id))
        return;
    const int row = static_cast<int>(m_ids.size());
    beginInsertRows({}, row, row);
    m_ids.append(id);
    endInsertRows();
}

void TunnelsModel::onChanged(quint64 id)
{
    const int row = rowOf(id);
    if (row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void TunnelsModel::onRemoved(quint64 id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_ids.removeAt(row);
    endRemoveRows();
}

void TunnelsModel::tick()
{
    for (int row = 0; row < m_ids.size(); ++row) {
        const ManagedTunnel* t = m_manager.tunnel(m_ids.at(row));
        if (t && (t->state == TunnelState::Up || t->state == TunnelState::Reconnecting))
            Q_EMIT dataChanged(index(row, Rate), index(row, Uptime));
    }
}

} // namespace bl
