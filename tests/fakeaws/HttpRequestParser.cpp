#include "HttpRequestParser.h"

#include "core/aws/base/SigV4.h"

namespace fakeaws {

namespace {

using Result = HttpRequestParser::Result;

Result fail(int status, const char* message)
{
    Result r;
    r.status = HttpRequestParser::Status::Error;
    r.errorStatus = status;
    r.errorMessage = QByteArray(message);
    return r;
}

bool isToken(const QByteArray& s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

bool listContains(const QByteArray& commaList, const QByteArray& token)
{
    for (const QByteArray& item : commaList.split(',')) {
        if (item.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

HttpRequestParser::Result HttpRequestParser::parse(const QByteArray& buffer, const HttpLimits& limits)
{
    // Tolerate stray CRLFs between keep-alive requests (RFC 9112 §2.2).
    qsizetype start = 0;
    while (start + 1 < buffer.size() && buffer.at(start) == '\r' && buffer.at(start + 1) == '\n')
        start += 2;

    const qsizetype headEnd = buffer.indexOf("\r\n\r\n", start);
    if (headEnd < 0) {
        if (buffer.size() - start > limits.maxHeaderBytes)
            return fail(431, "Request header fields too large");
        return {};
    }
    if (headEnd - start > limits.maxHeaderBytes)
        return fail(431, "Request header fields too large");

    const QList<QByteArray> lines = buffer.mid(start, headEnd - start).split('\n');
    const QList<QByteArray> requestLine = lines.first().chopped(lines.first().endsWith('\r') ? 1 : 0).split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine.at(0)) || requestLine.at(1).isEmpty())
        return fail(400, "Malformed request line");
    const QByteArray& version = requestLine.at(2);
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return fail(version.startsWith("HTTP/") ? 505 : 400, "Unsupported HTTP version");
    if (!requestLine.at(1).startsWith('/'))
        return fail(400, "Only origin-form request targets are supported");
    if (lines.size() - 1 > limits.maxHeaderCount)
        return fail(431, "Too many header fields");

    Result r;
    HttpRequest& req = r.request;
    req.method = requestLine.at(0);
    req.target = requestLine.at(1);
    const qsizetype q = req.target.indexOf('?');
    req.path = q < 0 ? req.target : req.target.left(q);
    if (q >= 0)
        req.query = bl::sigv4::parseQueryString(req.target.mid(q + 1));

    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.startsWith(' ') || line.startsWith('\t'))
            return fail(400, "Obsolete header line folding is not accepted");
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.left(colon)))
            return fail(400, "Malformed header field");
        req.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }

    if (!req.header("Transfer-Encoding").isEmpty())
        return fail(501, "Transfer-Encoding is not supported; send a Content-Length");

    qint64 length = 0;
    bool haveLength = false;
    for (const auto& h : req.headers) {
        if (h.first.compare("Content-Length", Qt::CaseInsensitive) != 0)
            continue;
        bool ok = false;
        const qint64 value = h.second.toLongLong(&ok);
        if (!ok || value < 0 || h.second.isEmpty() || h.second.at(0) == '+')
            return fail(400, "Invalid Content-Length");
        if (haveLength && value != length)
            return fail(400, "Conflicting Content-Length headers");
        length = value;
        haveLength = true;
    }
    if (length > limits.maxBodyBytes)
        return fail(413, "Request body too large");

    const QByteArray connection = req.header("Connection");
    r.keepAlive = version == "HTTP/1.1" ? !listContains(connection, "close") : listContains(connection, "keep-alive");
    r.expectContinue = req.header("Expect").compare("100-continue", Qt::CaseInsensitive) == 0;
    r.upgrade = !req.header("Upgrade").isEmpty() && listContains(connection, "upgrade");
    r.headBytes = headEnd + 4;

    if (buffer.size() - r.headBytes < length) {
        Result incomplete;
        incomplete.headBytes = r.headBytes;
        incomplete.expectContinue = r.expectContinue;
        return incomplete;
    }
    req.body = buffer.mid(r.headBytes, length);
    r.consumed = r.headBytes + length;
    r.status = Status::Complete;
    return r;
}

} // namespace fakeaws
