#pragma once
// FakeEiceSession: one connection to the FakeEiceServer: reads the upgrade request, answers 101 or refuses it
// the way the service does, then relays binary frames to and from the local TCP target with bounded queues
// (it reads from one side only while the other side's send queue is short). Deletes itself when done.

#include "core/tunnel/WebSocketFrameCodec.h"

#include <QObject>
#include <QPointer>

class FakeEiceServer;
class QSslSocket;
class QTcpSocket;
class QTimer;

class FakeEiceSession : public QObject
{
    Q_OBJECT

public:
    FakeEiceSession(QSslSocket* socket, FakeEiceServer& server);
    ~FakeEiceSession() override;

private:
    void onClientData();
    void handleHead(const QByteArray& head);
    void respond(int status, const QByteArray& reason, const QByteArray& json);
    void onTargetConnected();
    void pumpFromClient();
    void pumpFromTarget();
    void sendFrame(bl::WebSocketFrameCodec::Opcode opcode, const QByteArray& payload);
    void sendData(const QByteArray& data);
    void closeWith(quint16 code, const QByteArray& reason);
    void end();

    FakeEiceServer& m_server;
    QPointer<QSslSocket> m_socket;
    QPointer<QTcpSocket> m_target;
    QTimer* m_duration = nullptr;
    bl::WebSocketFrameCodec m_codec {bl::WebSocketFrameCodec::Role::Server};
    QByteArray m_head;
    QByteArray m_key;
    bool m_open = false;
    bool m_headDone = false;
    bool m_closeSent = false;
    bool m_ended = false;
    bool m_targetEnded = false;
};
