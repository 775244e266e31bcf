#include "core/inventory/InventoryLog.h"

Q_LOGGING_CATEGORY(lcInventory, "bastionless.inventory", QtWarningMsg)
