#include "core/util/Log.h"

Q_LOGGING_CATEGORY(lcAws, "bastionless.aws", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAwsHttp, "bastionless.aws.http", QtWarningMsg)
Q_LOGGING_CATEGORY(lcCreds, "bastionless.credentials", QtWarningMsg)
Q_LOGGING_CATEGORY(lcKeys, "bastionless.keys", QtWarningMsg)
Q_LOGGING_CATEGORY(lcTunnel, "bastionless.tunnel", QtWarningMsg)
Q_LOGGING_CATEGORY(lcLaunch, "bastionless.launch", QtWarningMsg)
Q_LOGGING_CATEGORY(lcConnect, "bastionless.connect", QtWarningMsg)
