#include "core/ssm/SsmLog.h"

Q_LOGGING_CATEGORY(lcSsm, "bastionless.ssm", QtWarningMsg)
