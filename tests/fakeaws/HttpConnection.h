#pragma once
// One client's TLS connection: reads requests one at a time (keep-alive, pipelining answered in order),
// hands each to the server's handler and writes the answer whenever the handler gives it. Closes itself on
// protocol errors, on "Connection: close", and after idle or header timeouts.

#include "HttpExchange.h"
#include "HttpRequestParser.h"

#include <QObject>
#include <QTimer>

#include <functional>

class QSslSocket;

namespace fakeaws {

class HttpConnection : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(const HttpRequest&, HttpExchange)>;
    using Clock = std::function<QDateTime()>;

    HttpConnection(QSslSocket* socket, const HttpLimits& limits, Handler handler, Clock clock,
                   QObject* parent = nullptr);
    ~HttpConnection() override;

    void close(); // stop now, without answering pending requests

    // Used through HttpExchange.
    void respond(quint64 serial, const HttpResponse& response);
    void abortExchange(quint64 serial);
    bool isPending(quint64 serial) const { return m_pending && serial == m_serial; }
    QSslSocket* detachSocket(quint64 serial);

    static QByteArray reasonPhrase(int status);
    static QByteArray httpDate(const QDateTime& utc);

Q_SIGNALS:
    void finished(); // the socket is closed or detached; the connection deletes itself later

private:
    void onReadyRead();
    void processInput();
    bool tryUpgradeFromPeek();
    void dispatch(const HttpRequestParser::Result& parsed, bool upgradable);
    void armHeaderTimer();
    void writeResponse(const HttpResponse& response, bool close);
    void failAndClose(int status, const QByteArray& message);
    void finish();

    QSslSocket* m_socket = nullptr;
    HttpLimits m_limits;
    Handler m_handler;
    Clock m_clock;
    QByteArray m_buffer;
    QTimer m_timer;
    quint64 m_serial = 0;
    bool m_pending = false;
    bool m_keepAlive = true;
    bool m_sentContinue = false;
    bool m_closing = false;
    bool m_finished = false;
    qsizetype m_unreadUpgradeBytes = 0; // request head left in the socket for a possible takeSocket()
};

} // namespace fakeaws
