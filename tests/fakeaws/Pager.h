#pragma once
// Cuts a result list into pages the way AWS does, including the awkward-but-legal parts the fleet's paging
// knobs turn on (pages capped below MaxResults, empty pages that still carry a token). Tokens are opaque
// to clients but name the operation and region they belong to, so a token from elsewhere is rejected.

#include "FleetTypes.h"

#include <optional>

namespace fakeaws {

class Pager
{
public:
    struct Page
    {
        qsizetype begin = 0; // [begin, end) of the full result list
        qsizetype end = 0;
        QByteArray nextToken; // empty on the last page
    };

    // scope: e.g. "DescribeInstances/us-east-1". maxResults <= 0: no limit asked for. nullopt when the
    // token is not one this scope handed out (or points past the end).
    static std::optional<Page> page(const QByteArray& scope, qsizetype total, int maxResults, const PagingKnobs& knobs,
                                    const QByteArray& token);
};

} // namespace fakeaws
