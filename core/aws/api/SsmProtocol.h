#pragma once
// The SSM JSON 1.1 calls the app needs, without I/O (PROTOCOLS.md §6.1): DescribeInstanceInformation — is an
// instance managed, online, and which agent version does it run — and the Session Manager control plane:
// StartSession, ResumeSession, TerminateSession, with hints for the errors a person can fix.

#include "core/aws/api/Types.h"
#include "core/aws/http/AwsHttpClient.h"
#include "core/util/Result.h"

#include <QMap>

namespace bl {

// What StartSession and ResumeSession answer: the data-channel WebSocket URL and its short-lived token.
// ResumeSession's tokenValue is empty when the session can no longer be resumed; its streamUrl may be empty
// (keep the previous one).
struct SsmSessionTicket
{
    QString sessionId;
    QString tokenValue; // a credential: never log it
    QString streamUrl; // opaque; use verbatim
};

// StartSession's Parameters: every value is a list of strings ({"portNumber": ["22"]}).
using SsmSessionParameters = QMap<QString, QStringList>;

class SsmProtocol
{
public:
    static constexpr int describeInstanceInformationPageSize = 50; // SSM accepts 5..50
    static constexpr int maxFilterValues = 50; // SSM allows 100; stay well below

    static AwsRequest describeInstanceInformation(const QList<SsmFilter>& filters, int maxResults,
                                                  const QString& nextToken = {});
    static Result<Page<InstanceInformation>> parseDescribeInstanceInformation(const QByteArray& body);

    static constexpr int maxReasonLength = 256;
    // reason: optional, 1..256 characters (longer is cut). Parameters are written in key order.
    static AwsRequest startSession(const QString& target, const QString& documentName,
                                   const SsmSessionParameters& parameters, const QString& reason = {});
    static Result<SsmSessionTicket> parseStartSession(const QByteArray& body);
    static AwsRequest resumeSession(const QString& sessionId);
    // A null or absent TokenValue is not an error here (tokenValue stays empty): the caller ends the session.
    static Result<SsmSessionTicket> parseResumeSession(const QByteArray& body);
    static AwsRequest terminateSession(const QString& sessionId);
    // The SessionId the service confirms (may be empty).
    static Result<QString> parseTerminateSession(const QByteArray& body);

    // Rewrites the message and hint of a StartSession / ResumeSession / TerminateSession error so that it names
    // the instance, the document or the session and says what to do (TargetNotConnected, AccessDenied,
    // DoesNotExist, InvalidDocument, ValidationException). Other errors are returned unchanged.
    static Error explainSessionError(const Error& error, const QString& operation, const QString& target = {},
                                     const QString& documentName = {}, const QString& sessionId = {});
};

} // namespace bl
