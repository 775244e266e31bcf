#pragma once
// resultText(): the error of a Result as text for QVERIFY2, which builds its message even when the check
// passes, so it must not touch error() of a successful Result.

#include "core/util/Result.h"

#include <QByteArray>

template<typename T>
QByteArray resultText(const bl::Result<T>& result)
{
    return result.ok() ? QByteArray("ok") : result.error().toString().toUtf8();
}
