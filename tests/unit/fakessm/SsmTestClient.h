#pragma once
// The client side of an SSM data channel, written for the fakessm tests with raw bytes: its own tiny encoder
// and decoder of the §6.3 ClientMessage layout (independent of fakeaws's SsmAgentMessage), a QWebSocket to
// the StreamUrl, in-order delivery with re-acks, optional retransmission of its own unacked messages, and
// switches to misbehave (withhold acks, send data early). A minimal smux v1 client codec for mux tests.

#include <QMap>
#include <QObject>
#include <QSslCertificate>
#include <QTimer>
#include <QUuid>
#include <QWebSocket>

#include <optional>

namespace ssmtest {

struct Message
{
    QString type;
    qint64 seq = 0;
    quint64 flags = 0;
    QUuid id;
    quint32 payloadType = 0;
    QByteArray payload;
};

QByteArray encode(const QString& type, qint64 seq, quint64 flags, quint32 payloadType, const QByteArray& payload,
                  const QUuid& id = QUuid::createUuid(), quint64 createdMs = 1705320000000ull);
std::optional<Message> decode(const QByteArray& bytes);
QByteArray flag(quint32 value);

// smux v1 frames (little-endian), client side.
QByteArray smuxFrame(quint8 cmd, quint32 streamId, const QByteArray& data = {});
struct SmuxFrame
{
    quint8 cmd = 0;
    quint32 streamId = 0;
    QByteArray data;
};
QList<SmuxFrame> smuxParse(QByteArray& buffer); // consumes complete frames

class SsmTestClient : public QObject
{
    Q_OBJECT

public:
    explicit SsmTestClient(QObject* parent = nullptr);

    // Opens the WebSocket (extra headers, e.g. a SigV4 signature) and sends OpenDataChannel with the token.
    bool open(const QString& streamUrl, const QSslCertificate& ca, const QString& token,
              const QList<QPair<QByteArray, QByteArray>>& headers = {}, int timeoutMs = 10000);
    void close() { m_ws.close(); }
    void abort() { m_ws.abort(); }
    QWebSocket& socket() { return m_ws; }
    bool isConnected() const { return m_ws.state() == QAbstractSocket::ConnectedState; }

    // Waits for HandshakeRequest, answers with this ClientVersion (ActionStatus 1), waits for HandshakeComplete.
    bool handshake(const QString& clientVersion = QStringLiteral("1.2.650.0"), int timeoutMs = 10000);
    QJsonObject handshakeRequest() const;

    // A sequenced input_stream_data message (kept for retransmission until acked).
    qint64 sendInput(quint32 payloadType, const QByteArray& payload);
    void sendOutput(const QByteArray& bytes) { sendInput(1, bytes); }
    void sendRaw(const QByteArray& message) { m_ws.sendBinaryMessage(message); }

    // Misbehaviour switches.
    bool ackOutputs = true; // false: the agent's stream messages are delivered but never acknowledged
    bool retransmit = true; // resend own unacked messages every 100 ms after 200 ms

    // What arrived.
    QByteArray output() const { return m_output; } // Output payloads in sequence order
    QList<Message> delivered() const { return m_delivered; } // stream messages in sequence order
    QList<Message> raw() const { return m_raw; } // every decodable message as received
    QList<QByteArray> undecodable() const { return m_undecodable; }
    qint64 expected() const { return m_expected; }
    qint64 nextSeq() const { return m_outSeq; }
    int duplicatesReceived() const { return m_duplicates; }
    int acksReceived() const { return m_acksReceived; }
    qsizetype unacked() const { return m_unacked.size(); }
    QList<quint32> flagsReceived() const;
    std::optional<QJsonObject> channelClosed() const;

    // For reconnects: keep sequence state, drop the socket.
    void setSequenceState(qint64 outSeq, qint64 expected);

Q_SIGNALS:
    void messageDelivered();

private:
    void onBinary(const QByteArray& bytes);
    void deliver(const Message& m);
    void ack(const Message& m);

    QWebSocket m_ws;
    QTimer m_resend;
    qint64 m_outSeq = 0;
    qint64 m_expected = 0;
    QMap<qint64, QPair<QByteArray, qint64>> m_unacked; // seq -> bytes, sent at ms
    QMap<qint64, Message> m_buffer;
    QByteArray m_output;
    QList<Message> m_delivered;
    QList<Message> m_raw;
    QList<QByteArray> m_undecodable;
    int m_duplicates = 0;
    int m_acksReceived = 0;
};

} // namespace ssmtest
