#pragma once
// The HTTP half of a WebSocket connection (RFC 6455 §4.2) for fakeaws's own WebSocket endpoints: checks that
// an upgrade request is a well-formed version-13 handshake, builds the 101 answer with whatever extra headers
// the service sends (EICE: x-amzn-RequestId), and finds where the request head ends in the socket's bytes.

#include "FakeHttp.h"

#include <optional>

namespace fakeaws {

class WebSocketServerHandshake
{
public:
    // nullopt when the request is an acceptable WebSocket upgrade, else the HTTP answer refusing it
    // (400, or 426 with Sec-WebSocket-Version: 13 for another protocol version).
    static std::optional<HttpResponse> check(const HttpRequest& request);
    // base64(SHA-1(key + the RFC's GUID)).
    static QByteArray acceptKey(const QByteArray& clientKey);
    // The complete "HTTP/1.1 101 Switching Protocols" head for this request.
    static QByteArray switchingProtocols(const HttpRequest& request, const QDateTime& now, const Headers& extra = {});
    // Bytes the request head occupies at the start of `buffer` (leading stray CRLFs included); -1 when
    // the head is not complete in it.
    static qsizetype headLength(const QByteArray& buffer);
};

} // namespace fakeaws
