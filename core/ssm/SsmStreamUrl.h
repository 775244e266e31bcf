#pragma once
// SsmStreamUrl: the data-channel WebSocket URL as StartSession/ResumeSession return it (PROTOCOLS.md §6.1, §6.2),
// kept byte for byte: parsed strictly, optionally pointed at another ssmmessages host (corporate networks reach
// the service through their own endpoint), and the SigV4 header signature of the upgrade request (service
// "ssmmessages", empty payload) unless the URL already carries query authentication. No I/O.

#include "core/aws/base/Credentials.h"
#include "core/util/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QProcessEnvironment>
#include <QUrl>

namespace bl {

class SsmStreamUrl
{
public:
    // host[:port] or wss://host[:port] that replaces the StreamUrl's host (and port).
    static constexpr char EndpointVariable[] = "BASTIONLESS_SSM_MESSAGES_ENDPOINT";
    static QString endpointOverrideFrom(const QProcessEnvironment& env);

    // The URL to open: wss:// (ws:// only for loopback hosts, which tests use), strictly parsed, the host
    // replaced by endpointOverride when one is given. Usage/Parse errors name the problem.
    static Result<QUrl> resolve(const QString& streamUrl, const QString& endpointOverride = {});

    // Whether the query already holds X-Amz-* query authentication (then the upgrade is not header-signed).
    static bool hasQueryAuth(const QUrl& url);
    // The Host header as a WebSocket client sends it: host, plus :port when not the scheme's default.
    static QByteArray hostHeader(const QUrl& url);
    // The request target (path?query) exactly as it goes on the wire.
    static QByteArray requestTarget(const QUrl& url);

    // Headers to add to the upgrade request: X-Amz-Date, X-Amz-Security-Token (with a session token) and
    // Authorization, for GET <url> signed with host and x-amz-date for (region, "ssmmessages"); nothing when
    // hasQueryAuth(url).
    static QList<QPair<QByteArray, QByteArray>> signUpgrade(const QUrl& url, const Credentials& credentials,
                                                            const QString& region, const QDateTime& utc);
};

} // namespace bl
