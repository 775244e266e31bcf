#include "core/util/Result.h"

namespace bl {

QString errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Internal:
        return QStringLiteral("internal error");
    case ErrorKind::Usage:
        return QStringLiteral("usage error");
    case ErrorKind::Config:
        return QStringLiteral("configuration error");
    case ErrorKind::Credentials:
        return QStringLiteral("credentials error");
    case ErrorKind::NotFound:
        return QStringLiteral("not found");
    case ErrorKind::Service:
        return QStringLiteral("AWS error");
    case ErrorKind::Network:
        return QStringLiteral("network error");
    case ErrorKind::Timeout:
        return QStringLiteral("timeout");
    case ErrorKind::Parse:
        return QStringLiteral("unexpected response");
    case ErrorKind::Io:
        return QStringLiteral("I/O error");
    case ErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("error");
}

QString Error::summary() const
{
    QString s = message;
    QStringList extra;
    if (!awsCode.isEmpty() && !message.contains(awsCode))
        extra << awsCode;
    if (!requestId.isEmpty())
        extra << QStringLiteral("request id %1").arg(requestId);
    if (!extra.isEmpty())
        s += QStringLiteral(" [%1]").arg(extra.join(QStringLiteral(", ")));
    return s;
}

QString Error::toString() const
{
    QString s = summary();
    if (!hint.isEmpty())
        s += QStringLiteral("\nHint: ") + hint;
    return s;
}

} // namespace bl
