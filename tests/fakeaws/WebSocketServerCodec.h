#pragma once
// The server side of RFC 6455 framing, as a plain class fed with bytes: decodes what a client sends (masked
// frames, fragmented or not) into events, streaming data payloads as they arrive so that a relay never has to
// hold a whole frame, and encodes the server's unmasked frames. fakeaws's EICE tunnels use it instead of
// QWebSocketServer because they need the 101's headers, their own close codes and real back-pressure.

#include <QByteArray>
#include <QList>
#include <QString>

namespace fakeaws {

class WebSocketServerCodec
{
public:
    enum class Opcode : quint8 { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

    // RFC 6455 §7.4.1 codes this emulator sends.
    static constexpr quint16 kNormalClosure = 1000;
    static constexpr quint16 kGoingAway = 1001;
    static constexpr quint16 kProtocolError = 1002;
    static constexpr quint16 kUnsupportedData = 1003;
    static constexpr quint16 kNoStatus = 1005; // what a close frame without a payload means (never sent)
    static constexpr quint16 kInvalidPayload = 1007;
    static constexpr quint16 kPolicyViolation = 1008;
    static constexpr quint16 kMessageTooBig = 1009;
    static constexpr quint16 kInternalError = 1011;

    struct Event
    {
        enum class Kind {
            Data, // payload: bytes of a binary message (a piece of a frame; message boundaries mean nothing)
            Ping, // payload: the ping's application data, to echo in a pong
            Pong,
            Close, // code (kNoStatus when the frame had none) and reason
            Error, // the client broke the protocol: close with code and reason
        };
        Kind kind = Kind::Data;
        QByteArray payload;
        quint16 code = 0;
        QString reason;
        bool text = false; // message mode: the Data event is a text message
    };

    // Message mode (fakeaws's SSM data channel, where frames are messages): text frames are accepted as well,
    // and each Data event carries one whole message, all its fragments joined. A message longer than
    // maxMessageBytes is an Error (1009). Off by default: EICE streams binary bytes and refuses text.
    void setMessageMode(qint64 maxMessageBytes);

    // Decodes bytes received from the client and appends what they complete to `out`. Nothing is decoded after
    // a Close or an Error event.
    void feed(const QByteArray& bytes, QList<Event>& out);
    bool isFinished() const { return m_finished; }

    // Server-to-client frames (never masked).
    static QByteArray frame(Opcode opcode, const QByteArray& payload, bool fin = true);
    static QByteArray closeFrame(quint16 code, const QString& reason = {});
    // Client-to-client frames with the given masking key: for tests that play the client.
    static QByteArray maskedFrame(Opcode opcode, const QByteArray& payload, quint32 maskKey, bool fin = true);

    // XORs data with the 4-byte key starting at key position `offset` (0..3).
    static void applyMask(char* data, qsizetype size, const unsigned char key[4], int offset);

private:
    void fail(QList<Event>& out, quint16 code, const QString& reason);
    bool parseHeader(QList<Event>& out); // false: protocol error (already reported)
    void finishFrame(QList<Event>& out);
    void finishControlFrame(QList<Event>& out);

    QByteArray m_head; // header bytes of the frame being read
    bool m_inPayload = false;
    Opcode m_opcode = Opcode::Binary;
    bool m_fin = true;
    quint64 m_remaining = 0; // payload bytes still to come for the current frame
    unsigned char m_mask[4] = {0, 0, 0, 0};
    int m_maskOffset = 0;
    QByteArray m_control; // payload of the control frame being read
    bool m_inMessage = false; // a fragmented binary message awaits its continuation frames
    bool m_finished = false;
    bool m_messageMode = false;
    qint64 m_maxMessageBytes = 0;
    bool m_messageIsText = false;
    QByteArray m_message; // message mode: the message being assembled
};

} // namespace fakeaws
