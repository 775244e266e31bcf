#pragma once
// Delivering an asynchronous result from the event loop (Result.h: never synchronously from inside the
// call that started the operation), dropped when the context object is gone.

#include "core/util/Result.h"

#include <QObject>
#include <QTimer>

namespace bl {

template<typename T>
void postResult(QObject* context, Callback<T> done, Result<T> result)
{
    QTimer::singleShot(0, context,
                       [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
}

} // namespace bl
