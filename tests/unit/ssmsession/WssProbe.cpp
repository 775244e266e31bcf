#include "WssProbe.h"

#include "tests/fakeaws/HttpRequestParser.h"
#include "tests/fakeaws/WebSocketServerHandshake.h"

#include <QSslServer>
#include <QSslSocket>

WssProbe::WssProbe(const QSslConfiguration& tls, QObject* parent)
    : QObject(parent)
    , m_server(new QSslServer(this))
{
    m_server->setSslConfiguration(tls);
    connect(m_server, &QSslServer::pendingConnectionAvailable, this, &WssProbe::onConnection);
}

WssProbe::~WssProbe()
{
    if (m_socket)
        m_socket->abort();
}

bool WssProbe::listen()
{
    return m_server->listen(QHostAddress::LocalHost);
}

quint16 WssProbe::port() const
{
    return m_server->serverPort();
}

QByteArray WssProbe::header(const QByteArray& name) const
{
    for (const auto& h : m_headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

void WssProbe::onConnection()
{
    while (m_server->hasPendingConnections()) {
        auto* socket = qobject_cast<QSslSocket*>(m_server->nextPendingConnection());
        if (!socket)
            continue;
        if (m_socket)
            m_socket->abort();
        m_socket = socket;
        m_buffer.clear();
        m_messages.clear(); // per connection
        m_upgraded = false;
        m_codec = fakeaws::WebSocketServerCodec();
        m_codec.setMessageMode(64 * 1024 * 1024);
        connect(socket, &QSslSocket::readyRead, this, &WssProbe::onData);
        connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void WssProbe::onData()
{
    if (!m_socket || sender() != m_socket)
        return; // a connection already replaced
    m_buffer += m_socket->readAll();
    if (!m_upgraded) {
        const auto parsed = fakeaws::HttpRequestParser::parse(m_buffer, fakeaws::HttpLimits());
        if (parsed.status == fakeaws::HttpRequestParser::Status::Incomplete)
            return;
        if (parsed.status == fakeaws::HttpRequestParser::Status::Error) {
            m_socket->abort();
            return;
        }
        m_head = m_buffer.left(parsed.headBytes);
        m_target = parsed.request.target;
        m_headers = parsed.request.headers;
        ++m_upgrades;
        m_buffer.remove(0, parsed.consumed);
        m_socket->write(
            fakeaws::WebSocketServerHandshake::switchingProtocols(parsed.request, QDateTime::currentDateTimeUtc()));
        m_upgraded = true;
    }
    if (m_buffer.isEmpty())
        return;
    QList<fakeaws::WebSocketServerCodec::Event> events;
    m_codec.feed(m_buffer, events);
    m_buffer.clear();
    using Kind = fakeaws::WebSocketServerCodec::Event::Kind;
    for (const auto& e : events) {
        if (e.kind == Kind::Data) {
            m_messages.append({e.payload, e.text});
        } else if (e.kind == Kind::Ping) {
            m_pings.append(e.payload);
            m_socket->write(
                fakeaws::WebSocketServerCodec::frame(fakeaws::WebSocketServerCodec::Opcode::Pong, e.payload));
        } else if (e.kind == Kind::Close || e.kind == Kind::Error) {
            m_socket->write(fakeaws::WebSocketServerCodec::closeFrame(fakeaws::WebSocketServerCodec::kNormalClosure));
            m_socket->disconnectFromHost();
        }
    }
}

void WssProbe::sendBinary(const QByteArray& data)
{
    if (m_socket)
        m_socket->write(fakeaws::WebSocketServerCodec::frame(fakeaws::WebSocketServerCodec::Opcode::Binary, data));
}

void WssProbe::sendText(const QByteArray& data)
{
    if (m_socket)
        m_socket->write(fakeaws::WebSocketServerCodec::frame(fakeaws::WebSocketServerCodec::Opcode::Text, data));
}

void WssProbe::kill()
{
    if (m_socket)
        m_socket->abort();
}
