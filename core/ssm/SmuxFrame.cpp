#include "core/ssm/SmuxFrame.h"

#include <QtEndian>

namespace bl {

QByteArray SmuxFrame::encodeHeader() const
{
    QByteArray out(HeaderSize, Qt::Uninitialized);
    auto* p = reinterpret_cast<uchar*>(out.data());
    p[0] = version;
    p[1] = command;
    qToLittleEndian<quint16>(length, p + 2);
    qToLittleEndian<quint32>(streamId, p + 4);
    return out;
}

QByteArray SmuxFrame::encode(quint8 command, quint32 streamId, QByteArrayView data)
{
    Q_ASSERT(data.size() <= MaxLength);
    SmuxFrame frame;
    frame.command = command;
    frame.length = static_cast<quint16>(data.size());
    frame.streamId = streamId;
    QByteArray out = frame.encodeHeader();
    out.append(data.data(), data.size());
    return out;
}

SmuxFrame SmuxFrame::decodeHeader(QByteArrayView bytes)
{
    Q_ASSERT(bytes.size() >= HeaderSize);
    const auto* p = reinterpret_cast<const uchar*>(bytes.data());
    SmuxFrame frame;
    frame.version = p[0];
    frame.command = p[1];
    frame.length = qFromLittleEndian<quint16>(p + 2);
    frame.streamId = qFromLittleEndian<quint32>(p + 4);
    return frame;
}

} // namespace bl
