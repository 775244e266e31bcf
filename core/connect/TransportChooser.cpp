#include "core/connect/TransportChooser.h"

#include "core/aws/api/AwsSession.h"
#include "core/aws/api/Ec2Client.h"
#include "core/aws/api/InstanceInventory.h"
#include "core/aws/api/SsmClient.h"
#include "core/connect/OsUser.h"
#include "core/connect/SshForwardTransport.h"
#include "core/ssm/SsmTransport.h"
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
    if (text == QLatin1String("ssm"))
        return Via::Ssm;
    return Error::make(ErrorKind::Usage, QStringLiteral("unknown transport '%1'").arg(text),
                       QStringLiteral("Use --via eice, --via ssm, --via direct or --via auto (the default)"));
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
    if (via == Via::Ssm) {
        done(useSsm(instance, port, QStringLiteral("--via ssm")));
        return;
    }
    useEice(instance, port, via, done);
}

void TransportChooser::useEice(const Instance& instance, quint16 port, Via via, Callback<Choice> done)
{
    if (!m_remoteHost.isEmpty() && via == Via::Auto) {
        // Only Session Manager reaches a host other than the instance itself.
        done(useSsm(instance, port, QStringLiteral("--remote-host needs Session Manager")));
        return;
    }
    m_ec2 = std::make_unique<Ec2Client>(m_session);
    EiceEndpointFinder finder(*m_ec2);
    finder.find(instance, {}, this, [this, instance, port, via, done](Result<EiceTarget> found) {
        if (found && eicePort(port)) {
            EiceTarget target = found.value();
            target.maxTunnelDurationSecs = m_maxTunnelDuration;
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
            return;
        }
        const QString eiceWhy = found
            ? QStringLiteral("port %1 is not one EC2 Instance Connect Endpoint allows (22, 3389)").arg(port)
            : QStringLiteral("no usable EC2 Instance Connect Endpoint: %1").arg(found.error().message);
        if (via == Via::Eice) {
            if (!found) {
                done(found.error());
                return;
            }
            done(sshForward(instance, found.value(), port, eiceWhy));
            return;
        }
        // auto, and EICE cannot carry the port itself: Session Manager if the agent is online, else ssh -L through
        // the endpoint, else a direct connection.
        checkSsmAgent(instance, [this, instance, port, found, eiceWhy, done](const QString& agent, const QString& why) {
            if (!agent.isEmpty()) {
                done(useSsm(instance, port, QStringLiteral("%1; the SSM agent is online (%2)").arg(eiceWhy, agent)));
                return;
            }
            if (found) {
                done(sshForward(instance, found.value(), port, QStringLiteral("%1 and %2").arg(eiceWhy, why)));
                return;
            }
            auto direct = useDirect(instance, port, QStringLiteral("%1; %2").arg(eiceWhy, why));
            if (!direct) {
                Error e = direct.error();
                e.message = QStringLiteral("No way to reach %1: it has no usable EC2 Instance Connect Endpoint (%2), "
                                           "%3, and no IP address")
                                .arg(instance.id, found.error().message, why);
                e.hint = QStringLiteral("Create an EC2 Instance Connect Endpoint in its VPC (%1), or give the instance "
                                        "an instance profile that lets its SSM agent reach Systems Manager")
                             .arg(instance.vpcId.isEmpty() ? QStringLiteral("unknown") : instance.vpcId);
                done(e);
                return;
            }
            done(direct);
        });
    });
}

void TransportChooser::checkSsmAgent(const Instance& instance, std::function<void(QString, QString)> done)
{
    m_ssm = std::make_unique<SsmClient>(m_session);
    m_ssm->describeInstanceInformation(
        instance.region, {instance.id}, {}, this, [instance, done](Result<QList<InstanceInformation>> info) {
            if (!info) {
                done({}, QStringLiteral("Session Manager unknown (%1)").arg(info.error().message));
                return;
            }
            for (const InstanceInformation& i : info.value()) {
                if (i.instanceId != instance.id)
                    continue;
                if (i.isOnline())
                    done(QStringLiteral("agent %1").arg(i.agentVersion), {});
                else
                    done({}, QStringLiteral("its SSM agent is %1").arg(i.pingStatus));
                return;
            }
            done({}, QStringLiteral("it is not managed by Systems Manager"));
        });
}

TransportChooser::Choice TransportChooser::useSsm(const Instance& instance, quint16 port, const QString& reason)
{
    SsmTransportOptions options;
    options.remotePort = port;
    options.region = instance.region;
    if (!m_remoteHost.isEmpty()) {
        options.document = SsmTransportOptions::Document::PortForwardingToRemoteHost;
        options.remoteHost = m_remoteHost;
    }
    Choice choice;
    choice.instance = instance;
    choice.transport = new SsmTransport(m_session, instance.id, options, this);
    choice.label = choice.transport->describe();
    choice.reason = reason;
    return choice;
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
    choice.reason = QStringLiteral("%1: carried by ssh -L through endpoint %2 to port 22; OS user %3 (%4)")
                        .arg(reason, port22.endpointId, user.user, user.reason);
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
