#pragma once
// TunnelPortDialog: "Tunnel to port…" asks for the instance's port, the local port (0: any free one) and the
// transport, and hands them back through accepted(); opening the tunnel is InstanceActions' business.

#include "core/connect/TransportChooser.h"

#include <QDialog>

class QComboBox;
class QSpinBox;

namespace bl {

class TunnelPortDialog : public QDialog
{
    Q_OBJECT
public:
    // via: the instance's current transport (its override, or auto).
    TunnelPortDialog(const QString& instanceName, TransportChooser::Via via, QWidget* parent = nullptr);

    quint16 remotePort() const;
    quint16 localPort() const;
    TransportChooser::Via via() const;

Q_SIGNALS:
    void tunnelWanted(quint16 remotePort, quint16 localPort, bl::TransportChooser::Via via);

private:
    QSpinBox* m_remote;
    QSpinBox* m_local;
    QComboBox* m_via;
};

} // namespace bl
