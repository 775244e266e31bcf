#pragma once
// Waits for one asynchronous answer (QTest::qWaitFor spins the test's own loop) and checks it did not come
// synchronously, as the SecretStore contract demands.

#include "core/util/Result.h"

#include <QObject>
#include <QTest>

#include <optional>

namespace secretstest {

template<typename T, typename Start>
std::optional<bl::Result<T>> wait(Start start, int timeoutMs = 10000)
{
    QObject context;
    std::optional<bl::Result<T>> out;
    start(&context, [&out](bl::Result<T> r) { out = std::move(r); });
    if (out) {
        qWarning("answered synchronously");
        return std::nullopt;
    }
    (void)QTest::qWaitFor([&] { return out.has_value(); }, timeoutMs);
    return out;
}

} // namespace secretstest
