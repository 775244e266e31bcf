#pragma once
// The SSM control plane (PROTOCOLS.md §6.1), JSON 1.1 with X-Amz-Target AmazonSSM.<Operation>.
// DescribeInstanceInformation is answered from the fleet's SSM agents. The Session Manager operations
// (StartSession, ResumeSession, TerminateSession) are extension points: the data-channel emulator registers
// them with setOperation(); StartSession's target is checked here first, the way the service does.

#include "FakeHttp.h"
#include "Fleet.h"

#include <QHash>
#include <QJsonObject>

#include <functional>
#include <optional>

namespace fakeaws {

class SsmService : public ServiceHandler
{
public:
    using Operation = std::function<HttpResponse(const QJsonObject& body, const CallContext& context)>;

    explicit SsmService(Fleet& fleet);
    HttpResponse handle(const HttpRequest& request, const CallContext& context) override;

    // Handles AmazonSSM.<name> (replacing any earlier registration). Meant for StartSession, ResumeSession and
    // TerminateSession; those answer InternalServerError until registered.
    void setOperation(const QString& name, Operation operation) { m_operations.insert(name, std::move(operation)); }

    // TargetNotConnected unless the instance exists in the call's region, runs and its agent is Online.
    std::optional<HttpResponse> checkSessionTarget(const QString& target, const CallContext& context) const;
    // The status DescribeInstanceInformation reports: an agent on a stopped instance has lost its connection.
    static QString effectivePingStatus(const Instance& instance);

private:
    HttpResponse describeInstanceInformation(const QJsonObject& body, const CallContext& context);

    Fleet& m_fleet;
    QHash<QString, Operation> m_operations;
};

} // namespace fakeaws
