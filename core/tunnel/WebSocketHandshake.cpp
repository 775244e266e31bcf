#include "core/tunnel/WebSocketHandshake.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace bl {

namespace {

const QByteArray websocketGuid = QByteArrayLiteral("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");

bool headerHasToken(const QByteArray& value, const QByteArray& token)
{
    for (const QByteArray& part : value.split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

Error handshakeError(const QString& what)
{
    return Error::make(ErrorKind::Network, QStringLiteral("The WebSocket upgrade failed: %1").arg(what),
                       QStringLiteral("A proxy or firewall between this computer and AWS may be rewriting the "
                                      "connection; check HTTPS_PROXY and NO_PROXY."));
}

} // namespace

QByteArray HttpResponseHead::header(const QByteArray& name) const
{
    for (const auto& h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QByteArray WebSocketHandshake::makeKey(const QByteArray& sixteenRandomBytes)
{
    return sixteenRandomBytes.toBase64();
}

QByteArray WebSocketHandshake::makeKey()
{
    QByteArray bytes(16, '\0');
    QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
    return makeKey(bytes);
}

QByteArray WebSocketHandshake::acceptFor(const QByteArray& key)
{
    return QCryptographicHash::hash(key + websocketGuid, QCryptographicHash::Sha1).toBase64();
}

QByteArray WebSocketHandshake::buildRequest(const QByteArray& requestTarget, const QByteArray& hostHeader,
                                            const QByteArray& key, const QByteArray& userAgent)
{
    QByteArray out;
    out.reserve(256 + requestTarget.size());
    out += "GET " + requestTarget + " HTTP/1.1\r\n";
    out += "Host: " + hostHeader + "\r\n";
    out += "Upgrade: websocket\r\n";
    out += "Connection: Upgrade\r\n";
    out += "Sec-WebSocket-Key: " + key + "\r\n";
    out += "Sec-WebSocket-Version: 13\r\n";
    if (!userAgent.isEmpty())
        out += "User-Agent: " + userAgent + "\r\n";
    out += "\r\n";
    return out;
}

QByteArray WebSocketHandshake::hostHeader(const QByteArray& host, quint16 port, bool tls)
{
    const QByteArray name = host.contains(':') && !host.startsWith('[') ? '[' + host + ']' : host;
    if (port == (tls ? 443 : 80))
        return name;
    return name + ':' + QByteArray::number(port);
}

std::optional<Result<HttpResponseHead>> WebSocketHandshake::parseResponseHead(const QByteArray& buffer)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        if (buffer.size() > MaxHeadSize)
            return Result<HttpResponseHead>(handshakeError(QStringLiteral("the answer's header is too long")));
        return std::nullopt;
    }
    if (end + 4 > MaxHeadSize)
        return Result<HttpResponseHead>(handshakeError(QStringLiteral("the answer's header is too long")));

    const QList<QByteArray> lines = buffer.left(end).split('\n');
    const QByteArray statusLine = lines.first().trimmed();
    // "HTTP/1.1 101 Switching Protocols"
    const QList<QByteArray> parts = statusLine.split(' ');
    bool ok = false;
    const int status = parts.size() >= 2 ? parts.at(1).toInt(&ok) : 0;
    if (!statusLine.startsWith("HTTP/1.") || !ok || status < 100 || status > 599) {
        return Result<HttpResponseHead>(
            handshakeError(QStringLiteral("the server did not answer with HTTP (status line \"%1\")")
                               .arg(QString::fromLatin1(statusLine.left(80)))));
    }
    HttpResponseHead head;
    head.status = status;
    head.reasonPhrase = statusLine.mid(parts.at(0).size() + parts.at(1).size() + 2);
    head.size = end + 4;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return Result<HttpResponseHead>(handshakeError(QStringLiteral("a malformed header line in the answer")));
        head.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return Result<HttpResponseHead>(std::move(head));
}

Result<void> WebSocketHandshake::validateUpgrade(const HttpResponseHead& head, const QByteArray& key)
{
    if (head.status != 101)
        return handshakeError(QStringLiteral("HTTP %1 instead of 101").arg(head.status));
    if (!headerHasToken(head.header("Upgrade"), "websocket"))
        return handshakeError(QStringLiteral("the answer lacks \"Upgrade: websocket\""));
    if (!headerHasToken(head.header("Connection"), "upgrade"))
        return handshakeError(QStringLiteral("the answer lacks \"Connection: Upgrade\""));
    if (head.header("Sec-WebSocket-Accept") != acceptFor(key))
        return handshakeError(QStringLiteral("Sec-WebSocket-Accept does not match the key we sent"));
    if (!head.header("Sec-WebSocket-Extensions").isEmpty())
        return handshakeError(QStringLiteral("the server chose an extension we did not offer"));
    if (!head.header("Sec-WebSocket-Protocol").isEmpty())
        return handshakeError(QStringLiteral("the server chose a subprotocol we did not offer"));
    return {};
}

} // namespace bl
