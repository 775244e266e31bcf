#include "core/keys/SshWire.h"

namespace bl {

void SshWire::appendUint32(QByteArray& out, quint32 value)
{
    out.append(static_cast<char>((value >> 24) & 0xff));
    out.append(static_cast<char>((value >> 16) & 0xff));
    out.append(static_cast<char>((value >> 8) & 0xff));
    out.append(static_cast<char>(value & 0xff));
}

void SshWire::appendString(QByteArray& out, QByteArrayView value)
{
    appendUint32(out, static_cast<quint32>(value.size()));
    out.append(value.data(), value.size());
}

bool SshWire::readUint32(QByteArrayView in, qsizetype& pos, quint32& value)
{
    if (pos < 0 || in.size() - pos < 4)
        return false;
    const auto* p = reinterpret_cast<const unsigned char*>(in.data() + pos);
    value = (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
    pos += 4;
    return true;
}

bool SshWire::readString(QByteArrayView in, qsizetype& pos, QByteArray& value)
{
    qsizetype p = pos;
    quint32 length = 0;
    if (!readUint32(in, p, length) || quint64(in.size() - p) < length)
        return false;
    value = in.sliced(p, qsizetype(length)).toByteArray();
    pos = p + qsizetype(length);
    return true;
}

} // namespace bl
