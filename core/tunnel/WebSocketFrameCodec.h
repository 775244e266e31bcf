#pragma once
// WebSocketFrameCodec: RFC 6455 framing without I/O. encodeFrame() builds one frame (masked when a client
// sends); a codec object decodes a byte stream into events. Data-frame payload is handed out as it arrives,
// so a large frame never has to be held whole and the caller's buffer bound is the only bound. The client
// role expects unmasked frames (a masked one is a protocol error); the server role (test servers) the reverse.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace bl {

struct WebSocketEvent
{
    enum class Type { Binary, Text, Ping, Pong, Close, Error };
    Type type = Type::Binary;
    QByteArray payload; // a piece of a data message, or a ping/pong payload
    bool messageEnd = false; // data: this piece ends the message
    quint16 closeCode = 0; // Close: the peer's code (1005 when it sent none); Error: the code to close with
    QString text; // Close: the peer's reason; Error: what is wrong
};

class WebSocketFrameCodec
{
public:
    enum class Opcode : quint8 { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };
    enum class Role { Client, Server };

    static constexpr quint16 NormalClosure = 1000;
    static constexpr quint16 GoingAway = 1001;
    static constexpr quint16 ProtocolError = 1002;
    static constexpr quint16 UnsupportedData = 1003;
    static constexpr quint16 NoStatus = 1005;
    static constexpr quint16 AbnormalClosure = 1006;
    static constexpr quint16 InvalidPayload = 1007;
    static constexpr int MaxControlPayload = 125;

    explicit WebSocketFrameCodec(Role role);

    // One frame. maskKey (sent big-endian) is required for client frames and absent for server frames.
    static QByteArray encodeFrame(Opcode opcode, QByteArrayView payload, bool fin = true,
                                  std::optional<quint32> maskKey = std::nullopt);
    // Close payload: 2-byte big-endian code + UTF-8 reason (truncated to fit a control frame).
    static QByteArray closePayload(quint16 code, const QString& reason);
    // XORs data with the key as if data started at byte `offset` of the frame payload.
    static void applyMask(char* data, qsizetype size, quint32 maskKey, quint64 offset);
    // Codes an endpoint may send in a Close frame (RFC 6455 §7.4).
    static bool isValidCloseCode(quint16 code);

    // Consumes all of data. After an Error or a Close event the codec ignores further input.
    QList<WebSocketEvent> feed(QByteArrayView data);
    bool isFinished() const { return m_finished; }

private:
    enum class Stage { Header, Payload };
    bool parseHeader(QList<WebSocketEvent>& out);
    void finishControlFrame(QList<WebSocketEvent>& out);
    void fail(QList<WebSocketEvent>& out, quint16 code, const QString& what);

    Role m_role;
    Stage m_stage = Stage::Header;
    QByteArray m_header; // bytes of the frame header read so far
    // The frame being read.
    Opcode m_opcode = Opcode::Binary;
    bool m_fin = false;
    bool m_masked = false;
    quint32 m_maskKey = 0;
    quint64 m_length = 0;
    quint64 m_consumed = 0;
    QByteArray m_control; // payload of a control frame, gathered whole (<= 125 bytes)
    // The data message being read (it may span continuation frames).
    std::optional<Opcode> m_message;
    bool m_finished = false;
};

} // namespace bl
