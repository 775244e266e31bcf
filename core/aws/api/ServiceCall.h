#pragma once
// One AWS call whose answer is parsed into a value type: the common path of every non-paginated client
// method. A parse failure keeps the request id so a person can quote it.

#include "core/aws/api/AwsSession.h"

#include <functional>

namespace bl {

class ServiceCall
{
public:
    template<typename T>
    static void run(AwsSession& session, const QString& serviceId, const QString& region, const AwsRequest& request,
                    std::function<Result<T>(const QByteArray&)> parse, QObject* context, Callback<T> done)
    {
        session.call(serviceId, region, request, context,
                     [parse = std::move(parse), done = std::move(done)](Result<AwsResponse> response) {
                         if (!response) {
                             done(response.error());
                             return;
                         }
                         Result<T> parsed = parse(response->body);
                         if (!parsed) {
                             Error e = parsed.error();
                             e.requestId = response->requestId;
                             done(e);
                             return;
                         }
                         done(std::move(parsed));
                     });
    }
};

} // namespace bl
