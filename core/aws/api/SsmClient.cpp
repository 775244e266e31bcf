#include "core/aws/api/SsmClient.h"

#include "core/aws/api/Paginator.h"
#include "core/aws/api/ServiceCall.h"
#include "core/aws/api/SsmProtocol.h"

#include <QTimer>

namespace bl {

namespace {

struct Batches
{
    QList<QList<SsmFilter>> filterSets; // one request series per set
    qsizetype next = 0;
    QList<InstanceInformation> items;
};

void runBatch(AwsSession& session, const QString& region, std::shared_ptr<Batches> batches, QObject* context,
              Callback<QList<InstanceInformation>> done)
{
    const QList<SsmFilter> filters = batches->filterSets.at(batches->next++);
    Paginator<InstanceInformation>::run(
        session, QStringLiteral("ssm"), region,
        [filters](const QString& token) {
            return SsmProtocol::describeInstanceInformation(filters, SsmProtocol::describeInstanceInformationPageSize,
                                                            token);
        },
        &SsmProtocol::parseDescribeInstanceInformation, context,
        [&session, region, batches, context, done](Result<QList<InstanceInformation>> result) {
            if (!result) {
                done(result.error());
                return;
            }
            batches->items.append(std::move(*result));
            if (batches->next < batches->filterSets.size())
                runBatch(session, region, batches, context, done);
            else
                done(std::move(batches->items));
        });
}

} // namespace

SsmClient::SsmClient(AwsSession& session)
    : m_session(session)
{ }

void SsmClient::describeInstanceInformation(const QString& region, const QStringList& instanceIds,
                                            const QList<SsmFilter>& filters, QObject* context,
                                            Callback<QList<InstanceInformation>> done)
{
    auto batches = std::make_shared<Batches>();
    if (instanceIds.isEmpty()) {
        batches->filterSets.append(filters);
    } else {
        for (qsizetype i = 0; i < instanceIds.size(); i += SsmProtocol::maxFilterValues) {
            QList<SsmFilter> set {{QStringLiteral("InstanceIds"), instanceIds.mid(i, SsmProtocol::maxFilterValues)}};
            set.append(filters);
            batches->filterSets.append(set);
        }
    }
    runBatch(m_session, region, batches, context, std::move(done));
}

void SsmClient::startSession(const QString& region, const QString& target, const QString& documentName,
                             const SsmSessionParameters& parameters, const QString& reason, QObject* context,
                             Callback<SsmSessionTicket> done)
{
    if (target.isEmpty()) {
        QTimer::singleShot(0, context, [done] {
            done(Error::make(ErrorKind::Usage, QStringLiteral("No instance given for the Session Manager session")));
        });
        return;
    }
    ServiceCall::run<SsmSessionTicket>(
        m_session, QStringLiteral("ssm"), region, SsmProtocol::startSession(target, documentName, parameters, reason),
        &SsmProtocol::parseStartSession, context,
        [target, documentName, done = std::move(done)](Result<SsmSessionTicket> r) {
            if (!r) {
                done(SsmProtocol::explainSessionError(r.error(), QStringLiteral("StartSession"), target, documentName));
                return;
            }
            done(std::move(r));
        });
}

void SsmClient::resumeSession(const QString& region, const QString& sessionId, QObject* context,
                              Callback<SsmSessionTicket> done)
{
    ServiceCall::run<SsmSessionTicket>(
        m_session, QStringLiteral("ssm"), region, SsmProtocol::resumeSession(sessionId),
        &SsmProtocol::parseResumeSession, context, [sessionId, done = std::move(done)](Result<SsmSessionTicket> r) {
            if (!r) {
                done(SsmProtocol::explainSessionError(r.error(), QStringLiteral("ResumeSession"), {}, {}, sessionId));
                return;
            }
            done(std::move(r));
        });
}

void SsmClient::terminateSession(const QString& region, const QString& sessionId, QObject* context,
                                 Callback<QString> done)
{
    ServiceCall::run<QString>(m_session, QStringLiteral("ssm"), region, SsmProtocol::terminateSession(sessionId),
                              &SsmProtocol::parseTerminateSession, context,
                              [sessionId, done = std::move(done)](Result<QString> r) {
                                  if (!r && r.error().awsCode == QLatin1String("DoesNotExistException")) {
                                      done(sessionId); // already over: what terminating wants
                                      return;
                                  }
                                  if (!r) {
                                      done(SsmProtocol::explainSessionError(
                                          r.error(), QStringLiteral("TerminateSession"), {}, {}, sessionId));
                                      return;
                                  }
                                  done(r->isEmpty() ? sessionId : *r);
                              });
}

} // namespace bl
