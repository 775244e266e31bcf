#pragma once
// ViaOverrides: the transport a person chose for an instance instead of "auto" (EICE, direct, later SSM),
// keyed by instance id. The tunnels the app opens and the SSH command line (`--via`) both ask here. Storage
// is the caller's: whoever owns the settings loads them with set() and saves on changed().

#include "core/connect/TransportChooser.h"

#include <QHash>
#include <QObject>

namespace bl {

class ViaOverrides : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Auto when none is set.
    TransportChooser::Via via(const QString& instanceId) const
    {
        return m_via.value(instanceId, TransportChooser::Via::Auto);
    }
    // Auto removes the override.
    void set(const QString& instanceId, TransportChooser::Via via);
    QHash<QString, TransportChooser::Via> all() const { return m_via; }

Q_SIGNALS:
    void changed(const QString& instanceId, bl::TransportChooser::Via via);

private:
    QHash<QString, TransportChooser::Via> m_via;
};

} // namespace bl
