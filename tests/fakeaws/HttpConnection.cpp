#include "HttpConnection.h"

#include <QLocale>
#include <QSslSocket>

namespace fakeaws {

HttpConnection::HttpConnection(QSslSocket* socket, const HttpLimits& limits, Handler handler, Clock clock,
                               QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_handler(std::move(handler))
    , m_clock(std::move(clock))
{
    m_socket->setParent(this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_pending || !m_socket)
            return;
        m_closing = true;
        m_socket->disconnectFromHost();
    });
    connect(m_socket, &QSslSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, &HttpConnection::finish);
    m_timer.start(m_limits.idleTimeoutMs);
    // Bytes that arrived together with the end of the TLS handshake raise no further readyRead.
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::close()
{
    m_closing = true;
    m_pending = false;
    if (m_socket)
        m_socket->abort();
    finish();
}

void HttpConnection::onReadyRead()
{
    if (m_pending || m_closing || !m_socket)
        return;
    processInput();
}

void HttpConnection::processInput()
{
    while (!m_pending && !m_closing && m_socket) {
        if (m_buffer.isEmpty() && tryUpgradeFromPeek())
            return;
        m_buffer += m_socket->readAll();
        const HttpRequestParser::Result parsed = HttpRequestParser::parse(m_buffer, m_limits);
        if (parsed.status == HttpRequestParser::Status::Error) {
            failAndClose(parsed.errorStatus, parsed.errorMessage);
            return;
        }
        if (parsed.status == HttpRequestParser::Status::Incomplete) {
            if (parsed.expectContinue && !m_sentContinue) {
                m_sentContinue = true;
                m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
            }
            if (!m_buffer.isEmpty())
                armHeaderTimer();
            return;
        }
        m_buffer.remove(0, parsed.consumed);
        m_sentContinue = false;
        dispatch(parsed, false);
    }
}

// A WebSocket upgrade must stay unread in the socket so that a WebSocket server can take it over; so the
// head of every request is first peeked and only consumed once we know it is not an upgrade.
bool HttpConnection::tryUpgradeFromPeek()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return false;
    const QByteArray peeked = m_socket->peek(qMin<qint64>(available, m_limits.maxHeaderBytes + 4));
    const HttpRequestParser::Result parsed = HttpRequestParser::parse(peeked, m_limits);
    if (parsed.status == HttpRequestParser::Status::Incomplete && parsed.headBytes == 0) {
        armHeaderTimer();
        return true; // wait for the rest of the head
    }
    if (parsed.status != HttpRequestParser::Status::Complete || !parsed.upgrade || !parsed.request.body.isEmpty())
        return false;
    m_unreadUpgradeBytes = parsed.consumed;
    dispatch(parsed, true);
    return true;
}

void HttpConnection::dispatch(const HttpRequestParser::Result& parsed, bool upgradable)
{
    m_pending = true;
    ++m_serial;
    // After a refused upgrade the client does not know what state the connection is in: close it.
    m_keepAlive = parsed.keepAlive && !parsed.upgrade;
    m_timer.stop();
    m_handler(parsed.request, HttpExchange(this, m_serial, upgradable));
}

// Started once per request and not extended by further bytes, so a trickling client cannot hold a slot.
void HttpConnection::armHeaderTimer()
{
    if (!m_timer.isActive() || m_timer.remainingTime() > m_limits.headerTimeoutMs)
        m_timer.start(m_limits.headerTimeoutMs);
}

void HttpConnection::respond(quint64 serial, const HttpResponse& response)
{
    if (!isPending(serial) || !m_socket)
        return;
    if (m_unreadUpgradeBytes > 0) {
        m_socket->skip(m_unreadUpgradeBytes);
        m_unreadUpgradeBytes = 0;
    }
    m_pending = false;
    const bool closeAfter = !m_keepAlive || m_closing;
    writeResponse(response, closeAfter);
    if (closeAfter) {
        m_closing = true;
        m_socket->disconnectFromHost();
        return;
    }
    m_timer.start(m_limits.idleTimeoutMs);
    // Answering from inside dispatch() returns to processInput()'s loop; a late answer resumes reading here.
    QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

void HttpConnection::abortExchange(quint64 serial)
{
    if (isPending(serial))
        close();
}

QSslSocket* HttpConnection::detachSocket(quint64 serial)
{
    if (!isPending(serial) || !m_socket || m_unreadUpgradeBytes == 0)
        return nullptr;
    QSslSocket* socket = m_socket;
    socket->disconnect(this);
    socket->setParent(nullptr);
    m_socket = nullptr;
    m_pending = false;
    m_unreadUpgradeBytes = 0;
    finish();
    return socket;
}

void HttpConnection::writeResponse(const HttpResponse& response, bool closeAfter)
{
    QByteArray out;
    out.reserve(256 + response.body.size());
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
    bool haveDate = false;
    for (const auto& h : response.headers) {
        if (h.first.compare("Date", Qt::CaseInsensitive) == 0)
            haveDate = true;
    }
    if (!haveDate && m_clock)
        out += "Date: " + httpDate(m_clock()) + "\r\n";
    if (!response.contentType.isEmpty())
        out += "Content-Type: " + response.contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    for (const auto& h : response.headers) {
        const bool framing = h.first.compare("Content-Length", Qt::CaseInsensitive) == 0
            || h.first.compare("Connection", Qt::CaseInsensitive) == 0
            || h.first.compare("Content-Type", Qt::CaseInsensitive) == 0;
        if (!framing)
            out += h.first + ": " + h.second + "\r\n";
    }
    out += closeAfter ? QByteArrayLiteral("Connection: close\r\n\r\n")
                      : QByteArrayLiteral("Connection: keep-alive\r\n\r\n");
    out += response.body;
    m_socket->write(out);
}

void HttpConnection::failAndClose(int status, const QByteArray& message)
{
    HttpResponse r;
    r.status = status;
    r.contentType = QByteArrayLiteral("text/plain; charset=utf-8");
    r.body = message + '\n';
    m_buffer.clear();
    writeResponse(r, true);
    m_closing = true;
    m_socket->disconnectFromHost();
}

void HttpConnection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer.stop();
    Q_EMIT finished();
    deleteLater();
}

QByteArray HttpConnection::reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Content Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return status < 400 ? "OK" : "Error";
    }
}

QByteArray HttpConnection::httpDate(const QDateTime& utc)
{
    return QLocale::c().toString(utc.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
}

} // namespace fakeaws
