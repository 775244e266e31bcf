#include "SsmSmuxServer.h"

#include <QtEndian>

namespace fakeaws {

void SsmSmuxServer::feed(const QByteArray& bytes, QList<Event>& out)
{
    if (m_broken)
        return;
    m_buffer.append(bytes);
    qsizetype pos = 0;
    while (m_buffer.size() - pos >= 8) {
        const char* h = m_buffer.constData() + pos;
        const quint8 version = static_cast<quint8>(h[0]);
        const quint8 cmd = static_cast<quint8>(h[1]);
        const quint16 length = qFromLittleEndian<quint16>(h + 2);
        const quint32 sid = qFromLittleEndian<quint32>(h + 4);
        if (version != kVersion || cmd > static_cast<quint8>(Cmd::Nop)) {
            m_broken = true;
            Event e;
            e.kind = Event::Kind::Error;
            e.error = version != kVersion ? QStringLiteral("smux frame with version %1 (only 1 is spoken)").arg(version)
                                          : QStringLiteral("smux frame with unknown command %1").arg(cmd);
            out.append(e);
            m_buffer.clear();
            return;
        }
        if (m_buffer.size() - pos < 8 + length)
            break;
        const QByteArray data = m_buffer.mid(pos + 8, length);
        pos += 8 + length;
        Event e;
        e.streamId = sid;
        switch (static_cast<Cmd>(cmd)) {
        case Cmd::Syn:
            if (m_open.contains(sid))
                continue;
            m_open.insert(sid);
            e.kind = Event::Kind::Open;
            break;
        case Cmd::Fin:
            if (!m_open.remove(sid))
                continue;
            e.kind = Event::Kind::Close;
            break;
        case Cmd::Psh:
            if (!m_open.contains(sid))
                continue;
            e.kind = Event::Kind::Data;
            e.data = data;
            break;
        case Cmd::Nop:
        case Cmd::Upd:
            continue;
        }
        out.append(std::move(e));
    }
    m_buffer.remove(0, pos);
}

QByteArray SsmSmuxServer::finish(quint32 streamId)
{
    if (!m_open.remove(streamId))
        return {};
    return frame(Cmd::Fin, streamId);
}

QByteArray SsmSmuxServer::frame(Cmd cmd, quint32 streamId, const QByteArray& data)
{
    QByteArray out(8, Qt::Uninitialized);
    out[0] = static_cast<char>(kVersion);
    out[1] = static_cast<char>(cmd);
    qToLittleEndian(static_cast<quint16>(data.size()), out.data() + 2);
    qToLittleEndian(streamId, out.data() + 4);
    out.append(data);
    return out;
}

QByteArray SsmSmuxServer::dataFrames(quint32 streamId, const QByteArray& data)
{
    QByteArray out;
    for (qsizetype pos = 0; pos < data.size(); pos += kMaxFrameData)
        out.append(frame(Cmd::Psh, streamId, data.mid(pos, kMaxFrameData)));
    return out;
}

} // namespace fakeaws
