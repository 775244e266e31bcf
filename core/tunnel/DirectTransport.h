#pragma once
// DirectTransport: tunnels over plain TCP to an address of the instance itself — its public IP, or its private
// IP when this computer reaches the VPC (VPN, Direct Connect). For tests and demos, an address map
// (BASTIONLESS_DIRECT_MAP="10.0.1.23:22=127.0.0.1:2222,...") sends a given address and port elsewhere.

#include "core/aws/api/Types.h"
#include "core/tunnel/TunnelTransport.h"
#include "core/util/Result.h"

#include <QHash>

namespace bl {

struct DirectTarget
{
    QString instanceId; // for messages
    QString address; // IPv4, IPv6 or a name
    quint16 port = 22;
    int connectTimeoutMs = 10000;
};

class DirectTransport : public TunnelTransport
{
    Q_OBJECT

public:
    static constexpr const char* AddressMapVariable = "BASTIONLESS_DIRECT_MAP";

    explicit DirectTransport(DirectTarget target, QObject* parent = nullptr);

    // The public IPv4 when the instance has one, else the private IPv4, else the IPv6 address; a NotFound error
    // when it has none.
    static Result<QString> defaultAddress(const Instance& instance);
    // Parses "addr:port=host:port[,...]" ("[v6]:port" for IPv6) into a map "addr:port" -> (host, port).
    static Result<QHash<QString, QPair<QString, quint16>>> parseAddressMap(const QString& spec);
    void setAddressMap(QHash<QString, QPair<QString, quint16>> map) { m_map = std::move(map); }
    void setHighWater(qint64 bytes) { m_highWater = bytes; }

    ByteStream* openStream(QObject* parent) override;
    QString describe() const override;
    const DirectTarget& target() const { return m_target; }

private:
    DirectTarget m_target;
    QHash<QString, QPair<QString, quint16>> m_map;
    qint64 m_highWater;
};

} // namespace bl
