#include "core/secrets/SecretsLog.h"

Q_LOGGING_CATEGORY(lcSecrets, "bastionless.secrets", QtWarningMsg)
