#include "core/launch/NoTunnels.h"

#include <QPointer>
#include <QTimer>

namespace bl {

QString NoTunnels::unavailableReason() const
{
    return QStringLiteral("Needs an in-app tunnel, which this build does not have yet (EICE and SSM tunnels are "
                          "coming). SSH works: it runs bastionless-cli in a terminal.");
}

void NoTunnels::open(const InventoryEntry&, int, QObject* context, Callback<quint16> done)
{
    QPointer<QObject> guard(context);
    QTimer::singleShot(0, context, [guard, done, why = unavailableReason()] {
        if (guard)
            done(Error::make(ErrorKind::Usage, QStringLiteral("Tunnels are not available"), why));
    });
}

} // namespace bl
