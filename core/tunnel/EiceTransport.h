#pragma once
// EiceTransport: tunnels to one (instance, port) through an EC2 Instance Connect Endpoint. Every stream is its
// own WebSocket with a freshly presigned URL (EiceStream); all streams through the same endpoint share one
// ConnectionSlots (at most 20 at a time; the next one waits). TLS uses the same trust store as every other AWS
// connection (AWS_CA_BUNDLE / ca_bundle), and HTTPS_PROXY / NO_PROXY apply as for API calls.

#include "core/tunnel/EiceStream.h"
#include "core/tunnel/TunnelTransport.h"

namespace bl {

class EiceTransport : public TunnelTransport
{
    Q_OBJECT

public:
    // http and credentials must outlive the transport and its streams; slots usually come from a
    // ConnectionSlotRegistry (ConnectionSlotRegistry::slotsFor(target.endpointId)).
    EiceTransport(EiceTarget target, AwsHttpClient& http, CredentialsProvider& credentials,
                  std::shared_ptr<ConnectionSlots> slots, QObject* parent = nullptr);
    ~EiceTransport() override;

    void setOptions(const EiceStreamOptions& options) { m_setup.options = options; }
    const EiceStreamOptions& options() const { return m_setup.options; }
    const EiceTarget& target() const { return m_setup.target; }
    std::shared_ptr<ConnectionSlots> connectionSlots() const { return m_setup.slots; }

    ByteStream* openStream(QObject* parent) override;
    QString describe() const override;

private:
    EiceStreamSetup m_setup;
};

} // namespace bl
