#include "core/tunnel/WebSocketFrameCodec.h"

#include <QStringDecoder>

#include <cstring>

namespace bl {

namespace {

constexpr quint8 finBit = 0x80;
constexpr quint8 reservedBits = 0x70;
constexpr quint8 opcodeBits = 0x0F;
constexpr quint8 maskBit = 0x80;
constexpr quint8 lengthBits = 0x7F;

bool isControl(WebSocketFrameCodec::Opcode op)
{
    return (static_cast<quint8>(op) & 0x08) != 0;
}

bool isKnownOpcode(quint8 op)
{
    return op <= 0x2 || (op >= 0x8 && op <= 0xA);
}

void appendBigEndian(QByteArray& out, quint64 value, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i)
        out.append(static_cast<char>((value >> (8 * i)) & 0xFF));
}

quint64 readBigEndian(const QByteArray& in, qsizetype at, int bytes)
{
    quint64 v = 0;
    for (int i = 0; i < bytes; ++i)
        v = (v << 8) | static_cast<quint8>(in.at(at + i));
    return v;
}

} // namespace

WebSocketFrameCodec::WebSocketFrameCodec(Role role)
    : m_role(role)
{ }

QByteArray WebSocketFrameCodec::encodeFrame(Opcode opcode, QByteArrayView payload, bool fin,
                                            std::optional<quint32> maskKey)
{
    const quint64 n = static_cast<quint64>(payload.size());
    QByteArray out;
    out.reserve(14 + payload.size());
    out.append(static_cast<char>((fin ? finBit : 0) | static_cast<quint8>(opcode)));
    const quint8 mask = maskKey ? maskBit : 0;
    if (n <= 125) {
        out.append(static_cast<char>(mask | n));
    } else if (n <= 0xFFFF) {
        out.append(static_cast<char>(mask | 126));
        appendBigEndian(out, n, 2);
    } else {
        out.append(static_cast<char>(mask | 127));
        appendBigEndian(out, n, 8);
    }
    if (!maskKey) {
        out.append(payload);
        return out;
    }
    appendBigEndian(out, *maskKey, 4);
    const qsizetype start = out.size();
    out.append(payload);
    applyMask(out.data() + start, payload.size(), *maskKey, 0);
    return out;
}

QByteArray WebSocketFrameCodec::closePayload(quint16 code, const QString& reason)
{
    QByteArray out;
    appendBigEndian(out, code, 2);
    QByteArray text = reason.toUtf8();
    if (text.size() > MaxControlPayload - 2) {
        // Cut on a character boundary so the reason stays valid UTF-8.
        qsizetype cut = MaxControlPayload - 2;
        while (cut > 0 && (static_cast<quint8>(text.at(cut)) & 0xC0) == 0x80)
            --cut;
        text.truncate(cut);
    }
    out.append(text);
    return out;
}

void WebSocketFrameCodec::applyMask(char* data, qsizetype size, quint32 maskKey, quint64 offset)
{
    const unsigned char key[4] = {static_cast<unsigned char>(maskKey >> 24), static_cast<unsigned char>(maskKey >> 16),
                                  static_cast<unsigned char>(maskKey >> 8), static_cast<unsigned char>(maskKey)};
    unsigned char pattern[8];
    for (int j = 0; j < 8; ++j)
        pattern[j] = key[(offset + j) % 4];
    quint64 word = 0;
    std::memcpy(&word, pattern, sizeof word);
    // Eight bytes at a time: bulk transfers mask every byte they send.
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 v = 0;
        std::memcpy(&v, data + i, sizeof v);
        v ^= word;
        std::memcpy(data + i, &v, sizeof v);
    }
    for (; i < size; ++i)
        data[i] = static_cast<char>(static_cast<unsigned char>(data[i]) ^ pattern[i % 8]);
}

bool WebSocketFrameCodec::isValidCloseCode(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

QList<WebSocketEvent> WebSocketFrameCodec::feed(QByteArrayView data)
{
    QList<WebSocketEvent> out;
    qsizetype pos = 0;
    while (!m_finished && pos < data.size()) {
        if (m_stage == Stage::Header) {
            m_header.append(data.at(pos++));
            if (!parseHeader(out))
                continue;
            if (m_length == 0) {
                // An empty frame completes at once.
                if (isControl(m_opcode)) {
                    finishControlFrame(out);
                } else if (m_fin) {
                    WebSocketEvent e;
                    e.type = *m_message == Opcode::Text ? WebSocketEvent::Type::Text : WebSocketEvent::Type::Binary;
                    e.messageEnd = true;
                    out.append(e);
                    m_message.reset();
                }
                m_stage = Stage::Header;
            }
            continue;
        }
        const qsizetype take = static_cast<qsizetype>(qMin<quint64>(m_length - m_consumed, data.size() - pos));
        QByteArray chunk(data.data() + pos, take);
        if (m_masked)
            applyMask(chunk.data(), take, m_maskKey, m_consumed);
        pos += take;
        m_consumed += take;
        const bool frameDone = m_consumed == m_length;
        if (isControl(m_opcode)) {
            m_control.append(chunk);
            if (frameDone)
                finishControlFrame(out);
        } else {
            WebSocketEvent e;
            e.type = *m_message == Opcode::Text ? WebSocketEvent::Type::Text : WebSocketEvent::Type::Binary;
            e.payload = std::move(chunk);
            e.messageEnd = frameDone && m_fin;
            out.append(std::move(e));
            if (frameDone && m_fin)
                m_message.reset();
        }
        if (frameDone)
            m_stage = Stage::Header;
    }
    return out;
}

// Returns true once m_header holds a complete, valid frame header (and resets it for the next frame).
bool WebSocketFrameCodec::parseHeader(QList<WebSocketEvent>& out)
{
    if (m_header.size() < 2)
        return false;
    const quint8 b0 = static_cast<quint8>(m_header.at(0));
    const quint8 b1 = static_cast<quint8>(m_header.at(1));
    const quint8 len7 = b1 & lengthBits;
    const int extBytes = len7 == 126 ? 2 : (len7 == 127 ? 8 : 0);
    const bool masked = (b1 & maskBit) != 0;
    const qsizetype needed = 2 + extBytes + (masked ? 4 : 0);
    if (m_header.size() < needed)
        return false;

    if ((b0 & reservedBits) != 0) {
        fail(out, ProtocolError, QStringLiteral("a frame has reserved bits set, but no extension was agreed"));
        return false;
    }
    const quint8 op = b0 & opcodeBits;
    if (!isKnownOpcode(op)) {
        fail(out, ProtocolError, QStringLiteral("a frame has the unknown opcode %1").arg(op));
        return false;
    }
    if (m_role == Role::Client && masked) {
        fail(out, ProtocolError, QStringLiteral("the server sent a masked frame"));
        return false;
    }
    if (m_role == Role::Server && !masked) {
        fail(out, ProtocolError, QStringLiteral("the client sent an unmasked frame"));
        return false;
    }
    m_opcode = static_cast<Opcode>(op);
    m_fin = (b0 & finBit) != 0;
    m_masked = masked;
    m_length = extBytes == 0 ? len7 : readBigEndian(m_header, 2, extBytes);
    m_maskKey = masked ? static_cast<quint32>(readBigEndian(m_header, 2 + extBytes, 4)) : 0;
    m_consumed = 0;
    m_header.clear();

    if (extBytes == 8 && (m_length >> 63) != 0) {
        fail(out, ProtocolError, QStringLiteral("a frame length has its most significant bit set"));
        return false;
    }
    if (isControl(m_opcode)) {
        if (!m_fin || m_length > MaxControlPayload) {
            fail(out, ProtocolError, QStringLiteral("a control frame is fragmented or longer than 125 bytes"));
            return false;
        }
        m_control.clear();
    } else if (m_opcode == Opcode::Continuation) {
        if (!m_message) {
            fail(out, ProtocolError, QStringLiteral("a continuation frame arrived outside a fragmented message"));
            return false;
        }
    } else {
        if (m_message) {
            fail(out, ProtocolError, QStringLiteral("a new message started before the fragmented one ended"));
            return false;
        }
        m_message = m_opcode;
    }
    m_stage = Stage::Payload;
    return true;
}

void WebSocketFrameCodec::finishControlFrame(QList<WebSocketEvent>& out)
{
    WebSocketEvent e;
    if (m_opcode == Opcode::Ping || m_opcode == Opcode::Pong) {
        e.type = m_opcode == Opcode::Ping ? WebSocketEvent::Type::Ping : WebSocketEvent::Type::Pong;
        e.payload = m_control;
        out.append(std::move(e));
        return;
    }
    // Close.
    if (m_control.size() == 1) {
        fail(out, ProtocolError, QStringLiteral("a close frame carries a one-byte payload"));
        return;
    }
    e.type = WebSocketEvent::Type::Close;
    e.closeCode = NoStatus;
    if (m_control.size() >= 2) {
        e.closeCode = static_cast<quint16>(readBigEndian(m_control, 0, 2));
        if (!isValidCloseCode(e.closeCode)) {
            fail(out, ProtocolError, QStringLiteral("a close frame carries the invalid code %1").arg(e.closeCode));
            return;
        }
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        e.text = utf8(QByteArrayView(m_control).sliced(2));
        if (utf8.hasError()) {
            fail(out, InvalidPayload, QStringLiteral("a close frame's reason is not valid UTF-8"));
            return;
        }
    }
    out.append(std::move(e));
    m_finished = true;
}

void WebSocketFrameCodec::fail(QList<WebSocketEvent>& out, quint16 code, const QString& what)
{
    WebSocketEvent e;
    e.type = WebSocketEvent::Type::Error;
    e.closeCode = code;
    e.text = what;
    out.append(std::move(e));
    m_finished = true;
}

} // namespace bl
