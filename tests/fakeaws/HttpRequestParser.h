#pragma once
// HTTP/1.1 request framing as a pure function of the bytes received so far: request line, headers and a
// Content-Length body, with limits so that a broken or hostile client gets a 4xx instead of eating memory.
// Kept apart from the socket so it can be tested byte by byte.

#include "FakeHttp.h"

namespace fakeaws {

struct HttpLimits
{
    qsizetype maxHeaderBytes = 64 * 1024;
    int maxHeaderCount = 128;
    qsizetype maxBodyBytes = 32 * 1024 * 1024;
    int headerTimeoutMs = 30'000; // a started request must be complete by then
    int idleTimeoutMs = 120'000; // keep-alive connections without traffic are closed
    int maxConnections = 2000;
};

class HttpRequestParser
{
public:
    enum class Status { Incomplete, Complete, Error };

    struct Result
    {
        Status status = Status::Incomplete;
        HttpRequest request; // when Complete
        qsizetype consumed = 0; // bytes of the buffer this request occupies (when Complete)
        qsizetype headBytes = 0; // bytes of request line + headers + blank line, once known
        bool keepAlive = true; // HTTP/1.1 default, "Connection: close" / HTTP/1.0 rules applied
        bool expectContinue = false; // "Expect: 100-continue" seen (answer before the body arrives)
        bool upgrade = false; // "Upgrade" header present and "Connection" lists "upgrade"
        int errorStatus = 0; // when Error: 400, 413, 431, 501, 505
        QByteArray errorMessage;
    };

    static Result parse(const QByteArray& buffer, const HttpLimits& limits);
};

} // namespace fakeaws
