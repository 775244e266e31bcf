#include "SmuxTestPeer.h"

QByteArray SmuxTestPeer::frame(quint8 command, quint32 streamId, QByteArrayView data, quint8 version)
{
    QByteArray out;
    out.append(static_cast<char>(version));
    out.append(static_cast<char>(command));
    const auto length = static_cast<quint32>(data.size());
    out.append(static_cast<char>(length & 0xff));
    out.append(static_cast<char>((length >> 8) & 0xff));
    for (int shift = 0; shift < 32; shift += 8)
        out.append(static_cast<char>((streamId >> shift) & 0xff));
    out.append(data.data(), data.size());
    return out;
}

void SmuxTestPeer::feed(QByteArrayView bytes)
{
    m_in.append(bytes.data(), bytes.size());
    qsizetype pos = 0;
    while (m_in.size() - pos >= 8) {
        const auto* p = reinterpret_cast<const uchar*>(m_in.constData() + pos);
        Frame f;
        f.version = p[0];
        f.command = p[1];
        const qsizetype length = p[2] | (p[3] << 8);
        f.streamId = static_cast<quint32>(p[4]) | (static_cast<quint32>(p[5]) << 8) | (static_cast<quint32>(p[6]) << 16)
            | (static_cast<quint32>(p[7]) << 24);
        if (m_in.size() - pos < 8 + length)
            break;
        f.data = m_in.mid(pos + 8, length);
        pos += 8 + length;
        apply(f);
        m_frames.append(f);
    }
    m_in.remove(0, pos);
}

void SmuxTestPeer::apply(const Frame& f)
{
    if (f.version != 1 || f.command > 3) {
        ++m_violations;
        return;
    }
    const bool open = m_openOrder.contains(f.streamId) && !m_finished.contains(f.streamId);
    switch (f.command) {
    case 0:
        if (m_openOrder.contains(f.streamId))
            ++m_violations;
        else
            m_openOrder.append(f.streamId);
        break;
    case 1:
        if (!open)
            ++m_violations;
        m_finished.insert(f.streamId);
        break;
    case 2:
        if (!open || f.data.isEmpty())
            ++m_violations;
        m_received[f.streamId].append(f.data);
        break;
    case 3:
        if (f.streamId != 0 || !f.data.isEmpty())
            ++m_violations;
        ++m_nops;
        break;
    }
}
