#include "core/connect/TransportChooser.h"

#include "core/aws/api/AwsSession.h"
#include "core/aws/api/Ec2Client.h"
#include "core/aws/api/InstanceInventory.h"
#include "core/connect/OsUser.h"
#include "core/connect/SshForwardTransport.h"
#include "core/tunnel/DirectTransport.h"
#include "core/tunnel/EiceEndpointFinder.h"
#include "core/tunnel/EiceTransport.h"
#include "core/util/Log.h"

namespace bl {

TransportChooser::TransportChooser(AwsSession& session, QStringList regions, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_regions(std::move(regions))
{ }

TransportChooser::~TransportChooser() = default;

Result<TransportChooser::Via> TransportChooser::parseVia(const QString& text)
{
    if (text == QLatin1String("auto"))
        return Via::Auto;
    if (text == QLatin1String("eice"))
        return Via::Eice;
    if (text == QLatin1String("direct"))
        return Via::Direct;
    return Error::make(ErrorKind::Usage, QStringLiteral("unknown transport '%1'").arg(text),
                       QStringLiteral("Use --via eice, --via direct or --via auto (the default)"));
}

void TransportChooser::choose(const QString& target, quint16 port, Via via, Callback<Choice> done,
                              std::function<void(const Instance&)> resolved)
{
    m_inventory = new InstanceInventory(m_session, this);
    m_inventory->resolve(target, m_regions, [this, port, via, done, resolved](Result<Instance> instance) {
        if (!instance) {
            Error e = instance.error();
            // An ambiguous name is exit code 4 in the CLI's contract, like a name that matches nothing.
            if (e.kind == ErrorKind::Usage)
                e.kind = ErrorKind::NotFound;
            done(e);
            return;
        }
        if (resolved)
            resolved(instance.value());
        chooseFor(instance.value(), port, via, done);
    });
}

OsUser::Choice TransportChooser::osUserFor(const Instance& instance) const
{
    return OsUser::choose(instance, m_osUser, m_prefs.osUser(instance.id), m_prefs.defaultOsUser());
}

void TransportChooser::chooseFor(const Instance& instance, quint16 port, Via via, Callback<Choice> done)
{
    if (via == Via::Auto) {
        // A transport the person set for this instance replaces the automatic choice.
        const auto preferred = parseVia(m_prefs.via(instance.id));
        if (preferred && preferred.value() != Via::Auto) {
            via = preferred.value();
            qCDebug(lcConnect) << "transport for" << instance.id
                               << "set in the preferences:" << m_prefs.via(instance.id);
        }
    }
    if (via == Via::Direct) {
        done(useDirect(instance, port, QStringLiteral("--via direct")));
        return;
    }
    useEice(instance, port, via, done);
}

void TransportChooser::useEice(const Instance& instance, quint16 port, Via via, Callback<Choice> done)
{
    m_ec2 = std::make_unique<Ec2Client>(m_session);
    EiceEndpointFinder finder(*m_ec2);
    finder.find(instance, {}, this, [this, instance, port, via, done](Result<EiceTarget> found) {
        if (!found) {
            if (via == Via::Eice) {
                done(found.error());
                return;
            }
            auto direct =
                useDirect(instance, port,
                          QStringLiteral("no usable EC2 Instance Connect Endpoint: %1").arg(found.error().message));
            if (!direct) {
                Error e = direct.error();
                e.message = QStringLiteral("No way to reach %1: it has no usable EC2 Instance Connect Endpoint (%2) "
                                           "and no IP address")
                                .arg(instance.id, found.error().message);
                e.hint = QStringLiteral("Create an EC2 Instance Connect Endpoint in its VPC (%1), or give it a "
                                        "public IP address")
                             .arg(instance.vpcId.isEmpty() ? QStringLiteral("unknown") : instance.vpcId);
                done(e);
                return;
            }
            done(direct);
            return;
        }
        EiceTarget target = found.value();
        target.maxTunnelDurationSecs = m_maxTunnelDuration;
        if (!eicePort(port)) {
            target.remotePort = 22;
            done(sshForward(instance, target, port,
                            QStringLiteral("port %1 is not one EC2 Instance Connect Endpoint allows (22, 3389): "
                                           "carried by ssh -L through endpoint %2 to port 22")
                                .arg(port)
                                .arg(target.endpointId)));
            return;
        }
        target.remotePort = port;
        Choice choice;
        choice.instance = instance;
        choice.transport = new EiceTransport(target, m_session.http(), m_session.credentials(),
                                             m_slots.slotsFor(target.endpointId), this);
        choice.label = choice.transport->describe();
        choice.reason = via == Via::Eice ? QStringLiteral("--via eice")
                                         : QStringLiteral("VPC %1 has endpoint %2 and port %3 is allowed")
                                               .arg(instance.vpcId, target.endpointId)
                                               .arg(port);
        done(choice);
    });
}

TransportChooser::Choice TransportChooser::sshForward(const Instance& instance, const EiceTarget& port22, quint16 port,
                                                      const QString& reason)
{
    auto* eice =
        new EiceTransport(port22, m_session.http(), m_session.credentials(), m_slots.slotsFor(port22.endpointId), this);
    SshForwardSetup setup;
    setup.instance = instance;
    setup.remotePort = port;
    const OsUser::Choice user = osUserFor(instance);
    setup.osUser = user.user;
    setup.port22 = eice;
    setup.session = &m_session;
    setup.env = m_env;
    Choice choice;
    choice.instance = instance;
    choice.transport = new SshForwardTransport(setup, this);
    choice.label = choice.transport->describe();
    choice.reason = QStringLiteral("%1; OS user %2 (%3)").arg(reason, user.user, user.reason);
    return choice;
}

Result<TransportChooser::Choice> TransportChooser::useDirect(const Instance& instance, quint16 port, const QString& why)
{
    auto address = DirectTransport::defaultAddress(instance);
    if (!address)
        return address.error();
    DirectTarget target;
    target.instanceId = instance.id;
    target.address = address.value();
    target.port = port;
    auto* transport = new DirectTransport(target, this);
    if (!m_directMap.isEmpty()) {
        auto map = DirectTransport::parseAddressMap(m_directMap);
        if (!map) {
            delete transport;
            return map.error();
        }
        transport->setAddressMap(map.value());
    }
    Choice choice;
    choice.instance = instance;
    choice.transport = transport;
    choice.label = QStringLiteral("direct TCP to %1").arg(transport->describe());
    const QString kind = address.value() == instance.publicIp ? QStringLiteral("public") : QStringLiteral("private");
    choice.reason = QStringLiteral("%1; the instance has the %2 address %3").arg(why, kind, address.value());
    return choice;
}

} // namespace bl
