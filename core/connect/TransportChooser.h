#pragma once
// TransportChooser: resolves an instance (id or Name tag) and picks how to reach (instance, port), for the CLI's
// tunnel, proxy and ssh commands and for the desktop app. "auto" takes EC2 Instance Connect Endpoint when the
// instance's VPC has a usable endpoint and the port is one EICE allows (22, 3389), else plain TCP to the instance's
// public or private address; SSM joins this choice in a later issue. The reason for the choice is kept for `-v`.

#include "core/aws/api/Types.h"
#include "core/tunnel/ConnectionSlotRegistry.h"
#include "core/util/Result.h"

#include <QObject>

#include <functional>
#include <memory>

namespace bl {

class AwsSession;
class Ec2Client;
class InstanceInventory;
class TunnelTransport;

class TransportChooser : public QObject
{
    Q_OBJECT
public:
    enum class Via { Auto, Eice, Direct };

    struct Choice
    {
        Instance instance;
        TunnelTransport* transport = nullptr; // a child of the chooser
        QString label; // which transport, for people: "direct TCP to 10.0.1.5 port 22 (i-...)"
        QString reason; // why it was chosen, for `-v`
    };

    // session must outlive the chooser. regions: where a Name is looked up (empty: every enabled region).
    TransportChooser(AwsSession& session, QStringList regions, QObject* parent = nullptr);
    ~TransportChooser() override;

    // "auto", "eice" or "direct"; anything else is a usage error.
    static Result<Via> parseVia(const QString& text);
    // Whether EICE accepts this remote port at all.
    static bool eicePort(quint16 port) { return port == 22 || port == 3389; }

    // Resolves target (id or Name tag), then chooses. resolved (optional) runs as soon as the instance is known,
    // so that a caller can start other work concurrently; done runs once, from the event loop.
    void choose(const QString& target, quint16 port, Via via, Callback<Choice> done,
                std::function<void(const Instance&)> resolved = {});
    // Chooses for an instance already known (the desktop app's inventory).
    void chooseFor(const Instance& instance, quint16 port, Via via, Callback<Choice> done);

    // BASTIONLESS_DIRECT_MAP (DirectTransport::AddressMapVariable): tests send direct TCP to local stand-ins.
    void setDirectAddressMap(const QString& spec) { m_directMap = spec; }

private:
    void useEice(const Instance& instance, quint16 port, Via via, Callback<Choice> done);
    Result<Choice> useDirect(const Instance& instance, quint16 port, const QString& why);

    AwsSession& m_session;
    QStringList m_regions;
    QString m_directMap;
    InstanceInventory* m_inventory = nullptr;
    std::unique_ptr<Ec2Client> m_ec2;
    ConnectionSlotRegistry m_slots;
};

} // namespace bl
