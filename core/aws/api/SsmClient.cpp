#include "core/aws/api/SsmClient.h"

#include "core/aws/api/Paginator.h"
#include "core/aws/api/SsmProtocol.h"

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

} // namespace bl
