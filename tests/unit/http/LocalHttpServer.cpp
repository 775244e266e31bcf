#include "LocalHttpServer.h"

#include <QHostAddress>
#include <QLocale>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimeZone>

#include <memory>

QByteArray ReceivedRequest::header(const QByteArray& name) const
{
    for (const auto& h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

int ReceivedRequest::headerCount(const QByteArray& name) const
{
    int n = 0;
    for (const auto& h : headers)
        n += h.first.compare(name, Qt::CaseInsensitive) == 0 ? 1 : 0;
    return n;
}

ScriptedReply ScriptedReply::ok(const QByteArray& body)
{
    ScriptedReply r;
    r.body = body;
    r.headers = {{"Content-Type", "text/xml;charset=UTF-8"}, {"x-amzn-RequestId", "req-ok-1"}};
    return r;
}

ScriptedReply ScriptedReply::ec2Error(int status, const QByteArray& code, const QByteArray& message)
{
    ScriptedReply r;
    r.status = status;
    r.headers = {{"Content-Type", "text/xml;charset=UTF-8"}};
    r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code + "</Code><Message>"
        + message + "</Message></Error></Errors><RequestID>rid-" + code + "</RequestID></Response>";
    return r;
}

LocalHttpServer::LocalHttpServer(QObject* parent)
    : QObject(parent)
{ }

LocalHttpServer::~LocalHttpServer() = default;

bool LocalHttpServer::listen()
{
    m_server = new QTcpServer(this);
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &LocalHttpServer::acceptPending);
    return m_server->listen(QHostAddress::LocalHost, 0);
}

bool LocalHttpServer::listenTls(const QSslCertificate& certificate, const QSslKey& key)
{
    auto* server = new QSslServer(this);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(certificate);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    server->setSslConfiguration(config);
    server->setHandshakeTimeout(5000);
    m_server = server;
    m_tls = true;
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &LocalHttpServer::acceptPending);
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 LocalHttpServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QUrl LocalHttpServer::url() const
{
    return QUrl(
        QStringLiteral("%1://127.0.0.1:%2").arg(m_tls ? QStringLiteral("https") : QStringLiteral("http")).arg(port()));
}

void LocalHttpServer::acceptPending()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        ++m_connections;
        socket->setParent(this);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        serve(socket);
    }
}

void LocalHttpServer::serve(QTcpSocket* socket)
{
    auto buffer = std::make_shared<QByteArray>();
    auto parse = [this, socket, buffer] {
        buffer->append(socket->readAll());
        for (;;) {
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            ReceivedRequest req;
            const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
            req.method = requestLine.value(0);
            req.target = requestLine.value(1);
            qsizetype contentLength = 0;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0)
                    continue;
                req.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
                if (line.left(colon).compare("content-length", Qt::CaseInsensitive) == 0)
                    contentLength = line.mid(colon + 1).trimmed().toLongLong();
            }
            if (buffer->size() < end + 4 + contentLength)
                return;
            req.body = buffer->mid(end + 4, contentLength);
            buffer->remove(0, end + 4 + contentLength);

            // Absolute form (through a proxy): drop scheme and authority.
            QByteArray originForm = req.target;
            const qsizetype scheme = originForm.indexOf("://");
            if (scheme > 0) {
                const qsizetype slash = originForm.indexOf('/', scheme + 3);
                originForm = slash < 0 ? QByteArray("/") : originForm.mid(slash);
            }
            const qsizetype qmark = originForm.indexOf('?');
            req.path = qmark < 0 ? originForm : originForm.left(qmark);
            req.rawQuery = qmark < 0 ? QByteArray() : originForm.mid(qmark + 1);
            req.receivedUtc = QDateTime::currentDateTimeUtc();
            answer(socket, req);
        }
    };
    connect(socket, &QTcpSocket::readyRead, this, parse);
    if (socket->bytesAvailable() > 0)
        parse();
}

void LocalHttpServer::answer(QTcpSocket* socket, const ReceivedRequest& request)
{
    m_requests.append(request);
    ScriptedReply reply;
    if (!m_queue.isEmpty())
        reply = m_queue.takeFirst();
    else if (m_handler)
        reply = m_handler(request);
    else
        reply = ScriptedReply::ec2Error(500, "InternalError", "The test server has no scripted answer left.");
    Q_EMIT requestReceived();
    if (reply.noAnswer)
        return;

    QByteArray out = "HTTP/1.1 " + QByteArray::number(reply.status) + " Scripted\r\n";
    for (const auto& [name, value] : std::as_const(reply.headers))
        out += name + ": " + value + "\r\n";
    if (reply.sendDate) {
        const QDateTime date = QDateTime::currentDateTimeUtc().addSecs(reply.dateOffsetSecs);
        out += "Date: " + QLocale::c().toString(date, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1()
            + "\r\n";
    }
    out += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n\r\n" + reply.body;
    socket->write(out);
}
