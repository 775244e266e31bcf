#include "ui/TunnelPortDialog.h"

#include "ui/ManagedTunnels.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace bl {

TunnelPortDialog::TunnelPortDialog(const QString& instanceName, TransportChooser::Via via, QWidget* parent)
    : QDialog(parent)
    , m_remote(new QSpinBox(this))
    , m_local(new QSpinBox(this))
    , m_via(new QComboBox(this))
{
    setObjectName(QStringLiteral("tunnelPortDialog"));
    setWindowTitle(QStringLiteral("Tunnel to port — %1").arg(instanceName));
    m_remote->setObjectName(QStringLiteral("tunnelRemotePort"));
    m_remote->setRange(1, 65535);
    m_remote->setValue(22);
    m_local->setObjectName(QStringLiteral("tunnelLocalPort"));
    m_local->setRange(0, 65535);
    m_local->setSpecialValueText(QStringLiteral("any free port"));
    m_via->setObjectName(QStringLiteral("tunnelVia"));
    for (const TransportChooser::Via v : ManagedTunnels::viaChoices()) {
        m_via->addItem(ManagedTunnels::viaLabel(v), static_cast<int>(v));
        if (v == via)
            m_via->setCurrentIndex(m_via->count() - 1);
    }

    auto* form = new QFormLayout(this);
    form->addRow(QStringLiteral("Instance port:"), m_remote);
    form->addRow(QStringLiteral("Local port (127.0.0.1):"), m_local);
    form->addRow(QStringLiteral("Transport:"), m_via);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("Open tunnel"));
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("tunnelOpen"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(this, &QDialog::accepted, this, [this] { Q_EMIT tunnelWanted(remotePort(), localPort(), this->via()); });
}

quint16 TunnelPortDialog::remotePort() const
{
    return static_cast<quint16>(m_remote->value());
}

quint16 TunnelPortDialog::localPort() const
{
    return static_cast<quint16>(m_local->value());
}

TransportChooser::Via TunnelPortDialog::via() const
{
    return static_cast<TransportChooser::Via>(m_via->currentData().toInt());
}

} // namespace bl
