#pragma once
// SSM calls over an AwsSession: which instances are managed by Systems Manager, online, and with which agent
// version (the inventory and the connection doctor), and the Session Manager control plane (StartSession,
// ResumeSession, TerminateSession) that SSM tunnels use. Errors carry hints naming the instance, document or
// IAM action.

#include "core/aws/api/AwsSession.h"
#include "core/aws/api/SsmProtocol.h"
#include "core/aws/api/Types.h"

namespace bl {

class SsmClient
{
public:
    explicit SsmClient(AwsSession& session);

    // Every page, 50 per page. instanceIds (any number; sent in groups of 50) and filters combine with AND.
    // An instance missing from the answer is not managed by SSM (or not in this region/account).
    void describeInstanceInformation(const QString& region, const QStringList& instanceIds,
                                     const QList<SsmFilter>& filters, QObject* context,
                                     Callback<QList<InstanceInformation>> done);

    // region empty = the session's default region. reason: optional (cut to 256 characters).
    void startSession(const QString& region, const QString& target, const QString& documentName,
                      const SsmSessionParameters& parameters, const QString& reason, QObject* context,
                      Callback<SsmSessionTicket> done);
    // A ticket with an empty tokenValue means the session cannot be resumed any more.
    void resumeSession(const QString& region, const QString& sessionId, QObject* context,
                       Callback<SsmSessionTicket> done);
    // Idempotent: a session that no longer exists counts as terminated (the callback gets its id).
    void terminateSession(const QString& region, const QString& sessionId, QObject* context, Callback<QString> done);

    AwsSession& session() const { return m_session; }

private:
    AwsSession& m_session;
};

} // namespace bl
