#include "WebSocketServerHandshake.h"

#include "HttpConnection.h"

#include <QCryptographicHash>

namespace fakeaws {

namespace {

bool listContains(const QByteArray& commaList, const QByteArray& token)
{
    for (const QByteArray& item : commaList.split(',')) {
        if (item.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

HttpResponse refusal(int status, const QByteArray& message)
{
    HttpResponse r;
    r.status = status;
    r.contentType = QByteArrayLiteral("text/plain; charset=utf-8");
    r.body = message + '\n';
    return r;
}

} // namespace

std::optional<HttpResponse> WebSocketServerHandshake::check(const HttpRequest& request)
{
    if (request.method != "GET")
        return refusal(405, "A WebSocket handshake must be a GET request.");
    if (!listContains(request.header("Upgrade"), "websocket") || !listContains(request.header("Connection"), "upgrade"))
        return refusal(400, "Expected \"Upgrade: websocket\" and \"Connection: Upgrade\".");
    if (request.header("Sec-WebSocket-Version").trimmed() != "13") {
        HttpResponse r = refusal(426, "Only WebSocket protocol version 13 is supported.");
        r.headers.append({QByteArrayLiteral("Sec-WebSocket-Version"), QByteArrayLiteral("13")});
        return r;
    }
    const QByteArray key = request.header("Sec-WebSocket-Key").trimmed();
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16)
        return refusal(400, "Sec-WebSocket-Key must be 16 bytes in base64.");
    return std::nullopt;
}

QByteArray WebSocketServerHandshake::acceptKey(const QByteArray& clientKey)
{
    return QCryptographicHash::hash(clientKey.trimmed() + QByteArrayLiteral("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                    QCryptographicHash::Sha1)
        .toBase64();
}

QByteArray WebSocketServerHandshake::switchingProtocols(const HttpRequest& request, const QDateTime& now,
                                                        const Headers& extra)
{
    QByteArray out = QByteArrayLiteral("HTTP/1.1 101 Switching Protocols\r\n");
    out += "Date: " + HttpConnection::httpDate(now) + "\r\n";
    out += QByteArrayLiteral("Upgrade: websocket\r\nConnection: Upgrade\r\n");
    out += "Sec-WebSocket-Accept: " + acceptKey(request.header("Sec-WebSocket-Key")) + "\r\n";
    for (const auto& h : extra)
        out += h.first + ": " + h.second + "\r\n";
    out += "\r\n";
    return out;
}

qsizetype WebSocketServerHandshake::headLength(const QByteArray& buffer)
{
    qsizetype start = 0;
    while (start + 1 < buffer.size() && buffer.at(start) == '\r' && buffer.at(start + 1) == '\n')
        start += 2;
    const qsizetype end = buffer.indexOf("\r\n\r\n", start);
    return end < 0 ? -1 : end + 4;
}

} // namespace fakeaws
