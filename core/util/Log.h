#pragma once
// One logging category per module. Never log secrets, tokens, signatures or private keys.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcAws)
Q_DECLARE_LOGGING_CATEGORY(lcAwsHttp)
Q_DECLARE_LOGGING_CATEGORY(lcCreds)
Q_DECLARE_LOGGING_CATEGORY(lcKeys)
Q_DECLARE_LOGGING_CATEGORY(lcTunnel)
Q_DECLARE_LOGGING_CATEGORY(lcLaunch)
Q_DECLARE_LOGGING_CATEGORY(lcConnect)
