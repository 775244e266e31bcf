#pragma once
// The logging category of core/inventory (core/util/Log.h is a shared contract, so the module declares its own).

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcInventory)
