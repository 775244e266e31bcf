#include "core/connect/TransportShutdown.h"

#include "core/ssm/SsmTransport.h"

#include <QPointer>
#include <QTimer>

#include <memory>

namespace bl {

void TransportShutdown::run(TunnelTransport* transport, QObject* context, std::function<void()> done)
{
    auto* ssm = qobject_cast<SsmTransport*>(transport);
    if (!ssm || !ssm->session()) {
        QTimer::singleShot(0, context, std::move(done));
        return;
    }
    auto once = std::make_shared<std::function<void()>>(std::move(done));
    auto finish = [once] {
        if (*once)
            std::exchange(*once, {})();
    };
    QObject::connect(ssm, &SsmTransport::sessionFinished, context, finish);
    QTimer::singleShot(TimeoutMs, context, finish);
    if (ssm->session()->state() == SsmSession::State::Ended || ssm->session()->state() == SsmSession::State::Failed) {
        QTimer::singleShot(0, context, finish);
        return;
    }
    ssm->endSession();
}

} // namespace bl
