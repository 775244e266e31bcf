#pragma once
// The logging category of the SSM module (bastionless.ssm): data channel, smux, sessions. Session tokens, stream
// URLs' signatures and payload bytes are never logged.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcSsm)
