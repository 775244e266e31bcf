#pragma once
// WebSocketHandshake: the HTTP/1.1 upgrade of RFC 6455 §4 as pure functions. The request is written from
// the exact request-target bytes given (a presigned query must reach the server as it was signed), and the
// response head is parsed and checked (101, Upgrade, Connection, Sec-WebSocket-Accept, no extension or
// subprotocol we did not ask for).

#include "core/util/Result.h"

#include <QByteArray>
#include <QList>
#include <QPair>

#include <optional>

namespace bl {

struct HttpResponseHead
{
    int status = 0;
    QByteArray reasonPhrase;
    QList<QPair<QByteArray, QByteArray>> headers; // as received, values trimmed
    qsizetype size = 0; // bytes of the head including the blank line
    QByteArray header(const QByteArray& name) const; // case-insensitive; empty when absent
};

class WebSocketHandshake
{
public:
    static constexpr qsizetype MaxHeadSize = 16 * 1024;

    // base64 of 16 random bytes.
    static QByteArray makeKey(const QByteArray& sixteenRandomBytes);
    static QByteArray makeKey(); // from the system's random source
    // base64(SHA-1(key + RFC 6455 GUID)).
    static QByteArray acceptFor(const QByteArray& key);
    // "GET <requestTarget> HTTP/1.1" plus Host, Upgrade, Connection, Sec-WebSocket-Key, Sec-WebSocket-Version,
    // User-Agent (when not empty). requestTarget is used byte for byte.
    static QByteArray buildRequest(const QByteArray& requestTarget, const QByteArray& hostHeader, const QByteArray& key,
                                   const QByteArray& userAgent);
    // The Host header value for host:port: the port is left out when it is the scheme's default.
    static QByteArray hostHeader(const QByteArray& host, quint16 port, bool tls);

    // Parses the head at the start of buffer. nullopt while incomplete; an Error when malformed or longer
    // than MaxHeadSize.
    static std::optional<Result<HttpResponseHead>> parseResponseHead(const QByteArray& buffer);
    // Checks a 101 answer against the key we sent.
    static Result<void> validateUpgrade(const HttpResponseHead& head, const QByteArray& key);
};

} // namespace bl
