#pragma once
// Follows NextToken through every page of a paginated AWS call and hands back all items at once. Pages may
// be empty and still carry a token, so only an absent/empty token ends the loop. A token that repeats the
// one just sent would loop forever; that becomes an error instead, as does an absurd number of pages.

#include "core/aws/api/AwsSession.h"
#include "core/aws/api/Types.h"

#include <QPointer>

#include <functional>
#include <memory>

namespace bl {

template<typename T>
class Paginator
{
public:
    using MakeRequest = std::function<AwsRequest(const QString& nextToken)>;
    using Parse = std::function<Result<Page<T>>(const QByteArray& body)>;

    static constexpr int maxPages = 10000;

    // The callback runs once on the event loop, unless context is destroyed first.
    static void run(AwsSession& session, const QString& serviceId, const QString& region, MakeRequest make, Parse parse,
                    QObject* context, Callback<QList<T>> done)
    {
        auto state = std::make_shared<State>();
        state->session = &session;
        state->serviceId = serviceId;
        state->region = region;
        state->make = std::move(make);
        state->parse = std::move(parse);
        state->context = context;
        state->done = std::move(done);
        step(state, QString());
    }

private:
    struct State
    {
        QPointer<AwsSession> session;
        QString serviceId;
        QString region;
        MakeRequest make;
        Parse parse;
        QObject* context = nullptr;
        Callback<QList<T>> done;
        QList<T> items;
        int pages = 0;
    };

    static void step(const std::shared_ptr<State>& state, const QString& token)
    {
        const AwsRequest request = state->make(token);
        state->session->call(
            state->serviceId, state->region, request, state->context,
            [state, token, operation = request.operation](Result<AwsResponse> response) {
                if (!response) {
                    state->done(response.error());
                    return;
                }
                Result<Page<T>> page = state->parse(response->body);
                if (!page) {
                    Error e = page.error();
                    e.requestId = response->requestId;
                    state->done(e);
                    return;
                }
                state->items.append(std::move(page->items));
                ++state->pages;
                const QString next = page->nextToken;
                if (next.isEmpty()) {
                    state->done(std::move(state->items));
                    return;
                }
                if (next == token || state->pages >= maxPages) {
                    Error e = Error::make(
                        ErrorKind::Service,
                        QStringLiteral("%1 kept returning more pages (%2 so far, token %3)")
                            .arg(operation)
                            .arg(state->pages)
                            .arg(next == token ? QStringLiteral("repeated") : QStringLiteral("still present")),
                        QStringLiteral("This is a fault on the service side; retry later, or "
                                       "narrow the request with filters."));
                    e.requestId = response->requestId;
                    state->done(e);
                    return;
                }
                if (!state->session) {
                    state->done(
                        Error::make(ErrorKind::Cancelled,
                                    QStringLiteral("%1 was cancelled: the AWS session was closed").arg(operation)));
                    return;
                }
                step(state, next);
            });
    }
};

} // namespace bl
