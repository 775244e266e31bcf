#include "WebSocketServerCodec.h"

#include <QStringDecoder>
#include <QtEndian>

#include <cstring>

namespace fakeaws {

namespace {

constexpr quint64 kMaxControlPayload = 125;

bool validCloseCode(quint16 code)
{
    // 1004-1006 and 1015 are reserved for reporting, never sent; 1012-1014 are IANA-registered since.
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

QByteArray header(quint8 first, quint64 length, bool masked)
{
    QByteArray h;
    h.append(static_cast<char>(first));
    const quint8 maskBit = masked ? 0x80 : 0x00;
    if (length < 126) {
        h.append(static_cast<char>(maskBit | length));
    } else if (length <= 0xFFFF) {
        h.append(static_cast<char>(maskBit | 126));
        char ext[2];
        qToBigEndian(static_cast<quint16>(length), ext);
        h.append(ext, 2);
    } else {
        h.append(static_cast<char>(maskBit | 127));
        char ext[8];
        qToBigEndian(length, ext);
        h.append(ext, 8);
    }
    return h;
}

qsizetype headerSize(const QByteArray& head)
{
    if (head.size() < 2)
        return 2;
    const int len7 = static_cast<unsigned char>(head.at(1)) & 0x7F;
    const qsizetype ext = len7 == 126 ? 2 : (len7 == 127 ? 8 : 0);
    const qsizetype mask = (static_cast<unsigned char>(head.at(1)) & 0x80) ? 4 : 0;
    return 2 + ext + mask;
}

} // namespace

void WebSocketServerCodec::applyMask(char* data, qsizetype size, const unsigned char key[4], int offset)
{
    // Eight bytes at a time: the tunnels relay bulk data through here.
    unsigned char rotated[8];
    for (int i = 0; i < 8; ++i)
        rotated[i] = key[(offset + i) % 4];
    quint64 wide = 0;
    std::memcpy(&wide, rotated, 8);
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 chunk = 0;
        std::memcpy(&chunk, data + i, 8);
        chunk ^= wide;
        std::memcpy(data + i, &chunk, 8);
    }
    for (; i < size; ++i)
        data[i] = static_cast<char>(static_cast<unsigned char>(data[i]) ^ rotated[i % 8]);
}

void WebSocketServerCodec::feed(const QByteArray& bytes, QList<Event>& out)
{
    const char* data = bytes.constData();
    const qsizetype size = bytes.size();
    qsizetype pos = 0;
    while (pos < size && !m_finished) {
        if (!m_inPayload) {
            const qsizetype need = headerSize(m_head);
            const qsizetype take = qMin(need - m_head.size(), size - pos);
            m_head.append(data + pos, take);
            pos += take;
            if (m_head.size() < headerSize(m_head))
                continue; // more header bytes to come (or the length bytes just told us how many)
            if (!parseHeader(out))
                return;
            if (m_remaining == 0)
                finishFrame(out);
            continue;
        }
        const qsizetype n = static_cast<qsizetype>(qMin<quint64>(m_remaining, static_cast<quint64>(size - pos)));
        if (m_messageMode
            && (m_opcode == Opcode::Binary || m_opcode == Opcode::Text || m_opcode == Opcode::Continuation)) {
            const qsizetype start = m_message.size();
            m_message.append(data + pos, n);
            applyMask(m_message.data() + start, n, m_mask, m_maskOffset);
        } else if (m_opcode == Opcode::Binary || m_opcode == Opcode::Continuation) {
            Event e;
            e.kind = Event::Kind::Data;
            e.payload = QByteArray(data + pos, n);
            applyMask(e.payload.data(), n, m_mask, m_maskOffset);
            out.append(std::move(e));
        } else {
            const qsizetype start = m_control.size();
            m_control.append(data + pos, n);
            applyMask(m_control.data() + start, n, m_mask, m_maskOffset);
        }
        pos += n;
        m_remaining -= static_cast<quint64>(n);
        m_maskOffset = static_cast<int>((m_maskOffset + n) % 4);
        if (m_remaining == 0)
            finishFrame(out);
    }
}

bool WebSocketServerCodec::parseHeader(QList<Event>& out)
{
    const auto b0 = static_cast<unsigned char>(m_head.at(0));
    const auto b1 = static_cast<unsigned char>(m_head.at(1));
    m_fin = (b0 & 0x80) != 0;
    const int opcode = b0 & 0x0F;
    if (b0 & 0x70) {
        fail(out, kProtocolError, QStringLiteral("reserved bits set without a negotiated extension"));
        return false;
    }
    if (!(b1 & 0x80)) {
        fail(out, kProtocolError, QStringLiteral("client frames must be masked"));
        return false;
    }
    const int len7 = b1 & 0x7F;
    quint64 length = static_cast<quint64>(len7);
    if (len7 == 126)
        length = qFromBigEndian<quint16>(m_head.constData() + 2);
    else if (len7 == 127)
        length = qFromBigEndian<quint64>(m_head.constData() + 2);
    if (length >> 63) {
        fail(out, kProtocolError, QStringLiteral("frame length out of range"));
        return false;
    }
    std::memcpy(m_mask, m_head.constData() + m_head.size() - 4, 4);

    switch (opcode) {
    case static_cast<int>(Opcode::Text):
        if (!m_messageMode) {
            fail(out, kUnsupportedData,
                 QStringLiteral("text frames are not accepted; send the bytes as binary frames"));
            return false;
        }
        [[fallthrough]];
    case static_cast<int>(Opcode::Binary):
    case static_cast<int>(Opcode::Continuation):
        if ((opcode == static_cast<int>(Opcode::Continuation)) != m_inMessage) {
            fail(out, kProtocolError,
                 m_inMessage ? QStringLiteral("new data frame inside a fragmented message")
                             : QStringLiteral("continuation frame without a message to continue"));
            return false;
        }
        m_inMessage = !m_fin;
        if (m_messageMode) {
            if (opcode != static_cast<int>(Opcode::Continuation)) {
                m_messageIsText = opcode == static_cast<int>(Opcode::Text);
                m_message.clear();
            }
            if (static_cast<quint64>(m_message.size()) + length > static_cast<quint64>(m_maxMessageBytes)) {
                fail(out, kMessageTooBig, QStringLiteral("message larger than %1 bytes").arg(m_maxMessageBytes));
                return false;
            }
        }
        break;
    case static_cast<int>(Opcode::Close):
    case static_cast<int>(Opcode::Ping):
    case static_cast<int>(Opcode::Pong):
        if (!m_fin || length > kMaxControlPayload) {
            fail(out, kProtocolError, QStringLiteral("control frames must be unfragmented and at most 125 bytes"));
            return false;
        }
        break;
    default:
        fail(out, kProtocolError, QStringLiteral("unknown opcode %1").arg(opcode));
        return false;
    }
    m_opcode = static_cast<Opcode>(opcode);
    m_remaining = length;
    m_maskOffset = 0;
    m_control.clear();
    m_head.clear();
    m_inPayload = true;
    return true;
}

void WebSocketServerCodec::setMessageMode(qint64 maxMessageBytes)
{
    m_messageMode = true;
    m_maxMessageBytes = maxMessageBytes;
}

void WebSocketServerCodec::finishFrame(QList<Event>& out)
{
    m_inPayload = false;
    if (m_messageMode && m_fin
        && (m_opcode == Opcode::Binary || m_opcode == Opcode::Text || m_opcode == Opcode::Continuation)) {
        Event e;
        e.kind = Event::Kind::Data;
        e.payload = std::move(m_message);
        e.text = m_messageIsText;
        m_message = QByteArray();
        out.append(std::move(e));
        return;
    }
    if (m_opcode == Opcode::Close || m_opcode == Opcode::Ping || m_opcode == Opcode::Pong)
        finishControlFrame(out);
}

void WebSocketServerCodec::finishControlFrame(QList<Event>& out)
{
    Event e;
    if (m_opcode == Opcode::Ping || m_opcode == Opcode::Pong) {
        e.kind = m_opcode == Opcode::Ping ? Event::Kind::Ping : Event::Kind::Pong;
        e.payload = m_control;
        out.append(std::move(e));
        return;
    }
    if (m_control.size() == 1) {
        fail(out, kProtocolError, QStringLiteral("close frame with a one-byte payload"));
        return;
    }
    e.kind = Event::Kind::Close;
    e.code = kNoStatus;
    if (m_control.size() >= 2) {
        e.code = qFromBigEndian<quint16>(m_control.constData());
        if (!validCloseCode(e.code)) {
            fail(out, kProtocolError, QStringLiteral("invalid close code %1").arg(e.code));
            return;
        }
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        e.reason = utf8.decode(QByteArrayView(m_control).sliced(2));
        if (utf8.hasError()) {
            fail(out, kInvalidPayload, QStringLiteral("close reason is not UTF-8"));
            return;
        }
    }
    m_finished = true;
    out.append(std::move(e));
}

void WebSocketServerCodec::fail(QList<Event>& out, quint16 code, const QString& reason)
{
    m_finished = true;
    Event e;
    e.kind = Event::Kind::Error;
    e.code = code;
    e.reason = reason;
    out.append(std::move(e));
}

QByteArray WebSocketServerCodec::frame(Opcode opcode, const QByteArray& payload, bool fin)
{
    const quint8 first = static_cast<quint8>((fin ? 0x80 : 0x00) | static_cast<quint8>(opcode));
    QByteArray out = header(first, static_cast<quint64>(payload.size()), false);
    out.append(payload);
    return out;
}

QByteArray WebSocketServerCodec::closeFrame(quint16 code, const QString& reason)
{
    QByteArray payload(2, Qt::Uninitialized);
    qToBigEndian(code, payload.data());
    // A control frame carries at most 125 bytes; cut the reason without leaving half a character.
    QByteArray text = reason.toUtf8();
    if (text.size() > 123) {
        text.truncate(123);
        qsizetype lead = text.size() - 1;
        while (lead >= 0 && (static_cast<unsigned char>(text.at(lead)) & 0xC0) == 0x80)
            --lead;
        if (lead >= 0) {
            const auto b = static_cast<unsigned char>(text.at(lead));
            const qsizetype length = b >= 0xF0 ? 4 : (b >= 0xE0 ? 3 : (b >= 0xC0 ? 2 : 1));
            if (text.size() - lead != length)
                text.truncate(lead);
        }
    }
    payload.append(text);
    return frame(Opcode::Close, payload);
}

QByteArray WebSocketServerCodec::maskedFrame(Opcode opcode, const QByteArray& payload, quint32 maskKey, bool fin)
{
    const quint8 first = static_cast<quint8>((fin ? 0x80 : 0x00) | static_cast<quint8>(opcode));
    QByteArray out = header(first, static_cast<quint64>(payload.size()), true);
    unsigned char key[4];
    qToBigEndian(maskKey, key);
    out.append(reinterpret_cast<const char*>(key), 4);
    QByteArray body = payload;
    applyMask(body.data(), body.size(), key, 0);
    out.append(body);
    return out;
}

} // namespace fakeaws
