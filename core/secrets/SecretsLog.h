#pragma once
// The logging category of the secrets module (bastionless.secrets). Keys may be logged; secrets never.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcSecrets)
