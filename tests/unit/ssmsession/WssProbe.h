#pragma once
// A one-connection-at-a-time WebSocket server over TLS on 127.0.0.1 for DataChannelSocket's tests: it keeps the
// raw upgrade request (to check that the StreamUrl's bytes reach the wire unchanged and how the upgrade is
// signed), answers 101, records every message and ping the client sends, and can send messages or cut the
// connection without a close frame.

#include "tests/fakeaws/WebSocketServerCodec.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSslConfiguration>

class QSslServer;
class QSslSocket;

class WssProbe : public QObject
{
    Q_OBJECT

public:
    explicit WssProbe(const QSslConfiguration& tls, QObject* parent = nullptr);
    ~WssProbe() override;

    bool listen();
    quint16 port() const;

    // The last upgrade request.
    QByteArray requestHead() const { return m_head; }
    QByteArray requestTarget() const { return m_target; }
    QByteArray header(const QByteArray& name) const;
    int upgrades() const { return m_upgrades; }

    struct Message
    {
        QByteArray data;
        bool text = false;
    };
    QList<Message> messages() const { return m_messages; } // of the current connection
    QList<QByteArray> pings() const { return m_pings; }
    bool connected() const { return m_socket != nullptr; }

    void sendBinary(const QByteArray& data);
    void sendText(const QByteArray& data);
    void kill(); // abort without a close frame

private:
    void onConnection();
    void onData();

    QSslServer* m_server;
    QPointer<QSslSocket> m_socket;
    QByteArray m_buffer;
    bool m_upgraded = false;
    fakeaws::WebSocketServerCodec m_codec;
    QByteArray m_head;
    QByteArray m_target;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    int m_upgrades = 0;
    QList<Message> m_messages;
    QList<QByteArray> m_pings;
};
