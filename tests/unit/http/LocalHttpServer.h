#pragma once
// A tiny scripted HTTP/1.1 server on 127.0.0.1 (plain or TLS) for the HTTP client tests. It records every
// request exactly as it arrived on the wire and answers each one from a script, so a test can check what
// Qt really sent and provoke throttling, clock skew, proxies and timeouts. It stops when destroyed.

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSslCertificate>
#include <QSslKey>
#include <QUrl>

#include <functional>

class QTcpServer;
class QTcpSocket;

using HeaderPairs = QList<QPair<QByteArray, QByteArray>>;

struct ReceivedRequest
{
    QByteArray method;
    QByteArray target; // request-target exactly as sent (origin form, or absolute form through a proxy)
    QByteArray path; // path part of the target, still encoded
    QByteArray rawQuery; // after '?', still encoded
    HeaderPairs headers; // in arrival order, names as sent
    QByteArray body;
    QDateTime receivedUtc;

    QByteArray header(const QByteArray& name) const; // case-insensitive, first match
    int headerCount(const QByteArray& name) const;
};

struct ScriptedReply
{
    int status = 200;
    QByteArray body;
    HeaderPairs headers;
    bool sendDate = true;
    qint64 dateOffsetSecs = 0; // the Date header is the real clock plus this
    bool noAnswer = false; // keep the connection open and never answer

    static ScriptedReply ok(const QByteArray& body = {});
    static ScriptedReply ec2Error(int status, const QByteArray& code, const QByteArray& message);
};

class LocalHttpServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<ScriptedReply(const ReceivedRequest&)>;

    explicit LocalHttpServer(QObject* parent = nullptr);
    ~LocalHttpServer() override;

    bool listen();
    bool listenTls(const QSslCertificate& certificate, const QSslKey& key);
    quint16 port() const;
    QUrl url() const; // http(s)://127.0.0.1:<port>

    // Replies are taken from the queue first, then from the handler; with neither, 500.
    void enqueue(const ScriptedReply& reply) { m_queue.append(reply); }
    void setHandler(Handler handler) { m_handler = std::move(handler); }

    const QList<ReceivedRequest>& requests() const { return m_requests; }
    int connectionCount() const { return m_connections; }

Q_SIGNALS:
    void requestReceived();

private:
    void acceptPending();
    void serve(QTcpSocket* socket);
    void answer(QTcpSocket* socket, const ReceivedRequest& request);

    QTcpServer* m_server = nullptr;
    bool m_tls = false;
    QList<ScriptedReply> m_queue;
    Handler m_handler;
    QList<ReceivedRequest> m_requests;
    int m_connections = 0;
};
